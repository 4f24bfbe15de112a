//! File storage behind the `object_store` crate: the local disk in the embedded mode, or an
//! S3-compatible bucket (`HACKOPS_STORAGE_URL=s3://…`). Uploads stream through: the size cap is enforced
//! chunk by chunk, the SHA-256 is computed on the way, and an upload cut short leaves nothing.

use crate::config::{FileStore, S3Config};
use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{GetOptions, GetRange, GetResult, ObjectStore, WriteMultipart};
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::sync::Arc;

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
}

/// What an upload became.
#[derive(Debug)]
pub struct Stored {
    pub size: u64,
    pub sha256: String,
    /// The first bytes, for sniffing the real content type.
    pub head: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the upload is larger than {0} bytes")]
    TooLarge(u64),
    #[error("the upload was interrupted")]
    Interrupted,
    #[error(transparent)]
    Store(#[from] object_store::Error),
}

const HEAD: usize = 512;

impl Storage {
    /// The store the configuration names.
    pub fn open(files: &FileStore) -> anyhow::Result<Storage> {
        match files {
            FileStore::Local(root) => Storage::local(root),
            FileStore::S3(s3) => Storage::s3(s3),
        }
    }

    pub fn local(root: &std::path::Path) -> anyhow::Result<Storage> {
        std::fs::create_dir_all(root)?;
        Ok(Storage { store: Arc::new(LocalFileSystem::new_with_prefix(root)?) })
    }

    /// An S3-compatible bucket. Nothing is contacted here: a wrong endpoint or key shows at the
    /// first upload or download.
    pub fn s3(config: &S3Config) -> anyhow::Result<Storage> {
        let store = s3_builder(config).build()?;
        let store: Arc<dyn ObjectStore> = if config.prefix.is_empty() {
            Arc::new(store)
        } else {
            Arc::new(PrefixStore::new(store, config.prefix.as_str()))
        };
        Ok(Storage { store })
    }

    /// Streams `body` into `key`, refusing more than `cap` bytes.
    pub async fn put_stream<S, E>(
        &self,
        key: &str,
        mut body: S,
        cap: u64,
    ) -> Result<Stored, UploadError>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
    {
        let path = Path::from(key);
        let mut upload = WriteMultipart::new(self.store.put_multipart(&path).await?);
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut head = Vec::with_capacity(HEAD);
        while let Some(chunk) = body.next().await {
            let Ok(chunk) = chunk else {
                let _ = upload.abort().await;
                return Err(UploadError::Interrupted);
            };
            size += chunk.len() as u64;
            if size > cap {
                let _ = upload.abort().await;
                return Err(UploadError::TooLarge(cap));
            }
            if head.len() < HEAD {
                let take = (HEAD - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
            hasher.update(&chunk);
            upload.write(&chunk);
        }
        upload.finish().await?;
        Ok(Stored { size, sha256: hex::encode(hasher.finalize()), head })
    }

    pub async fn get(
        &self,
        key: &str,
        range: Option<Range<u64>>,
    ) -> Result<GetResult, object_store::Error> {
        let options = GetOptions { range: range.map(GetRange::Bounded), ..GetOptions::default() };
        self.store.get_opts(&Path::from(key), options).await
    }

    /// The first `max` bytes of a file of `size` bytes, read as a bounded stream (a ranged
    /// read: the rest of the file is never fetched). Returns the bytes and whether the file goes
    /// on after them.
    pub async fn read_prefix(
        &self,
        key: &str,
        size: u64,
        max: u64,
    ) -> Result<(Vec<u8>, bool), object_store::Error> {
        let end = size.min(max);
        if end == 0 {
            return Ok((Vec::new(), size > 0));
        }
        let mut stream = self.get(key, Some(0..end)).await?.into_stream();
        let mut bytes = Vec::with_capacity(usize::try_from(end).unwrap_or(0));
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            let room = usize::try_from(end).unwrap_or(usize::MAX).saturating_sub(bytes.len());
            bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if room <= chunk.len() {
                break;
            }
        }
        Ok((bytes, size > end))
    }

    pub async fn delete(&self, key: &str) -> Result<(), object_store::Error> {
        self.store.delete(&Path::from(key)).await
    }
}

/// The `object_store` builder for a bucket. Built from our settings only: the process's `AWS_*`
/// variables are not read (`new`, not `from_env`), so one configuration says it all.
fn s3_builder(config: &S3Config) -> AmazonS3Builder {
    let mut builder =
        AmazonS3Builder::new().with_bucket_name(&config.bucket).with_region(&config.region);
    if let Some(endpoint) = &config.endpoint {
        // S3-compatible stores (MinIO, Garage…) answer path-style requests; plain HTTP is
        // allowed only when the endpoint says so.
        builder = builder
            .with_endpoint(endpoint)
            .with_virtual_hosted_style_request(false)
            .with_allow_http(endpoint.starts_with("http://"));
    }
    if let Some((id, secret)) = &config.credentials {
        builder = builder
            .with_access_key_id(id)
            .with_secret_access_key(String::from_utf8_lossy(secret.expose()));
    }
    builder
}

/// The media type of a file from its first bytes (never from what the client claims), with the
/// file name's extension to tell text formats apart.
pub fn sniff(head: &[u8], file_name: &str) -> &'static str {
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    if head.starts_with(b"%PDF-") {
        return "application/pdf";
    }
    if head.starts_with(b"PK\x03\x04") {
        return match ext.as_str() {
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "ods" => "application/vnd.oasis.opendocument.spreadsheet",
            _ => "application/zip",
        };
    }
    if head.starts_with(b"\x89PNG") {
        return "image/png";
    }
    // Text: no control characters but layout ones. Any 8-bit encoding passes (Latin-1 CSV
    // files are common); the tabular reader reports what is not UTF-8.
    let text = head.iter().all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b));
    if !text {
        return "application/octet-stream";
    }
    match ext.as_str() {
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "geojson" => "application/geo+json",
        "json" => "application/json",
        "xml" => "application/xml",
        _ => "text/plain",
    }
}

/// Parses a single-range `Range: bytes=…` header against a size. `Ok(None)`: no range asked;
/// `Err(())`: unsatisfiable (416).
#[allow(clippy::result_unit_err)]
pub fn parse_range(header: Option<&str>, size: u64) -> Result<Option<Range<u64>>, ()> {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else { return Ok(None) };
    if spec.contains(',') {
        return Ok(None); // several ranges: answer the whole file (allowed by RFC 9110)
    }
    let (start, end) = spec.split_once('-').ok_or(())?;
    let range = match (start.trim(), end.trim()) {
        ("", suffix) => {
            let n: u64 = suffix.parse().map_err(|_| ())?;
            if n == 0 {
                return Err(());
            }
            size.saturating_sub(n)..size
        }
        (start, "") => start.parse::<u64>().map_err(|_| ())?..size,
        (start, end) => {
            let (s, e): (u64, u64) = (start.parse().map_err(|_| ())?, end.parse().map_err(|_| ())?);
            if e < s {
                return Err(());
            }
            s..e.saturating_add(1).min(size)
        }
    };
    if range.start >= size {
        return Err(());
    }
    Ok(Some(range))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range(None, 100), Ok(None));
        assert_eq!(parse_range(Some("bytes=0-9"), 100), Ok(Some(0..10)));
        assert_eq!(parse_range(Some("bytes=90-"), 100), Ok(Some(90..100)));
        assert_eq!(parse_range(Some("bytes=-10"), 100), Ok(Some(90..100)));
        assert_eq!(parse_range(Some("bytes=50-500"), 100), Ok(Some(50..100)));
        assert_eq!(parse_range(Some("bytes=100-"), 100), Err(()));
        assert_eq!(parse_range(Some("bytes=9-1"), 100), Err(()));
        assert_eq!(parse_range(Some("bytes=x-1"), 100), Err(()));
        assert_eq!(parse_range(Some("bytes=0-1,5-6"), 100), Ok(None));
        assert_eq!(parse_range(Some("items=0-1"), 100), Ok(None));
    }

    #[test]
    fn content_is_sniffed_not_trusted() {
        assert_eq!(sniff(b"%PDF-1.7 ...", "data.csv"), "application/pdf");
        assert_eq!(sniff(b"id,name\n1,Dakar\n", "arrets.csv"), "text/csv");
        assert_eq!(
            sniff(b"PK\x03\x04....", "budget.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\0\0", "innocent.csv"), "application/octet-stream");
        assert_eq!(sniff(b"nom;ville\nS\xe8te;1\n", "latin1.csv"), "text/csv");
        assert_eq!(sniff(b"a\tb\n", "villes.tsv"), "text/tab-separated-values");
    }

    #[tokio::test]
    async fn an_upload_over_the_cap_leaves_nothing_behind() {
        let dir = tempfile::tempdir().expect("tempdir");
        let storage = Storage::local(dir.path()).expect("storage");
        let chunks = futures_util::stream::iter(
            (0..10).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![b'x'; 1000]))),
        );
        let err = storage.put_stream("resources/big", chunks, 5_000).await.expect_err("too large");
        assert!(matches!(err, UploadError::TooLarge(5_000)));
        assert!(storage.get("resources/big", None).await.is_err());
        let leftovers = walk(dir.path());
        assert!(leftovers.is_empty(), "left behind: {leftovers:?}");

        let chunks = futures_util::stream::iter([
            Ok::<_, std::io::Error>(Bytes::from_static(b"hello ")),
            Ok(Bytes::from_static(b"world")),
        ]);
        let stored = storage.put_stream("resources/ok", chunks, 5_000).await.expect("stored");
        assert_eq!(stored.size, 11);
        assert_eq!(
            stored.sha256,
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        let part = storage
            .get("resources/ok", Some(6..11))
            .await
            .expect("get")
            .bytes()
            .await
            .expect("bytes");
        assert_eq!(&part[..], b"world");
    }

    #[test]
    fn an_s3_bucket_is_built_from_the_settings() {
        use object_store::aws::AmazonS3ConfigKey;
        let config = S3Config {
            bucket: "hackops-data".into(),
            prefix: "pool/files".into(),
            endpoint: Some("http://minio.internal:9000".into()),
            region: "fr-par".into(),
            credentials: Some((
                "AKIAEXAMPLE".into(),
                crate::config::Secret::new(b"s3cr3t".to_vec()),
            )),
        };
        let builder = s3_builder(&config);
        let get = |key| builder.get_config_value(&key);
        assert_eq!(get(AmazonS3ConfigKey::Bucket).as_deref(), Some("hackops-data"));
        assert_eq!(get(AmazonS3ConfigKey::Region).as_deref(), Some("fr-par"));
        assert_eq!(get(AmazonS3ConfigKey::Endpoint).as_deref(), Some("http://minio.internal:9000"));
        assert_eq!(get(AmazonS3ConfigKey::AccessKeyId).as_deref(), Some("AKIAEXAMPLE"));
        assert_eq!(get(AmazonS3ConfigKey::SecretAccessKey).as_deref(), Some("s3cr3t"));
        assert_eq!(get(AmazonS3ConfigKey::VirtualHostedStyleRequest).as_deref(), Some("false"));
        assert!(Storage::s3(&config).is_ok(), "built without contacting anything");
        let aws = S3Config { endpoint: None, credentials: None, prefix: String::new(), ..config };
        let builder = s3_builder(&aws);
        assert_eq!(builder.get_config_value(&AmazonS3ConfigKey::Endpoint), None);
        assert!(Storage::open(&FileStore::S3(aws)).is_ok());
    }

    fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files.extend(walk(&path));
            } else {
                files.push(path);
            }
        }
        files
    }
}
