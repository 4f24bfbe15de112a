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
