//! CKAN Action API responses: `package_search` (`{"count", "results"}`, one page of it),
//! `package_show` (one package) and DKAN's imitation (`result` is a list of packages, `state`
//! is `Active`, dates are written in French), and a bare package dictionary (`ckanapi dump`,
//! ckanext-dcat exports).

use super::{json, Catalogue, Invalid, Link, Record};
use serde_json::{Map, Value};

pub fn parse(bytes: &[u8]) -> Result<Catalogue, Invalid> {
    let value = json(bytes)?;
    let Some(envelope) = value.as_object() else {
        return Err(Invalid::new("not a CKAN API response: the document is not a JSON object"));
    };
    if envelope.get("success") == Some(&Value::Bool(false)) {
        let message = envelope
            .get("error")
            .and_then(|e| e.get("message").or(e.get("__type")))
            .and_then(Value::as_str)
            .unwrap_or("no message");
        return Err(Invalid::new(format!("the CKAN API answered an error: {message}")));
    }
    let Some(result) = envelope.get("result") else {
        if is_package(envelope) {
            return Ok(Catalogue { records: vec![package(&value)], total: None });
        }
        return Err(Invalid::new("not a CKAN API response: it has no `result`"));
    };
    match result {
        // package_search.
        Value::Object(search) if search.contains_key("results") => {
            let Some(Value::Array(results)) = search.get("results") else {
                return Err(Invalid::new("package_search: `results` is not a list"));
            };
            Ok(Catalogue {
                records: results.iter().map(package).collect(),
                total: search.get("count").and_then(Value::as_u64),
            })
        }
        // package_show.
        Value::Object(one) if one.contains_key("name") || one.contains_key("id") => {
            Ok(Catalogue { records: vec![package(result)], total: None })
        }
        // DKAN's package_show answers a list.
        Value::Array(list) => {
            Ok(Catalogue { records: list.iter().map(package).collect(), total: None })
        }
        _ => Err(Invalid::new(
            "not a CKAN package_search or package_show response: `result` holds no packages",
        )),
    }
}

/// A package dictionary outside the API envelope: an `id` or `name`, and package fields.
pub fn is_package(object: &Map<String, Value>) -> bool {
    (object.contains_key("id") || object.contains_key("name"))
        && ["notes", "resources", "license_id", "extras", "tags", "owner_org"]
            .iter()
            .any(|k| object.contains_key(*k))
        && !object.keys().any(|k| k.starts_with('@'))
}

fn string(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Names of `tags`/`groups`: objects (`name`, `display_name`, `title`) or plain strings.
fn names(value: Option<&Value>, keys: &[&str]) -> Vec<String> {
    let Some(Value::Array(items)) = value else { return Vec::new() };
    items
        .iter()
        .filter_map(|item| match item {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => keys.iter().find_map(|k| string(o, k)),
            _ => None,
        })
        .collect()
}

fn extra(object: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    let Some(Value::Array(extras)) = object.get("extras") else { return None };
    keys.iter().find_map(|key| {
        extras.iter().filter_map(Value::as_object).find_map(|e| {
            (e.get("key").and_then(Value::as_str) == Some(key))
                .then(|| string(e, "value"))
                .flatten()
        })
    })
}

/// One package; a package that is not an object becomes a record without identifier (skipped
/// with that reason).
fn package(value: &Value) -> Record {
    let Some(p) = value.as_object() else { return Record::default() };
    let name = string(p, "name");
    // ckanext-dcat puts licences on resources: they come after the package's own.
    let resource_licences = match p.get("resources") {
        Some(Value::Array(resources)) => resources
            .iter()
            .filter_map(Value::as_object)
            .filter_map(|r| string(r, "license").or_else(|| string(r, "license_id")))
            .collect(),
        _ => Vec::new(),
    };
    let licence = ["license_id", "license_title", "license_url", "license"]
        .iter()
        .filter_map(|k| string(p, k))
        .chain(resource_licences)
        .collect();
    let links = match p.get("resources") {
        Some(Value::Array(resources)) => resources
            .iter()
            .filter_map(Value::as_object)
            .filter(|r| !string(r, "state").is_some_and(|s| s.eq_ignore_ascii_case("deleted")))
            .map(|r| Link {
                title: string(r, "name").or_else(|| string(r, "description")).unwrap_or_default(),
                url: string(r, "url").unwrap_or_default(),
                format: string(r, "format"),
                media_type: string(r, "mimetype"),
            })
            .collect(),
        _ => Vec::new(),
    };
    Record {
        source_id: string(p, "id").or_else(|| name.clone()).unwrap_or_default(),
        title: string(p, "title").or(name).unwrap_or_default(),
        description: string(p, "notes").unwrap_or_default(),
        licence,
        keywords: names(p.get("tags"), &["display_name", "name"]),
        themes: names(p.get("groups"), &["title", "display_name", "name"]),
        spatial: extra(
            p,
            &["spatial_text", "spatial-text", "spatial_label", "geographic_coverage"],
        ),
        frequency: extra(p, &["frequency", "update_frequency", "accrual_periodicity"])
            .or_else(|| string(p, "frequency")),
        contact_email: string(p, "maintainer_email").or_else(|| string(p, "author_email")),
        issued: string(p, "metadata_created"),
        modified: string(p, "metadata_modified"),
        links,
        withdrawn: string(p, "state").is_some_and(|s| s.eq_ignore_ascii_case("deleted")),
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEARCH: &str = r#"{"help": "…", "success": true, "result": {"count": 3, "results": [
        {"id": "1c7a", "name": "arrets-bus", "title": "Arrêts de bus", "notes": "<p>Les arrêts.</p>",
         "license_id": "odc-odbl", "license_title": "Open Data Commons Open Database License (ODbL)",
         "state": "active", "maintainer_email": "data@ville.example",
         "metadata_created": "2021-01-04T10:00:00.000000", "metadata_modified": "2023-05-06T08:30:00.123456",
         "tags": [{"name": "Transport", "display_name": "transport"}, {"name": "bus"}],
         "groups": [{"name": "mobilite", "title": "Mobilité"}],
         "extras": [{"key": "frequency", "value": "monthly"}, {"key": "spatial_text", "value": "Dakar"}],
         "resources": [{"name": "arrets.csv", "url": "https://ville.example/arrets.csv", "format": "CSV", "mimetype": "text/csv"},
                       {"name": "old", "url": "https://ville.example/old.csv", "state": "deleted"}]},
        {"id": "2d8b", "name": "supprime", "title": "Supprimé", "state": "deleted"}
    ]}}"#;

    #[test]
    fn a_package_search_page() {
        let c = parse(SEARCH.as_bytes()).expect("parsed");
        assert_eq!(c.total, Some(3));
        assert_eq!(c.records.len(), 2);
        let r = &c.records[0];
        assert_eq!(r.source_id, "1c7a");
        assert_eq!(r.title, "Arrêts de bus");
        assert_eq!(r.licence[0], "odc-odbl");
        assert_eq!(r.keywords, vec!["transport", "bus"]);
        assert_eq!(r.themes, vec!["Mobilité"]);
        assert_eq!(r.frequency.as_deref(), Some("monthly"));
        assert_eq!(r.spatial.as_deref(), Some("Dakar"));
        assert_eq!(r.links.len(), 1, "deleted resources stay out");
        assert_eq!(r.links[0].media_type.as_deref(), Some("text/csv"));
        assert!(c.records[1].withdrawn);
    }

    #[test]
    fn package_show_and_dkans_list() {
        let one = r#"{"success": true, "result": {"name": "velos", "title": "Vélos"}}"#;
        let c = parse(one.as_bytes()).expect("parsed");
        assert_eq!(c.records[0].source_id, "velos", "the name when there is no id");
        let dkan = r#"{"success": true, "result": [{"id": "x", "title": "Antennes", "state": "Active",
            "metadata_created": "mer, 05/06/2019 - 14:05", "tags": [{"name": "ADRESSE"}]}]}"#;
        let c = parse(dkan.as_bytes()).expect("parsed");
        assert!(!c.records[0].withdrawn);
        assert_eq!(c.records[0].issued.as_deref(), Some("mer, 05/06/2019 - 14:05"));
        assert_eq!(c.records[0].keywords, vec!["ADRESSE"]);
    }

    #[test]
    fn what_is_not_a_ckan_answer() {
        for bad in [
            "not json",
            "[1, 2]",
            r#"{"success": true}"#,
            r#"{"success": true, "result": "x"}"#,
            r#"{"success": true, "result": {"count": 1, "results": 3}}"#,
        ] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad}");
        }
        let error =
            r#"{"success": false, "error": {"__type": "Not Found Error", "message": "Not found"}}"#;
        assert!(parse(error.as_bytes()).expect_err("error").0.contains("Not found"));
        let bare = br#"{"id": "2988", "title": "Survey", "notes": "n", "resources": [{"url": "https://x.example/a.zip"}]}"#;
        let c = parse(bare).expect("a bare package");
        assert_eq!((c.records[0].source_id.as_str(), c.records[0].links.len()), ("2988", 1));
        let odd = parse(br#"{"result": [3, {"id": "a"}]}"#).expect("parsed");
        assert_eq!(odd.records[0].source_id, "", "not an object: skipped later");
    }
}
