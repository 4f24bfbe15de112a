//! The open data pool: datasets (DCAT-style metadata) and their resources (files or links).

use crate::error::FieldCode;
use crate::events::OrganisationSummary;
use crate::ids::OrganisationId;
use crate::validation::{self, Issues};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// A `YYYY-MM-DD` date, as the pool reads and writes dates.
pub fn parse_date(raw: &str) -> Option<Date> {
    Date::parse(raw.trim(), time::macros::format_description!("[year]-[month]-[day]")).ok()
}

/// An open licence, named by its SPDX identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Licence {
    pub id: &'static str,
    pub title: &'static str,
    pub url: &'static str,
    /// Whether derived data must keep the same licence (share-alike).
    pub share_alike: bool,
}

/// The licences the pool accepts (all open: Open Definition conformant).
pub const LICENCES: &[Licence] = &[
    Licence {
        id: "etalab-2.0",
        title: "Licence Ouverte / Open Licence 2.0",
        url: "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
        share_alike: false,
    },
    Licence {
        id: "ODbL-1.0",
        title: "Open Data Commons Open Database License 1.0",
        url: "https://opendatacommons.org/licenses/odbl/1-0/",
        share_alike: true,
    },
    Licence {
        id: "ODC-By-1.0",
        title: "Open Data Commons Attribution License 1.0",
        url: "https://opendatacommons.org/licenses/by/1-0/",
        share_alike: false,
    },
    Licence {
        id: "PDDL-1.0",
        title: "Open Data Commons Public Domain Dedication and License 1.0",
        url: "https://opendatacommons.org/licenses/pddl/1-0/",
        share_alike: false,
    },
    Licence {
        id: "CC-BY-4.0",
        title: "Creative Commons Attribution 4.0 International",
        url: "https://creativecommons.org/licenses/by/4.0/",
        share_alike: false,
    },
    Licence {
        id: "CC-BY-SA-4.0",
        title: "Creative Commons Attribution Share Alike 4.0 International",
        url: "https://creativecommons.org/licenses/by-sa/4.0/",
        share_alike: true,
    },
    Licence {
        id: "CC0-1.0",
        title: "Creative Commons Zero v1.0 Universal",
        url: "https://creativecommons.org/publicdomain/zero/1.0/",
        share_alike: false,
    },
];

pub fn licence(id: &str) -> Option<&'static Licence> {
    LICENCES.iter().find(|l| l.id.eq_ignore_ascii_case(id))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceDto {
    pub id: uuid::Uuid,
    pub title: String,
    /// Short format name, e.g. `CSV`, `GeoJSON`.
    pub format: String,
    pub media_type: String,
    /// Bytes; unknown for remote links.
    pub size: Option<u64>,
    /// Hex SHA-256 of the content; unknown for remote links.
    pub sha256: Option<String>,
    /// Where to get it: our download endpoint, or the remote URL.
    pub url: String,
    pub remote: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    /// The Frictionless Table Schema of a CSV or TSV file (inferred at upload, editable by
    /// the publishers); absent for other resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<TableSchema>,
    /// How the CSV or TSV file is written (its delimiter); absent for other resources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialect: Option<CsvDialect>,
}

/// A Frictionless Table Schema (v2): one field per column, in the order of the header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TableSchema {
    pub fields: Vec<TableField>,
}

/// One column of a [`TableSchema`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TableField {
    /// The column's name, exactly as in the header.
    pub name: String,
    /// One of [`FIELD_TYPES`]: `string`, `integer`, `number`, `boolean`, `date`, `datetime`…
    #[serde(rename = "type")]
    pub field_type: String,
    /// `default`, `any`, a strftime pattern such as `%d/%m/%Y` for dates and times, or
    /// `email`, `uri`, `uuid`, `binary` for strings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Numbers only: the decimal separator when it is not `.` (French data: `,`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimal_char: Option<String>,
    /// Numbers and integers only: the thousands separator, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_char: Option<String>,
}

/// The Table Schema types a field may have.
pub const FIELD_TYPES: &[&str] = &[
    "string",
    "number",
    "integer",
    "boolean",
    "date",
    "time",
    "datetime",
    "year",
    "yearmonth",
    "duration",
    "object",
    "array",
    "geopoint",
    "geojson",
    "any",
];

impl TableField {
    /// A field of a type, with nothing else said.
    pub fn new(name: impl Into<String>, field_type: &str) -> TableField {
        TableField {
            name: name.into(),
            field_type: field_type.to_owned(),
            format: None,
            title: None,
            description: None,
            decimal_char: None,
            group_char: None,
        }
    }
}

fn format_allowed(field_type: &str, format: &str) -> bool {
    match field_type {
        "string" => matches!(format, "default" | "email" | "uri" | "binary" | "uuid"),
        "date" | "time" | "datetime" => {
            matches!(format, "default" | "any") || (format.contains('%') && format.len() <= 100)
        }
        "geopoint" => matches!(format, "default" | "array" | "object"),
        "geojson" => matches!(format, "default" | "topojson"),
        _ => format == "default",
    }
}

fn one_char(value: &str) -> bool {
    value.chars().count() == 1
}

impl TableSchema {
    /// Checks a schema against the file's header: one field per column, named as the column,
    /// in the same order (Frictionless' `fieldsMatch: exact`), each with a known type and only
    /// the properties that type allows. Issues name the field: `fields[2].type`.
    pub fn validate(&self, header: &[String]) -> Result<(), Issues> {
        let mut issues = Issues::default();
        let mut push = |field: String, code: FieldCode| {
            issues.0.push(validation::FieldIssue::new(field, code));
        };
        if self.fields.is_empty() {
            push("fields".into(), FieldCode::Required);
        } else if self.fields.len() != header.len() {
            push("fields".into(), FieldCode::InvalidValue);
        }
        for (i, field) in self.fields.iter().enumerate() {
            let at = |what: &str| format!("fields[{i}].{what}");
            let duplicate = self.fields[..i].iter().any(|f| f.name == field.name);
            if duplicate || header.get(i) != Some(&field.name) {
                push(at("name"), FieldCode::InvalidValue);
            }
            if !FIELD_TYPES.contains(&field.field_type.as_str()) {
                push(at("type"), FieldCode::InvalidValue);
            } else if let Some(format) = &field.format {
                if !format_allowed(&field.field_type, format) {
                    push(at("format"), FieldCode::InvalidValue);
                }
            }
            if let Some(c) = &field.decimal_char {
                if field.field_type != "number" || !one_char(c) {
                    push(at("decimalChar"), FieldCode::InvalidValue);
                }
            }
            if let Some(c) = &field.group_char {
                if !matches!(field.field_type.as_str(), "number" | "integer") || !one_char(c) {
                    push(at("groupChar"), FieldCode::InvalidValue);
                }
            }
            if field.title.as_ref().is_some_and(|t| t.chars().count() > 300) {
                push(at("title"), FieldCode::TooLong);
            }
            if field.description.as_ref().is_some_and(|t| t.chars().count() > 2000) {
                push(at("description"), FieldCode::TooLong);
            }
        }
        if issues.is_empty() {
            Ok(())
        } else {
            Err(issues)
        }
    }
}

/// How a CSV file is written, as a Frictionless CSV dialect.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CsvDialect {
    /// `,`, `;` or a tab.
    pub delimiter: String,
}

/// Something worth knowing about how a CSV file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PreviewWarning {
    /// The bytes are not UTF-8: characters that could not be read show as `�`.
    NotUtf8,
    /// Some rows do not have as many values as the header.
    RaggedRows,
}

/// The first rows of a CSV or TSV resource, for a table before anyone downloads the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourcePreview {
    /// The header: the columns' names (a blank one becomes `field_<n>`, a repeated one gets
    /// a `_<n>` suffix).
    pub columns: Vec<String>,
    /// At most the first 20 rows, as text, each as long as `columns`.
    pub rows: Vec<Vec<String>>,
    /// `,`, `;` or a tab.
    pub delimiter: String,
    /// The file starts with a UTF-8 byte order mark (which is not part of the first column).
    pub bom: bool,
    pub warnings: Vec<PreviewWarning>,
    /// The resource's Table Schema, as stored.
    pub schema: Option<TableSchema>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatasetDto {
    pub id: uuid::Uuid,
    /// URL-safe name (slug), unique in the pool.
    pub name: String,
    pub title: String,
    /// Markdown.
    pub description: String,
    pub publisher: OrganisationSummary,
    /// SPDX identifier.
    pub licence_id: String,
    pub keywords: Vec<String>,
    pub themes: Vec<String>,
    pub spatial: Option<String>,
    /// e.g. `monthly`, `annual`, `irregular`.
    pub frequency: Option<String>,
    pub contact_email: Option<String>,
    /// Temporal coverage: the first day the data covers (`YYYY-MM-DD`).
    #[serde(default, with = "iso_date::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub temporal_start: Option<Date>,
    /// Temporal coverage: the last day the data covers (`YYYY-MM-DD`).
    #[serde(default, with = "iso_date::option", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub temporal_end: Option<Date>,
    pub resources: Vec<ResourceDto>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub modified_at: OffsetDateTime,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatasetList {
    pub items: Vec<DatasetDto>,
    /// Matching datasets in all pages.
    pub total: u64,
}

/// One value of a filter and how many datasets of the pool have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    /// The value to filter with: a format (`CSV`), a theme, an SPDX id, an organisation slug.
    pub value: String,
    /// For people: the organisation's name for publishers, else the value.
    pub label: String,
    pub count: u64,
}

/// `GET /datasets/facets`: the values present in the public pool, most frequent first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatasetFacets {
    /// Resource formats (a dataset counts once per format).
    pub formats: Vec<FacetCount>,
    pub themes: Vec<FacetCount>,
    pub licences: Vec<FacetCount>,
    pub publishers: Vec<FacetCount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatasetRequest {
    /// The publishing organisation; may be left out when the caller organises exactly one.
    #[serde(default)]
    pub organisation_id: Option<OrganisationId>,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub licence_id: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    #[serde(default)]
    pub themes: Vec<String>,
    #[serde(default)]
    pub spatial: Option<String>,
    #[serde(default)]
    pub frequency: Option<String>,
    #[serde(default)]
    pub contact_email: Option<String>,
    /// Temporal coverage, `YYYY-MM-DD`: the first day the data covers.
    #[serde(default)]
    pub temporal_start: Option<String>,
    /// Temporal coverage, `YYYY-MM-DD`: the last day (not before `temporal_start`).
    #[serde(default)]
    pub temporal_end: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ValidDataset {
    pub title: String,
    pub description: String,
    pub licence_id: &'static str,
    pub keywords: Vec<String>,
    pub themes: Vec<String>,
    pub spatial: Option<String>,
    pub frequency: Option<String>,
    pub contact_email: Option<String>,
    pub temporal_start: Option<Date>,
    pub temporal_end: Option<Date>,
}

fn date(issues: &mut Issues, field: &'static str, raw: Option<&str>) -> Option<Date> {
    match raw.map(str::trim) {
        None | Some("") => None,
        Some(v) => issues.check(field, parse_date(v).ok_or(FieldCode::InvalidValue)),
    }
}

fn tags(issues: &mut Issues, field: &'static str, raw: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in raw {
        let tag = tag.trim().to_lowercase();
        if tag.is_empty() || tag.chars().count() > 60 {
            issues.push(field, FieldCode::InvalidValue);
            return out;
        }
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    if out.len() > 30 {
        issues.push(field, FieldCode::TooLong);
    }
    out
}

fn optional(
    issues: &mut Issues,
    field: &'static str,
    raw: Option<&str>,
    max: usize,
) -> Option<String> {
    match raw.map(str::trim) {
        None | Some("") => None,
        Some(v) => issues.check(field, validation::text(v, 1, max)),
    }
}

impl DatasetRequest {
    pub fn validate(&self) -> Result<ValidDataset, Issues> {
        let mut issues = Issues::default();
        let title = issues.check("title", validation::text(&self.title, 3, 200));
        let description = issues.check(
            "description",
            validation::text(&self.description, 0, validation::DESCRIPTION_MAX),
        );
        let licence_id = issues.check(
            "licence_id",
            licence(&self.licence_id).map(|l| l.id).ok_or(FieldCode::InvalidValue),
        );
        let keywords = tags(&mut issues, "keywords", &self.keywords);
        let themes = tags(&mut issues, "themes", &self.themes);
        let spatial = optional(&mut issues, "spatial", self.spatial.as_deref(), 200);
        let frequency = optional(&mut issues, "frequency", self.frequency.as_deref(), 40);
        let contact_email = match self.contact_email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(v) => issues
                .check("contact_email", crate::validation::Email::parse(v))
                .map(|e| e.as_str().to_owned()),
        };
        let temporal_start = date(&mut issues, "temporal_start", self.temporal_start.as_deref());
        let temporal_end = date(&mut issues, "temporal_end", self.temporal_end.as_deref());
        if let (Some(start), Some(end)) = (temporal_start, temporal_end) {
            if end < start {
                issues.push("temporal_end", FieldCode::InvalidValue);
            }
        }
        match (title, description, licence_id) {
            (Some(title), Some(description), Some(licence_id)) if issues.is_empty() => {
                Ok(ValidDataset {
                    title,
                    description,
                    licence_id,
                    keywords,
                    themes,
                    spatial,
                    frequency,
                    contact_email,
                    temporal_start,
                    temporal_end,
                })
            }
            _ => Err(issues),
        }
    }
}

/// The licence of a harvested dataset whose source licence is missing or not one of
/// [`LICENCES`] (CKAN's own id for it). Only harvests record it: publishing in the pool still
/// takes an open licence.
pub const LICENCE_NOT_SPECIFIED: &str = "notspecified";

/// The format of a harvested document.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum HarvestFormat {
    /// Recognised from the content.
    #[default]
    Auto,
    /// CKAN Action API: `package_search` (walked page by page) or `package_show`; DKAN too.
    Ckan,
    /// DCAT-AP as JSON-LD (compacted with an `@context`, or expanded / flattened `@graph`).
    DcatJsonld,
    /// DCAT-AP as RDF/XML.
    DcatRdfxml,
    /// DCAT-US 1.1 `data.json` (Project Open Data; ArcGIS Hub, Socrata…).
    DcatUs,
}

impl HarvestFormat {
    pub const ALL: [HarvestFormat; 5] = [
        HarvestFormat::Auto,
        HarvestFormat::Ckan,
        HarvestFormat::DcatJsonld,
        HarvestFormat::DcatRdfxml,
        HarvestFormat::DcatUs,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            HarvestFormat::Auto => "auto",
            HarvestFormat::Ckan => "ckan",
            HarvestFormat::DcatJsonld => "dcat-jsonld",
            HarvestFormat::DcatRdfxml => "dcat-rdfxml",
            HarvestFormat::DcatUs => "dcat-us",
        }
    }
}

impl std::str::FromStr for HarvestFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        HarvestFormat::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let names: Vec<&str> = HarvestFormat::ALL.iter().map(|f| f.as_str()).collect();
                format!("unknown format `{s}`: use one of {}", names.join(", "))
            })
    }
}

/// `POST /harvest`: import the datasets of another portal's catalogue into an organisation.
///
/// `url` always names the source: it is where the catalogue is fetched from and, with each
/// record's identifier, the key that makes a second harvest update instead of duplicate. With
/// `content`, the document is taken from the request (for portals the server cannot reach) and
/// `url` is not fetched.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HarvestRequest {
    /// Slug of the organisation the datasets are published for.
    pub organisation: String,
    /// http(s) URL of the catalogue (a CKAN `package_search`/`package_show` URL, a DCAT
    /// catalogue, a `data.json`).
    pub url: String,
    #[serde(default)]
    pub format: HarvestFormat,
    /// The document itself, when the server should not fetch `url`.
    #[serde(default)]
    pub content: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HarvestOutcome {
    Created,
    Updated,
    Skipped,
}

/// What happened to one record of the source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HarvestItem {
    /// The record's identifier at the source, when it has one.
    pub source_id: Option<String>,
    pub title: Option<String>,
    pub outcome: HarvestOutcome,
    /// The dataset's name in the pool (created or updated).
    pub name: Option<String>,
    /// Why the record was skipped.
    pub reason: Option<String>,
    /// What was imported differently from the source (unknown licence, unreadable date…).
    pub warnings: Vec<String>,
}

/// The result of one harvest (all of it ran in one transaction).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HarvestReport {
    pub source: String,
    /// The format the document was read as.
    pub format: HarvestFormat,
    pub created: u64,
    pub updated: u64,
    pub skipped: u64,
    pub items: Vec<HarvestItem>,
}

/// `POST /datasets/{name}/resources/link`: a resource that stays on another server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemoteResourceRequest {
    pub title: String,
    pub url: String,
    #[serde(default)]
    pub format: Option<String>,
}

/// A format name from a file name or URL: `velib.csv` → `CSV`.
pub fn format_from_name(name: &str) -> String {
    let ext = name
        .rsplit('/')
        .next()
        .unwrap_or(name)
        .rsplit_once('.')
        .map(|(_, e)| e.to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => "CSV",
        "tsv" => "TSV",
        "json" => "JSON",
        "geojson" => "GeoJSON",
        "xlsx" => "XLSX",
        "xls" => "XLS",
        "ods" => "ODS",
        "zip" => "ZIP",
        "pdf" => "PDF",
        "xml" => "XML",
        "parquet" => "Parquet",
        "txt" => "TXT",
        "shp" => "SHP",
        "" => "",
        _ => return ext.to_uppercase(),
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences_are_spdx_and_case_insensitive() {
        assert_eq!(licence("odbl-1.0").map(|l| l.id), Some("ODbL-1.0"));
        assert!(licence("ODbL-1.0").is_some_and(|l| l.share_alike));
        assert!(licence("proprietary").is_none());
    }

    #[test]
    fn dataset_requests_are_checked() {
        let req = DatasetRequest {
            organisation_id: None,
            title: "Arrêts de bus".into(),
            description: String::new(),
            licence_id: "etalab-2.0".into(),
            keywords: vec!["Transport".into(), "transport".into(), "bus".into()],
            themes: vec![],
            spatial: Some("Dakar".into()),
            frequency: None,
            contact_email: Some("Data@Dakar.SN".into()),
            temporal_start: Some("2024-01-01".into()),
            temporal_end: Some(" 2024-12-31 ".into()),
        };
        let ok = req.validate().expect("valid");
        assert_eq!(ok.keywords, vec!["transport".to_owned(), "bus".to_owned()]);
        assert_eq!(ok.contact_email.as_deref(), Some("data@dakar.sn"));
        assert_eq!(ok.temporal_end, Some(time::macros::date!(2024 - 12 - 31)));
        let backwards = DatasetRequest {
            temporal_start: Some("2025-01-01".into()),
            temporal_end: Some("2024-12-31".into()),
            ..req.clone()
        };
        let issues = backwards.validate().expect_err("end before start");
        assert_eq!(issues.for_field("temporal_end"), Some(FieldCode::InvalidValue));
        assert_eq!(issues.for_field("temporal_start"), None);
        let bad = DatasetRequest {
            licence_id: "all rights reserved".into(),
            contact_email: Some("nope".into()),
            temporal_start: Some("2024-02-30".into()),
            ..req
        };
        let issues = bad.validate().expect_err("invalid");
        assert_eq!(issues.for_field("licence_id"), Some(FieldCode::InvalidValue));
        assert_eq!(issues.for_field("contact_email"), Some(FieldCode::InvalidEmail));
        assert_eq!(issues.for_field("temporal_start"), Some(FieldCode::InvalidValue));
    }

    #[test]
    fn harvest_formats_read_and_write_the_same_names() {
        for format in HarvestFormat::ALL {
            assert_eq!(format.as_str().parse::<HarvestFormat>(), Ok(format));
            let json = serde_json::to_string(&format).expect("serialise");
            assert_eq!(json, format!("\"{}\"", format.as_str()));
        }
        assert!("turtle".parse::<HarvestFormat>().is_err_and(|e| e.contains("dcat-us")));
        assert!(licence(LICENCE_NOT_SPECIFIED).is_none(), "never offered for publishing");
    }

    #[test]
    fn table_schemas_must_match_the_header() {
        let header: Vec<String> = vec!["code".into(), "valeur".into()];
        let mut valeur = TableField::new("valeur", "number");
        valeur.decimal_char = Some(",".into());
        let ok = TableSchema { fields: vec![TableField::new("code", "string"), valeur.clone()] };
        assert!(ok.validate(&header).is_ok());
        let mut bad_format = TableField::new("code", "integer");
        bad_format.format = Some("%d".into());
        let bad = TableSchema {
            fields: vec![bad_format, TableField::new("code", "money"), valeur.clone()],
        };
        let issues = bad.validate(&header).expect_err("invalid");
        assert_eq!(issues.for_field("fields"), Some(FieldCode::InvalidValue));
        assert_eq!(issues.for_field("fields[0].format"), Some(FieldCode::InvalidValue));
        assert_eq!(issues.for_field("fields[1].name"), Some(FieldCode::InvalidValue));
        assert_eq!(issues.for_field("fields[1].type"), Some(FieldCode::InvalidValue));
        let mut date = TableField::new("code", "date");
        date.format = Some("%d/%m/%Y".into());
        assert!(TableSchema { fields: vec![date, valeur] }.validate(&header).is_ok());
    }

    #[test]
    fn formats_come_from_names() {
        assert_eq!(format_from_name("arrets.CSV"), "CSV");
        assert_eq!(format_from_name("https://x.org/a/b.geojson"), "GeoJSON");
        assert_eq!(format_from_name("README"), "");
        assert_eq!(format_from_name("data.gpkg"), "GPKG");
    }
}
