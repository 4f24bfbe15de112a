//! DCAT-AP as JSON-LD into a [`Graph`]: the expanded and flattened forms (`@graph`, full IRIs,
//! `{"@value"}` objects) and compacted documents with an inline `@context` (prefixes, terms,
//! `@vocab`, `"@type": "@id"` terms, scoped contexts in nested nodes). Remote contexts are not
//! fetched: a document that relies on one only yields what its full IRIs and prefixes say.

use super::dcat::{Graph, Object, RDF_TYPE};
use super::{json, Invalid};
use serde_json::{Map, Value};
use std::collections::HashMap;

#[derive(Clone, Debug, Default)]
struct Context {
    vocab: Option<String>,
    /// term or prefix → IRI, and whether its values are IRIs (`"@type": "@id"`).
    terms: HashMap<String, (String, bool)>,
}

impl Context {
    fn merged(&self, raw: Option<&Value>) -> Context {
        let mut out = self.clone();
        match raw {
            Some(Value::Object(map)) => out.add(map),
            Some(Value::Array(items)) => {
                for item in items {
                    out = out.merged(Some(item));
                }
            }
            // `null` resets; a string is a remote context we do not fetch.
            Some(Value::Null) => out = Context::default(),
            _ => {}
        }
        out
    }

    fn add(&mut self, map: &Map<String, Value>) {
        if let Some(vocab) = map.get("@vocab").and_then(Value::as_str) {
            self.vocab = Some(vocab.to_owned());
        }
        // Two passes: definitions may use prefixes defined in the same context.
        for _ in 0..2 {
            for (term, definition) in map {
                if term.starts_with('@') {
                    continue;
                }
                let (id, is_iri) = match definition {
                    Value::String(id) => (id.as_str(), false),
                    Value::Object(d) => (
                        d.get("@id").and_then(Value::as_str).unwrap_or(term.as_str()),
                        d.get("@type").and_then(Value::as_str) == Some("@id"),
                    ),
                    _ => continue,
                };
                if let Some(iri) = self.expand_iri(id, true) {
                    self.terms.insert(term.clone(), (iri, is_iri));
                }
            }
        }
    }

    /// A term, compact IRI or absolute IRI to an absolute IRI (`vocab`: terms and `@vocab`
    /// apply, as for keys and types).
    fn expand_iri(&self, value: &str, vocab: bool) -> Option<String> {
        if value.starts_with("_:") {
            return Some(value.to_owned());
        }
        if vocab {
            if let Some((iri, _)) = self.terms.get(value) {
                return Some(iri.clone());
            }
        }
        if let Some((prefix, suffix)) = value.split_once(':') {
            if suffix.starts_with("//") {
                return Some(value.to_owned());
            }
            if let Some((iri, _)) = self.terms.get(prefix) {
                return Some(format!("{iri}{suffix}"));
            }
            // A scheme we do not know of (urn:, mailto:): absolute already.
            return Some(value.to_owned());
        }
        match (&self.vocab, vocab) {
            (Some(v), true) => Some(format!("{v}{value}")),
            _ => None,
        }
    }
}

struct Reader {
    graph: Graph,
    blank: usize,
    depth_left: usize,
}

pub fn graph(bytes: &[u8]) -> Result<Graph, Invalid> {
    let value = json(bytes)?;
    let mut reader = Reader { graph: Graph::default(), blank: 0, depth_left: 64 };
    let root = Context::default();
    match &value {
        Value::Array(items) => {
            for item in items {
                reader.top(item, &root);
            }
        }
        Value::Object(map) => {
            let context = root.merged(map.get("@context"));
            match map.get("@graph") {
                Some(Value::Array(items)) => {
                    for item in items {
                        reader.top(item, &context);
                    }
                }
                Some(one @ Value::Object(_)) => reader.top(one, &context),
                _ => reader.top(&value, &root),
            }
        }
        _ => return Err(Invalid::new("not JSON-LD: the document is neither an object nor a list")),
    }
    if reader.graph.is_empty() {
        return Err(Invalid::new("not a DCAT catalogue: the JSON-LD holds no statements"));
    }
    Ok(reader.graph)
}

impl Reader {
    fn top(&mut self, value: &Value, context: &Context) {
        if value.is_object() {
            self.node(value, context);
        }
    }

    fn fresh_blank(&mut self) -> String {
        self.blank += 1;
        format!("_:jsonld{}", self.blank)
    }

    /// Reads a node object, returns its key (IRI or blank node).
    fn node(&mut self, value: &Value, outer: &Context) -> Option<String> {
        let map = value.as_object()?;
        if self.depth_left == 0 {
            return None;
        }
        self.depth_left -= 1;
        let context = outer.merged(map.get("@context"));
        let subject = match map.get("@id").and_then(Value::as_str) {
            Some(id) => context.expand_iri(id, false).unwrap_or_else(|| id.to_owned()),
            None => self.fresh_blank(),
        };
        for (key, values) in map {
            match key.as_str() {
                "@type" => {
                    for t in as_list(values) {
                        if let Some(iri) = t.as_str().and_then(|t| context.expand_iri(t, true)) {
                            self.graph.add(&subject, RDF_TYPE, Object::Iri(iri));
                        }
                    }
                }
                "@graph" => {
                    for item in as_list(values) {
                        self.node(item, &context);
                    }
                }
                key if key.starts_with('@') => {}
                key => {
                    let Some(predicate) = context.expand_iri(key, true) else { continue };
                    let is_iri = context.terms.get(key).is_some_and(|(_, iri)| *iri);
                    let predicate =
                        if predicate == "@type" { RDF_TYPE.to_owned() } else { predicate };
                    for item in as_list(values) {
                        for object in self.objects(item, is_iri, &context) {
                            self.graph.add(&subject, &predicate, object);
                        }
                    }
                }
            }
        }
        self.depth_left += 1;
        Some(subject)
    }

    fn objects(&mut self, value: &Value, is_iri: bool, context: &Context) -> Vec<Object> {
        match value {
            Value::String(s) if is_iri => {
                vec![Object::Iri(context.expand_iri(s, false).unwrap_or_else(|| s.clone()))]
            }
            Value::String(s) => vec![Object::Literal { value: s.clone(), lang: None }],
            Value::Number(n) => vec![Object::Literal { value: n.to_string(), lang: None }],
            Value::Bool(b) => vec![Object::Literal { value: b.to_string(), lang: None }],
            Value::Null => vec![],
            Value::Array(items) => {
                items.iter().flat_map(|i| self.objects(i, is_iri, context)).collect()
            }
            Value::Object(map) => {
                if let Some(v) = map.get("@value") {
                    let value = match v {
                        Value::String(s) => s.clone(),
                        Value::Null => return vec![],
                        other => other.to_string(),
                    };
                    let lang = map.get("@language").and_then(Value::as_str).map(str::to_owned);
                    return vec![Object::Literal { value, lang }];
                }
                if let Some(items) = map.get("@list").or(map.get("@set")) {
                    return self.objects(items, is_iri, context);
                }
                match self.node(value, context) {
                    Some(key) if key.starts_with("_:") => vec![Object::Blank(key)],
                    Some(key) => vec![Object::Iri(key)],
                    None => vec![],
                }
            }
        }
    }
}

fn as_list(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    }
}

#[cfg(test)]
mod tests {
    use super::super::dcat::records;
    use super::*;

    const COMPACT: &str = r#"{
      "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                   "vcard": "http://www.w3.org/2006/vcard/ns#",
                   "title": "dct:title", "license": {"@id": "dct:license", "@type": "@id"}},
      "@id": "https://ville.example/catalog", "@type": "dcat:Catalog",
      "dcat:dataset": [{
        "@id": "https://ville.example/dataset/arbres", "@type": "dcat:Dataset",
        "title": [{"@value": "Trees", "@language": "en"}, {"@value": "Arbres", "@language": "fr"}],
        "dct:description": "<p>Les arbres.</p>", "dcat:keyword": ["arbres", "nature"],
        "license": "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
        "dct:accrualPeriodicity": {"@id": "http://publications.europa.eu/resource/authority/frequency/ANNUAL"},
        "dcat:contactPoint": {"@type": "vcard:Kind", "vcard:hasEmail": {"@id": "mailto:sig@ville.example"}},
        "dct:issued": {"@value": "", "@type": "http://www.w3.org/2001/XMLSchema#date"},
        "dcat:distribution": [{"@type": "dcat:Distribution", "dct:title": "arbres.csv",
            "dcat:downloadURL": {"@id": "https://ville.example/arbres.csv"}, "dct:format": "CSV"},
            {"@type": "dcat:Distribution", "dct:title": "nowhere"}]
      }]
    }"#;

    #[test]
    fn a_compacted_catalogue() {
        let c = records(&graph(COMPACT.as_bytes()).expect("graph")).expect("records");
        assert_eq!(c.records.len(), 1);
        let r = &c.records[0];
        assert_eq!(r.source_id, "https://ville.example/dataset/arbres");
        assert_eq!(r.title, "Arbres", "French first");
        assert_eq!(r.licence[0], "https://www.etalab.gouv.fr/licence-ouverte-open-licence");
        assert_eq!(
            r.frequency.as_deref().map(super::super::frequency_word).as_deref(),
            Some("annual")
        );
        assert_eq!(r.contact_email.as_deref(), Some("mailto:sig@ville.example"));
        assert_eq!(r.issued, None, "an empty date is no date");
        assert_eq!(r.links.len(), 1);
        assert_eq!(r.links[0].url, "https://ville.example/arbres.csv");
        assert_eq!(r.warnings.len(), 1, "the distribution without a URL");
    }

    #[test]
    fn an_expanded_flattened_graph() {
        let flat = r#"{"@graph": [
          {"@id": "_:c", "@type": ["http://www.w3.org/ns/dcat#Catalog"]},
          {"@id": "http://x.example/d/1", "@type": ["http://www.w3.org/ns/dcat#Dataset"],
           "http://purl.org/dc/terms/identifier": [{"@value": "1"}],
           "http://purl.org/dc/terms/title": [{"@value": "Dataset 1"}],
           "http://www.w3.org/ns/dcat#distribution": [{"@id": "http://x.example/d/1/r/1"}]},
          {"@id": "http://x.example/d/1/r/1", "@type": ["http://www.w3.org/ns/dcat#Distribution"],
           "http://www.w3.org/ns/dcat#accessURL": [{"@id": "http://x.example/files/1.json"}],
           "http://www.w3.org/ns/dcat#mediaType": [{"@value": "application/json"}]}
        ]}"#;
        let c = records(&graph(flat.as_bytes()).expect("graph")).expect("records");
        assert_eq!(c.records[0].source_id, "1");
        assert_eq!(c.records[0].links[0].media_type.as_deref(), Some("application/json"));
    }

    #[test]
    fn what_is_not_a_dcat_graph() {
        assert!(graph(b"{}").is_err());
        assert!(graph(b"3").is_err());
        let people =
            r#"{"@context": {"@vocab": "http://schema.org/"}, "@type": "Person", "name": "A"}"#;
        assert!(records(&graph(people.as_bytes()).expect("graph")).is_err());
        // Deep nesting stops instead of overflowing the stack.
        let deep = format!("{}1{}", r#"{"http://x/p": "#.repeat(120), "}".repeat(120));
        assert!(graph(deep.as_bytes()).is_ok());
    }
}
