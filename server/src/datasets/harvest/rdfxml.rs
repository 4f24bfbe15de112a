//! DCAT-AP as RDF/XML into a [`Graph`], parsed by `oxrdfxml` (the oxigraph project's RDF/XML
//! parser).

use super::dcat::{Graph, Object};
use super::Invalid;
use oxrdf::{NamedOrBlankNode, Term};
use oxrdfxml::RdfXmlParser;

/// Relative IRIs (`rdf:about="datasets/1"`) resolve against `xml:base`, else `base` (the
/// document's URL).
pub fn graph(bytes: &[u8], base: &str) -> Result<Graph, Invalid> {
    let mut graph = Graph::default();
    let parser = RdfXmlParser::new();
    let parser = match parser.clone().with_base_iri(base) {
        Ok(with_base) => with_base,
        Err(_) => parser,
    };
    for triple in parser.for_slice(bytes) {
        let triple =
            triple.map_err(|e| Invalid::new(format!("the document is not valid RDF/XML: {e}")))?;
        let subject = match &triple.subject {
            NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
            NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
        };
        let object = match triple.object {
            Term::NamedNode(n) => Object::Iri(n.into_string()),
            Term::BlankNode(b) => Object::Blank(format!("_:{}", b.as_str())),
            Term::Literal(l) => {
                let lang = l.language().map(str::to_owned);
                Object::Literal { value: l.value().to_owned(), lang }
            }
            #[allow(unreachable_patterns)]
            _ => continue,
        };
        graph.add(&subject, triple.predicate.as_str(), object);
    }
    if graph.is_empty() {
        return Err(Invalid::new("not a DCAT catalogue: the RDF/XML holds no statements"));
    }
    Ok(graph)
}

#[cfg(test)]
mod tests {
    use super::super::dcat::records;
    use super::*;

    const BASE: &str = "https://geo.example/catalog/";

    const CATALOGUE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#"
         xmlns:dct="http://purl.org/dc/terms/" xmlns:vcard="http://www.w3.org/2006/vcard/ns#"
         xmlns:skos="http://www.w3.org/2004/02/skos/core#">
  <dcat:Catalog rdf:about="https://geo.example/catalog">
    <dcat:dataset>
      <dcat:Dataset rdf:about="https://geo.example/record/42">
        <dct:identifier>42</dct:identifier>
        <dct:title xml:lang="fr">Pistes cyclables</dct:title>
        <dct:description>&lt;p&gt;Le réseau.&lt;/p&gt;</dct:description>
        <dct:issued rdf:datatype="http://www.w3.org/2001/XMLSchema#date"></dct:issued>
        <dcat:keyword>vélo</dcat:keyword>
        <dcat:theme><skos:Concept><skos:prefLabel xml:lang="fr">Mobilité</skos:prefLabel></skos:Concept></dcat:theme>
        <dct:license><dct:LicenseDocument rdf:about="http://opendatacommons.org/licenses/odbl/1.0/"/></dct:license>
        <dcat:contactPoint><vcard:Organization><vcard:hasEmail rdf:resource="mailto:sig@geo.example"/></vcard:Organization></dcat:contactPoint>
        <dcat:distribution>
          <dcat:Distribution>
            <dct:title>Shapefile</dct:title>
            <dcat:accessURL rdf:resource="https://geo.example/files/pistes.zip"/>
            <dct:format><dct:MediaTypeOrExtent><rdfs:label xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">ZIP</rdfs:label></dct:MediaTypeOrExtent></dct:format>
          </dcat:Distribution>
        </dcat:distribution>
      </dcat:Dataset>
    </dcat:dataset>
  </dcat:Catalog>
</rdf:RDF>"#;

    #[test]
    fn a_geonetwork_style_catalogue() {
        let c = records(&graph(CATALOGUE.as_bytes(), BASE).expect("graph")).expect("records");
        let r = &c.records[0];
        assert_eq!(r.source_id, "42");
        assert_eq!(r.title, "Pistes cyclables");
        assert_eq!(r.description, "<p>Le réseau.</p>");
        assert_eq!(r.issued, None);
        assert_eq!(r.themes, vec!["Mobilité"]);
        assert_eq!(r.licence, vec!["http://opendatacommons.org/licenses/odbl/1.0/"]);
        assert_eq!(r.contact_email.as_deref(), Some("mailto:sig@geo.example"));
        assert_eq!(r.links[0].format.as_deref(), Some("ZIP"));
    }

    #[test]
    fn relative_iris_resolve_against_the_documents_url() {
        let doc = r#"<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#" xmlns:dct="http://purl.org/dc/terms/">
          <dcat:Dataset rdf:about="datasets/1"><dct:title>Relative</dct:title>
            <dcat:distribution><dcat:Distribution><dcat:accessURL rdf:resource="files/1.csv"/></dcat:Distribution></dcat:distribution>
          </dcat:Dataset></rdf:RDF>"#;
        let c = records(&graph(doc.as_bytes(), BASE).expect("graph")).expect("records");
        assert_eq!(c.records[0].source_id, "https://geo.example/catalog/datasets/1");
        assert_eq!(c.records[0].links[0].url, "https://geo.example/catalog/files/1.csv");
        // Without a usable base, relative IRIs are an error, not a panic.
        assert!(graph(doc.as_bytes(), "not a base").is_err());
    }

    #[test]
    fn broken_xml_is_invalid() {
        let cut = b"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><oops";
        assert!(graph(cut, BASE).is_err());
        assert!(graph(b"<html><body>Not found</body></html>", BASE).is_err());
        assert!(graph(b"", BASE).is_err());
    }
}
