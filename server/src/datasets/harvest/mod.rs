//! Harvesting: importing the datasets of other open-data portals into the pool.
//!
//! One module per source format, each a pure function from the document's bytes to
//! [`Record`]s: [`ckan`] (CKAN and DKAN Action API), [`jsonld`] and [`rdfxml`] (DCAT-AP, both
//! read into one [`dcat::Graph`]), [`dcat_us`] (`data.json`). [`normalise`] then turns a record
//! into what the pool stores (licence mapped to SPDX by [`licence`], HTML to Markdown and dates
//! by [`text`]), with warnings for what it had to change and a reason when the record cannot be
//! imported. [`fetch`] gets documents over HTTP (walking CKAN's pages); [`service`] writes one
//! source in one transaction; [`routes`] is `POST /api/v1/harvest`.

pub mod ckan;
pub mod dcat;
pub mod dcat_us;
pub mod fetch;
pub mod jsonld;
pub mod licence;
pub mod rdfxml;
pub mod routes;
pub mod service;
pub mod text;

use hackops_shared::datasets::{format_from_name, HarvestFormat, ValidDataset};
use hackops_shared::validation::{self, Email};
use time::OffsetDateTime;

/// One dataset as a source describes it, before the pool's rules apply. Text is the source's
/// (descriptions may be HTML), dates are the source's spelling.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    /// The record's identifier at the source; empty when it has none (the record is skipped).
    pub source_id: String,
    pub title: String,
    pub description: String,
    /// What the source says of the licence (ids, titles, URLs), best first.
    pub licence: Vec<String>,
    pub keywords: Vec<String>,
    pub themes: Vec<String>,
    pub spatial: Option<String>,
    pub frequency: Option<String>,
    pub contact_email: Option<String>,
    pub issued: Option<String>,
    pub modified: Option<String>,
    pub links: Vec<Link>,
    /// Set by the importer: the source marks the record as deleted or withdrawn.
    pub withdrawn: bool,
    /// What the importer had to leave out (a distribution without a URL…).
    pub warnings: Vec<String>,
}

/// A resource that stays at the source: a download or an access URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    pub title: String,
    pub url: String,
    pub format: Option<String>,
    pub media_type: Option<String>,
}

/// A parsed document: its records and, for a paged CKAN search, how many the source has.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Catalogue {
    pub records: Vec<Record>,
    /// CKAN `package_search`: the `count` of all pages.
    pub total: Option<u64>,
}

/// The document is not a catalogue we read: nothing of it is imported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

impl Invalid {
    pub fn new(message: impl Into<String>) -> Self {
        Invalid(message.into())
    }
}

/// Reads a document in the given format (`Auto`: recognised from the content). `base` is the
/// document's own URL, against which relative IRIs of RDF/XML resolve.
pub fn parse(
    format: HarvestFormat,
    bytes: &[u8],
    base: &str,
) -> Result<(HarvestFormat, Catalogue), Invalid> {
    let format = match format {
        HarvestFormat::Auto => detect(bytes)?,
        known => known,
    };
    let catalogue = match format {
        HarvestFormat::Ckan => ckan::parse(bytes)?,
        HarvestFormat::DcatJsonld => dcat::records(&jsonld::graph(bytes)?)?,
        HarvestFormat::DcatRdfxml => dcat::records(&rdfxml::graph(bytes, base)?)?,
        HarvestFormat::DcatUs => dcat_us::parse(bytes)?,
        HarvestFormat::Auto => unreachable!("detect never answers Auto"),
    };
    Ok((format, catalogue))
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(bytes)
}

/// Parses JSON (after a BOM, if any); the message names the problem.
pub(crate) fn json(bytes: &[u8]) -> Result<serde_json::Value, Invalid> {
    serde_json::from_slice(strip_bom(bytes))
        .map_err(|e| Invalid::new(format!("the document is not valid JSON: {e}")))
}

/// The format of a document, from its content.
pub fn detect(bytes: &[u8]) -> Result<HarvestFormat, Invalid> {
    let bytes = strip_bom(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    match bytes.get(start) {
        None => return Err(Invalid::new("the document is empty")),
        Some(b'<') => return Ok(HarvestFormat::DcatRdfxml),
        Some(b'{' | b'[') => {}
        Some(_) => {
            return Err(Invalid::new("the document is neither JSON nor XML: not a catalogue"))
        }
    }
    let value = json(bytes)?;
    let object = match &value {
        serde_json::Value::Array(_) => return Ok(HarvestFormat::DcatJsonld),
        serde_json::Value::Object(object) => object,
        _ => unreachable!("starts with {{ or ["),
    };
    if object.contains_key("result") || object.contains_key("success") || ckan::is_package(object) {
        Ok(HarvestFormat::Ckan)
    } else if object.get("dataset").is_some_and(serde_json::Value::is_array)
        && !object.contains_key("@graph")
    {
        Ok(HarvestFormat::DcatUs)
    } else if object.contains_key("@graph")
        || object.contains_key("@context")
        || object.contains_key("@type")
    {
        Ok(HarvestFormat::DcatJsonld)
    } else {
        Err(Invalid::new(
            "not a catalogue: neither a CKAN API response, DCAT JSON-LD nor a DCAT-US data.json",
        ))
    }
}

/// A record ready for the pool.
#[derive(Clone, Debug)]
pub struct Normalised {
    pub source_id: String,
    pub dataset: ValidDataset,
    pub issued: Option<OffsetDateTime>,
    pub modified: Option<OffsetDateTime>,
    pub links: Vec<Link>,
    pub warnings: Vec<String>,
}

/// Why a record cannot be imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skip {
    pub source_id: Option<String>,
    pub title: Option<String>,
    pub reason: String,
}

const TITLE: (usize, usize) = (3, 200);
const TAG_MAX_CHARS: usize = 60;
const TAGS_MAX: usize = 30;

fn clip(text: &str, max: usize) -> (String, bool) {
    match text.char_indices().nth(max) {
        Some((cut, _)) => (format!("{}…", text[..cut].trim_end()), true),
        None => (text.to_owned(), false),
    }
}

fn tags(raw: &[String], what: &str, warnings: &mut Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in raw {
        let tag = text::collapse(tag).to_lowercase();
        if tag.is_empty() {
            continue;
        }
        if tag.chars().count() > TAG_MAX_CHARS {
            warnings.push(format!(
                "{what} `{tag}` is longer than {TAG_MAX_CHARS} characters: left out"
            ));
            continue;
        }
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    if out.len() > TAGS_MAX {
        warnings.push(format!("{} {what}s: only the first {TAGS_MAX} are kept", out.len()));
        out.truncate(TAGS_MAX);
    }
    out
}

fn optional(
    raw: Option<&str>,
    what: &str,
    max: usize,
    warnings: &mut Vec<String>,
) -> Option<String> {
    let value = text::collapse(raw?);
    if value.is_empty() {
        return None;
    }
    let (value, clipped) = clip(&value, max - 1);
    if clipped {
        warnings.push(format!("{what} is longer than {max} characters: shortened"));
    }
    Some(value)
}

fn date(raw: Option<&str>, what: &str, warnings: &mut Vec<String>) -> Option<OffsetDateTime> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    let parsed = text::parse_date(raw);
    if parsed.is_none() {
        warnings.push(format!("{what} date `{raw}` is not a date we read: left out"));
    }
    parsed
}

/// A frequency in the pool's words (`daily`, `weekly`, `monthly`, `quarterly`, `annual`,
/// `irregular`, `never`) from the EU frequency vocabulary (an IRI or its code), ISO 8601
/// repeating intervals (`R/P1M`, DCAT-US) or words; anything else in lower case.
pub fn frequency_word(raw: &str) -> String {
    let raw = raw.trim();
    let code = if raw.contains("://") { dcat::last_segment(raw) } else { raw };
    match code.to_uppercase().as_str() {
        "DAILY" | "CONT" | "CONTINUOUS" | "R/P1D" => "daily",
        "WEEKLY" | "R/P1W" | "R/P7D" => "weekly",
        "MONTHLY" | "R/P1M" => "monthly",
        "QUARTERLY" | "R/P3M" => "quarterly",
        "ANNUAL" | "ANNUALLY" | "YEARLY" | "R/P1Y" => "annual",
        "IRREG" | "IRREGULAR" => "irregular",
        "NEVER" => "never",
        _ => return code.to_lowercase(),
    }
    .to_owned()
}

/// Applies the pool's rules to a record: what cannot be fixed skips it, what can is fixed and
/// said in a warning.
pub fn normalise(record: Record) -> Result<Normalised, Skip> {
    let source_id = record.source_id.trim().to_owned();
    let title = text::collapse(&text::html_to_markdown(&record.title));
    let skip = |reason: String| Skip {
        source_id: Some(source_id.clone()).filter(|s| !s.is_empty()),
        title: Some(title.clone()).filter(|t| !t.is_empty()),
        reason,
    };
    if source_id.is_empty() {
        return Err(skip("the record has no identifier at the source".into()));
    }
    if source_id.chars().count() > 500 {
        return Err(skip("the record's identifier is longer than 500 characters".into()));
    }
    if record.withdrawn {
        return Err(skip("the source marks the record as deleted".into()));
    }
    let title = match validation::text(&title, TITLE.0, TITLE.1) {
        Ok(title) => title,
        Err(_) => {
            return Err(skip(format!("the title must have {} to {} characters", TITLE.0, TITLE.1)))
        }
    };
    let mut warnings = record.warnings;
    let description = text::html_to_markdown(&record.description);
    let (description, clipped) = clip(&description, validation::DESCRIPTION_MAX - 1);
    if clipped {
        warnings.push(format!(
            "the description is longer than {} characters: shortened",
            validation::DESCRIPTION_MAX
        ));
    }
    let licence_id = licence::map(&record.licence, &mut warnings);
    let keywords = tags(&record.keywords, "keyword", &mut warnings);
    let themes = tags(&record.themes, "theme", &mut warnings);
    let spatial = optional(record.spatial.as_deref(), "the spatial coverage", 200, &mut warnings);
    let frequency = record.frequency.as_deref().map(frequency_word);
    let frequency = optional(frequency.as_deref(), "the frequency", 40, &mut warnings);
    let contact_email = record.contact_email.as_deref().map(str::trim).filter(|e| !e.is_empty());
    let contact_email = contact_email.and_then(|raw| {
        let raw = raw.strip_prefix("mailto:").unwrap_or(raw);
        match Email::parse(raw) {
            Ok(email) => Some(email.as_str().to_owned()),
            Err(_) => {
                warnings.push(format!("contact `{raw}` is not an email address: left out"));
                None
            }
        }
    });
    let issued = date(record.issued.as_deref(), "the issue", &mut warnings);
    let modified = date(record.modified.as_deref(), "the modification", &mut warnings);
    let mut links: Vec<Link> = Vec::new();
    for link in record.links {
        let Ok(url) = validation::web_url(&link.url) else {
            if !link.url.trim().is_empty() {
                warnings
                    .push(format!("resource URL `{}` is not http(s): left out", link.url.trim()));
            }
            continue;
        };
        if links.iter().any(|l| l.url == url) {
            continue;
        }
        let format = link
            .format
            .map(|f| text::collapse(&f))
            .filter(|f| !f.is_empty())
            .map(|f| clip(&f.to_uppercase(), 39).0)
            .unwrap_or_else(|| format_from_name(url.split(['?', '#']).next().unwrap_or(&url)));
        let media_type = link
            .media_type
            .map(|m| text::collapse(&m).to_lowercase())
            .filter(|m| m.contains('/') && m.len() <= 120);
        let title = text::collapse(&text::html_to_markdown(&link.title));
        let title = if title.is_empty() {
            match format.as_str() {
                "" => format!("Resource {}", links.len() + 1),
                f => f.to_owned(),
            }
        } else {
            clip(&title, 299).0
        };
        links.push(Link { title, url, format: Some(format), media_type });
    }
    Ok(Normalised {
        source_id,
        dataset: ValidDataset {
            title,
            description,
            licence_id,
            keywords,
            themes,
            spatial,
            frequency,
            contact_email,
            // The importers do not read `dct:temporal` / `temporal` yet.
            temporal_start: None,
            temporal_end: None,
        },
        issued,
        modified,
        links,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hackops_shared::datasets::LICENCE_NOT_SPECIFIED;

    fn record() -> Record {
        Record {
            source_id: "abc".into(),
            title: "Arrêts de bus".into(),
            description: "<p>Les <b>arrêts</b>.</p>".into(),
            licence: vec!["odc-odbl".into()],
            keywords: vec!["Transport".into(), "transport".into(), " ".into()],
            contact_email: Some("mailto:Data@Ville.FR".into()),
            issued: Some("mercredi, 5 juin, 2019 - 14:05".into()),
            modified: Some("2019-06-05T14:05:00".into()),
            links: vec![
                Link { url: "https://x.org/a.csv".into(), ..Link::default() },
                Link { url: "ftp://x.org/a.csv".into(), ..Link::default() },
                Link { url: "https://x.org/a.csv".into(), ..Link::default() },
            ],
            ..Record::default()
        }
    }

    #[test]
    fn records_are_brought_to_the_pools_rules() {
        let n = normalise(record()).expect("imported");
        assert_eq!(n.dataset.description, "Les arrêts.");
        assert_eq!(n.dataset.licence_id, "ODbL-1.0");
        assert_eq!(n.dataset.keywords, vec!["transport".to_owned()]);
        assert_eq!(n.dataset.contact_email.as_deref(), Some("data@ville.fr"));
        assert!(n.issued.is_none() && n.modified.is_some());
        assert_eq!(n.links.len(), 1, "not http(s) and duplicates are left out");
        assert_eq!(n.links[0].format.as_deref(), Some("CSV"));
        assert_eq!(n.links[0].title, "CSV");
        assert_eq!(n.warnings.len(), 2, "{:?}", n.warnings);
        assert!(n.warnings[0].contains("mercredi"));
        assert!(n.warnings[1].contains("ftp://"));
    }

    #[test]
    fn what_cannot_be_fixed_is_a_skip_with_a_reason() {
        let no_id = normalise(Record { source_id: " ".into(), ..record() }).expect_err("no id");
        assert!(no_id.reason.contains("identifier"));
        let short = normalise(Record { title: "<b>A</b>".into(), ..record() }).expect_err("short");
        assert!(short.reason.contains("title"), "{}", short.reason);
        assert_eq!(short.source_id.as_deref(), Some("abc"));
        let deleted = normalise(Record { withdrawn: true, ..record() }).expect_err("deleted");
        assert!(deleted.reason.contains("deleted"));
    }

    #[test]
    fn unknown_licences_and_long_values_are_kept_with_warnings() {
        let n = normalise(Record {
            licence: vec!["Tous droits réservés".into()],
            keywords: vec!["x".repeat(61)],
            spatial: Some("y".repeat(300)),
            contact_email: Some("sigevian".into()),
            ..record()
        })
        .expect("imported");
        assert_eq!(n.dataset.licence_id, LICENCE_NOT_SPECIFIED);
        assert!(n.dataset.keywords.is_empty());
        assert_eq!(n.dataset.spatial.as_ref().map(|s| s.chars().count()), Some(200));
        assert!(n.dataset.contact_email.is_none());
        assert_eq!(n.warnings.len(), 6, "{:?}", n.warnings);
    }

    #[test]
    fn frequencies_in_the_pools_words() {
        for (raw, word) in [
            ("http://publications.europa.eu/resource/authority/frequency/MONTHLY", "monthly"),
            ("http://purl.org/cld/freq/annual", "annual"),
            ("R/P1W", "weekly"),
            ("IRREG", "irregular"),
            ("Monthly", "monthly"),
            ("http://purl.org/cld/freq/ThisTermDoesNotExist", "thistermdoesnotexist"),
            ("toutes les deux semaines", "toutes les deux semaines"),
        ] {
            assert_eq!(frequency_word(raw), word, "{raw}");
        }
    }

    #[test]
    fn formats_are_recognised_from_the_content() {
        assert_eq!(detect(b"  <?xml version=\"1.0\"?><rdf:RDF/>"), Ok(HarvestFormat::DcatRdfxml));
        assert_eq!(detect(br#"{"success": true, "result": []}"#), Ok(HarvestFormat::Ckan));
        assert_eq!(detect(br#"{"dataset": []}"#), Ok(HarvestFormat::DcatUs));
        let package = br#"{"id": "x", "title": "A package", "resources": []}"#;
        assert_eq!(detect(package), Ok(HarvestFormat::Ckan), "a bare CKAN package");
        assert_eq!(detect(br#"{"@graph": []}"#), Ok(HarvestFormat::DcatJsonld));
        assert_eq!(detect(b"[]"), Ok(HarvestFormat::DcatJsonld));
        assert!(detect(b"").is_err());
        assert!(detect(b"name,title\n").is_err());
        assert!(detect(br#"{"hello": 1}"#).is_err());
        assert!(detect(br#"{"result": "#).is_err());
    }

    mod fuzz {
        use super::super::*;
        use proptest::prelude::*;
        use serde_json::Value;

        /// Keys the importers look for, so generated documents reach deep into them.
        const KEYS: &[&str] = &[
            "success",
            "result",
            "results",
            "count",
            "id",
            "name",
            "title",
            "notes",
            "tags",
            "groups",
            "resources",
            "url",
            "format",
            "extras",
            "key",
            "value",
            "state",
            "license_id",
            "license_title",
            "dataset",
            "identifier",
            "description",
            "keyword",
            "distribution",
            "downloadURL",
            "accessURL",
            "contactPoint",
            "hasEmail",
            "@context",
            "@graph",
            "@id",
            "@type",
            "@value",
            "@language",
            "@list",
            "@vocab",
            "dcat",
            "dct",
            "http://www.w3.org/ns/dcat#dataset",
            "dcat:Dataset",
            "http://purl.org/dc/terms/title",
            "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        ];

        fn json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(Value::from),
                any::<f64>().prop_map(Value::from),
                prop::sample::select(KEYS).prop_map(Value::from),
                ".{0,20}".prop_map(Value::from),
                Just(Value::from("http://www.w3.org/ns/dcat#Dataset")),
            ];
            leaf.prop_recursive(6, 64, 8, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                    prop::collection::btree_map(
                        prop::sample::select(KEYS).prop_map(str::to_owned),
                        inner,
                        0..6
                    )
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        fn every_format(bytes: &[u8]) {
            for format in HarvestFormat::ALL {
                if let Ok((_, catalogue)) = parse(format, bytes, "https://fuzz.example/") {
                    for record in catalogue.records {
                        let _ = normalise(record);
                    }
                }
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(512))]

            #[test]
            fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
                every_format(&bytes);
            }

            #[test]
            fn arbitrary_json_never_panics(value in json()) {
                every_format(value.to_string().as_bytes());
                let wrapped = serde_json::json!({"success": true, "result": {"count": 3, "results": [value.clone()]}});
                every_format(wrapped.to_string().as_bytes());
                every_format(serde_json::json!({"dataset": [value.clone()]}).to_string().as_bytes());
                every_format(serde_json::json!({"@graph": [value]}).to_string().as_bytes());
            }

            #[test]
            fn arbitrary_xml_like_text_never_panics(text in "(<[a-z:]{0,8}( [a-z:]{1,8}=\"[^\"]{0,8}\")?/?>|</?rdf:[A-Za-z]{0,12}>|[^<]{0,8}|&[a-z#0-9]{0,5};?){0,24}") {
                every_format(text.as_bytes());
                let html = text::html_to_markdown(&text);
                prop_assert!(!html.contains("<script"));
            }
        }
    }
}
