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

async fn themed(app: &TestApp, token: &str, title: &str, licence: &str, themes: &[&str]) {
    let body = json!({"title": title, "licence_id": licence, "themes": themes});
    let r = app.post_as("/api/v1/datasets", token, &body).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{title}");
}

async fn names(app: &TestApp, path: &str) -> Vec<String> {
    let list: Value = app.get(path).await.json().await.unwrap();
    let mut names: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(list["total"], names.len(), "{path}");
    names
}

#[tokio::test]
async fn the_theme_filter_matches_whole_themes_and_facets_count_the_pool() {
    let app = spawn_app().await;
    let token = publisher(&app).await;
    themed(&app, &token, "Arrêts de bus", "ODbL-1.0", &["Mobilité", "transport"]).await;
    themed(&app, &token, "Autobus scolaires", "etalab-2.0", &["autobus", "éducation"]).await;
    themed(&app, &token, "Taux de chômage", "etalab-2.0", &["emploi_100%", "économie"]).await;
    themed(&app, &token, "Emplois", "etalab-2.0", &["emploiX100Y", "économie"]).await;
    themed(&app, &token, "Sans thème", "CC0-1.0", &[]).await;
    upload(&app, &token, "arrets-de-bus", "a.csv", CSV.as_bytes().to_vec()).await;
    upload(&app, &token, "arrets-de-bus", "b.csv", CSV.as_bytes().to_vec()).await;
    upload(&app, &token, "emplois", "e.CSV", CSV.as_bytes().to_vec()).await;
    let link = json!({"title": "API", "url": "https://data.example.org/x.json"});
    app.post_as("/api/v1/datasets/emplois/resources/link", &token, &link).await;

    // Exactly, case-insensitively: `bus` is not `autobus`, `MOBILITÉ` is `mobilité`.
    assert_eq!(names(&app, "/api/v1/datasets?theme=MOBILIT%C3%89").await, ["arrets-de-bus"]);
    assert_eq!(names(&app, "/api/v1/datasets?theme=bus").await, Vec::<String>::new());
    assert_eq!(names(&app, "/api/v1/datasets?theme=autobus").await, ["autobus-scolaires"]);
    // `%` and `_` are characters of the theme, not wildcards.
    assert_eq!(names(&app, "/api/v1/datasets?theme=emploi_100%25").await, ["taux-de-chomage"]);
    assert_eq!(names(&app, "/api/v1/datasets?theme=emploi%25").await, Vec::<String>::new());
    assert_eq!(names(&app, "/api/v1/datasets?theme=%25").await, Vec::<String>::new());
    assert_eq!(names(&app, "/api/v1/datasets?theme=_").await, Vec::<String>::new());
    assert_eq!(
        names(&app, "/api/v1/datasets?theme=%C3%A9conomie").await,
        ["emplois", "taux-de-chomage"]
    );
    assert_eq!(
        names(&app, "/api/v1/datasets?theme=%C3%A9conomie&format=csv").await,
        ["emplois"],
        "with the other filters"
    );
    // CKAN: themes are groups.
    let ckan: Value = app
        .get("/api/3/action/package_search?fq=groups:%22emploi_100%25%22")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ckan["result"]["count"], 1);
    assert_eq!(ckan["result"]["results"][0]["groups"][0]["name"], "emploi_100%");

    let facets: Value = app.get("/api/v1/datasets/facets").await.json().await.unwrap();
    let counts = |key: &str| -> Vec<(String, u64)> {
        facets[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["value"].as_str().unwrap().to_owned(), f["count"].as_u64().unwrap()))
            .collect()
    };
    let pairs = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
        v.iter().map(|(s, n)| ((*s).to_owned(), *n)).collect()
    };
    // A dataset counts once per format however many files it has; `e.CSV` is CSV.
    assert_eq!(counts("formats"), pairs(&[("CSV", 2), ("JSON", 1)]));
    assert_eq!(
        counts("themes"),
        pairs(&[
            ("économie", 2),
            ("autobus", 1),
            ("emploi_100%", 1),
            ("emploix100y", 1),
            ("mobilité", 1),
            ("transport", 1),
            ("éducation", 1),
        ])
    );
    assert_eq!(counts("licences"), pairs(&[("etalab-2.0", 3), ("CC0-1.0", 1), ("ODbL-1.0", 1)]));
    let publishers = facets["publishers"].as_array().unwrap();
    assert_eq!(publishers.len(), 1);
    assert_eq!(publishers[0]["count"], 5);
    let slug = publishers[0]["value"].as_str().unwrap();
    assert_eq!(names(&app, &format!("/api/v1/datasets?publisher={slug}")).await.len(), 5);
    assert!(publishers[0]["label"].as_str().is_some_and(|l| !l.is_empty()));
}

#[tokio::test]
async fn temporal_coverage_is_validated_and_returned() {
    let app = spawn_app().await;
    let token = publisher(&app).await;
    let backwards = json!({"title": "Comptages vélo", "licence_id": "etalab-2.0",
        "temporal_start": "2024-06-01", "temporal_end": "2024-05-31"});
    let err = assert_error(
        app.post_as("/api/v1/datasets", &token, &backwards).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(err["details"].as_array().unwrap().len(), 1, "{err}");
    assert_eq!(err["details"][0]["field"], "temporal_end");
    let garbled = json!({"title": "Comptages vélo", "licence_id": "etalab-2.0",
        "temporal_start": "01/06/2024", "temporal_end": "2024-13-01"});
    let err = assert_error(
        app.post_as("/api/v1/datasets", &token, &garbled).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let mut fields: Vec<&str> =
        err["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
    fields.sort_unstable();
    assert_eq!(fields, ["temporal_end", "temporal_start"]);

    let ok = json!({"title": "Comptages vélo", "licence_id": "etalab-2.0",
        "temporal_start": "2024-01-01", "temporal_end": "2024-01-01"});
    let r = app.post_as("/api/v1/datasets", &token, &ok).await;
    assert_eq!(r.status(), StatusCode::CREATED, "a single day");
    let d: Value = app.get("/api/v1/datasets/comptages-velo").await.json().await.unwrap();
    assert_eq!(
        (&d["temporal_start"], &d["temporal_end"]),
        (&json!("2024-01-01"), &json!("2024-01-01"))
    );
    let open = json!({"title": "Depuis 2020", "licence_id": "etalab-2.0", "temporal_start": "2020-01-01", "temporal_end": ""});
    assert_eq!(app.post_as("/api/v1/datasets", &token, &open).await.status(), StatusCode::CREATED);
    let d: Value = app.get("/api/v1/datasets/depuis-2020").await.json().await.unwrap();
    assert_eq!(d["temporal_start"], "2020-01-01");
    assert!(d.get("temporal_end").is_none(), "{d}");
    let node: Value = app.get("/dataset/depuis-2020.jsonld").await.json().await.unwrap();
    assert_eq!(
        node["dct:temporal"],
        json!({"@type": "dct:PeriodOfTime", "dcat:startDate": "2020-01-01"})
    );
    let ckan: Value =
        app.get("/api/3/action/package_show?id=comptages-velo").await.json().await.unwrap();
    let extras = ckan["result"]["extras"].as_array().unwrap();
    assert!(extras.contains(&json!({"key": "temporal_start", "value": "2024-01-01"})));
    assert!(extras.contains(&json!({"key": "temporal_end", "value": "2024-01-01"})));
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

/// A French CSV as municipalities publish them: BOM, `;`, decimal commas, dd/mm/yyyy dates.
fn communes_csv(rows: usize) -> Vec<u8> {
    let mut csv =
        String::from("\u{feff}code_insee;commune;population;surface_km2;recensement;touristique\n");
    for i in 0..rows {
        csv.push_str(&format!(
            "0{};Commune {i};{};{},{};{:02}/01/2021;{}\n",
            1000 + i,
            100 + i * 7,
            i + 1,
            i % 10,
            i % 28 + 1,
            if i % 2 == 0 { "true" } else { "false" }
        ));
    }
    csv.into_bytes()
}

fn table_schema_validator() -> jsonschema::Validator {
    let schema: Value =
        serde_json::from_str(include_str!("../fixtures/frictionless/tableschema.json")).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, what: &str, instance: &Value) {
    let errors: Vec<String> =
        validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "{what} is not valid: {errors:?}\n{instance:#}");
}

async fn put_schema(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
    schema: &Value,
) -> reqwest::Response {
    let mut request =
        app.client.put(app.url(&format!("/api/v1/resources/{id}/schema"))).json(schema);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_csv_upload_gets_a_preview_and_an_inferred_table_schema() {
    let app = spawn_app().await;
    let token = publisher(&app).await;
    dataset(&app, &token, "Communes de la métropole", "etalab-2.0").await;
    let bytes = communes_csv(30);
    let r = upload(&app, &token, "communes-de-la-metropole", "communes.csv", bytes.clone()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let resource: Value = r.json().await.unwrap();
    let id = resource["id"].as_str().unwrap().to_owned();
    assert_eq!(resource["dialect"], json!({"delimiter": ";"}));
    let schema = resource["schema"].clone();
    assert_valid(&table_schema_validator(), "the inferred schema", &schema);
    assert_eq!(
        schema["fields"],
        json!([
            {"name": "code_insee", "type": "string"},
            {"name": "commune", "type": "string"},
            {"name": "population", "type": "integer"},
            {"name": "surface_km2", "type": "number", "decimalChar": ","},
            {"name": "recensement", "type": "date", "format": "%d/%m/%Y"},
            {"name": "touristique", "type": "boolean"},
        ])
    );

    let preview = app.get(&format!("/api/v1/resources/{id}/preview")).await;
    assert_eq!(preview.status(), StatusCode::OK);
    let preview: Value = preview.json().await.unwrap();
    assert_eq!(preview["columns"][0], "code_insee", "the BOM is not part of the name");
    assert_eq!(preview["rows"].as_array().unwrap().len(), 20, "the first 20 rows");
    assert_eq!(
        preview["rows"][0],
        json!(["01000", "Commune 0", "100", "1,0", "01/01/2021", "true"])
    );
    assert_eq!(preview["delimiter"], ";");
    assert_eq!(preview["bom"], true);
    assert_eq!(preview["warnings"], json!([]));
    assert_eq!(preview["schema"], schema);

    // The Data Package carries the schema and the dialect, and stays a valid v2 package.
    let package: Value =
        app.get("/dataset/communes-de-la-metropole/datapackage.json").await.json().await.unwrap();
    let dp: Value =
        serde_json::from_str(include_str!("../fixtures/frictionless/datapackage.json")).unwrap();
    assert_valid(&jsonschema::validator_for(&dp).unwrap(), "datapackage.json", &package);
    let res = &package["resources"][0];
    assert_eq!(
        (&res["type"], &res["schema"], &res["dialect"]),
        (&json!("table"), &schema, &json!({"delimiter": ";"}))
    );

    // A Latin-1 TSV: read lossily, with a warning; the delimiter is a tab.
    let tsv = b"nom\tvaleur\nB\xe9ziers\t1.5\nS\xe8te\t2\n".to_vec();
    let r = upload(&app, &token, "communes-de-la-metropole", "villes.tsv", tsv).await;
    let tsv: Value = r.json().await.unwrap();
    assert_eq!(tsv["format"], "TSV");
    assert_eq!(tsv["schema"]["fields"][1], json!({"name": "valeur", "type": "number"}));
    let preview: Value = app
        .get(&format!("/api/v1/resources/{}/preview", tsv["id"].as_str().unwrap()))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!((&preview["delimiter"], &preview["warnings"]), (&json!("\t"), &json!(["not_utf8"])));
    assert_eq!(preview["rows"][0][0], "B\u{fffd}ziers");

    // Not a table: no schema, and no preview.
    let pdf =
        upload(&app, &token, "communes-de-la-metropole", "notice.pdf", b"%PDF-1.7 x".to_vec())
            .await;
    let pdf: Value = pdf.json().await.unwrap();
    assert!(pdf.get("schema").is_none() && pdf.get("dialect").is_none(), "{pdf}");
    let pdf_preview =
        app.get(&format!("/api/v1/resources/{}/preview", pdf["id"].as_str().unwrap())).await;
    assert_error(pdf_preview, StatusCode::CONFLICT, "not_tabular").await;
    assert_error(
        app.get(&format!("/api/v1/resources/{}/preview", uuid::Uuid::new_v4())).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn publishers_edit_the_table_schema_and_bad_ones_are_refused() {
    let app = spawn_app().await;
    let token = publisher(&app).await;
    dataset(&app, &token, "Communes", "etalab-2.0").await;
    let r = upload(&app, &token, "communes", "communes.csv", communes_csv(5)).await;
    let resource: Value = r.json().await.unwrap();
    let id = resource["id"].as_str().unwrap().to_owned();
    let mut schema = resource["schema"].clone();
    schema["fields"][0]["title"] = json!("Code INSEE");
    schema["fields"][0]["description"] = json!("Le code officiel géographique de la commune.");
    schema["fields"][2]["type"] = json!("number");
    schema["fields"][4] = json!({"name": "recensement", "type": "date", "format": "any"});

    let edited = put_schema(&app, Some(&token), &id, &schema).await;
    assert_eq!(edited.status(), StatusCode::OK);
    let edited: Value = edited.json().await.unwrap();
    assert_eq!(edited["schema"], schema);
    assert_valid(&table_schema_validator(), "the edited schema", &schema);
    let shown: Value = app.get("/api/v1/datasets/communes").await.json().await.unwrap();
    assert_eq!(shown["resources"][0]["schema"], schema, "kept");
    let preview: Value =
        app.get(&format!("/api/v1/resources/{id}/preview")).await.json().await.unwrap();
    assert_eq!(preview["schema"], schema);

    let mut bad = schema.clone();
    bad["fields"][1]["name"] = json!("nom");
    bad["fields"][2]["type"] = json!("money");
    bad["fields"][3]["format"] = json!("%d");
    let err = assert_error(
        put_schema(&app, Some(&token), &id, &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> =
        err["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["fields[1].name", "fields[2].type", "fields[3].format"]);
    let mut short = schema.clone();
    short["fields"].as_array_mut().unwrap().pop();
    let err = assert_error(
        put_schema(&app, Some(&token), &id, &short).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(err["details"][0]["field"], "fields", "one field per column");
    let mut duplicate = schema.clone();
    duplicate["fields"][1]["name"] = json!("code_insee");
    let err = assert_error(
        put_schema(&app, Some(&token), &id, &duplicate).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(err["details"][0]["field"], "fields[1].name");
    assert_error(
        put_schema(&app, Some(&token), &id, &json!({"fields": [{"name": "x"}]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;

    let (other, _) = app.organiser("other-publisher@example.org").await;
    assert_error(
        put_schema(&app, Some(&other.access_token), &id, &schema).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        put_schema(&app, None, &id, &schema).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    let link = app
        .post_as(
            "/api/v1/datasets/communes/resources/link",
            &token,
            &json!({"title": "Portail", "url": "https://data.example.org/communes.csv"}),
        )
        .await;
    let link: Value = link.json().await.unwrap();
    assert_error(
        put_schema(&app, Some(&token), link["id"].as_str().unwrap(), &schema).await,
        StatusCode::CONFLICT,
        "not_tabular",
    )
    .await;
    let unchanged: Value = app.get("/api/v1/datasets/communes").await.json().await.unwrap();
    assert_eq!(unchanged["resources"][0]["schema"], schema, "refused edits change nothing");
}

#[tokio::test]
async fn the_resource_schema_migration_rolls_back_and_forward() {
    use hackops_migrations::{Migrator, MigratorTrait};
    let app = spawn_app().await;
    let token = publisher(&app).await;
    dataset(&app, &token, "Communes", "etalab-2.0").await;
    upload(&app, &token, "communes", "communes.csv", communes_csv(3)).await;
    roll_back_before(&app, "m0010_resource_schema").await;
    assert_eq!(app.count("resources").await, 1, "the resources stay, without their schema");
    Migrator::up(&app.db, None).await.expect("m0010 up again");
    let shown: Value = app.get("/api/v1/datasets/communes").await.json().await.unwrap();
    assert!(shown["resources"][0].get("schema").is_none(), "{shown}");
    let again: Value = upload(&app, &token, "communes", "communes.csv", communes_csv(3))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["schema"]["fields"][2]["type"], "integer");
}

/// The real binary, stopped when dropped (its memory is measured from `/proc/<pid>/status`).
struct Server {
    child: std::process::Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(data_dir: &std::path::Path) -> Server {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hackops"))
        .args(["serve", "--addr", "127.0.0.1:0", "--jwt-secret", TEST_SECRET, "--data-dir"])
        .arg(data_dir)
        .env_remove("HACKOPS_DATABASE_URL")
        .env_remove("HACKOPS_REDIS_URL")
        .env_remove("HACKOPS_STORAGE_URL")
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let port = first.rsplit("port ").next().unwrap().trim_end_matches(')').to_owned();
    Server { child, address: format!("http://127.0.0.1:{port}") }
}

/// A figure of `/proc/<pid>/status` (`VmRSS`, `VmHWM`), in bytes.
fn memory(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with(&format!("{field}:"))).unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

/// Downloads stream from storage: 50 clients reading an 8 MiB file slowly, all at once, do not
/// make the server hold the file 50 times (400 MiB); each gets every byte.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_slow_downloads_keep_the_server_memory_flat() {
    const SIZE: usize = 8 * 1024 * 1024;
    const CLIENTS: usize = 50;
    // Generous: buffering the file per download would cost 400 MiB.
    const BOUND: u64 = 128 * 1024 * 1024;
    let dir = tempfile::tempdir().unwrap();
    let server = start_server(dir.path());
    let pid = server.child.id();
    let client = reqwest::Client::new();
    let url = |path: &str| format!("{}{path}", server.address);
    let post = |path: &str, token: Option<&str>, body: Value| {
        let mut request = client.post(url(path)).json(&body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let account: Value = post(
        "/api/v1/auth/register",
        None,
        json!({"email": "memory@example.org", "password": PASSWORD, "display_name": "Memory"}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let token = account["access_token"].as_str().unwrap().to_owned();
    let org = post("/api/v1/organisations", Some(&token), json!({"name": "Ville de Valmont"}))
        .await
        .unwrap();
    assert_eq!(org.status(), StatusCode::CREATED);
    let d = post(
        "/api/v1/datasets",
        Some(&token),
        json!({"title": "Orthophotos", "licence_id": "etalab-2.0"}),
    )
    .await
    .unwrap();
    assert_eq!(d.status(), StatusCode::CREATED);
    let file: Vec<u8> = (0..SIZE).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let sha256 = hex::encode(Sha256::digest(&file));
    let resource: Value = client
        .post(url("/api/v1/datasets/orthophotos/resources?title=Dalles&filename=dalles.bin"))
        .bearer_auth(&token)
        .body(file.clone())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(resource["sha256"], sha256.as_str());
    let download = url(&path_of(resource["url"].as_str().unwrap()));
    // Settle, then measure.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let before = memory(pid, "VmRSS");

    let file = std::sync::Arc::new(file);
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(CLIENTS + 1));
    let readers: Vec<_> = (0..CLIENTS)
        .map(|n| {
            let (client, download, file, barrier) =
                (client.clone(), download.clone(), file.clone(), barrier.clone());
            tokio::spawn(async move {
                use futures_util::StreamExt;
                let response = client.get(&download).send().await.unwrap();
                assert_eq!(response.status(), StatusCode::OK);
                let etag = header(response.headers(), "etag");
                // Every download has started before anyone reads on.
                barrier.wait().await;
                let mut body = response.bytes_stream();
                let (mut at, mut hasher) = (0usize, Sha256::new());
                while let Some(chunk) = body.next().await {
                    let chunk = chunk.unwrap();
                    assert!(chunk[..] == file[at..at + chunk.len()], "client {n}: bytes at {at}");
                    if n == 0 {
                        hasher.update(&chunk);
                    }
                    at += chunk.len();
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                }
                assert_eq!(at, file.len(), "client {n}: every byte");
                (n == 0).then(|| (hex::encode(hasher.finalize()), etag))
            })
        })
        .collect();
    barrier.wait().await;
    let mut during = 0;
    while !readers.iter().all(|r| r.is_finished()) {
        during = during.max(memory(pid, "VmRSS"));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    for reader in readers {
        if let Some((hash, etag)) = reader.await.unwrap() {
            assert_eq!(hash, sha256, "the downloaded file's SHA-256");
            assert_eq!(etag, format!("\"{sha256}\""));
        }
    }
    let peak = memory(pid, "VmHWM");
    let growth = peak.saturating_sub(before);
    assert!(
        growth < BOUND,
        "{CLIENTS} downloads of {SIZE} bytes grew the server from {before} to a peak of {peak} bytes \
         (highest sample while reading: {during}); the bound is {BOUND}"
    );
}

/// JSON-LD expansion, by hand, for what our documents use: a flat `@context` of prefixes and
/// typed terms (`{"@type": "xsd:dateTime"}`), `@id`, `@type`, nested nodes and arrays. Every
/// key, type and IRI must expand to an absolute IRI: a term the context does not define would
/// be silently dropped by a JSON-LD processor, so here it is an error.
mod jsonld {
    use serde_json::{Map, Value};
    use std::collections::BTreeMap;

    pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
    pub const DCT: &str = "http://purl.org/dc/terms/";
    pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
    pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

    #[derive(Debug, Clone)]
    pub enum Object {
        Node(Node),
        Literal { value: Value, datatype: Option<String> },
    }

    #[derive(Debug, Clone, Default)]
    pub struct Node {
        pub id: Option<String>,
        pub types: Vec<String>,
        pub properties: BTreeMap<String, Vec<Object>>,
    }

    impl Node {
        pub fn values(&self, property: &str) -> &[Object] {
            self.properties.get(property).map(Vec::as_slice).unwrap_or_default()
        }

        pub fn nodes(&self, property: &str) -> Vec<&Node> {
            self.values(property)
                .iter()
                .filter_map(|o| match o {
                    Object::Node(n) => Some(n),
                    Object::Literal { .. } => None,
                })
                .collect()
        }

        pub fn has_type(&self, iri: &str) -> bool {
            self.types.iter().any(|t| t == iri)
        }
    }

    pub struct Context {
        prefixes: BTreeMap<String, String>,
        coercions: BTreeMap<String, String>,
    }

    impl Context {
        pub fn of(document: &Value) -> Context {
            let mut context = Context { prefixes: BTreeMap::new(), coercions: BTreeMap::new() };
            let definitions = document["@context"].as_object().expect("an inline @context");
            for (term, definition) in definitions {
                match definition {
                    Value::String(iri) => {
                        context.prefixes.insert(term.clone(), iri.clone());
                    }
                    Value::Object(d) => {
                        let datatype = d["@type"].as_str().expect("a typed term");
                        context.coercions.insert(term.clone(), datatype.to_owned());
                    }
                    other => panic!("unexpected definition of {term}: {other}"),
                }
            }
            context
        }

        /// A compact IRI (`dct:title`) or an absolute one, expanded; `None` for anything else.
        pub fn iri(&self, value: &str) -> Option<String> {
            if value.starts_with("http://")
                || value.starts_with("https://")
                || value.starts_with("mailto:")
            {
                return Some(value.to_owned());
            }
            let (prefix, suffix) = value.split_once(':')?;
            self.prefixes.get(prefix).map(|iri| format!("{iri}{suffix}"))
        }

        pub fn expand(&self, node: &Map<String, Value>, errors: &mut Vec<String>) -> Node {
            let mut out = Node::default();
            for (key, value) in node {
                match key.as_str() {
                    "@context" => {}
                    "@id" => out.id = value.as_str().and_then(|v| self.iri(v)),
                    "@type" => {
                        let types =
                            value.as_array().cloned().unwrap_or_else(|| vec![value.clone()]);
                        for t in types {
                            match t.as_str().and_then(|t| self.iri(t)) {
                                Some(iri) => out.types.push(iri),
                                None => errors.push(format!("type {t} is not an IRI")),
                            }
                        }
                    }
                    term => {
                        let Some(property) = self.iri(term) else {
                            errors.push(format!("term {term} is not defined"));
                            continue;
                        };
                        let datatype = self.coercions.get(term).and_then(|t| self.iri(t));
                        let values =
                            value.as_array().cloned().unwrap_or_else(|| vec![value.clone()]);
                        let objects = values
                            .iter()
                            .map(|v| match v {
                                Value::Object(inner) => {
                                    let node = self.expand(inner, errors);
                                    if inner.contains_key("@id") && node.id.is_none() {
                                        errors.push(format!(
                                            "{term}: {} is not an IRI",
                                            inner["@id"]
                                        ));
                                    }
                                    Object::Node(node)
                                }
                                literal => Object::Literal {
                                    value: literal.clone(),
                                    datatype: datatype.clone(),
                                },
                            })
                            .collect();
                        out.properties.insert(property, objects);
                    }
                }
            }
            out
        }
    }

    /// The expanded top node of a document, and what did not expand.
    pub fn expand(document: &Value) -> (Node, Vec<String>) {
        let context = Context::of(document);
        let mut errors = Vec::new();
        let node = context.expand(document.as_object().expect("a node"), &mut errors);
        (node, errors)
    }
}

/// DCAT-AP 3: the catalogue's and the datasets' mandatory properties, the distributions'
/// mandatory `dcat:accessURL`, and the shape of every recommended property we emit (literals
/// where DCAT-AP wants literals, resources where it wants resources, typed dates and sizes).
fn check_dcat_dataset(d: &jsonld::Node, problems: &mut Vec<String>) {
    use jsonld::{Object, DCAT, DCT, FOAF, XSD};
    let name = d.id.clone().unwrap_or_default();
    let mut need = |ok: bool, what: &str| {
        if !ok {
            problems.push(format!("{name}: {what}"));
        }
    };
    let literal = |o: &Object| matches!(o, Object::Literal { value: serde_json::Value::String(s), .. } if !s.is_empty());
    let typed = |o: &Object, t: &str| matches!(o, Object::Literal { datatype: Some(dt), .. } if dt == &format!("{XSD}{t}"));
    let iri = |o: &Object| matches!(o, Object::Node(n) if n.id.is_some());
    need(d.has_type(&format!("{DCAT}Dataset")), "a dcat:Dataset");
    need(d.id.is_some(), "an IRI");
    // Mandatory.
    for p in ["title", "description"] {
        let values = d.values(&format!("{DCT}{p}"));
        need(!values.is_empty() && values.iter().all(literal), &format!("dct:{p} literal"));
    }
    // Recommended, as we emit them.
    let publisher = d.nodes(&format!("{DCT}publisher"));
    need(
        publisher.len() == 1
            && publisher[0].id.is_some()
            && publisher[0].has_type(&format!("{FOAF}Agent"))
            && publisher[0].values(&format!("{FOAF}name")).iter().all(literal),
        "dct:publisher a foaf:Agent with a foaf:name",
    );
    need(d.values(&format!("{DCAT}keyword")).iter().all(literal), "dcat:keyword literals");
    need(
        d.nodes(&format!("{DCAT}theme")).len() == d.values(&format!("{DCAT}theme")).len()
            && d.nodes(&format!("{DCAT}theme"))
                .iter()
                .all(|t| t.has_type("http://www.w3.org/2004/02/skos/core#Concept")),
        "dcat:theme skos:Concepts",
    );
    for p in ["issued", "modified"] {
        let values = d.values(&format!("{DCT}{p}"));
        need(values.len() == 1 && typed(&values[0], "dateTime"), &format!("dct:{p} xsd:dateTime"));
    }
    need(d.values(&format!("{DCT}license")).iter().all(iri), "dct:license an IRI");
    need(d.values(&format!("{DCAT}landingPage")).iter().all(iri), "dcat:landingPage an IRI");
    need(
        d.nodes(&format!("{DCT}spatial")).iter().all(|s| s.has_type(&format!("{DCT}Location"))),
        "dct:spatial a dct:Location",
    );
    need(
        d.nodes(&format!("{DCAT}contactPoint"))
            .iter()
            .all(|c| c.has_type("http://www.w3.org/2006/vcard/ns#Kind")),
        "dcat:contactPoint a vcard:Kind",
    );
    need(
        d.nodes(&format!("{DCT}accrualPeriodicity"))
            .iter()
            .all(|f| f.has_type(&format!("{DCT}Frequency"))),
        "dct:accrualPeriodicity a dct:Frequency",
    );
    for period in d.nodes(&format!("{DCT}temporal")) {
        need(period.has_type(&format!("{DCT}PeriodOfTime")), "dct:temporal a dct:PeriodOfTime");
        for p in ["startDate", "endDate"] {
            let values = period.values(&format!("{DCAT}{p}"));
            need(
                values.len() <= 1 && values.iter().all(|v| typed(v, "date")),
                &format!("dcat:{p} xsd:date"),
            );
        }
    }
    need(
        d.nodes(&format!("{DCT}temporal")).len() == d.values(&format!("{DCT}temporal")).len(),
        "dct:temporal a node",
    );
    let distributions = d.nodes(&format!("{DCAT}distribution"));
    need(
        distributions.len() == d.values(&format!("{DCAT}distribution")).len(),
        "distributions are nodes",
    );
    for r in distributions {
        need(r.has_type(&format!("{DCAT}Distribution")), "a dcat:Distribution");
        let access = r.values(&format!("{DCAT}accessURL"));
        need(!access.is_empty() && access.iter().all(iri), "dcat:accessURL an IRI (mandatory)");
        need(r.values(&format!("{DCAT}downloadURL")).iter().all(iri), "dcat:downloadURL an IRI");
        need(r.values(&format!("{DCT}license")).iter().all(iri), "distribution dct:license an IRI");
        need(
            r.nodes(&format!("{DCAT}mediaType")).len()
                == r.values(&format!("{DCAT}mediaType")).len()
                && r.values(&format!("{DCAT}mediaType")).iter().all(iri),
            "dcat:mediaType an IANA IRI",
        );
        need(
            r.nodes(&format!("{DCT}format")).len() == r.values(&format!("{DCT}format")).len(),
            "dct:format a resource",
        );
        let size = r.values(&format!("{DCAT}byteSize"));
        need(
            size.iter().all(|s| typed(s, "nonNegativeInteger")),
            "dcat:byteSize xsd:nonNegativeInteger",
        );
        need(
            r.values(&format!("{DCT}title")).iter().all(literal),
            "distribution dct:title literal",
        );
        for checksum in r.nodes("http://spdx.org/rdf/terms#checksum") {
            need(
                checksum.values("http://spdx.org/rdf/terms#algorithm").iter().all(iri)
                    && checksum
                        .values("http://spdx.org/rdf/terms#checksumValue")
                        .iter()
                        .all(literal),
                "spdx:checksum with an algorithm IRI and a value",
            );
        }
    }
}

#[tokio::test]
async fn the_dcat_ap_documents_expand_to_the_mandatory_and_recommended_properties() {
    use jsonld::{Object, DCAT, DCT, FOAF};
    let app = spawn_app().await;
    let token = publisher(&app).await;
    let body = json!({"title": "Arrêts de bus", "description": "Les arrêts du réseau.", "licence_id": "ODbL-1.0",
        "keywords": ["transport"], "themes": ["mobilité"], "spatial": "Dakar", "frequency": "monthly",
        "contact_email": "data@dakar.example", "temporal_start": "2023-01-01", "temporal_end": "2023-12-31"});
    assert_eq!(app.post_as("/api/v1/datasets", &token, &body).await.status(), StatusCode::CREATED);
    upload(&app, &token, "arrets-de-bus", "arrets.csv", CSV.as_bytes().to_vec()).await;
    let link =
        json!({"title": "Portail", "url": "https://data.example.sn/arrets", "format": "API REST"});
    app.post_as("/api/v1/datasets/arrets-de-bus/resources/link", &token, &link).await;
    let other = json!({"title": "Qualité de l'eau", "licence_id": "etalab-2.0"});
    app.post_as("/api/v1/datasets", &token, &other).await;

    let catalog: Value = app.get("/catalog.jsonld").await.json().await.unwrap();
    let (catalog, errors) = jsonld::expand(&catalog);
    assert!(errors.is_empty(), "the catalogue does not expand: {errors:?}");
    assert!(catalog.has_type(&format!("{DCAT}Catalog")));
    let literal = |o: &[Object]| matches!(o, [Object::Literal { value: Value::String(s), .. }] if !s.is_empty());
    assert!(literal(catalog.values(&format!("{DCT}title"))), "catalogue dct:title");
    assert!(literal(catalog.values(&format!("{DCT}description"))), "catalogue dct:description");
    let publisher = catalog.nodes(&format!("{DCT}publisher"));
    assert!(
        publisher.len() == 1
            && publisher[0].has_type(&format!("{FOAF}Agent"))
            && publisher[0].id.is_some(),
        "catalogue dct:publisher"
    );
    assert!(catalog.nodes(&format!("{FOAF}homepage")).iter().all(|h| h.id.is_some()));
    let datasets = catalog.nodes(&format!("{DCAT}dataset"));
    assert_eq!(datasets.len(), 2);
    let mut problems = Vec::new();
    for d in &datasets {
        check_dcat_dataset(d, &mut problems);
    }

    let one: Value = app.get("/dataset/arrets-de-bus.jsonld").await.json().await.unwrap();
    let (one, errors) = jsonld::expand(&one);
    assert!(errors.is_empty(), "the dataset does not expand: {errors:?}");
    check_dcat_dataset(&one, &mut problems);
    assert!(problems.is_empty(), "not DCAT-AP 3: {problems:#?}");

    // What the check saw, so it cannot pass on an empty document.
    let distributions = one.nodes(&format!("{DCAT}distribution"));
    assert_eq!(distributions.len(), 2);
    let file =
        distributions.iter().find(|d| !d.values(&format!("{DCAT}downloadURL")).is_empty()).unwrap();
    assert_eq!(
        file.nodes(&format!("{DCAT}mediaType"))[0].id.as_deref(),
        Some("https://www.iana.org/assignments/media-types/text/csv")
    );
    assert_eq!(
        file.nodes(&format!("{DCT}format"))[0].id.as_deref(),
        Some("http://publications.europa.eu/resource/authority/file-type/CSV")
    );
    assert_eq!(
        one.nodes(&format!("{DCT}accrualPeriodicity"))[0].id.as_deref(),
        Some("http://publications.europa.eu/resource/authority/frequency/MONTHLY")
    );
    assert_eq!(one.nodes(&format!("{DCAT}theme")).len(), 1);
    assert_eq!(one.nodes(&format!("{DCAT}contactPoint")).len(), 1);
    let period = one.nodes(&format!("{DCT}temporal"));
    assert_eq!(period.len(), 1);
    assert!(matches!(
        period[0].values(&format!("{DCAT}endDate")),
        [Object::Literal { value: Value::String(end), .. }] if end == "2023-12-31"
    ));
    assert_eq!(
        one.nodes(&format!("{DCT}license"))[0].id.as_deref(),
        Some("https://opendatacommons.org/licenses/odbl/1-0/")
    );
}
