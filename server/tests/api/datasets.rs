//! The open data pool: publishing, streaming uploads with a cap, ranged downloads, search, and
//! the CKAN Action API read side, field by field.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const CSV: &str = "arret,ligne,lat,lon\nColobane,7,14.6921,-17.4467\nPetersen,1,14.6701,-17.4380\n";

async fn publisher(app: &TestApp) -> String {
    let (s, _) = app.organiser(&format!("data-{}@example.org", uuid::Uuid::new_v4())).await;
    s.access_token
}

async fn dataset(app: &TestApp, token: &str, title: &str, licence: &str) -> Value {
    let body = json!({"title": title, "description": "Données **ouvertes**.", "licence_id": licence, "keywords": ["Transport", "bus"], "spatial": "Dakar"});
    let r = app.post_as("/api/v1/datasets", token, &body).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{title}");
    r.json().await.unwrap()
}

async fn upload(
    app: &TestApp,
    token: &str,
    name: &str,
    filename: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!(
            "/api/v1/datasets/{name}/resources?title=Arr%C3%AAts&filename={filename}"
        )))
        .bearer_auth(token)
        .header("content-type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap()
}

fn path_of(url: &str) -> String {
    url.splitn(4, '/').nth(3).map(|p| format!("/{p}")).unwrap()
}

#[tokio::test]
async fn publish_upload_and_download_with_ranges() {
    let app = spawn_app().await;
    let token = publisher(&app).await;
    let d = dataset(&app, &token, "Arrêts de bus de Dakar", "ODbL-1.0").await;
    assert_eq!(d["name"], "arrets-de-bus-de-dakar");
    assert_eq!(d["keywords"], json!(["transport", "bus"]));

    let r = upload(
        &app,
        &token,
        "arrets-de-bus-de-dakar",
        "..%2F..%2Fetc%2Farrets.csv",
        CSV.as_bytes().to_vec(),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let resource: Value = r.json().await.unwrap();
    assert_eq!(resource["size"], CSV.len());
    assert_eq!(resource["sha256"], hex::encode(Sha256::digest(CSV.as_bytes())));
    assert_eq!(resource["format"], "CSV");
    assert_eq!(resource["media_type"], "text/csv");
    let download = path_of(resource["url"].as_str().unwrap());

    let full = app.get(&download).await;
    assert_eq!(full.status(), StatusCode::OK);
    let disposition = header(full.headers(), "content-disposition");
    assert_eq!(
        disposition, "attachment; filename=\"arrets-de-bus-de-dakar-arrets.csv\"",
        "never the client's path"
    );
    assert_eq!(header(full.headers(), "x-content-type-options"), "nosniff");
    assert_eq!(header(full.headers(), "accept-ranges"), "bytes");
    let etag = header(full.headers(), "etag");
    assert_eq!(full.text().await.unwrap(), CSV);

    let part =
        app.client.get(app.url(&download)).header("range", "bytes=0-3").send().await.unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(header(part.headers(), "content-range"), format!("bytes 0-3/{}", CSV.len()));
    assert_eq!(part.text().await.unwrap(), "arre");
    let tail = app.client.get(app.url(&download)).header("range", "bytes=-5").send().await.unwrap();
    assert_eq!(tail.text().await.unwrap(), &CSV[CSV.len() - 5..]);
    let beyond = app
        .client
        .get(app.url(&download))
        .header("range", format!("bytes={}-", CSV.len()))
        .send()
        .await
        .unwrap();
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    let cached =
        app.client.get(app.url(&download)).header("if-none-match", &etag).send().await.unwrap();
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
    assert_error(
        app.get("/api/v1/resources/not-a-uuid/download").await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn an_upload_over_the_cap_is_refused_and_leaves_nothing() {
    let app = spawn_app_with(Options { max_upload_bytes: 1000, ..Options::default() }).await;
    let token = publisher(&app).await;
    dataset(&app, &token, "Gros fichier", "CC-BY-4.0").await;
    let too_big = upload(&app, &token, "gros-fichier", "big.csv", vec![b'x'; 5000]).await;
    assert_error(too_big, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    // Chunked (no Content-Length): the cap holds while streaming.
    let chunks =
        futures_util::stream::iter((0..10).map(|_| Ok::<_, std::io::Error>(vec![b'y'; 400])));
    let streamed = app
        .client
        .post(app.url("/api/v1/datasets/gros-fichier/resources?title=x&filename=big.csv"))
        .bearer_auth(&token)
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .unwrap();
    assert_error(streamed, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large").await;
    assert_eq!(app.count("resources").await, 0);
    let files = app.data_dir.join("files/resources");
    let left = std::fs::read_dir(&files).map(|d| d.count()).unwrap_or(0);
    assert_eq!(left, 0, "nothing left in {}", files.display());
}

#[tokio::test]
async fn only_the_publisher_writes_and_bad_input_is_refused() {
    let app = spawn_app().await;
    let token = publisher(&app).await;
    dataset(&app, &token, "Budget municipal", "etalab-2.0").await;
    let stranger = app.register("stranger@example.org").await.access_token;
    assert_error(
        upload(&app, &stranger, "budget-municipal", "b.csv", b"a,b\n".to_vec()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let anonymous = reqwest::Client::new()
        .post(app.url("/api/v1/datasets"))
        .json(&json!({"title": "x", "licence_id": "CC0-1.0"}))
        .send()
        .await
        .unwrap();
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let bad = app
        .post_as(
            "/api/v1/datasets",
            &token,
            &json!({"title": "Données", "licence_id": "tous droits réservés"}),
        )
        .await;
    let err = assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(err["details"][0]["field"], "licence_id");
    let link = app
        .post_as(
            "/api/v1/datasets/budget-municipal/resources/link",
            &token,
            &json!({"title": "Portail", "url": "javascript:alert(1)"}),
        )
        .await;
    assert_error(link, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let link = app
        .post_as(
            "/api/v1/datasets/budget-municipal/resources/link",
            &token,
            &json!({"title": "Budget 2025", "url": "https://data.example.sn/budget-2025.xlsx"}),
        )
        .await;
    assert_eq!(link.status(), StatusCode::CREATED);
    let link: Value = link.json().await.unwrap();
    assert_eq!(link["format"], "XLSX");
    let redirect =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = redirect
        .get(app.url(&format!("/api/v1/resources/{}/download", link["id"].as_str().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FOUND);
    assert_eq!(header(r.headers(), "location"), "https://data.example.sn/budget-2025.xlsx");
    assert_error(app.get("/api/v1/datasets/nope").await, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn search_filters_and_pages() {
    let app = spawn_app().await;
    let token = publisher(&app).await;
    dataset(&app, &token, "Arrêts de bus", "ODbL-1.0").await;
    dataset(&app, &token, "Qualité de l'eau", "etalab-2.0").await;
    dataset(&app, &token, "Collecte des déchets", "etalab-2.0").await;
    upload(&app, &token, "arrets-de-bus", "a.csv", CSV.as_bytes().to_vec()).await;
    let all: Value = app.get("/api/v1/datasets?").await.json().await.unwrap();
    assert_eq!(all["total"], 3);
    let eau: Value = app.get("/api/v1/datasets?q=EAU").await.json().await.unwrap();
    assert_eq!(eau["items"][0]["name"], "qualite-de-l-eau");
    let by_keyword: Value = app.get("/api/v1/datasets?q=bus").await.json().await.unwrap();
    assert_eq!(by_keyword["total"], 3, "every dataset has the keyword bus");
    let etalab: Value = app.get("/api/v1/datasets?licence=etalab-2.0").await.json().await.unwrap();
    assert_eq!(etalab["total"], 2);
    let csv: Value = app.get("/api/v1/datasets?format=csv").await.json().await.unwrap();
    assert_eq!(csv["total"], 1);
    let page: Value = app.get("/api/v1/datasets?per_page=2&page=2").await.json().await.unwrap();
    assert_eq!((page["total"].as_u64(), page["items"].as_array().unwrap().len()), (Some(3), 1));
    let nobody: Value =
        app.get("/api/v1/datasets?publisher=no-such-org").await.json().await.unwrap();
    assert_eq!(nobody["total"], 0);
    let licences: Value = app.get("/api/v1/licences").await.json().await.unwrap();
    assert!(licences.as_array().unwrap().iter().any(|l| l["id"] == "etalab-2.0"));
}

#[tokio::test]
async fn ckan_clients_can_list_search_and_download() {
    let app = spawn_app().await;
    let token = publisher(&app).await;
    let d = dataset(&app, &token, "Arrêts de bus", "ODbL-1.0").await;
    dataset(&app, &token, "Qualité de l'eau", "etalab-2.0").await;
    upload(&app, &token, "arrets-de-bus", "arrets.csv", CSV.as_bytes().to_vec()).await;

    let list: Value = app.get("/api/3/action/package_list").await.json().await.unwrap();
    assert_eq!(list["success"], true);
    assert!(list["help"].as_str().unwrap().contains("package_list"));
    assert_eq!(list["result"], json!(["arrets-de-bus", "qualite-de-l-eau"]));

    for id in ["arrets-de-bus".to_owned(), d["id"].as_str().unwrap().to_owned()] {
        let show: Value =
            app.get(&format!("/api/3/action/package_show?id={id}")).await.json().await.unwrap();
        let p = &show["result"];
        assert_eq!(p["name"], "arrets-de-bus");
        assert_eq!(p["title"], "Arrêts de bus");
        assert_eq!(p["notes"], "Données **ouvertes**.");
        assert_eq!(p["license_id"], "ODbL-1.0");
        assert_eq!(p["license_title"], "Open Data Commons Open Database License 1.0");
        assert_eq!(p["organization"]["name"], d["publisher"]["slug"]);
        assert_eq!(p["tags"][0]["name"], "transport");
        assert_eq!(p["num_resources"], 1);
        let r = &p["resources"][0];
        assert_eq!(r["format"], "CSV");
        assert_eq!(r["size"], CSV.len());
        assert_eq!(r["hash"], format!("sha256:{}", hex::encode(Sha256::digest(CSV.as_bytes()))));
        assert_eq!(r["package_id"], d["id"]);
        assert!(
            p["metadata_modified"].as_str().unwrap().len() >= 19
                && !p["metadata_modified"].as_str().unwrap().ends_with('Z')
        );
        let body = app.get(&path_of(r["url"].as_str().unwrap())).await.text().await.unwrap();
        assert_eq!(body, CSV, "a CKAN client downloads from resources[].url");
    }

    let missing = app.get("/api/3/action/package_show").await;
    assert_eq!(missing.status(), StatusCode::CONFLICT);
    let missing: Value = missing.json().await.unwrap();
    assert_eq!(missing["success"], false);
    assert_eq!(missing["error"]["__type"], "Validation Error");
    let unknown = app.get("/api/3/action/package_show?id=nope").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(unknown.json::<Value>().await.unwrap()["error"]["__type"], "Not Found Error");

    let found: Value =
        app.get("/api/3/action/package_search?q=eau&rows=10").await.json().await.unwrap();
    assert_eq!(found["result"]["count"], 1);
    assert_eq!(found["result"]["results"][0]["name"], "qualite-de-l-eau");
    let filtered: Value = app
        .get("/api/3/action/package_search?fq=license_id:ODbL-1.0%20res_format:CSV")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(filtered["result"]["count"], 1);
    let paged: Value =
        app.get("/api/3/action/package_search?rows=1&start=1").await.json().await.unwrap();
    assert_eq!(
        (paged["result"]["count"].as_u64(), paged["result"]["results"].as_array().unwrap().len()),
        (Some(2), 1)
    );
    let bad_rows = app.get("/api/3/action/package_search?rows=lots").await;
    assert_eq!(bad_rows.status(), StatusCode::CONFLICT);

    let orgs: Value = app.get("/api/3/action/organization_list").await.json().await.unwrap();
    assert_eq!(orgs["result"][0], d["publisher"]["slug"]);
    let org: Value = app
        .get(&format!(
            "/api/3/action/organization_show?id={}",
            d["publisher"]["slug"].as_str().unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(org["result"]["title"], d["publisher"]["name"]);
    let licences: Value = app.get("/api/3/action/license_list").await.json().await.unwrap();
    assert!(licences["result"].as_array().unwrap().iter().any(|l| l["id"] == "CC-BY-4.0"));
    let status: Value = app.get("/api/3/action/status_show").await.json().await.unwrap();
    assert_eq!(status["result"]["site_title"], "Hackops");
    let rid = d["id"].as_str().unwrap();
    let res = app.get(&format!("/api/3/action/resource_show?id={rid}")).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "a dataset id is not a resource id");
}

#[tokio::test]
async fn dcat_ap_and_frictionless_documents() {
    let app = spawn_app().await;
    let token = publisher(&app).await;
    let d = dataset(&app, &token, "Arrêts de bus", "ODbL-1.0").await;
    upload(&app, &token, "arrets-de-bus", "arrets.csv", CSV.as_bytes().to_vec()).await;
    upload(&app, &token, "arrets-de-bus", "arrets-2.csv", CSV.as_bytes().to_vec()).await;

    let package = app.get("/dataset/arrets-de-bus/datapackage.json").await;
    assert_eq!(package.status(), StatusCode::OK);
    let package: Value = package.json().await.unwrap();
    let schema: Value =
        serde_json::from_str(include_str!("../fixtures/frictionless/datapackage.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&package).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(
        errors.is_empty(),
        "datapackage.json is not a valid Data Package v2: {errors:?}\n{package:#}"
    );
    assert_eq!(package["licenses"][0]["name"], "ODbL-1.0");
    assert_eq!(package["resources"][1]["name"], "arrets-2", "resource names stay unique");

    let node = app.get("/dataset/arrets-de-bus.jsonld").await;
    assert!(header(node.headers(), "content-type").starts_with("application/ld+json"));
    let node: Value = node.json().await.unwrap();
    assert!(node["@context"]["dcat"].is_string());
    assert_eq!(node["@type"], "dcat:Dataset");
    for mandatory in ["dct:title", "dct:description"] {
        assert!(node[mandatory].is_string(), "{mandatory}");
    }
    assert_eq!(node["dct:license"]["@id"], "https://opendatacommons.org/licenses/odbl/1-0/");
    assert_eq!(node["dct:publisher"]["foaf:name"], d["publisher"]["name"]);
    let distribution = &node["dcat:distribution"][0];
    assert!(distribution["dcat:accessURL"]["@id"].as_str().unwrap().contains("/api/v1/resources/"));
    assert_eq!(distribution["dcat:byteSize"], CSV.len().to_string());

    let catalog: Value = app.get("/catalog.jsonld").await.json().await.unwrap();
    assert_eq!(catalog["@type"][0], "dcat:Catalog");
    for mandatory in ["dct:title", "dct:description", "dct:publisher", "dcat:dataset"] {
        assert!(!catalog[mandatory].is_null(), "catalog {mandatory}");
    }
    assert_eq!(catalog["hydra:totalItems"], 1);
    assert!(catalog["hydra:view"]["hydra:first"]["@id"].as_str().unwrap().ends_with("page=1"));
    assert_error(app.get("/dataset/nope.jsonld").await, StatusCode::NOT_FOUND, "not_found").await;
    assert_error(app.get("/dataset/arrets-de-bus.rdf").await, StatusCode::NOT_FOUND, "not_found")
        .await;
}
