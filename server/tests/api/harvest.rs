//! Harvesting other portals: every fixture format through `POST /api/v1/harvest`, re-harvests
//! that update instead of duplicating, malformed documents that import nothing, who may harvest,
//! and a CKAN portal (a tiny axum server) walked page by page.

use crate::helpers::*;
use axum::extract::Query;
use axum::routing::get;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::collections::HashMap;

const CKAN: &str = include_str!("../fixtures/harvest/ckan-package-search.json");
const DKAN: &str = include_str!("../fixtures/harvest/dkan-package-show.json");
const JSONLD: &str = include_str!("../fixtures/harvest/dcat-ap.jsonld");
const FLAT: &str = include_str!("../fixtures/harvest/dcat-ap-flat.jsonld");
const RDFXML: &str = include_str!("../fixtures/harvest/dcat-ap.rdf");
const DCAT_US: &str = include_str!("../fixtures/harvest/dcat-us.json");

/// An organiser's token and their organisation's slug.
async fn harvester(app: &TestApp) -> (String, String) {
    let (session, id) =
        app.organiser(&format!("harvest-{}@example.org", uuid::Uuid::new_v4())).await;
    let list: Value = app.get("/api/v1/organisations").await.json().await.unwrap();
    let slug = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id.as_str())
        .map(|o| o["slug"].as_str().unwrap().to_owned())
        .unwrap();
    (session.access_token, slug)
}

async fn harvest(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    app.post_as("/api/v1/harvest", token, body).await
}

async fn report(app: &TestApp, token: &str, body: &Value) -> Value {
    let response = harvest(app, token, body).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn counts(r: &Value) -> (u64, u64, u64) {
    (r["created"].as_u64().unwrap(), r["updated"].as_u64().unwrap(), r["skipped"].as_u64().unwrap())
}

async fn dataset(app: &TestApp, name: &str) -> Value {
    let response = app.get(&format!("/api/v1/datasets/{name}")).await;
    assert_eq!(response.status(), StatusCode::OK, "{name}");
    response.json().await.unwrap()
}

fn item<'a>(report: &'a Value, source_id: &str) -> &'a Value {
    report["items"].as_array().unwrap().iter().find(|i| i["source_id"] == source_id).unwrap()
}

#[tokio::test]
async fn a_ckan_search_is_imported_and_a_second_harvest_updates_it() {
    let app = spawn_app().await;
    let (token, org) = harvester(&app).await;
    let url = "https://data.valmont.example/api/3/action/package_search";
    let body = json!({"organisation": org, "url": url, "content": CKAN});
    let first = report(&app, &token, &body).await;
    assert_eq!(first["format"], "ckan");
    assert_eq!(counts(&first), (2, 0, 2), "{first:#}");
    let deleted = item(&first, "c4d5e6f7-1111-4222-8333-944455556666");
    assert!(deleted["reason"].as_str().unwrap().contains("deleted"));
    let untitled = item(&first, "d0000000-0000-4000-8000-000000000004");
    assert!(untitled["reason"].as_str().unwrap().contains("title"));

    let bus = dataset(&app, "arrets-de-bus-du-reseau-valbus").await;
    assert_eq!(bus["licence_id"], "ODbL-1.0");
    assert_eq!(
        bus["description"],
        "Position des arrêts du réseau Valbus.\n\nMise à jour : voir les horaires."
    );
    assert_eq!(bus["keywords"], json!(["transport", "bus"]));
    assert_eq!(bus["themes"], json!(["mobilité"]));
    assert_eq!(bus["frequency"], "monthly");
    assert_eq!(bus["contact_email"], "mobilite@valmont.example");
    assert_eq!(bus["created_at"], "2021-03-02T09:15:00Z");
    let resources = bus["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 2);
    assert_eq!(resources[0]["url"], "https://data.valmont.example/files/arrets.csv");
    assert_eq!(resources[0]["remote"], true);
    assert_eq!(resources[1]["format"], "GEOJSON");

    let air = item(&first, "0b9e4d22-8c61-4f7a-b0d3-9f12e5a7c302");
    assert_eq!(air["outcome"], "created");
    let air = dataset(&app, air["name"].as_str().unwrap()).await;
    assert_eq!(air["licence_id"], "etalab-2.0", "from the licence's title");
    assert_eq!(air["resources"].as_array().unwrap().len(), 1, "ftp:// is left out");
    let warnings = item(&first, "0b9e4d22-8c61-4f7a-b0d3-9f12e5a7c302")["warnings"].to_string();
    assert!(warnings.contains("ftp://"), "{warnings}");

    let (datasets, resources) = (app.count("datasets").await, app.count("resources").await);
    assert_eq!((datasets, resources), (2, 3));

    // The source changed a title and dropped a resource: the same datasets follow.
    let changed = CKAN
        .replace("Arrêts de bus du réseau Valbus", "Arrêts du réseau Valbus (2025)")
        .replace("https://data.valmont.example/files/arrets.geojson", "ftp://gone.example/x");
    let again =
        report(&app, &token, &json!({"organisation": org, "url": url, "content": changed})).await;
    assert_eq!(counts(&again), (0, 2, 2));
    assert_eq!(app.count("datasets").await, 2);
    assert_eq!(app.count("resources").await, 2);
    let bus = dataset(&app, "arrets-de-bus-du-reseau-valbus").await;
    assert_eq!(bus["title"], "Arrêts du réseau Valbus (2025)", "updated, same name");
    assert_eq!(bus["resources"].as_array().unwrap().len(), 1);

    // The same again changes nothing in the counts.
    let same =
        report(&app, &token, &json!({"organisation": org, "url": url, "content": changed})).await;
    assert_eq!(counts(&same), (0, 2, 2));
    assert_eq!((app.count("datasets").await, app.count("resources").await), (2, 2));

    // Another source with the same identifiers is another set of datasets.
    let other = json!({"organisation": org, "url": "https://miroir.example/", "content": CKAN});
    assert_eq!(counts(&report(&app, &token, &other).await), (2, 0, 2));
    assert_eq!(app.count("datasets").await, 4);
}

#[tokio::test]
async fn every_catalogue_format_is_imported() {
    let app = spawn_app().await;
    let (token, org) = harvester(&app).await;
    // (document, format read, created, skipped)
    let cases = [
        (DKAN, "ckan", 1, 0),
        (JSONLD, "dcat-jsonld", 2, 0),
        (FLAT, "dcat-jsonld", 2, 0),
        (RDFXML, "dcat-rdfxml", 2, 0),
        (DCAT_US, "dcat-us", 2, 1),
    ];
    for (i, (content, format, created, skipped)) in cases.into_iter().enumerate() {
        let url = format!("https://portal-{i}.example/catalog");
        let r = report(&app, &token, &json!({"organisation": org, "url": url, "content": content}))
            .await;
        assert_eq!(r["format"], format, "{r:#}");
        assert_eq!(counts(&r), (created, 0, skipped), "{format}: {r:#}");
        // The format can also be named.
        let named = json!({"organisation": org, "url": url, "format": format, "content": content});
        assert_eq!(counts(&report(&app, &token, &named).await), (0, created, skipped));
    }

    let dkan = dataset(&app, "equipements-sportifs-de-la-region-au-01-09-2021").await;
    assert_eq!(dkan["licence_id"], "etalab-2.0");
    assert_eq!(
        dkan["description"],
        "Liste des équipements sportifs : gymnases, piscines, stades.\n\n- gymnases\n- piscines"
    );
    assert_eq!(dkan["keywords"], json!(["sport", "équipements", "région"]));
    assert_eq!(dkan["created_at"], "2021-09-01T08:00:00Z", "the French date is not read");
    assert_eq!(dkan["resources"].as_array().unwrap().len(), 2);

    let trees = dataset(&app, "arbres-d-alignement").await;
    assert_eq!(trees["licence_id"], "etalab-2.0");
    assert_eq!(trees["frequency"], "annual");
    assert_eq!(trees["spatial"], "Valmont");
    assert_eq!(trees["themes"], json!(["envi"]));
    assert_eq!(trees["contact_email"], "espaces-verts@valmont.example");
    assert_eq!(trees["modified_at"], "2024-02-01T10:00:00Z");
    let formats: Vec<&str> = trees["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, vec!["CSV", "WMS"]);
    let bikes = dataset(&app, "parkings-velos").await;
    assert_eq!(bikes["licence_id"], "CC-BY-4.0");

    let libraries = dataset(&app, "frequentation-des-bibliotheques").await;
    assert_eq!(libraries["licence_id"], "ODbL-1.0", "from the licence node's title");
    assert_eq!(libraries["contact_email"], "opendata@valmont.example");
    let council = dataset(&app, "deliberations-du-conseil-municipal").await;
    assert_eq!(council["licence_id"], "notspecified", "CC BY 3.0 is not CC BY 4.0");

    let plu = dataset(&app, "plan-local-d-urbanisme-zonage").await;
    assert_eq!(plu["description"], "Zonage du PLU approuvé.\n\nVoir le dossier complet.");
    assert_eq!(plu["licence_id"], "etalab-2.0");
    assert_eq!(plu["frequency"], "irregular");
    assert_eq!(plu["themes"], json!(["aménagement du territoire"]));
    assert_eq!(plu["resources"][0]["format"], "ESRI SHAPEFILE");
    let charging = dataset(&app, "bornes-de-recharge-pour-vehicules-electriques").await;
    assert_eq!(charging["licence_id"], "ODbL-1.0");
    assert_eq!(charging["resources"][0]["media_type"], "application/geo+json");

    let toilets = dataset(&app, "toilettes-publiques").await;
    assert_eq!(toilets["licence_id"], "etalab-2.0", "a URL inside HTML");
    assert_eq!(
        toilets["description"],
        "Emplacement des toilettes publiques de Valmont, avec leurs horaires."
    );
    assert_eq!(toilets["resources"].as_array().unwrap().len(), 3);
    let districts = dataset(&app, "limites-de-quartiers").await;
    assert_eq!(districts["licence_id"], "notspecified");
    assert_eq!(districts["keywords"], json!(["quartiers", "limites administratives"]));

    // An unknown licence is not made up in the standards' documents.
    let jsonld: Value = app.get("/dataset/limites-de-quartiers.jsonld").await.json().await.unwrap();
    assert!(jsonld.get("dct:license").is_none(), "{jsonld:#}");
    assert!(jsonld["dcat:distribution"][0].get("dct:license").is_none());
    let package: Value =
        app.get("/dataset/limites-de-quartiers/datapackage.json").await.json().await.unwrap();
    let schema: Value =
        serde_json::from_str(include_str!("../fixtures/frictionless/datapackage.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&package), "{package:#}");
    assert!(package.get("licenses").is_none());
    let ckan: Value =
        app.get("/api/3/action/package_show?id=limites-de-quartiers").await.json().await.unwrap();
    assert_eq!(ckan["result"]["license_id"], "notspecified");
    assert_eq!(ckan["result"]["license_title"], "License not specified");
    let known: Value = app.get("/dataset/toilettes-publiques.jsonld").await.json().await.unwrap();
    assert_eq!(
        known["dct:license"]["@id"],
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
    );

    // Harvested datasets are searchable like any other, and by their licence.
    let list: Value = app.get("/api/v1/datasets?licence=notspecified").await.json().await.unwrap();
    assert_eq!(list["total"], 2);
}

#[tokio::test]
async fn a_document_that_is_not_a_catalogue_imports_nothing() {
    let app = spawn_app().await;
    let (token, org) = harvester(&app).await;
    let truncated = &CKAN[..CKAN.len() / 2];
    let not_dcat =
        r#"{"@context": {"@vocab": "http://schema.org/"}, "@type": "Person", "name": "A"}"#;
    let broken_xml = &RDFXML[..RDFXML.len() - 40];
    for (content, format) in [
        ("name,title\nx,y\n", "auto"),
        (truncated, "auto"),
        (r#"{"hello": "world"}"#, "auto"),
        ("<html><body>Maintenance</body></html>", "auto"),
        (broken_xml, "auto"),
        (not_dcat, "auto"),
        (r#"{"success": false, "error": {"message": "Access denied"}}"#, "auto"),
        (DCAT_US, "ckan"),
        (CKAN, "dcat-us"),
        (CKAN, "dcat-rdfxml"),
    ] {
        let body = json!({"organisation": org, "url": "https://x.example/", "format": format, "content": content});
        let body = assert_error(
            harvest(&app, &token, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "harvest_invalid",
        )
        .await;
        assert!(body["message"].as_str().unwrap().contains("nothing was imported"));
    }
    let french = app
        .client
        .post(app.url("/api/v1/harvest"))
        .bearer_auth(&token)
        .header("accept-language", "fr")
        .json(&json!({"organisation": org, "url": "https://x.example/", "content": "oops"}))
        .send()
        .await
        .unwrap();
    let body = assert_error(french, StatusCode::UNPROCESSABLE_ENTITY, "harvest_invalid").await;
    assert!(body["message"].as_str().unwrap().contains("rien n'a été importé"));
    assert_eq!((app.count("datasets").await, app.count("resources").await), (0, 0));
}

#[tokio::test]
async fn only_the_organisations_organisers_and_admins_harvest() {
    let app = spawn_app().await;
    let (_, org) = harvester(&app).await;
    let body = json!({"organisation": org, "url": "https://x.example/", "content": CKAN});
    let anonymous = app.post_json("/api/v1/harvest", &body).await;
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let participant = app.register("participant@example.org").await;
    let refused = harvest(&app, &participant.access_token, &body).await;
    assert_error(refused, StatusCode::FORBIDDEN, "forbidden").await;
    // An organiser of another organisation is refused too.
    let (other, _) = harvester(&app).await;
    assert_error(harvest(&app, &other, &body).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(app.count("datasets").await, 0);

    let missing = json!({"organisation": "nope", "url": "https://x.example/", "content": CKAN});
    assert_error(harvest(&app, &other, &missing).await, StatusCode::NOT_FOUND, "not_found").await;
    for url in ["file:///etc/passwd", "ftp://x.example/data.json", "not a url"] {
        let body = json!({"organisation": org, "url": url});
        let r = assert_error(
            harvest(&app, &other, &body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        )
        .await;
        assert_eq!(r["details"][0]["field"], "url");
    }
}

/// A CKAN portal of `total` packages that pages like CKAN: `rows` defaults to 2 and is capped
/// at 3 here.
async fn ckan_portal(total: usize) -> String {
    let handler = move |Query(q): Query<HashMap<String, String>>| async move {
        let start: usize = q.get("start").and_then(|s| s.parse().ok()).unwrap_or(0);
        let rows: usize = q.get("rows").and_then(|s| s.parse().ok()).unwrap_or(2).min(3);
        let results: Vec<Value> = (start..total.min(start + rows))
            .map(|i| {
                json!({"id": format!("pkg-{i}"), "name": format!("jeu-{i}"), "title": format!("Jeu de données n° {i}"),
                       "notes": "<p>Page</p>", "license_id": "cc-by", "state": "active",
                       "resources": [{"name": "data", "url": format!("https://files.example/{i}.csv"), "format": "CSV"}]})
            })
            .collect();
        axum::Json(json!({"success": true, "result": {"count": total, "results": results}}))
    };
    let router = axum::Router::new()
        .route("/api/3/action/package_search", get(handler))
        .route("/broken", get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "boom") }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    address
}

#[tokio::test]
async fn a_ckan_portal_is_walked_page_by_page() {
    let app = spawn_app().await;
    let (token, org) = harvester(&app).await;
    let portal = ckan_portal(5).await;
    let body = json!({"organisation": org, "url": portal, "format": "ckan"});
    let r = report(&app, &token, &body).await;
    assert_eq!(counts(&r), (5, 0, 0), "{r:#}");
    assert_eq!(r["source"], portal);
    let list: Value = app.get("/api/v1/datasets?per_page=100").await.json().await.unwrap();
    assert_eq!(list["total"], 5);
    assert_eq!(list["items"][0]["licence_id"], "CC-BY-4.0");
    // By its API URL, asking for more rows than the portal gives: every page is still read.
    // Another URL is another source.
    let search = format!("{portal}/api/3/action/package_search?rows=4");
    let r = report(&app, &token, &json!({"organisation": org, "url": search})).await;
    assert_eq!(counts(&r), (5, 0, 0));
    let r = report(&app, &token, &json!({"organisation": org, "url": search})).await;
    assert_eq!(counts(&r), (0, 5, 0), "re-harvest of the same URL updates");
    assert_eq!(app.count("datasets").await, 10);

    let broken = json!({"organisation": org, "url": format!("{portal}/broken")});
    assert_error(
        harvest(&app, &token, &broken).await,
        StatusCode::BAD_GATEWAY,
        "harvest_unreachable",
    )
    .await;
    let closed = json!({"organisation": org, "url": "http://127.0.0.1:9/catalog.json"});
    assert_error(
        harvest(&app, &token, &closed).await,
        StatusCode::BAD_GATEWAY,
        "harvest_unreachable",
    )
    .await;
    assert_eq!(app.count("datasets").await, 10);
}

#[tokio::test]
async fn a_document_larger_than_an_ordinary_request_can_be_sent() {
    let app = spawn_app().await;
    let (token, org) = harvester(&app).await;
    let packages: Vec<Value> = (0..300)
        .map(|i| {
            json!({"id": format!("p{i}"), "title": format!("Jeu de données n° {i}"),
                   "notes": "<p>Une description assez longue pour peser.</p>".repeat(5), "license_id": "CC0",
                   "resources": [{"name": "csv", "url": format!("https://files.example/{i}.csv")}]})
        })
        .collect();
    let content =
        json!({"success": true, "result": {"count": 300, "results": packages}}).to_string();
    assert!(content.len() > 64 * 1024, "over the JSON limit of other endpoints");
    let body = json!({"organisation": org, "url": "https://big.example/", "content": content});
    let r = report(&app, &token, &body).await;
    assert_eq!(counts(&r), (300, 0, 0));
    assert_eq!((app.count("datasets").await, app.count("resources").await), (300, 300));
}

#[tokio::test]
async fn the_harvest_migration_rolls_back_and_forward() {
    use hackops_migrations::{Migrator, MigratorTrait};
    let app = spawn_app().await;
    let (token, org) = harvester(&app).await;
    let body = json!({"organisation": org, "url": "https://x.example/", "content": DCAT_US});
    assert_eq!(counts(&report(&app, &token, &body).await), (2, 0, 1));
    roll_back_before(&app, "m0009_harvest").await;
    assert_eq!(app.count("datasets").await, 2, "the datasets stay, without their source");
    Migrator::up(&app.db, None).await.expect("m0009 up again");
    // Their source was forgotten: the same harvest now creates new datasets.
    assert_eq!(counts(&report(&app, &token, &body).await), (2, 0, 1));
}
