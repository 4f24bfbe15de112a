//! DCAT-AP, whatever its syntax: the JSON-LD and RDF/XML readers fill one [`Graph`] of triples,
//! and [`records`] finds the `dcat:Dataset`s in it.

use super::{Catalogue, Invalid, Link, Record};
use std::collections::BTreeMap;

pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCT: &str = "http://purl.org/dc/terms/";
const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";
const SKOS_PREF_LABEL: &str = "http://www.w3.org/2004/02/skos/core#prefLabel";
const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const RDF_VALUE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#value";
const LOCN_GEOGRAPHIC_NAME: &str = "http://www.w3.org/ns/locn#geographicName";
const ADMS_IDENTIFIER: &str = "http://www.w3.org/ns/adms#identifier";
const SCHEMA_IDENTIFIER: &str = "http://schema.org/identifier";

/// An RDF term in object position. Nodes are keyed by IRI, blank nodes by `_:label`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Object {
    Iri(String),
    Blank(String),
    Literal { value: String, lang: Option<String> },
}

impl Object {
    fn node_key(&self) -> Option<&str> {
        match self {
            Object::Iri(iri) | Object::Blank(iri) => Some(iri),
            Object::Literal { .. } => None,
        }
    }
}

/// Subjects → predicates → objects, in document order per predicate.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    nodes: BTreeMap<String, BTreeMap<String, Vec<Object>>>,
}

impl Graph {
    pub fn add(&mut self, subject: &str, predicate: &str, object: Object) {
        let values = self
            .nodes
            .entry(subject.to_owned())
            .or_default()
            .entry(predicate.to_owned())
            .or_default();
        if !values.contains(&object) {
            values.push(object);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    fn objects(&self, subject: &str, predicate: &str) -> &[Object] {
        self.nodes.get(subject).and_then(|p| p.get(predicate)).map_or(&[], Vec::as_slice)
    }

    fn typed(&self, class: &str) -> Vec<&str> {
        self.nodes
            .iter()
            .filter(|(_, p)| {
                p.get(RDF_TYPE)
                    .is_some_and(|types| types.iter().any(|t| t.node_key() == Some(class)))
            })
            .map(|(s, _)| s.as_str())
            .collect()
    }

    /// The best literal of a property: no language or French first, then English, then any.
    fn literal(&self, subject: &str, predicate: &str) -> Option<String> {
        let literals: Vec<(&str, Option<&str>)> = self
            .objects(subject, predicate)
            .iter()
            .filter_map(|o| match o {
                Object::Literal { value, lang } if !value.trim().is_empty() => {
                    Some((value.as_str(), lang.as_deref()))
                }
                _ => None,
            })
            .collect();
        let rank = |lang: Option<&str>| match lang.map(str::to_ascii_lowercase).as_deref() {
            None => 0,
            Some(l) if l.starts_with("fr") => 0,
            Some(l) if l.starts_with("en") => 1,
            Some(_) => 2,
        };
        literals.iter().min_by_key(|(_, lang)| rank(*lang)).map(|(v, _)| v.trim().to_owned())
    }

    fn literals(&self, subject: &str, predicate: &str) -> Vec<String> {
        self.objects(subject, predicate)
            .iter()
            .filter_map(|o| match o {
                Object::Literal { value, .. } => Some(value.clone()),
                _ => None,
            })
            .collect()
    }

    /// A value that may be written as a literal, an IRI, or a node with a label: the label (or
    /// the literal) first, the IRI as it is otherwise.
    fn label_or_iri(&self, object: &Object) -> Option<String> {
        match object {
            Object::Literal { value, .. } => {
                Some(value.trim().to_owned()).filter(|v| !v.is_empty())
            }
            Object::Iri(iri) | Object::Blank(iri) => {
                let label = [
                    SKOS_PREF_LABEL,
                    RDFS_LABEL,
                    &format!("{DCT}title"),
                    LOCN_GEOGRAPHIC_NAME,
                    RDF_VALUE,
                    &format!("{DCT}identifier"),
                ]
                .iter()
                .find_map(|p| self.literal(iri, p));
                label.or_else(|| matches!(object, Object::Iri(_)).then(|| iri.clone()))
            }
        }
    }

    /// A URL written as an IRI or (by sloppy exporters) as a literal.
    fn url(&self, subject: &str, predicate: &str) -> Option<String> {
        self.objects(subject, predicate).iter().find_map(|o| match o {
            Object::Iri(iri) => Some(iri.clone()),
            Object::Literal { value, .. } if !value.trim().is_empty() => {
                Some(value.trim().to_owned())
            }
            _ => None,
        })
    }
}

/// The last segment of a vocabulary IRI: `…/frequency/MONTHLY` → `MONTHLY`.
pub(crate) fn last_segment(iri: &str) -> &str {
    iri.trim_end_matches('/').rsplit(['/', '#']).next().unwrap_or(iri)
}

/// The frequency as the source writes it (an IRI, a label): [`super::normalise`] words it.
fn frequency(graph: &Graph, dataset: &str) -> Option<String> {
    let object = graph.objects(dataset, &format!("{DCT}accrualPeriodicity")).first()?;
    match object {
        Object::Iri(iri) => Some(iri.clone()),
        other => graph.label_or_iri(other),
    }
}

fn contact(graph: &Graph, dataset: &str) -> Option<String> {
    graph.objects(dataset, &format!("{DCAT}contactPoint")).iter().find_map(|point| {
        let key = point.node_key()?;
        [format!("{VCARD}hasEmail"), format!("{VCARD}email"), format!("{FOAF}mbox")]
            .iter()
            .find_map(|p| graph.url(key, p))
    })
}

fn licences(graph: &Graph, subject: &str) -> Vec<String> {
    let mut out = Vec::new();
    for predicate in [format!("{DCT}license"), format!("{DCT}rights")] {
        for object in graph.objects(subject, &predicate) {
            if let Object::Iri(iri) = object {
                out.push(iri.clone());
            }
            if let Some(key) = object.node_key() {
                for p in [format!("{DCT}identifier"), format!("{DCT}title"), RDFS_LABEL.to_owned()]
                {
                    out.extend(graph.literals(key, &p));
                }
            } else if let Object::Literal { value, .. } = object {
                out.push(value.clone());
            }
        }
    }
    out
}

fn distribution(
    graph: &Graph,
    key: &str,
    warnings: &mut Vec<String>,
) -> Option<(Link, Vec<String>)> {
    let url = graph
        .url(key, &format!("{DCAT}downloadURL"))
        .or_else(|| graph.url(key, &format!("{DCAT}accessURL")));
    let Some(url) = url else {
        warnings.push(format!("distribution {key} has no download or access URL"));
        return None;
    };
    let format = graph.objects(key, &format!("{DCT}format")).first().and_then(|f| match f {
        Object::Iri(iri) => Some(last_segment(iri).to_owned()),
        other => graph.label_or_iri(other),
    });
    let media_type =
        graph.objects(key, &format!("{DCAT}mediaType")).first().and_then(|m| match m {
            Object::Iri(iri) => iri.split("/media-types/").nth(1).map(str::to_owned),
            other => graph.label_or_iri(other),
        });
    let title = graph.literal(key, &format!("{DCT}title")).unwrap_or_default();
    Some((Link { title, url, format, media_type }, licences(graph, key)))
}

/// The datasets of a DCAT graph. A graph with neither a `dcat:Dataset` nor a `dcat:Catalog` is
/// not a catalogue.
pub fn records(graph: &Graph) -> Result<Catalogue, Invalid> {
    let datasets = graph.typed(&format!("{DCAT}Dataset"));
    if datasets.is_empty() && graph.typed(&format!("{DCAT}Catalog")).is_empty() {
        return Err(Invalid::new(
            "not a DCAT catalogue: no dcat:Catalog and no dcat:Dataset in it",
        ));
    }
    let records = datasets
        .into_iter()
        .map(|d| {
            let identifier = graph
                .literal(d, &format!("{DCT}identifier"))
                .or_else(|| (!d.starts_with("_:")).then(|| d.to_owned()))
                .or_else(|| {
                    [ADMS_IDENTIFIER, SCHEMA_IDENTIFIER].iter().find_map(|p| {
                        graph.objects(d, p).first().and_then(|o| graph.label_or_iri(o))
                    })
                })
                .unwrap_or_default();
            let mut warnings = Vec::new();
            let mut licence = licences(graph, d);
            let mut links = Vec::new();
            for dist in graph.objects(d, &format!("{DCAT}distribution")) {
                let Some(key) = dist.node_key() else { continue };
                if let Some((link, dist_licences)) = distribution(graph, key, &mut warnings) {
                    links.push(link);
                    licence.extend(dist_licences);
                }
            }
            Record {
                source_id: identifier,
                title: graph.literal(d, &format!("{DCT}title")).unwrap_or_default(),
                description: graph.literal(d, &format!("{DCT}description")).unwrap_or_default(),
                licence,
                keywords: graph.literals(d, &format!("{DCAT}keyword")),
                themes: graph
                    .objects(d, &format!("{DCAT}theme"))
                    .iter()
                    .filter_map(|t| match t {
                        Object::Iri(iri) if graph.literal(iri, SKOS_PREF_LABEL).is_none() => {
                            Some(last_segment(iri).to_owned())
                        }
                        other => graph.label_or_iri(other),
                    })
                    .collect(),
                spatial: graph
                    .objects(d, &format!("{DCT}spatial"))
                    .first()
                    .and_then(|s| graph.label_or_iri(s)),
                frequency: frequency(graph, d),
                contact_email: contact(graph, d),
                issued: graph.literal(d, &format!("{DCT}issued")),
                modified: graph.literal(d, &format!("{DCT}modified")),
                links,
                withdrawn: false,
                warnings,
            }
        })
        .collect();
    Ok(Catalogue { records, total: None })
}
