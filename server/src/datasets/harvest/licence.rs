//! A source's licence, however it is written (a CKAN id, a title in free text, a URL, HTML
//! around a URL), to one of the SPDX ids the pool knows; anything else is
//! [`LICENCE_NOT_SPECIFIED`] with a warning. Versions are respected: CC BY 3.0 is not CC BY 4.0.

use super::text;
use hackops_shared::datasets::{licence, LICENCE_NOT_SPECIFIED};

/// The first candidate that maps wins; no candidate or none that maps gives
/// [`LICENCE_NOT_SPECIFIED`] and a warning.
pub fn map(candidates: &[String], warnings: &mut Vec<String>) -> &'static str {
    let candidates: Vec<String> = candidates
        .iter()
        .map(|c| text::collapse(&text::html_to_markdown(c)))
        .filter(|c| !c.is_empty())
        .collect();
    if let Some(id) = candidates.iter().find_map(|c| spdx(c)) {
        return id;
    }
    match candidates.first() {
        None => warnings.push("the source gives no licence: recorded as not specified".into()),
        Some(first) => warnings.push(format!(
            "licence `{first}` is not one the pool knows: recorded as not specified"
        )),
    }
    LICENCE_NOT_SPECIFIED
}

/// One licence text or URL to an SPDX id, if it is one the pool knows.
pub fn spdx(raw: &str) -> Option<&'static str> {
    if let Some(known) = licence(raw.trim()) {
        return Some(known.id);
    }
    let s = normalise(raw);
    let has = |needle: &str| s.contains(needle);
    // A version other than the one the pool knows is another licence.
    let version = ["1.0", "2.0", "2.5", "3.0", "4.0"].into_iter().find(|v| {
        has(&format!("/{v}"))
            || has(&format!(" {v}"))
            || has(&format!("-{v}"))
            || has(&format!("v{v}"))
    });
    let is = |v: &str| version.is_none_or(|found| found == v);
    if has("etalab")
        || has("licence ouverte")
        || has("licence-ouverte")
        || has("open licence")
        || has("lov2")
        || s == "lo-2.0"
        || s == "fr-lo"
    {
        return Some("etalab-2.0");
    }
    if has("odbl") || has("open database licen") {
        return is("1.0").then_some("ODbL-1.0");
    }
    if has("odc-by") || has("opendatacommons.org/licenses/by") || has("data commons attribution") {
        return is("1.0").then_some("ODC-By-1.0");
    }
    if has("pddl") || has("public domain dedication and licen") {
        return is("1.0").then_some("PDDL-1.0");
    }
    if has("cc0") || has("cc-zero") || has("publicdomain/zero") || has("creative commons zero") {
        return is("1.0").then_some("CC0-1.0");
    }
    let creative_commons = has("creativecommons.org/licenses/")
        || has("creative commons")
        || s.starts_with("cc-")
        || s.starts_with("cc ");
    if !creative_commons {
        return None;
    }
    let non_commercial =
        ["-nc", "/nc", "bync", "noncommercial", "non commercial", "non-commercial"];
    let no_derivatives = ["-nd", "/nd", "bynd", "noderiv", "no deriv"];
    if non_commercial.iter().chain(&no_derivatives).any(|n| has(n)) {
        return None;
    }
    let share_alike =
        ["by-sa", "bysa", "share alike", "sharealike", "share-alike"].iter().any(|n| has(n));
    let attribution = has("by") || has("attribution");
    match (attribution, share_alike) {
        (_, true) => is("4.0").then_some("CC-BY-SA-4.0"),
        (true, false) => is("4.0").then_some("CC-BY-4.0"),
        (false, false) => None,
    }
}

/// Lower case, without the scheme, `www.` and trailing slashes or `.html`; the EU licence
/// vocabulary's codes (`…/authority/licence/CC_BY_4_0`) as their names (`cc-by-4.0`).
fn normalise(raw: &str) -> String {
    let s = raw.trim().to_lowercase();
    let s = s.replace("https://", "").replace("http://", "").replace("www.", "");
    let s = s.trim_end_matches('/').trim_end_matches(".html").trim_end_matches('/');
    let s = s.replace('_', "-");
    match s.split_once("/authority/licence/") {
        Some((_, code)) => ["1", "2", "3", "4"].iter().fold(code.to_owned(), |code, major| {
            code.replace(&format!("-{major}-0"), &format!("-{major}.0"))
                .replace(&format!("-{major}-5"), &format!("-{major}.5"))
        }),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences_in_the_wild_map_to_spdx() {
        for (raw, id) in [
            ("Licence Ouverte / Open Licence version 2.0", "etalab-2.0"),
            ("https://www.etalab.gouv.fr/licence-ouverte-open-licence", "etalab-2.0"),
            (
                "http://www.etalab.gouv.fr/pages/Licence_ouverte_Open_licence-5899923.html",
                "etalab-2.0",
            ),
            ("fr-lo", "etalab-2.0"),
            ("lov2", "etalab-2.0"),
            ("odc-odbl", "ODbL-1.0"),
            ("ODbL", "ODbL-1.0"),
            ("Open Data Commons Open Database License (ODbL)", "ODbL-1.0"),
            ("https://opendatacommons.org/licenses/odbl/1-0/", "ODbL-1.0"),
            ("odc-by", "ODC-By-1.0"),
            ("odc-pddl", "PDDL-1.0"),
            ("cc-by", "CC-BY-4.0"),
            ("http://creativecommons.org/licenses/by/4.0/", "CC-BY-4.0"),
            ("Creative Commons Attribution", "CC-BY-4.0"),
            ("cc-by-sa", "CC-BY-SA-4.0"),
            ("https://creativecommons.org/licenses/by-sa/4.0/deed.fr", "CC-BY-SA-4.0"),
            ("CC0", "CC0-1.0"),
            ("cc-zero", "CC0-1.0"),
            ("http://creativecommons.org/publicdomain/zero/1.0/", "CC0-1.0"),
            ("cc-by-4.0", "CC-BY-4.0"),
            ("CC-BY-4.0", "CC-BY-4.0"),
            ("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0", "CC-BY-4.0"),
            (
                "http://publications.europa.eu/resource/authority/licence/CC_BYSA_4_0",
                "CC-BY-SA-4.0",
            ),
            ("http://publications.europa.eu/resource/authority/licence/CC0", "CC0-1.0"),
            ("http://publications.europa.eu/resource/authority/licence/ODC_BY", "ODC-By-1.0"),
            ("http://publications.europa.eu/resource/authority/licence/ODBL", "ODbL-1.0"),
        ] {
            assert_eq!(spdx(raw), Some(id), "{raw}");
        }
    }

    #[test]
    fn other_licences_and_versions_are_not_guessed() {
        for raw in [
            "http://creativecommons.org/licenses/by/3.0/",
            "cc-nc",
            "CC BY-NC 4.0",
            "https://creativecommons.org/licenses/by-nd/4.0/",
            "http://publications.europa.eu/resource/authority/licence/CC_BYNC_4_0",
            "http://publications.europa.eu/resource/authority/licence/CC_BY_3_0",
            "other-closed",
            "notspecified",
            "Tous droits réservés",
            "uk-ogl",
        ] {
            assert_eq!(spdx(raw), None, "{raw}");
        }
    }

    #[test]
    fn html_around_a_url_and_fallbacks() {
        let mut warnings = Vec::new();
        let html = "<DIV><P><SPAN>Soumis à la licence Etalab : https://www.etalab.gouv.fr/licence-ouverte-open-licence/</SPAN></P></DIV>";
        assert_eq!(map(&[html.into()], &mut warnings), "etalab-2.0");
        assert_eq!(map(&["notspecified".into(), "odc-odbl".into()], &mut warnings), "ODbL-1.0");
        assert!(warnings.is_empty());
        assert_eq!(map(&[], &mut warnings), LICENCE_NOT_SPECIFIED);
        assert_eq!(map(&["uk-ogl".into()], &mut warnings), LICENCE_NOT_SPECIFIED);
        assert_eq!(warnings.len(), 2);
        assert!(warnings[1].contains("uk-ogl"));
    }
}
