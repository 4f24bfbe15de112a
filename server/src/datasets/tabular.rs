//! CSV and TSV files as tables: the first rows of a file (read from a bounded prefix, never the
//! whole file), its delimiter, its encoding, and a Frictionless Table Schema inferred from them.
//! Pure functions: the service reads the prefix from storage and stores what comes out.

use hackops_shared::datasets::{PreviewWarning, TableField, TableSchema};
use std::borrow::Cow;
use time::macros::format_description;

/// How much of a file is read to preview it and infer its schema.
pub const SAMPLE_BYTES: u64 = 1024 * 1024;
/// How many rows (after the header) the inference looks at.
pub const SAMPLE_ROWS: usize = 1000;
/// How many rows a preview shows.
pub const PREVIEW_ROWS: usize = 20;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// The first rows of a file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// The header, cleaned: blanks become `field_<n>`, repeats get `_<n>`.
    pub columns: Vec<String>,
    /// The rows after the header (at most [`SAMPLE_ROWS`]), each as long as `columns`.
    pub rows: Vec<Vec<String>>,
    pub delimiter: u8,
    pub bom: bool,
    pub warnings: Vec<PreviewWarning>,
}

/// Whether a resource is a table we read: a CSV or TSV file whose bytes look like text.
pub fn is_tabular(format: &str, media_type: &str) -> bool {
    matches!(format.to_ascii_uppercase().as_str(), "CSV" | "TSV") && media_type.starts_with("text/")
}

/// Reads the first rows of a CSV or TSV file from its first bytes. `truncated`: the file goes on
/// after `prefix` (its last, partial line is left out). `tab_first`: the file says it is a TSV.
/// `None` when there is no table to read (empty, binary, or a first line longer than the prefix).
pub fn read(prefix: &[u8], truncated: bool, tab_first: bool) -> Option<Sample> {
    let bom = prefix.starts_with(BOM);
    let mut bytes = if bom { &prefix[BOM.len()..] } else { prefix };
    if truncated {
        let end = bytes.iter().rposition(|&b| b == b'\n')?;
        bytes = &bytes[..end];
    }
    if bytes.contains(&0) {
        return None;
    }
    let mut warnings = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => {
            warnings.push(PreviewWarning::NotUtf8);
            String::from_utf8_lossy(bytes)
        }
    };
    let delimiter = detect_delimiter(&text, tab_first);
    let mut records = records(&text, delimiter, SAMPLE_ROWS + 1).into_iter();
    let header = records.next()?;
    if header.iter().all(|h| h.trim().is_empty()) {
        return None;
    }
    let columns = clean_header(&header);
    let mut ragged = false;
    let rows = records
        .map(|mut row| {
            if row.len() != columns.len() {
                ragged = true;
                row.resize(columns.len(), String::new());
            }
            row
        })
        .collect();
    if ragged {
        warnings.push(PreviewWarning::RaggedRows);
    }
    Some(Sample { columns, rows, delimiter, bom, warnings })
}

/// Up to `limit` records, whatever their lengths; stops at the first one the reader refuses.
fn records(text: &str, delimiter: u8, limit: usize) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .into_records()
        .take(limit)
        .map_while(Result::ok)
        .map(|record| record.iter().map(str::to_owned).collect())
        .collect()
}

/// The delimiter that splits the first lines into the most columns, the same number on every
/// line. Ties go to `,` (or tab for a TSV file), then `;`.
fn detect_delimiter(text: &str, tab_first: bool) -> u8 {
    let order: [u8; 3] = if tab_first { [b'\t', b',', b';'] } else { DELIMITERS };
    let mut best = (order[0], (false, 0usize, 0usize));
    for delimiter in order {
        let lines = records(text, delimiter, 30);
        let Some(width) = lines.first().map(Vec::len) else { continue };
        let consistent = lines.iter().filter(|r| r.len() == width).count();
        let score = (width > 1, consistent, width);
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

fn clean_header(header: &[String]) -> Vec<String> {
    let mut columns: Vec<String> = Vec::with_capacity(header.len());
    for (i, name) in header.iter().enumerate() {
        let base = match name.trim() {
            "" => format!("field_{}", i + 1),
            name => name.to_owned(),
        };
        let mut name = base.clone();
        let mut n = 2;
        while columns.contains(&name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        columns.push(name);
    }
    columns
}

/// What a column may be, most specific first: the first kind every value fits is the type.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Boolean,
    Integer,
    Number,
    /// A number with a decimal comma (only when `,` is not the delimiter).
    NumberComma,
    Date,
    DateFr,
    DateTime,
    DateTimeSpace,
}

const KINDS: [Kind; 8] = [
    Kind::Boolean,
    Kind::Integer,
    Kind::Number,
    Kind::NumberComma,
    Kind::Date,
    Kind::DateFr,
    Kind::DateTime,
    Kind::DateTimeSpace,
];

/// Digits with an optional sign; a leading zero (`01000`, a postcode) is not a number.
fn integer_part(v: &str) -> bool {
    let digits = v.strip_prefix(['+', '-']).unwrap_or(v);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !(digits.len() > 1 && digits.starts_with('0'))
}

fn number(v: &str, decimal: char) -> bool {
    let (mantissa, exponent) = match (decimal, v.split_once(['e', 'E'])) {
        ('.', Some((m, e))) => (m, Some(e)),
        _ => (v, None),
    };
    if let Some(e) = exponent {
        let digits = e.strip_prefix(['+', '-']).unwrap_or(e);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    match mantissa.split_once(decimal) {
        None => integer_part(mantissa),
        Some((int, frac)) => {
            (integer_part(int) || matches!(int, "0" | "-0" | "+0"))
                && !frac.is_empty()
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
    }
}

fn fits(kind: Kind, v: &str) -> bool {
    match kind {
        Kind::Boolean => matches!(v, "true" | "True" | "TRUE" | "false" | "False" | "FALSE"),
        Kind::Integer => integer_part(v),
        Kind::Number => number(v, '.'),
        Kind::NumberComma => number(v, ','),
        Kind::Date => time::Date::parse(v, format_description!("[year]-[month]-[day]")).is_ok(),
        Kind::DateFr => time::Date::parse(v, format_description!("[day]/[month]/[year]")).is_ok(),
        Kind::DateTime => {
            time::OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339).is_ok()
                || time::PrimitiveDateTime::parse(
                    v,
                    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
                )
                .is_ok()
        }
        Kind::DateTimeSpace => time::PrimitiveDateTime::parse(
            v,
            format_description!("[year]-[month]-[day] [hour]:[minute]:[second]"),
        )
        .is_ok(),
    }
}

fn field_of(name: &str, kind: Option<Kind>) -> TableField {
    let (field_type, format, decimal) = match kind {
        None => ("string", None, None),
        Some(Kind::Boolean) => ("boolean", None, None),
        Some(Kind::Integer) => ("integer", None, None),
        Some(Kind::Number) => ("number", None, None),
        Some(Kind::NumberComma) => ("number", None, Some(",")),
        Some(Kind::Date) => ("date", None, None),
        Some(Kind::DateFr) => ("date", Some("%d/%m/%Y"), None),
        Some(Kind::DateTime) => ("datetime", None, None),
        Some(Kind::DateTimeSpace) => ("datetime", Some("%Y-%m-%d %H:%M:%S"), None),
    };
    let mut field = TableField::new(name, field_type);
    field.format = format.map(str::to_owned);
    field.decimal_char = decimal.map(str::to_owned);
    field
}

/// A Table Schema from the sample: for each column, the most specific type all its non-empty
/// values fit (`integer`, `number`, `boolean`, `date`, `datetime`), else `string`.
pub fn infer(sample: &Sample) -> TableSchema {
    let fields = sample
        .columns
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let mut possible: Vec<Kind> = KINDS
                .iter()
                .copied()
                .filter(|k| *k != Kind::NumberComma || sample.delimiter != b',')
                .collect();
            let mut seen = false;
            for value in sample.rows.iter().filter_map(|r| r.get(i)).map(|v| v.trim()) {
                if value.is_empty() {
                    continue;
                }
                seen = true;
                possible.retain(|k| fits(*k, value));
                if possible.is_empty() {
                    break;
                }
            }
            field_of(name, if seen { possible.first().copied() } else { None })
        })
        .collect();
    TableSchema { fields }
}

/// The delimiter as text, for the API and the Data Package dialect.
pub fn delimiter_text(delimiter: u8) -> String {
    char::from(delimiter).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn types(schema: &TableSchema) -> Vec<(&str, &str)> {
        schema.fields.iter().map(|f| (f.name.as_str(), f.field_type.as_str())).collect()
    }

    #[test]
    fn commas_and_types() {
        let csv = "arret,ligne,lat,accessible,mise_en_service,maj,code_postal,note\n\
                   Colobane,7,14.6921,true,2019-03-01,2024-01-05T10:00:00Z,01000,\n\
                   Petersen,12,-17.438,false,2020-11-30,2024-01-06T11:30:00+01:00,75001,ok\n";
        let sample = read(csv.as_bytes(), false, false).expect("a table");
        assert_eq!(sample.delimiter, b',');
        assert_eq!(sample.rows.len(), 2);
        assert!(sample.warnings.is_empty() && !sample.bom);
        let schema = infer(&sample);
        assert_eq!(
            types(&schema),
            vec![
                ("arret", "string"),
                ("ligne", "integer"),
                ("lat", "number"),
                ("accessible", "boolean"),
                ("mise_en_service", "date"),
                ("maj", "datetime"),
                ("code_postal", "string"),
                ("note", "string"),
            ]
        );
    }

    #[test]
    fn french_semicolons_decimal_commas_and_dates() {
        let csv = "\u{feff}commune;population;surface_km2;date_recensement;releve\n\
                   Valmont;1200;3,5;01/01/2021;2021-01-01 08:00:00\n\
                   Ormes;950;12;15/06/2020;2021-01-02 09:30:00\n";
        let sample = read(csv.as_bytes(), false, false).expect("a table");
        assert!(sample.bom);
        assert_eq!(sample.delimiter, b';');
        assert_eq!(sample.columns[0], "commune", "the BOM is not part of the first name");
        let schema = infer(&sample);
        let surface = &schema.fields[2];
        assert_eq!(
            (surface.field_type.as_str(), surface.decimal_char.as_deref()),
            ("number", Some(","))
        );
        assert_eq!(schema.fields[1].field_type, "integer");
        let date = &schema.fields[3];
        assert_eq!((date.field_type.as_str(), date.format.as_deref()), ("date", Some("%d/%m/%Y")));
        let at = &schema.fields[4];
        assert_eq!(
            (at.field_type.as_str(), at.format.as_deref()),
            ("datetime", Some("%Y-%m-%d %H:%M:%S"))
        );
    }

    #[test]
    fn tabs_latin1_blank_and_repeated_names_ragged_rows() {
        let sample =
            read(b"nom\t\tnom\nB\xe9ziers\t1\t2\nS\xc3\xa8te\t3\n", false, true).expect("a table");
        assert_eq!(sample.delimiter, b'\t');
        assert_eq!(sample.columns, vec!["nom", "field_2", "nom_2"]);
        assert_eq!(sample.rows[0][0], "B\u{fffd}ziers");
        assert_eq!(sample.rows[1], vec!["Sète", "3", ""]);
        assert_eq!(sample.warnings, vec![PreviewWarning::NotUtf8, PreviewWarning::RaggedRows]);
    }

    #[test]
    fn a_cut_prefix_loses_its_partial_line_and_nothing_is_no_table() {
        let sample = read(b"a,b\n1,2\n3,4", true, false).expect("a table");
        assert_eq!(sample.rows, vec![vec!["1".to_owned(), "2".to_owned()]]);
        assert_eq!(read(b"", false, false), None);
        assert_eq!(read(b"a,b,c", true, false), None, "no complete line");
        assert_eq!(read(b"\x7fELF\0\0", false, false), None);
        let mixed = read(b"x;y\n3,5;1\n3.5;2\n", false, false).expect("a table");
        assert_eq!(infer(&mixed).fields[0].field_type, "string", "3,5 and 3.5 disagree");
    }

    proptest! {
        #[test]
        fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048), truncated: bool, tab: bool) {
            if let Some(sample) = read(&bytes, truncated, tab) {
                let schema = infer(&sample);
                prop_assert_eq!(schema.fields.len(), sample.columns.len());
                prop_assert!(sample.rows.iter().all(|r| r.len() == sample.columns.len()));
                let header = sample.columns.clone();
                prop_assert!(schema.validate(&header).is_ok());
            }
        }

        #[test]
        fn csv_like_text_never_panics(text in "[a-z0-9,;\t\"\n.\\-/: ]{0,400}", truncated: bool) {
            if let Some(sample) = read(text.as_bytes(), truncated, false) {
                let schema = infer(&sample);
                prop_assert!(schema.validate(&sample.columns).is_ok());
            }
        }
    }
}
