//! File storage behind the `object_store` crate: the local disk in the embedded mode (an
//! S3-compatible store plugs in the same way). Uploads stream through: the size cap is enforced
//! chunk by chunk, the SHA-256 is computed on the way, and an upload cut short leaves nothing.

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
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
    pub fn local(root: &std::path::Path) -> anyhow::Result<Storage> {
        std::fs::create_dir_all(root)?;
        Ok(Storage { store: Arc::new(LocalFileSystem::new_with_prefix(root)?) })
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

    pub async fn delete(&self, key: &str) -> Result<(), object_store::Error> {
        self.store.delete(&Path::from(key)).await
    }
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
    let text = !head.contains(&0) && (std::str::from_utf8(head).is_ok() || head.len() >= HEAD);
    if !text {
        return "application/octet-stream";
    }
    match ext.as_str() {
        "csv" => "text/csv",
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
