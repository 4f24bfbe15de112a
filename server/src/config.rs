//! One typed configuration. Sources, weakest first: built-in defaults < environment
//! variables (`HACKOPS_*`) < command-line flags (clap resolves env and flags). Secrets are
//! redacted in `Debug`, so a config can be logged.

use anyhow::{bail, Context};
use base64::Engine;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where to keep data and which database to use (shared by `serve` and `migrate`).
#[derive(clap::Args, Debug, Clone)]
pub struct StorageArgs {
    /// Directory for the SQLite database, uploaded files and the generated signing key.
    #[arg(long, env = "HACKOPS_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Database URL: `sqlite://path/to/file.db` or `postgres://user:pass@host/db`.
    /// Default: a SQLite file `hackops.db` in the data directory.
    #[arg(long, env = "HACKOPS_DATABASE_URL")]
    pub database_url: Option<String>,
}

/// Where uploaded files go: the local disk (default) or an S3-compatible object store.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct FileStoreArgs {
    /// Where uploaded files are kept: `s3://bucket/optional/prefix` for an S3-compatible store
    /// (AWS, MinIO, Garage, Scaleway, OVH…), or `file:///absolute/path`.
    /// Default: the `files` directory of the data directory.
    #[arg(long, env = "HACKOPS_STORAGE_URL")]
    pub storage_url: Option<String>,
    /// S3 endpoint for stores other than AWS (`https://s3.fr-par.scw.cloud`, `http://minio:9000`).
    #[arg(long, env = "HACKOPS_S3_ENDPOINT")]
    pub s3_endpoint: Option<String>,
    /// S3 region (default `us-east-1`, which most S3-compatible stores accept).
    #[arg(long, env = "HACKOPS_S3_REGION")]
    pub s3_region: Option<String>,
    /// S3 access key id. Without keys, the instance's own credentials (IAM role) are used.
    #[arg(long, env = "HACKOPS_S3_ACCESS_KEY_ID")]
    pub s3_access_key_id: Option<String>,
    /// S3 secret access key (goes with the access key id).
    #[arg(long, env = "HACKOPS_S3_SECRET_ACCESS_KEY", hide_env_values = true)]
    pub s3_secret_access_key: Option<String>,
}

#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub storage: StorageArgs,
    #[command(flatten)]
    pub files: FileStoreArgs,
    /// Address and port to listen on.
    #[arg(long, env = "HACKOPS_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Redis URL for realtime fan-out between several instances (`redis://host:6379`).
    /// Leave unset for the embedded, single-instance mode.
    #[arg(long, env = "HACKOPS_REDIS_URL")]
    pub redis_url: Option<String>,
    /// The URL people use to reach this server (used in links and cookies).
    /// Default: `http://<addr>`.
    #[arg(long, env = "HACKOPS_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Comma-separated origins allowed to open websockets (default: the public URL's origin).
    #[arg(long, env = "HACKOPS_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,
    /// Directory of the built web app (`scripts/build-frontend.sh` writes `frontend/dist`).
    /// Default: `frontend/dist` when it exists.
    #[arg(long, env = "HACKOPS_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,
    /// Secret that signs tokens (at least 32 bytes). Every instance of a deployment needs the
    /// same one. Default: generated once and kept in `<data-dir>/jwt-secret`.
    #[arg(long, env = "HACKOPS_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Read the signing secret from this file instead.
    #[arg(long, env = "HACKOPS_JWT_SECRET_FILE", conflicts_with = "jwt_secret")]
    pub jwt_secret_file: Option<PathBuf>,
    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "HACKOPS_ACCESS_TOKEN_TTL", default_value_t = 900, value_parser = clap::value_parser!(u64).range(30..=86_400))]
    pub access_token_ttl: u64,
    /// Lifetime of refresh tokens (a session without activity), in seconds.
    #[arg(long, env = "HACKOPS_REFRESH_TOKEN_TTL", default_value_t = 2_592_000, value_parser = clap::value_parser!(u64).range(60..=31_536_000))]
    pub refresh_token_ttl: u64,
    /// Sign-in attempts allowed per minute, per client address and per account.
    #[arg(long, env = "HACKOPS_LOGIN_ATTEMPTS_PER_MINUTE", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub login_attempts_per_minute: u32,
    /// Open websocket connections allowed per client address.
    #[arg(long, env = "HACKOPS_WS_MAX_CONNECTIONS_PER_IP", default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..))]
    pub ws_max_connections_per_ip: u32,
    /// Largest file that may be uploaded to the open data pool, in bytes.
    #[arg(long, env = "HACKOPS_MAX_UPLOAD_BYTES", default_value_t = 512 * 1024 * 1024)]
    pub max_upload_bytes: u64,
    /// Lifetime of the hand-out's signed download links, in seconds.
    #[arg(long, env = "HACKOPS_DOWNLOAD_LINK_TTL", default_value_t = 600, value_parser = clap::value_parser!(u64).range(10..=86_400))]
    pub download_link_ttl: u64,
    /// Seed a demo organisation, event, challenges and accounts (idempotent).
    #[arg(long, env = "HACKOPS_DEMO")]
    pub demo: bool,
}

/// A secret that never shows in logs.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(bytes: Vec<u8>) -> Secret {
        Secret(bytes)
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Where uploaded files are kept.
#[derive(Debug, Clone, PartialEq)]
pub enum FileStore {
    /// A directory of the local disk.
    Local(PathBuf),
    /// An S3-compatible object store.
    S3(S3Config),
}

/// An S3-compatible bucket (`HACKOPS_STORAGE_URL=s3://bucket/prefix` and `HACKOPS_S3_*`).
#[derive(Debug, Clone, PartialEq)]
pub struct S3Config {
    pub bucket: String,
    /// Keys are written under this prefix (no leading or trailing `/`; may be empty).
    pub prefix: String,
    /// `None`: AWS itself.
    pub endpoint: Option<String>,
    pub region: String,
    /// `None`: the instance's own credentials.
    pub credentials: Option<(String, Secret)>,
}

impl PartialEq for Secret {
    fn eq(&self, other: &Secret) -> bool {
        self.0 == other.0
    }
}

impl FileStoreArgs {
    /// The file store these settings describe; `data_dir` holds the default local one.
    pub fn resolve(&self, data_dir: &Path) -> anyhow::Result<FileStore> {
        // An empty setting is no setting (compose passes `${VAR:-}` through as "").
        fn set(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        let url = set(&self.storage_url);
        let (endpoint, region) = (set(&self.s3_endpoint), set(&self.s3_region));
        let (key_id, secret) = (set(&self.s3_access_key_id), set(&self.s3_secret_access_key));
        let s3_settings =
            endpoint.is_some() || region.is_some() || key_id.is_some() || secret.is_some();
        let Some(rest) = url.and_then(|u| u.strip_prefix("s3://")) else {
            if s3_settings {
                bail!("HACKOPS_S3_* settings need HACKOPS_STORAGE_URL=s3://bucket/prefix");
            }
            return match url {
                None => Ok(FileStore::Local(data_dir.join("files"))),
                Some(u) => match u.strip_prefix("file://") {
                    Some(path) if path.starts_with('/') => Ok(FileStore::Local(path.into())),
                    _ => bail!(
                        "unsupported HACKOPS_STORAGE_URL `{u}`: use s3://bucket/prefix or file:///absolute/path"
                    ),
                },
            };
        };
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let valid_bucket = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.".contains(&b));
        if !valid_bucket {
            bail!(
                "HACKOPS_STORAGE_URL: `{bucket}` is not an S3 bucket name (3 to 63 of a-z 0-9 . -)"
            );
        }
        let endpoint = match endpoint {
            Some(e) => Some(check_http_url("HACKOPS_S3_ENDPOINT", e)?),
            None => None,
        };
        let credentials = match (key_id, secret) {
            (Some(id), Some(secret)) => Some((id.to_owned(), Secret(secret.as_bytes().to_vec()))),
            (None, None) => None,
            _ => bail!("HACKOPS_S3_ACCESS_KEY_ID and HACKOPS_S3_SECRET_ACCESS_KEY go together"),
        };
        Ok(FileStore::S3(S3Config {
            bucket: bucket.to_owned(),
            prefix: prefix.trim_matches('/').to_owned(),
            endpoint,
            region: region.unwrap_or("us-east-1").to_owned(),
            credentials,
        }))
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub files: FileStore,
    pub database_url: String,
    pub redis_url: Option<String>,
    pub public_url: String,
    pub allowed_origins: Vec<String>,
    pub static_dir: Option<PathBuf>,
    pub jwt_secret: Secret,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    pub login_attempts_per_minute: u32,
    pub ws_max_connections_per_ip: u32,
    pub max_upload_bytes: u64,
    pub download_link_ttl: Duration,
    pub demo: bool,
}

const MIN_SECRET_LEN: usize = 32;

impl StorageArgs {
    /// Creates the data directory and returns the database URL to use.
    pub fn resolve(&self) -> anyhow::Result<(PathBuf, String)> {
        std::fs::create_dir_all(&self.data_dir).with_context(|| {
            format!("cannot create the data directory {}", self.data_dir.display())
        })?;
        let data_dir = self.data_dir.canonicalize().with_context(|| {
            format!("cannot resolve the data directory {}", self.data_dir.display())
        })?;
        let url = match &self.database_url {
            Some(url) => {
                let scheme = url.split(':').next().unwrap_or_default();
                if !matches!(scheme, "sqlite" | "postgres" | "postgresql") {
                    bail!(
                        "unsupported database URL `{}`: use sqlite://… or postgres://…",
                        crate::db::redact_url(url)
                    );
                }
                url.clone()
            }
            None => format!("sqlite://{}?mode=rwc", data_dir.join("hackops.db").display()),
        };
        Ok((data_dir, url))
    }
}

fn check_http_url(what: &str, value: &str) -> anyhow::Result<String> {
    let value = value.trim().trim_end_matches('/');
    hackops_shared::validation::web_url(value)
        .map_err(|_| anyhow::anyhow!("{what} `{value}` is not an http:// or https:// URL"))
}

/// The origin (`scheme://host[:port]`) of a URL.
pub fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    format!("{scheme}://{host}")
}

fn load_or_create_secret(path: &Path) -> anyhow::Result<Vec<u8>> {
    if path.exists() {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        return base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .with_context(|| format!("{} is not a base64 secret", path.display()));
    }
    let mut bytes = vec![0u8; 64];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
    let encoded = base64::engine::general_purpose::STANDARD.encode(&bytes);
    write_private(path, &encoded)
        .with_context(|| format!("cannot write the signing key to {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a new token signing key");
    Ok(bytes)
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file =
        std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

impl Config {
    pub fn from_args(args: ServeArgs) -> anyhow::Result<Config> {
        let (data_dir, database_url) = args.storage.resolve()?;
        let files = args.files.resolve(&data_dir)?;
        let public_url = match &args.public_url {
            Some(url) => check_http_url("HACKOPS_PUBLIC_URL", url)?,
            None => format!("http://{}", args.addr),
        };
        let allowed_origins = if args.allowed_origins.is_empty() {
            vec![origin_of(&public_url)]
        } else {
            args.allowed_origins
                .iter()
                .map(|o| check_http_url("allowed origin", o).map(|u| origin_of(&u)))
                .collect::<anyhow::Result<_>>()?
        };
        if let Some(url) = &args.redis_url {
            if !(url.starts_with("redis://") || url.starts_with("rediss://")) {
                bail!("HACKOPS_REDIS_URL must start with redis:// or rediss://");
            }
        }
        let jwt_secret = match (&args.jwt_secret, &args.jwt_secret_file) {
            (Some(secret), _) => secret.as_bytes().to_vec(),
            (None, Some(file)) => std::fs::read_to_string(file)
                .with_context(|| format!("cannot read the signing secret file {}", file.display()))?
                .trim()
                .as_bytes()
                .to_vec(),
            (None, None) => load_or_create_secret(&data_dir.join("jwt-secret"))?,
        };
        if jwt_secret.len() < MIN_SECRET_LEN {
            bail!("the token signing secret must be at least {MIN_SECRET_LEN} bytes long");
        }
        let static_dir = match args.static_dir {
            Some(dir) if !dir.join("index.html").is_file() => {
                bail!("the static directory {} has no index.html: run `bash scripts/build-frontend.sh` first", dir.display())
            }
            Some(dir) => Some(dir),
            None => Some(PathBuf::from("frontend/dist")).filter(|d| d.join("index.html").is_file()),
        };
        Ok(Config {
            addr: args.addr,
            data_dir,
            files,
            database_url,
            redis_url: args.redis_url,
            public_url,
            allowed_origins,
            static_dir,
            jwt_secret: Secret(jwt_secret),
            access_token_ttl: Duration::from_secs(args.access_token_ttl),
            refresh_token_ttl: Duration::from_secs(args.refresh_token_ttl),
            login_attempts_per_minute: args.login_attempts_per_minute,
            ws_max_connections_per_ip: args.ws_max_connections_per_ip,
            max_upload_bytes: args.max_upload_bytes,
            download_link_ttl: Duration::from_secs(args.download_link_ttl),
            demo: args.demo,
        })
    }

    /// Whether cookies must carry `Secure` (the public URL is HTTPS).
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn parse(args: &[&str]) -> anyhow::Result<Config> {
        let cli = Cli::try_parse_from(std::iter::once("hackops").chain(args.iter().copied()))?;
        Config::from_args(cli.serve)
    }

    #[test]
    fn defaults_are_the_embedded_mode_and_the_key_is_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().join("data");
        let data_arg = data.to_str().expect("utf-8 path");
        let config = parse(&["--data-dir", data_arg]).expect("config");
        assert!(config.database_url.starts_with("sqlite://"));
        assert!(config.redis_url.is_none());
        assert_eq!(config.allowed_origins, vec!["http://127.0.0.1:8080".to_owned()]);
        let again = parse(&["--data-dir", data_arg]).expect("config");
        assert_eq!(
            config.jwt_secret.expose(),
            again.jwt_secret.expose(),
            "the signing key is generated once"
        );
        assert!(!format!("{config:?}").contains(&format!("{:?}", config.jwt_secret.expose())));
    }

    #[test]
    fn bad_values_are_refused_with_a_message() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().to_str().expect("utf-8 path");
        let err = parse(&["--data-dir", data, "--database-url", "mysql://x"]).expect_err("mysql");
        assert!(err.to_string().contains("unsupported database URL"));
        let err = parse(&["--data-dir", data, "--jwt-secret", "short"]).expect_err("short secret");
        assert!(err.to_string().contains("at least 32 bytes"));
        let err = parse(&["--data-dir", data, "--public-url", "ftp://x"]).expect_err("bad url");
        assert!(err.to_string().contains("not an http"));
        let err =
            parse(&["--data-dir", data, "--redis-url", "localhost:6379"]).expect_err("bad redis");
        assert!(err.to_string().contains("redis://"));
        assert!(parse(&["--addr", "not-an-address"]).is_err());
    }

    #[test]
    fn files_go_to_disk_by_default_or_to_an_s3_bucket() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().to_str().expect("utf-8 path");
        let config = parse(&["--data-dir", data]).expect("config");
        assert_eq!(config.files, FileStore::Local(config.data_dir.join("files")));
        let config = parse(&[
            "--data-dir",
            data,
            "--storage-url",
            "s3://hackops-data/pool/files/",
            "--s3-endpoint",
            "http://minio.internal:9000/",
            "--s3-region",
            "fr-par",
            "--s3-access-key-id",
            "AKIAEXAMPLE",
            "--s3-secret-access-key",
            "very-secret-key-value",
        ])
        .expect("config");
        let FileStore::S3(s3) = &config.files else { panic!("not S3: {:?}", config.files) };
        assert_eq!((s3.bucket.as_str(), s3.prefix.as_str()), ("hackops-data", "pool/files"));
        assert_eq!(s3.endpoint.as_deref(), Some("http://minio.internal:9000"));
        assert_eq!(s3.region, "fr-par");
        let debug = format!("{config:?}");
        assert!(
            debug.contains("AKIAEXAMPLE") && !debug.contains("very-secret-key-value"),
            "{debug}"
        );
        let bare = parse(&["--data-dir", data, "--storage-url", "s3://bucket"]).expect("config");
        let FileStore::S3(s3) = bare.files else { panic!("not S3") };
        assert_eq!(
            (s3.prefix.as_str(), s3.region.as_str(), s3.credentials),
            ("", "us-east-1", None)
        );
        let local =
            parse(&["--data-dir", data, "--storage-url", "file:///srv/files"]).expect("config");
        assert_eq!(local.files, FileStore::Local("/srv/files".into()));
        let empty = FileStoreArgs {
            storage_url: Some(String::new()),
            s3_endpoint: Some(" ".into()),
            ..FileStoreArgs::default()
        };
        let files = empty.resolve(Path::new("/d")).expect("empty settings are no settings");
        assert_eq!(files, FileStore::Local("/d/files".into()));
    }

    #[test]
    fn bad_file_store_settings_are_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let data = dir.path().to_str().expect("utf-8 path");
        for (args, message) in [
            (vec!["--storage-url", "gs://bucket"], "unsupported HACKOPS_STORAGE_URL"),
            (vec!["--storage-url", "file://relative"], "unsupported HACKOPS_STORAGE_URL"),
            (vec!["--storage-url", "s3://"], "not an S3 bucket name"),
            (vec!["--storage-url", "s3://Bad_Bucket"], "not an S3 bucket name"),
            (vec!["--s3-endpoint", "http://minio:9000"], "need HACKOPS_STORAGE_URL"),
            (vec!["--storage-url", "s3://bucket", "--s3-endpoint", "minio:9000"], "not an http"),
            (vec!["--storage-url", "s3://bucket", "--s3-access-key-id", "id"], "go together"),
        ] {
            let mut all = vec!["--data-dir", data];
            all.extend(args.iter().copied());
            let err = parse(&all).expect_err(message);
            assert!(err.to_string().contains(message), "{args:?}: {err}");
        }
    }

    #[test]
    fn origins_are_reduced_to_scheme_and_host() {
        assert_eq!(origin_of("https://hack.city.example/path?q"), "https://hack.city.example");
        assert_eq!(origin_of("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
    }
}
