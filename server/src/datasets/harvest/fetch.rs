//! Getting a catalogue over HTTP: http(s) only, a timeout, a size cap while the bytes arrive,
//! and CKAN's `package_search` walked page by page (`start`/`rows`) until its `count`.

use super::{parse, Catalogue, Invalid, Record};
use hackops_shared::datasets::HarvestFormat;
use reqwest::Url;
use std::time::Duration;

/// The largest document (one page) we read.
pub const MAX_DOCUMENT_BYTES: usize = 32 * 1024 * 1024;
/// Pages of a CKAN search we walk at most (100 000 datasets at 100 a page).
pub const MAX_PAGES: usize = 1000;
const TIMEOUT: Duration = Duration::from_secs(60);
const ROWS: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("only http:// and https:// URLs can be harvested, not `{0}`")]
    Scheme(String),
    #[error("cannot fetch {url}: {message}")]
    Unreachable { url: String, message: String },
    #[error("{url} is larger than {MAX_DOCUMENT_BYTES} bytes")]
    TooLarge { url: String },
    /// Not `#[from]`: the reason is the message, not a cause to print again.
    #[error("nothing was imported: {0}")]
    Invalid(Invalid),
}

impl From<Invalid> for FetchError {
    fn from(invalid: Invalid) -> Self {
        FetchError::Invalid(invalid)
    }
}

/// Told of the pages as they arrive (the command line draws a progress bar).
pub trait Progress: Send + Sync {
    /// `records` read so far, of `total` when the source says.
    fn fetched(&self, _records: usize, _total: Option<u64>) {}
    /// `done` records of `of` written.
    fn stored(&self, _done: usize, _of: usize) {}
}

/// No one is watching (the API).
pub struct Quiet;
impl Progress for Quiet {}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(concat!("hackops-harvest/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

/// An http(s) URL, or the error that says why not.
pub fn web_url(raw: &str) -> Result<Url, FetchError> {
    match Url::parse(raw.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => Ok(url),
        _ => Err(FetchError::Scheme(raw.trim().to_owned())),
    }
}

/// GETs one document, refusing more than [`MAX_DOCUMENT_BYTES`].
pub async fn get(client: &reqwest::Client, url: &Url) -> Result<Vec<u8>, FetchError> {
    let unreachable = |message: String| FetchError::Unreachable { url: url.to_string(), message };
    let mut response = client
        .get(url.clone())
        .header(
            reqwest::header::ACCEPT,
            "application/json, application/ld+json, application/rdf+xml;q=0.9, */*;q=0.5",
        )
        .send()
        .await
        .map_err(|e| unreachable(e.without_url().to_string()))?;
    if !response.status().is_success() {
        return Err(unreachable(format!("the server answered {}", response.status())));
    }
    let too_large = || FetchError::TooLarge { url: url.to_string() };
    if response.content_length().is_some_and(|n| n > MAX_DOCUMENT_BYTES as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) =
        response.chunk().await.map_err(|e| unreachable(e.without_url().to_string()))?
    {
        if body.len() + chunk.len() > MAX_DOCUMENT_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// With `--format ckan`, a portal's address stands for its `package_search`.
fn ckan_entry(url: Url) -> Url {
    if url.path().contains("/api/3/action/") || url.path().contains("/api/action/") {
        return url;
    }
    let mut base = url.clone();
    if !base.path().ends_with('/') {
        let path = format!("{}/", base.path());
        base.set_path(&path);
    }
    base.join("api/3/action/package_search").unwrap_or(url)
}

fn with_page(url: &Url, start: usize, rows: usize) -> Url {
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "start" && k != "rows")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let mut next = url.clone();
    {
        let mut query = next.query_pairs_mut();
        query.clear();
        for (k, v) in &kept {
            query.append_pair(k, v);
        }
        query.append_pair("start", &start.to_string()).append_pair("rows", &rows.to_string());
    }
    next
}

/// Fetches and reads a catalogue: one document, or every page of a CKAN search.
pub async fn collect(
    client: &reqwest::Client,
    url: &str,
    format: HarvestFormat,
    progress: &dyn Progress,
) -> Result<(HarvestFormat, Vec<Record>), FetchError> {
    let mut url = web_url(url)?;
    if format == HarvestFormat::Ckan {
        url = ckan_entry(url);
    }
    let first = get(client, &url).await?;
    let (format, Catalogue { mut records, total }) = parse(format, &first, url.as_str())?;
    progress.fetched(records.len(), total);
    let Some(total) = total.filter(|t| *t as usize > records.len()) else {
        return Ok((format, records));
    };
    let rows = url
        .query_pairs()
        .find(|(k, _)| k == "rows")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .filter(|r| *r > 0)
        .unwrap_or(if records.is_empty() { ROWS } else { records.len() });
    let offset = url
        .query_pairs()
        .find(|(k, _)| k == "start")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    // Step by what each page held: a portal may cap `rows` below what was asked.
    let mut start = offset + records.len();
    for _ in 1..MAX_PAGES {
        if start >= total as usize {
            break;
        }
        let page = with_page(&url, start, rows);
        let bytes = get(client, &page).await?;
        let (_, next) = parse(HarvestFormat::Ckan, &bytes, page.as_str())?;
        if next.records.is_empty() {
            break;
        }
        start += next.records.len();
        records.extend(next.records);
        progress.fetched(records.len(), Some(total));
    }
    Ok((format, records))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_urls() {
        for bad in ["file:///etc/passwd", "ftp://x.org/a", "gopher://x", "/tmp/x.json", "http://"] {
            assert!(matches!(web_url(bad), Err(FetchError::Scheme(_))), "{bad}");
        }
        assert!(web_url(" https://data.example/api/3/action/package_search ").is_ok());
    }

    #[test]
    fn ckan_portals_and_pages() {
        let portal = |u: &str| ckan_entry(web_url(u).expect("url")).to_string();
        assert_eq!(
            portal("https://data.example"),
            "https://data.example/api/3/action/package_search"
        );
        assert_eq!(
            portal("https://data.example/fr/"),
            "https://data.example/fr/api/3/action/package_search"
        );
        let show = "https://data.example/api/3/action/package_show?id=x";
        assert_eq!(portal(show), show);
        let search = web_url("https://d.example/api/3/action/package_search?q=bus&rows=2&start=0")
            .expect("url");
        assert_eq!(
            with_page(&search, 4, 2).to_string(),
            "https://d.example/api/3/action/package_search?q=bus&start=4&rows=2"
        );
    }
}
