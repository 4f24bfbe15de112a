//! The `hackops` binary itself: help, bad configuration, start-up and graceful shutdown.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn hackops() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hackops"));
    command
        .env_remove("HACKOPS_DATABASE_URL")
        .env_remove("HACKOPS_REDIS_URL")
        .env("RUST_LOG", "warn");
    command
}

#[test]
fn help_explains_every_option() {
    let output = hackops().args(["serve", "--help"]).output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for option in [
        "--addr",
        "--data-dir",
        "--database-url",
        "--redis-url",
        "--public-url",
        "--allowed-origins",
        "--jwt-secret",
        "--demo",
        "HACKOPS_ADDR",
        "HACKOPS_DATA_DIR",
    ] {
        assert!(help.contains(option), "{option} missing from --help");
    }
    assert!(hackops().arg("--help").output().unwrap().status.success());
}

#[test]
fn bad_configuration_is_a_clear_message_and_a_failure() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let cases: [&[&str]; 4] = [
        &["serve", "--data-dir", data, "--database-url", "mysql://localhost/x"],
        &["serve", "--data-dir", data, "--jwt-secret", "too-short"],
        &["serve", "--addr", "not-an-address"],
        &["serve", "--data-dir", data, "--static-dir", "/nonexistent/dist"],
    ];
    for args in cases {
        let output = hackops().args(args).output().unwrap();
        assert!(!output.status.success(), "{args:?} must fail");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("error"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    }
}

#[test]
fn migrate_then_serve_then_stop_gracefully_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    assert!(hackops().args(["migrate", "--data-dir", data]).status().unwrap().success());

    let mut child = hackops()
        .args(["serve", "--demo", "--data-dir", data, "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(first.starts_with("Hackops is running at"), "{first}");
    let port: u16 = first.rsplit("port ").next().unwrap().trim_end_matches(')').parse().unwrap();
    let demo = lines.next().unwrap().unwrap();
    assert!(demo.contains("organiser@demo.test") && demo.contains("demo-password"), "{demo}");
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());

    assert!(Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap()
        .success());
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "no exit within 10 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "graceful shutdown exits 0, got {status}");
}

/// `hackops harvest`: a file into an organisation of a running deployment's database, the
/// summary on stdout, no progress bar when stderr is not a terminal, `error: …` and exit 1.
#[tokio::test]
async fn harvest_imports_a_file_and_reports() {
    let app = crate::helpers::spawn_app().await;
    let (session, id) = app.organiser("cli-harvest@example.org").await;
    let list: serde_json::Value = app.get("/api/v1/organisations").await.json().await.unwrap();
    let org = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id.as_str())
        .map(|o| o["slug"].as_str().unwrap().to_owned())
        .unwrap();
    drop(session);
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/harvest");
    let data = tempfile::tempdir().unwrap();
    let broken = data.path().join("broken.json");
    std::fs::write(&broken, "{\"result\": [").unwrap();
    let run = |args: Vec<String>| {
        let database_url = app.database_url.clone();
        let data_dir = data.path().to_str().unwrap().to_owned();
        tokio::task::spawn_blocking(move || {
            let mut command = hackops();
            command.arg("harvest").args(&args);
            command.args(["--database-url", &database_url, "--data-dir", &data_dir]);
            command.output().unwrap()
        })
    };
    let file = format!("{fixtures}/ckan-package-search.json");
    let source = "https://data.valmont.example/api/3/action/package_search";
    let args = vec![
        file.clone(),
        "--organisation".into(),
        org.clone(),
        "--source-url".into(),
        source.into(),
    ];
    let first = run(args.clone()).await.unwrap();
    let stdout = String::from_utf8_lossy(&first.stdout);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.starts_with(&format!("Harvested {source} (ckan): 2 created, 0 updated, 2 skipped")),
        "{stdout}"
    );
    assert!(stdout.contains("skipped c4d5e6f7-1111-4222-8333-944455556666 \"Budget primitif 2019\": the source marks the record as deleted"), "{stdout}");
    assert!(
        stdout.contains("ftp://air.valmont.example/mesures.csv"),
        "warnings are listed: {stdout}"
    );
    assert!(
        !stderr.contains("importing") && !stderr.contains("fetching"),
        "no progress bar off a terminal: {stderr}"
    );

    let again = run(args).await.unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("0 created, 2 updated, 2 skipped"));
    assert_eq!(app.count("datasets").await, 2);

    let cases: [(Vec<String>, &str); 4] = [
        (
            vec![broken.to_str().unwrap().into(), "--organisation".into(), org.clone()],
            "not valid JSON",
        ),
        (
            vec![format!("{fixtures}/dcat-us.json"), "--organisation".into(), "nope".into()],
            "no organisation `nope`",
        ),
        (
            vec!["/nonexistent/catalog.json".into(), "--organisation".into(), org.clone()],
            "cannot read",
        ),
        (
            vec![
                format!("{fixtures}/dcat-us.json"),
                "--organisation".into(),
                org.clone(),
                "--format".into(),
                "ckan".into(),
            ],
            "no `result`",
        ),
    ];
    for (args, expected) in cases {
        let output = run(args.clone()).await.unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("error: ") && stderr.contains(expected), "{args:?}: {stderr}");
        assert_eq!(stderr.matches(expected).count(), 1, "said once: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert_eq!(app.count("datasets").await, 2, "failures import nothing");
    let help = hackops().args(["harvest", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    for option in ["--organisation", "--format", "--source-url", "--database-url", "dcat-rdfxml"] {
        assert!(help.contains(option), "{option} missing from harvest --help");
    }
}
