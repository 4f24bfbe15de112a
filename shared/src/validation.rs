//! Pure input rules. The sign-up form and the register handler call the same functions,
//! so the browser and the server can never disagree about what is valid.
//!
//! Each parser is the only way to build its newtype ("parse, don't validate").

use crate::error::{FieldCode, FieldError};
use crate::lang::Lang;
use serde::Serialize;
use std::borrow::Cow;
use time::OffsetDateTime;

/// One refused field, before it is put into words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldIssue {
    /// The JSON field name (a dotted path for nested fields).
    pub field: Cow<'static, str>,
    pub code: FieldCode,
}

impl FieldIssue {
    pub fn new(field: impl Into<Cow<'static, str>>, code: FieldCode) -> Self {
        FieldIssue { field: field.into(), code }
    }

    pub fn localized(&self, lang: Lang) -> FieldError {
        FieldError {
            field: self.field.to_string(),
            code: self.code,
            message: self.code.message(lang).to_owned(),
        }
    }
}

/// Collects the issues of a whole form, so the user sees all of them at once.
#[derive(Debug, Default)]
pub struct Issues(pub Vec<FieldIssue>);

impl Issues {
    /// Runs one rule; on failure remembers the issue and returns `None`.
    pub fn check<T>(&mut self, field: &'static str, result: Result<T, FieldCode>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(code) => {
                self.0.push(FieldIssue::new(field, code));
                None
            }
        }
    }

    pub fn push(&mut self, field: &'static str, code: FieldCode) {
        self.0.push(FieldIssue::new(field, code));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The first issue of a field, for showing next to its input.
    pub fn for_field(&self, field: &str) -> Option<FieldCode> {
        self.0.iter().find(|i| i.field == field).map(|i| i.code)
    }
}

fn length_between(value: &str, min: usize, max: usize) -> Result<(), FieldCode> {
    let len = value.chars().count();
    if len == 0 && min > 0 {
        Err(FieldCode::Required)
    } else if len < min {
        Err(FieldCode::TooShort)
    } else if len > max {
        Err(FieldCode::TooLong)
    } else {
        Ok(())
    }
}

/// An email address, trimmed and lower-cased.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Email, FieldCode> {
        let value = raw.trim().to_lowercase();
        if value.is_empty() {
            return Err(FieldCode::Required);
        }
        if value.chars().count() > Self::MAX_LEN {
            return Err(FieldCode::TooLong);
        }
        let (local, domain) = value.split_once('@').ok_or(FieldCode::InvalidEmail)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        let chars_ok =
            !value.chars().any(|c| c.is_whitespace() || c.is_control()) && !domain.contains('@');
        if local.is_empty() || !domain_ok || !chars_ok {
            return Err(FieldCode::InvalidEmail);
        }
        Ok(Email(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password good enough to keep (length is what matters: NIST SP 800-63B).
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl Password {
    pub const MIN_LEN: usize = 10;
    pub const MAX_LEN: usize = 128;

    pub fn parse(raw: &str) -> Result<Password, FieldCode> {
        length_between(raw, Self::MIN_LEN, Self::MAX_LEN)?;
        if raw.trim().is_empty() {
            return Err(FieldCode::InvalidValue);
        }
        Ok(Password(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Trims a free-text field and checks its length in characters.
pub fn text(raw: &str, min: usize, max: usize) -> Result<String, FieldCode> {
    let value = raw.trim();
    length_between(value, min, max)?;
    Ok(value.to_owned())
}

pub const DISPLAY_NAME: (usize, usize) = (1, 80);
pub const EVENT_TITLE: (usize, usize) = (3, 120);
pub const DESCRIPTION_MAX: usize = 20_000;
pub const VENUE_MAX: usize = 200;
pub const ORGANISATION_NAME: (usize, usize) = (2, 120);

/// The shape of an IANA time-zone name (`Europe/Paris`, `UTC`); the server also checks
/// that the zone exists in its time-zone database.
pub fn timezone_shape(raw: &str) -> Result<String, FieldCode> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldCode::Required);
    }
    let ok = value.len() <= 64
        && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '-' | '+'));
    if ok {
        Ok(value.to_owned())
    } else {
        Err(FieldCode::InvalidTimezone)
    }
}

/// An event ends after it starts.
pub fn event_dates(starts_at: OffsetDateTime, ends_at: OffsetDateTime) -> Result<(), FieldCode> {
    if ends_at > starts_at {
        Ok(())
    } else {
        Err(FieldCode::EndsBeforeStart)
    }
}

/// A web address the product may link to: http(s) only.
pub fn web_url(raw: &str) -> Result<String, FieldCode> {
    let value = raw.trim();
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or(FieldCode::InvalidUrl)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.is_empty() || value.len() > 2000 || value.chars().any(char::is_whitespace) {
        return Err(FieldCode::InvalidUrl);
    }
    Ok(value.to_owned())
}

/// A URL-safe name derived from a title: `Hackathon Données 2026` → `hackathon-donnees-2026`.
pub fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for c in title.chars().flat_map(fold_accent) {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug.truncate(60);
    slug
}

fn fold_accent(c: char) -> Vec<char> {
    let folded = match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ÿ' | 'Ÿ' => 'y',
        'œ' | 'Œ' => return vec!['o', 'e'],
        'æ' | 'Æ' => return vec!['a', 'e'],
        other => other,
    };
    vec![folded]
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn emails_are_normalised_or_refused() {
        assert_eq!(Email::parse("  Ada@Example.ORG ").map(|e| e.0), Ok("ada@example.org".into()));
        assert_eq!(Email::parse(""), Err(FieldCode::Required));
        for bad in [
            "ada",
            "ada@",
            "@example.org",
            "ada@example",
            "a b@example.org",
            "a@b@c.org",
            "a@.org",
            "a@b..org",
        ] {
            assert_eq!(Email::parse(bad), Err(FieldCode::InvalidEmail), "{bad}");
        }
        assert_eq!(
            Email::parse(&format!("{}@example.org", "a".repeat(250))),
            Err(FieldCode::TooLong)
        );
    }

    #[test]
    fn passwords_need_length_not_whitespace() {
        assert_eq!(Password::parse("short"), Err(FieldCode::TooShort));
        assert_eq!(Password::parse(""), Err(FieldCode::Required));
        assert_eq!(Password::parse("          "), Err(FieldCode::InvalidValue));
        assert_eq!(Password::parse(&"x".repeat(129)), Err(FieldCode::TooLong));
        assert!(Password::parse("correct horse").is_ok());
        assert_eq!(format!("{:?}", Password::parse("correct horse")), "Ok(Password(<redacted>))");
    }

    #[test]
    fn text_counts_characters_not_bytes() {
        assert_eq!(text("  Éà  ", 2, 2), Ok("Éà".into()));
        assert_eq!(text("   ", 1, 10), Err(FieldCode::Required));
        assert_eq!(text("ab", 3, 10), Err(FieldCode::TooShort));
    }

    #[test]
    fn timezones_and_dates() {
        assert_eq!(timezone_shape("Africa/Abidjan"), Ok("Africa/Abidjan".into()));
        assert_eq!(timezone_shape("Europe/Paris; drop"), Err(FieldCode::InvalidTimezone));
        let a = datetime!(2026-12-01 09:00 UTC);
        let b = datetime!(2026-12-02 18:00 UTC);
        assert!(event_dates(a, b).is_ok());
        assert_eq!(event_dates(b, a), Err(FieldCode::EndsBeforeStart));
        assert_eq!(event_dates(a, a), Err(FieldCode::EndsBeforeStart));
    }

    #[test]
    fn urls_and_slugs() {
        assert!(web_url("https://data.example.org/x").is_ok());
        assert_eq!(web_url("javascript:alert(1)"), Err(FieldCode::InvalidUrl));
        assert_eq!(web_url("https://"), Err(FieldCode::InvalidUrl));
        assert_eq!(slugify("Hackathon Données Ouvertes 2026 !"), "hackathon-donnees-ouvertes-2026");
        assert_eq!(slugify("  Œuvre — Çà  "), "oeuvre-ca");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn issues_collect_every_field() {
        let mut issues = Issues::default();
        assert_eq!(issues.check("a", Ok::<_, FieldCode>(1)), Some(1));
        assert_eq!(issues.check::<()>("b", Err(FieldCode::Required)), None);
        issues.push("c", FieldCode::TooLong);
        assert_eq!(issues.for_field("b"), Some(FieldCode::Required));
        assert_eq!(issues.0.len(), 2);
        assert_eq!(issues.0[1].localized(Lang::Fr).message, "C'est trop long.");
    }
}
