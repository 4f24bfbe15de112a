//! Hand-out to teams: embargo until hacking (REST and live), licence acceptance before links,
//! signed links (expired, tampered), download counts per team, who may see what, bad input.

use crate::helpers::*;
use crate::realtime::Client;
use hackops_server::handout::links::{Grant, LinkKeys};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

const CSV: &str = "horaire,arret\n05:00,Dakar\n05:05,Colobane\n05:10,Hann\n";

/// An event in registration with one challenge, a dataset attached to it (embargoed or not),
/// a team on the challenge and a team without one.
struct Fixture {
    event: String,
    challenge: String,
    organiser: String,
    dataset: String,
    resource: String,
    member: Session,
    team: String,
    other_member: Session,
    registered: Session,
}

async fn participant(app: &TestApp, event: &str, email: &str) -> Session {
    let s = app.register(email).await;
    let r = app
        .post_as(
            &format!("/api/v1/events/{event}/registrations"),
            &s.access_token,
            &json!({"skills": [], "accept_code_of_conduct": true, "accept_data_terms": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    s
}

async fn fixture(app: &TestApp, embargo: bool) -> Fixture {
    let (organiser, org) =
        app.organiser(&format!("org-{}@example.org", uuid::Uuid::new_v4())).await;
    let token = organiser.access_token;
    let mut body = event_body("Données de Dakar");
    body["organisation_id"] = json!(org);
    let event: Value = app.post_as("/api/v1/events", &token, &body).await.json().await.unwrap();
    let event = event["id"].as_str().unwrap().to_owned();
    let r = app
        .post_as(
            &format!("/api/v1/events/{event}/phase"),
            &token,
            &json!({"phase": "registration"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let challenge: Value = app
        .post_as(
            &format!("/api/v1/events/{event}/challenges"),
            &token,
            &json!({"title": "Mobilité", "summary": "Se déplacer mieux."}),
        )
        .await
        .json()
        .await
        .unwrap();
    let challenge = challenge["id"].as_str().unwrap().to_owned();

    let d = app
        .post_as(
            "/api/v1/datasets",
            &token,
            &json!({"title": "Horaires du TER", "description": "Départs.", "licence_id": "CC-BY-4.0", "organisation_id": org}),
        )
        .await;
    assert_eq!(d.status(), StatusCode::CREATED);
    let d: Value = d.json().await.unwrap();
    let dataset = d["name"].as_str().unwrap().to_owned();
    let r = app
        .client
        .post(app.url(&format!(
            "/api/v1/datasets/{dataset}/resources?title=D%C3%A9parts&filename=ter.csv"
        )))
        .bearer_auth(&token)
        .body(CSV)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let resource = r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let r = app
        .client
        .put(app.url(&format!("/api/v1/events/{event}/challenges/{challenge}/datasets")))
        .bearer_auth(&token)
        .json(&json!({"dataset": dataset, "embargo": embargo}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let attached: Value = r.json().await.unwrap();
    assert_eq!(
        attached,
        json!({"challenge_id": challenge, "dataset": dataset, "embargo": embargo, "released": !embargo})
    );

    let member = participant(app, &event, "member@example.org").await;
    let other_member = participant(app, &event, "other@example.org").await;
    let registered = participant(app, &event, "alone@example.org").await;
    let team: Value = app
        .post_as(
            &format!("/api/v1/events/{event}/teams"),
            &member.access_token,
            &json!({"name": "Les Rapides", "challenge_id": challenge}),
        )
        .await
        .json()
        .await
        .unwrap();
    let team = team["id"].as_str().unwrap().to_owned();
    let r = app
        .post_as(
            &format!("/api/v1/events/{event}/teams"),
            &other_member.access_token,
            &json!({"name": "Sans défi"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    Fixture {
        event,
        challenge,
        organiser: token,
        dataset,
        resource,
        member,
        team,
        other_member,
        registered,
    }
}

async fn handout(app: &TestApp, f: &Fixture, token: &str) -> Value {
    let r = app.get_as(&format!("/api/v1/events/{}/handout", f.event), token).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn accept(app: &TestApp, f: &Fixture, token: &str) -> reqwest::Response {
    app.post_as(
        &format!("/api/v1/events/{}/handout/{}/accept", f.event, f.dataset),
        token,
        &json!({"accept_licence": true, "accept_data_terms": true}),
    )
    .await
}

async fn link(app: &TestApp, f: &Fixture, token: &str) -> reqwest::Response {
    app.post_as(
        &format!("/api/v1/events/{}/handout/{}/resources/{}/link", f.event, f.dataset, f.resource),
        token,
        &json!({}),
    )
    .await
}

/// Every public way into the pool, for one dataset: none may show it while it is embargoed.
async fn assert_pool_visibility(app: &TestApp, f: &Fixture, visible: bool) {
    let list: Value = app.get("/api/v1/datasets").await.json().await.unwrap();
    assert_eq!(list["total"], u64::from(visible), "list {list}");
    let search: Value = app.get("/api/v1/datasets?q=ter").await.json().await.unwrap();
    assert_eq!(search["items"].as_array().unwrap().len(), usize::from(visible), "search");
    let expected = if visible { StatusCode::OK } else { StatusCode::NOT_FOUND };
    assert_eq!(app.get(&format!("/api/v1/datasets/{}", f.dataset)).await.status(), expected);
    assert_eq!(
        app.get(&format!("/api/v1/resources/{}/download", f.resource)).await.status(),
        expected,
        "public download"
    );
    let names: Value = app.get("/api/3/action/package_list").await.json().await.unwrap();
    assert_eq!(names["result"].as_array().unwrap().len(), usize::from(visible), "package_list");
    let found: Value = app.get("/api/3/action/package_search?q=ter").await.json().await.unwrap();
    assert_eq!(found["result"]["count"], u64::from(visible), "package_search");
    let shown = app.get(&format!("/api/3/action/package_show?id={}", f.dataset)).await;
    assert_eq!(shown.status(), expected, "package_show");
    let shown = app.get(&format!("/api/3/action/resource_show?id={}", f.resource)).await;
    assert_eq!(shown.status(), expected, "resource_show");
    let catalog: Value = app.get("/catalog.jsonld").await.json().await.unwrap();
    assert_eq!(catalog["hydra:totalItems"], u64::from(visible), "DCAT catalogue");
    let one = app.get(&format!("/dataset/{}.jsonld", f.dataset)).await;
    assert_eq!(one.status(), expected, "DCAT dataset");
    let package = app.get(&format!("/dataset/{}/datapackage.json", f.dataset)).await;
    assert_eq!(package.status(), expected, "Data Package");
}

async fn follow_event(app: &TestApp, f: &Fixture) -> (Client, u64) {
    let mut client = Client::connect(app).await;
    client.send(json!({"type": "auth", "token": f.member.access_token})).await;
    assert_eq!(client.next().await["type"], "authenticated");
    let snapshot = client.subscribe(&format!("event:{}", f.event), None).await;
    assert_eq!(snapshot["type"], "snapshot");
    assert_eq!(snapshot["data"]["phase"], "registration");
    (client, snapshot["version"].as_u64().unwrap())
}

#[tokio::test]
async fn embargo_holds_until_hacking_then_the_release_is_live() {
    let app = spawn_app().await;
    let f = fixture(&app, true).await;

    assert_pool_visibility(&app, &f, false).await;
    // Organisers see it, marked as not released; the team does not.
    let org_view = handout(&app, &f, &f.organiser).await;
    assert_eq!(org_view["items"][0]["dataset"]["name"], f.dataset.as_str());
    assert_eq!(org_view["items"][0]["embargo"], true);
    assert_eq!(org_view["items"][0]["released"], false);
    assert_eq!(org_view["team_id"], Value::Null);
    let before = handout(&app, &f, &f.member.access_token).await;
    assert_eq!(before["items"], json!([]));
    assert_eq!(before["team_id"], f.team.as_str());
    assert_error(
        accept(&app, &f, &f.member.access_token).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(link(&app, &f, &f.member.access_token).await, StatusCode::NOT_FOUND, "not_found")
        .await;

    // The phase change reaches the subscribed participant, then the hand-out has the dataset.
    let (mut client, version) = follow_event(&app, &f).await;
    let r = app
        .post_as(
            &format!("/api/v1/events/{}/phase", f.event),
            &f.organiser,
            &json!({"phase": "hacking"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let update = client.until_version(&format!("event:{}", f.event), version + 1).await;
    assert_eq!(update["type"], "update");
    assert_eq!(update["data"]["phase"], "hacking");
    let after = handout(&app, &f, &f.member.access_token).await;
    let item = &after["items"][0];
    assert_eq!(item["dataset"]["name"], f.dataset.as_str());
    assert_eq!(item["released"], true);
    assert_eq!(item["embargo"], true);
    assert_eq!(item["challenge_id"], f.challenge.as_str());
    assert_eq!(item["accepted_at"], Value::Null);
    assert_eq!(
        item["licence"],
        json!({"id": "CC-BY-4.0", "name": "Creative Commons Attribution 4.0 International", "url": "https://creativecommons.org/licenses/by/4.0/", "share_alike": false})
    );
    assert_eq!(item["dataset"]["resources"][0]["id"], f.resource.as_str());
    // Released means public again, like any dataset of the pool.
    assert_pool_visibility(&app, &f, true).await;
}

#[tokio::test]
async fn the_scheduler_releases_the_embargo_live() {
    let app = spawn_app().await;
    let f = fixture(&app, true).await;
    let (mut client, version) = follow_event(&app, &f).await;
    let at = time::OffsetDateTime::now_utc() + time::Duration::seconds(1);
    let r = app
        .post_as(
            &format!("/api/v1/events/{}/transitions", f.event),
            &f.organiser,
            &json!({"phase": "hacking", "at": at.format(&time::format_description::well_known::Rfc3339).unwrap()}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    loop {
        let update = client.until_version(&format!("event:{}", f.event), version + 1).await;
        if update["data"]["phase"] == "hacking" {
            break;
        }
    }
    let after = handout(&app, &f, &f.member.access_token).await;
    assert_eq!(after["items"][0]["dataset"]["name"], f.dataset.as_str());
}

#[tokio::test]
async fn terms_come_before_links_and_downloads_count_per_team() {
    let app = spawn_app().await;
    let f = fixture(&app, false).await;
    assert_pool_visibility(&app, &f, true).await;

    assert_error(
        link(&app, &f, &f.member.access_token).await,
        StatusCode::CONFLICT,
        "terms_not_accepted",
    )
    .await;
    let refused = app
        .post_as(
            &format!("/api/v1/events/{}/handout/{}/accept", f.event, f.dataset),
            &f.member.access_token,
            &json!({"accept_licence": false, "accept_data_terms": false}),
        )
        .await;
    let err = assert_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> =
        err["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["accept_licence", "accept_data_terms"]);
    assert_eq!(app.count("handout_acceptances").await, 0);

    let accepted = accept(&app, &f, &f.member.access_token).await;
    assert_eq!(accepted.status(), StatusCode::OK);
    let accepted: Value = accepted.json().await.unwrap();
    let at = accepted["accepted_at"].as_str().unwrap().to_owned();
    let again: Value = accept(&app, &f, &f.member.access_token).await.json().await.unwrap();
    assert_eq!(again["accepted_at"], at.as_str(), "the first acceptance stands");
    assert_eq!(app.count("handout_acceptances").await, 1);
    let view = handout(&app, &f, &f.member.access_token).await;
    assert_eq!(view["items"][0]["accepted_at"], at.as_str());

    let r = link(&app, &f, &f.member.access_token).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let issued: Value = r.json().await.unwrap();
    let url = issued["url"].as_str().unwrap().to_owned();
    assert!(url.starts_with("/api/v1/handout/download?token="), "{url}");
    let expires = time::OffsetDateTime::parse(
        issued["expires_at"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let ttl = expires - time::OffsetDateTime::now_utc();
    assert!(ttl > time::Duration::minutes(9) && ttl <= time::Duration::minutes(10), "{ttl}");

    // The pool's streaming download, counted once per full download (not per resumed range).
    let full = reqwest::get(app.url(&url)).await.unwrap();
    assert_eq!(full.status(), StatusCode::OK);
    assert!(header(full.headers(), "content-disposition").starts_with("attachment; filename="));
    assert_eq!(header(full.headers(), "x-content-type-options"), "nosniff");
    assert_eq!(header(full.headers(), "cache-control"), "private, no-store");
    let etag = header(full.headers(), "etag");
    assert_eq!(full.text().await.unwrap(), CSV);
    let part = reqwest::Client::new()
        .get(app.url(&url))
        .header("range", "bytes=0-6")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.text().await.unwrap(), "horaire");
    let cached = reqwest::Client::new()
        .get(app.url(&url))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(reqwest::get(app.url(&url)).await.unwrap().status(), StatusCode::OK);

    // Concurrent downloads all count.
    let (a, b) = tokio::join!(reqwest::get(app.url(&url)), reqwest::get(app.url(&url)));
    assert_eq!((a.unwrap().status(), b.unwrap().status()), (StatusCode::OK, StatusCode::OK));

    let counts: Value = app
        .get_as(&format!("/api/v1/events/{}/handout/downloads", f.event), &f.organiser)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(counts["total"], 4);
    assert_eq!(counts["items"].as_array().unwrap().len(), 1);
    let row = &counts["items"][0];
    assert_eq!(row["team_id"], f.team.as_str());
    assert_eq!(row["team_name"], "Les Rapides");
    assert_eq!(row["dataset"], f.dataset.as_str());
    assert_eq!(row["dataset_title"], "Horaires du TER");
    assert_eq!(row["count"], 4);
    assert!(row["last_at"].is_string());
    let stats: Value = app
        .get_as(&format!("/api/v1/events/{}/stats", f.event), &f.organiser)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stats["downloads"], 4);
    assert_error(
        app.get_as(
            &format!("/api/v1/events/{}/handout/downloads", f.event),
            &f.member.access_token,
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // Organisers take links without accepting (they provide the data); nothing is counted.
    let r = link(&app, &f, &f.organiser).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let url = r.json::<Value>().await.unwrap()["url"].as_str().unwrap().to_owned();
    assert_eq!(reqwest::get(app.url(&url)).await.unwrap().status(), StatusCode::OK);
    let counts: Value = app
        .get_as(&format!("/api/v1/events/{}/handout/downloads", f.event), &f.organiser)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(counts["total"], 4);
}

#[tokio::test]
async fn expired_tampered_and_missing_links_are_refused() {
    let app = spawn_app().await;
    let f = fixture(&app, false).await;
    let keys = LinkKeys::new(TEST_SECRET.as_bytes(), Duration::from_secs(600));
    let grant = |expires_at: i64| Grant {
        resource: f.resource.parse().unwrap(),
        user: f.member.user_id.parse().unwrap(),
        team: Some(f.team.parse().unwrap()),
        expires_at,
    };
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let download = |token: String| {
        let url = app.url(&format!("/api/v1/handout/download?token={token}"));
        async move { reqwest::get(url).await.unwrap() }
    };

    // A link signed by the server's key verifies; one a minute past its expiry does not.
    assert_eq!(download(keys.sign(&grant(now + 60))).await.status(), StatusCode::OK);
    let expired =
        assert_error(download(keys.sign(&grant(now - 60))).await, StatusCode::GONE, "link_expired")
            .await;
    assert!(expired["message"].as_str().unwrap().contains("expired"));

    // Tampering with any part breaks the signature, including pushing the expiry back.
    let token = keys.sign(&grant(now - 60));
    let later = token.replacen(&format!(".{}.", now - 60), &format!(".{}.", now + 3600), 1);
    assert_ne!(later, token);
    assert_error(download(later).await, StatusCode::FORBIDDEN, "link_invalid").await;
    let good = keys.sign(&grant(now + 60));
    let mut flipped = good.clone().into_bytes();
    let last = flipped.len() - 1;
    flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
    assert_error(
        download(String::from_utf8(flipped).unwrap()).await,
        StatusCode::FORBIDDEN,
        "link_invalid",
    )
    .await;
    let forged = LinkKeys::new(b"not the server's secret, long enough", Duration::ZERO)
        .sign(&grant(now + 60));
    assert_error(download(forged).await, StatusCode::FORBIDDEN, "link_invalid").await;
    assert_error(download("garbage".into()).await, StatusCode::FORBIDDEN, "link_invalid").await;
    let missing = reqwest::get(app.url("/api/v1/handout/download")).await.unwrap();
    assert_error(missing, StatusCode::FORBIDDEN, "link_invalid").await;
    // French too.
    let fr = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/handout/download?token={}", keys.sign(&grant(now - 1)))))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    let body = assert_error(fr, StatusCode::GONE, "link_expired").await;
    assert!(body["message"].as_str().unwrap().contains("expiré"), "{body}");
    // Only the one valid download counted.
    assert_eq!(app.count("handout_downloads").await, 1);
}

#[tokio::test]
async fn only_team_members_and_organisers_get_the_handout() {
    let app = spawn_app().await;
    let f = fixture(&app, false).await;
    let path = format!("/api/v1/events/{}/handout", f.event);
    assert_error(app.get(&path).await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    let stranger = app.register("stranger@example.org").await;
    assert_error(
        app.get_as(&path, &stranger.access_token).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        app.get_as(&path, &f.registered.access_token).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        accept(&app, &f, &stranger.access_token).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        link(&app, &f, &f.registered.access_token).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // A team on no challenge (or another one) gets nothing of this challenge.
    let other = handout(&app, &f, &f.other_member.access_token).await;
    assert_eq!(other["items"], json!([]));
    assert_error(
        accept(&app, &f, &f.other_member.access_token).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        link(&app, &f, &f.other_member.access_token).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Members of the team do.
    let mine = handout(&app, &f, &f.member.access_token).await;
    assert_eq!(mine["items"][0]["dataset"]["name"], f.dataset.as_str());
    // Attaching is for the event's organisers.
    let r = app
        .client
        .put(app.url(&format!("/api/v1/events/{}/challenges/{}/datasets", f.event, f.challenge)))
        .bearer_auth(&f.member.access_token)
        .json(&json!({"dataset": f.dataset}))
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn bad_input_is_refused_on_every_endpoint() {
    let app = spawn_app().await;
    let f = fixture(&app, false).await;
    let attach = format!("/api/v1/events/{}/challenges/{}/datasets", f.event, f.challenge);
    let put = |path: String, body: Value| {
        let request = app.client.put(app.url(&path)).bearer_auth(&f.organiser).json(&body);
        async move { request.send().await.unwrap() }
    };
    let err = assert_error(
        put(attach.clone(), json!({"dataset": "no-such-data"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(err["details"][0]["field"], "dataset");
    let err = assert_error(
        put(attach.clone(), json!({"dataset": " "})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(err["details"][0]["field"], "dataset");
    let err = assert_error(
        put(attach.clone(), json!({"embargo": true})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(err["details"][0]["field"], "dataset");
    let err = assert_error(
        put(attach.clone(), json!({"dataset": f.dataset, "embargo": "yes"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(err["details"][0]["field"], "embargo");
    for challenge in [uuid::Uuid::new_v4().to_string(), "nope".to_owned()] {
        let path = format!("/api/v1/events/{}/challenges/{challenge}/datasets", f.event);
        assert_error(
            put(path, json!({"dataset": f.dataset})).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    let unknown_event =
        format!("/api/v1/events/{}/challenges/{}/datasets", uuid::Uuid::new_v4(), f.challenge);
    assert_error(
        put(unknown_event, json!({"dataset": f.dataset})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Embargoing hides a dataset from the pool: only its publishers may.
    let (other_org, other_org_id) = app.organiser("other-org@example.org").await;
    let theirs: Value = app
        .post_as("/api/v1/datasets", &other_org.access_token, &json!({"title": "Budget", "description": "Lignes.", "licence_id": "ODbL-1.0", "organisation_id": other_org_id}))
        .await
        .json()
        .await
        .unwrap();
    assert_error(
        put(attach.clone(), json!({"dataset": theirs["name"], "embargo": true})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        put(attach.clone(), json!({"dataset": theirs["name"]})).await.status(),
        StatusCode::OK
    );

    // Detach: unknown dataset, not attached, then the real thing.
    let detach = |name: &str| {
        let request =
            app.client.delete(app.url(&format!("{attach}/{name}"))).bearer_auth(&f.organiser);
        async move { request.send().await.unwrap() }
    };
    assert_error(detach("no-such-data").await, StatusCode::NOT_FOUND, "not_found").await;
    // Organisers of another event cannot reach this event's challenges through theirs.
    let theirs_event: Value = app
        .post_as("/api/v1/events", &other_org.access_token, &event_body("Autre"))
        .await
        .json()
        .await
        .unwrap();
    let sideways = app
        .client
        .delete(app.url(&format!(
            "/api/v1/events/{}/challenges/{}/datasets/{}",
            theirs_event["id"].as_str().unwrap(),
            f.challenge,
            f.dataset
        )))
        .bearer_auth(&other_org.access_token)
        .send()
        .await
        .unwrap();
    assert_error(sideways, StatusCode::NOT_FOUND, "not_found").await;
    let sideways = app
        .client
        .put(app.url(&format!(
            "/api/v1/events/{}/challenges/{}/datasets",
            theirs_event["id"].as_str().unwrap(),
            f.challenge
        )))
        .bearer_auth(&other_org.access_token)
        .json(&json!({"dataset": theirs["name"]}))
        .send()
        .await
        .unwrap();
    assert_error(sideways, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(
        handout(&app, &f, &f.member.access_token).await["items"].as_array().unwrap().len(),
        2
    );
    assert_eq!(detach(theirs["name"].as_str().unwrap()).await.status(), StatusCode::NO_CONTENT);
    assert_error(
        detach(theirs["name"].as_str().unwrap()).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Accept: unknown dataset, wrong body.
    let accept_unknown = format!("/api/v1/events/{}/handout/no-such-data/accept", f.event);
    let body = json!({"accept_licence": true, "accept_data_terms": true});
    assert_error(
        app.post_as(&accept_unknown, &f.member.access_token, &body).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let accept_path = format!("/api/v1/events/{}/handout/{}/accept", f.event, f.dataset);
    let err = assert_error(
        app.post_as(&accept_path, &f.member.access_token, &json!({"accept_licence": true})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(err["details"][0]["field"], "accept_data_terms");
    let err = assert_error(
        app.post_as(
            &accept_path,
            &f.member.access_token,
            &json!({"accept_licence": "yes", "accept_data_terms": true}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(err["details"][0]["field"], "accept_licence");
    assert_eq!(accept(&app, &f, &f.member.access_token).await.status(), StatusCode::OK);

    // Link: unknown resource, malformed resource id, unknown dataset.
    for resource in [uuid::Uuid::new_v4().to_string(), "nope".to_owned()] {
        let path =
            format!("/api/v1/events/{}/handout/{}/resources/{resource}/link", f.event, f.dataset);
        assert_error(
            app.post_as(&path, &f.member.access_token, &json!({})).await,
            StatusCode::NOT_FOUND,
            "not_found",
        )
        .await;
    }
    let path =
        format!("/api/v1/events/{}/handout/no-such-data/resources/{}/link", f.event, f.resource);
    assert_error(
        app.post_as(&path, &f.member.access_token, &json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    // Unknown event everywhere.
    let ghost = uuid::Uuid::new_v4();
    assert_error(
        app.get_as(&format!("/api/v1/events/{ghost}/handout"), &f.member.access_token).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.get_as(&format!("/api/v1/events/{ghost}/handout/downloads"), &f.organiser).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_demo_hands_out_its_synthetic_datasets() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let (event, organiser) = demo(&app).await;
    let participant =
        session(app.login("participant@demo.test", "demo-password").await).await.access_token;
    let path = format!("/api/v1/events/{event}/handout");
    let mine: Value = app.get_as(&path, &participant).await.json().await.unwrap();
    let names: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["dataset"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["stations-brt-dakar"], "the TER timetable waits for the hacking phase");
    let all: Value = app.get_as(&path, &organiser).await.json().await.unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 4);
    let embargoed: Vec<&Value> =
        all["items"].as_array().unwrap().iter().filter(|i| i["released"] == false).collect();
    assert_eq!(embargoed.len(), 1);
    assert_eq!(embargoed[0]["dataset"]["name"], "horaires-ter-dakar-diamniadio");
    let licences: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["licence"]["id"].as_str().unwrap())
        .collect();
    for licence in ["etalab-2.0", "ODbL-1.0", "CC-BY-4.0"] {
        assert!(licences.contains(&licence), "{licences:?}");
    }
    let pool: Value = app.get("/api/v1/datasets").await.json().await.unwrap();
    assert_eq!(pool["total"], 3, "the embargoed one is not in the pool yet");

    // A real CSV behind the link.
    let accept = format!("/api/v1/events/{event}/handout/stations-brt-dakar/accept");
    let body = json!({"accept_licence": true, "accept_data_terms": true});
    assert_eq!(app.post_as(&accept, &participant, &body).await.status(), StatusCode::OK);
    let resource = mine["items"][0]["dataset"]["resources"][0]["id"].as_str().unwrap();
    let link: Value = app
        .post_as(
            &format!("/api/v1/events/{event}/handout/stations-brt-dakar/resources/{resource}/link"),
            &participant,
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    let file = reqwest::get(app.url(link["url"].as_str().unwrap())).await.unwrap();
    assert_eq!(header(file.headers(), "content-type"), "text/csv");
    let csv = file.text().await.unwrap();
    assert!(
        csv.starts_with("station_id,nom,quartier,latitude,longitude,accessible_pmr\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 19);
}
