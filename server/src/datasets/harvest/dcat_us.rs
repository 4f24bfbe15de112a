//! DCAT-US 1.1 (Project Open Data) `data.json`, as ArcGIS Hub, Socrata and US portals export it:
//! `{"dataset": [{title, description, keyword, modified, publisher, contactPoint, identifier,
//! license, distribution: [{downloadURL | accessURL, mediaType, format, title}]}]}`.

use super::{json, Catalogue, Invalid, Link, Record};
use serde_json::{Map, Value};

pub fn parse(bytes: &[u8]) -> Result<Catalogue, Invalid> {
    let value = json(bytes)?;
    let Some(Value::Array(datasets)) = value.get("dataset") else {
        return Err(Invalid::new("not a DCAT-US data.json: it has no `dataset` list"));
    };
    Ok(Catalogue { records: datasets.iter().map(dataset).collect(), total: None })
}

fn string(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A list of strings, or one string (ArcGIS Hub writes either).
fn strings(object: &Map<String, Value>, key: &str) -> Vec<String> {
    match object.get(key) {
        Some(Value::Array(items)) => {
            items.iter().filter_map(Value::as_str).map(str::to_owned).collect()
        }
        Some(Value::String(s)) => s.split(',').map(|k| k.trim().to_owned()).collect(),
        _ => Vec::new(),
    }
}

fn dataset(value: &Value) -> Record {
    let Some(d) = value.as_object() else { return Record::default() };
    let links = match d.get("distribution") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_object)
            .map(|r| Link {
                title: string(r, "title").unwrap_or_default(),
                url: string(r, "downloadURL")
                    .or_else(|| string(r, "accessURL"))
                    .unwrap_or_default(),
                format: string(r, "format"),
                media_type: string(r, "mediaType"),
            })
            .collect(),
        _ => Vec::new(),
    };
    let contact = d.get("contactPoint").and_then(Value::as_object);
    Record {
        source_id: string(d, "identifier").unwrap_or_default(),
        title: string(d, "title").unwrap_or_default(),
        description: string(d, "description").unwrap_or_default(),
        licence: string(d, "license").into_iter().chain(string(d, "rights")).collect(),
        keywords: strings(d, "keyword"),
        themes: strings(d, "theme"),
        spatial: string(d, "spatial"),
        frequency: string(d, "accrualPeriodicity"),
        contact_email: contact.and_then(|c| string(c, "hasEmail")),
        issued: string(d, "issued"),
        modified: string(d, "modified"),
        links,
        withdrawn: false,
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_arcgis_hub_data_json() {
        let doc = r#"{"@type": "dcat:Catalog", "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
          "dataset": [{"identifier": "https://hub.example/item?id=a1&sublayer=0", "title": "Bancs publics",
            "description": "<DIV><P>Bancs.</P></DIV>", "keyword": ["mobilier", "ville"],
            "modified": "2022-07-29T11:29:07.556Z", "publisher": {"name": "Ville"},
            "contactPoint": {"fn": "sig", "hasEmail": "mailto:sig@ville.example"},
            "accrualPeriodicity": "R/P1M", "spatial": "6.57,46.39,6.60,46.40",
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "distribution": [{"title": "CSV", "format": "CSV", "mediaType": "text/csv",
                              "accessURL": "https://hub.example/a1.csv"},
                             {"title": "API", "downloadURL": "https://hub.example/a1.json", "accessURL": "https://hub.example/"}]},
            "junk"]}"#;
        let c = parse(doc.as_bytes()).expect("parsed");
        assert_eq!(c.records.len(), 2);
        let r = &c.records[0];
        assert_eq!(r.source_id, "https://hub.example/item?id=a1&sublayer=0");
        assert_eq!(r.frequency.as_deref(), Some("R/P1M"));
        assert_eq!(r.contact_email.as_deref(), Some("mailto:sig@ville.example"));
        assert_eq!(r.links[1].url, "https://hub.example/a1.json", "downloadURL first");
        assert_eq!(c.records[1], Record::default());
    }

    #[test]
    fn what_is_not_a_data_json() {
        assert!(parse(br#"{"datasets": []}"#).is_err());
        assert!(parse(b"[]").is_err());
        assert!(parse(b"{").is_err());
    }
}
