use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn the_demo_seed_is_a_real_event_and_is_idempotent() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let list: Value = app.get("/api/v1/events").await.json().await.unwrap();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let event = &items[0];
    assert_eq!(event["title"], "Hackathon Données Ouvertes de Dakar 2026");
    assert_eq!(event["organisation"]["name"], "Ville de Dakar");
    assert_eq!(event["phase"], "registration");
    assert_eq!(event["timezone"], "Africa/Dakar");
    assert_eq!(event["challenge_count"], 3);
    let id = event["id"].as_str().unwrap();
    let challenges: Value =
        app.get(&format!("/api/v1/events/{id}/challenges")).await.json().await.unwrap();
    let titles: Vec<&str> = challenges["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["Mobilité urbaine", "Gestion des déchets", "Accès à l'eau"]);

    for (email, role) in [
        ("organiser@demo.test", "organiser"),
        ("judge@demo.test", "judge"),
        ("participant@demo.test", "participant"),
    ] {
        let response = app.login(email, "demo-password").await;
        assert_eq!(response.status(), StatusCode::OK, "{email}");
        let me: Value = app
            .get_as("/api/v1/me", &session(response).await.access_token)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(me["event_roles"], json!([{"event_id": id, "role": role}]), "{email}");
    }

    let storage =
        hackops_server::storage::Storage::local(&app.data_dir.join("files")).expect("storage");
    hackops_server::demo::seed(&app.db, &storage).await.expect("second seed");
    assert_eq!(app.count("events").await, 1);
    assert_eq!(app.count("challenges").await, 3);
    assert_eq!(app.count("users").await, 8, "3 demo accounts and 5 volunteers");
    assert_eq!(app.count("teams").await, 2);
    assert_eq!(app.count("announcements").await, 3);
    assert_eq!(app.count("datasets").await, 4);
    assert_eq!(app.count("resources").await, 4);
    assert_eq!(app.count("challenge_datasets").await, 4);
}

#[tokio::test]
async fn organisers_create_draft_events_that_only_they_see() {
    let app = spawn_app().await;
    let (organiser, org_id) = app.organiser("org@example.ci").await;
    let mut body = event_body("Abidjan Open Data Days");
    body["organisation_id"] = json!(org_id);
    let response = app.post_as("/api/v1/events", &organiser.access_token, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let event: Value = response.json().await.unwrap();
    assert_eq!(event["phase"], "draft");
    assert_eq!(event["slug"], "abidjan-open-data-days");
    assert_eq!(event["starts_at"], "2027-03-06T09:00:00Z");
    assert_eq!(event["challenge_count"], 0);
    let id = event["id"].as_str().unwrap();

    // The creator is its organiser.
    let me: Value = app.get_as("/api/v1/me", &organiser.access_token).await.json().await.unwrap();
    assert_eq!(me["event_roles"], json!([{"event_id": id, "role": "organiser"}]));

    // Drafts are invisible to everyone else: not listed, and 404 rather than 403.
    let anonymous: Value =
        reqwest::get(app.url("/api/v1/events")).await.unwrap().json().await.unwrap();
    assert_eq!(anonymous["items"], json!([]));
    let stranger = app.register("stranger@example.org").await;
    let theirs: Value =
        app.get_as("/api/v1/events", &stranger.access_token).await.json().await.unwrap();
    assert_eq!(theirs["items"], json!([]));
    assert_error(
        reqwest::get(app.url(&format!("/api/v1/events/{id}"))).await.unwrap(),
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let mine: Value =
        app.get_as("/api/v1/events", &organiser.access_token).await.json().await.unwrap();
    assert_eq!(mine["items"][0]["id"], id);

    // A second event with the same title gets its own slug; the only organisation is implied.
    let second: Value = app
        .post_as("/api/v1/events", &organiser.access_token, &event_body("Abidjan Open Data Days"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["slug"], "abidjan-open-data-days-2");
}

#[tokio::test]
async fn creating_events_needs_an_account_and_an_organisation() {
    let app = spawn_app().await;
    let (_, org_id) = app.organiser("owner@example.org").await;
    let anonymous = reqwest::Client::new()
        .post(app.url("/api/v1/events"))
        .json(&event_body("Anonymous event"))
        .send()
        .await
        .unwrap();
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    let outsider = app.register("outsider@example.org").await;
    let mut body = event_body("Not my organisation");
    body["organisation_id"] = json!(org_id);
    assert_error(
        app.post_as("/api/v1/events", &outsider.access_token, &body).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let no_org =
        app.post_as("/api/v1/events", &outsider.access_token, &event_body("No organisation")).await;
    let err = assert_error(no_org, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(err["details"][0]["field"], "organisation_id");
    assert_eq!(app.count("events").await, 0);
}

#[tokio::test]
async fn invalid_events_are_refused_field_by_field() {
    let app = spawn_app().await;
    let (organiser, _) = app.organiser("strict@example.org").await;
    let body = json!({"title": "ab", "timezone": "Mars/Olympus", "starts_at": "2027-03-07T09:00:00Z", "ends_at": "2027-03-06T09:00:00Z"});
    let err = assert_error(
        app.post_as("/api/v1/events", &organiser.access_token, &body).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    let fields: Vec<&str> =
        err["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["title", "ends_at"]);

    let mut unknown_zone = event_body("Valid title");
    unknown_zone["timezone"] = json!("Mars/Olympus");
    let err = assert_error(
        app.post_as("/api/v1/events", &organiser.access_token, &unknown_zone).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(
        err["details"][0],
        json!({"field": "timezone", "code": "invalid_timezone", "message": "Choose a time zone such as Europe/Paris."})
    );

    let mut bad_date = event_body("Valid title");
    bad_date["starts_at"] = json!("next tuesday");
    let err = assert_error(
        app.post_as("/api/v1/events", &organiser.access_token, &bad_date).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    )
    .await;
    assert_eq!(err["details"][0]["field"], "starts_at");
    assert_eq!(app.count("events").await, 0);
}

#[tokio::test]
async fn organisers_edit_their_events_and_nobody_else_can() {
    let app = spawn_app().await;
    let (organiser, _) = app.organiser("editor@example.org").await;
    let event: Value = app
        .post_as("/api/v1/events", &organiser.access_token, &event_body("Lomé Data Sprint"))
        .await
        .json()
        .await
        .unwrap();
    let path = format!("/api/v1/events/{}", event["id"].as_str().unwrap());

    let updated = app
        .patch_as(
            &path,
            &organiser.access_token,
            &json!({"title": "Lomé Data Sprint 2027", "venue": ""}),
        )
        .await;
    assert_eq!(updated.status(), StatusCode::OK);
    let updated: Value = updated.json().await.unwrap();
    assert_eq!(updated["title"], "Lomé Data Sprint 2027");
    assert_eq!(updated["venue"], Value::Null);
    assert_eq!(updated["timezone"], "Africa/Abidjan", "untouched fields stay");
    assert_eq!(updated["online"], false);

    // Online: a flag of its own, with or without a venue; a wrong type is refused.
    let online = app.patch_as(&path, &organiser.access_token, &json!({"online": true})).await;
    assert_eq!(online.status(), StatusCode::OK);
    let online: Value = online.json().await.unwrap();
    assert_eq!(online["online"], true);
    assert_eq!(online["title"], "Lomé Data Sprint 2027");
    let wrong = app.patch_as(&path, &organiser.access_token, &json!({"online": "yes"})).await;
    assert!(wrong.status().is_client_error(), "{}", wrong.status());
    let shown: Value = app.get_as(&path, &organiser.access_token).await.json().await.unwrap();
    assert_eq!(shown["online"], true, "a refused patch changes nothing");

    let bad = app
        .patch_as(&path, &organiser.access_token, &json!({"ends_at": "2020-01-01T00:00:00Z"}))
        .await;
    assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let unknown_field =
        app.patch_as(&path, &organiser.access_token, &json!({"phase": "archived"})).await;
    assert_error(unknown_field, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let after: Value = app.get_as(&path, &organiser.access_token).await.json().await.unwrap();
    assert_eq!(after["title"], "Lomé Data Sprint 2027", "refused patches change nothing");
    assert_eq!(after["ends_at"], "2027-03-07T18:00:00Z");
    assert_eq!(after["phase"], "draft");

    let other = app.register("other@example.org").await;
    // The draft does not exist for them.
    assert_error(
        app.patch_as(&path, &other.access_token, &json!({"title": "Hijacked"})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let anonymous = reqwest::Client::new()
        .patch(app.url(&path))
        .json(&json!({"title": "Hijacked"}))
        .send()
        .await
        .unwrap();
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

#[tokio::test]
async fn public_events_can_be_seen_but_not_edited_by_participants() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let list: Value = app.get("/api/v1/events").await.json().await.unwrap();
    let path = format!("/api/v1/events/{}", list["items"][0]["id"].as_str().unwrap());
    let participant = session(app.login("participant@demo.test", "demo-password").await).await;
    assert_eq!(app.get_as(&path, &participant.access_token).await.status(), StatusCode::OK);
    let refused =
        app.patch_as(&path, &participant.access_token, &json!({"title": "Mine now"})).await;
    assert_error(refused, StatusCode::FORBIDDEN, "forbidden").await;
    let organiser = session(app.login("organiser@demo.test", "demo-password").await).await;
    assert_eq!(
        app.patch_as(&path, &organiser.access_token, &json!({"title": "Dakar 2026"}))
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn unknown_events_are_404() {
    let app = spawn_app().await;
    assert_error(app.get("/api/v1/events/not-a-uuid").await, StatusCode::NOT_FOUND, "not_found")
        .await;
    assert_error(
        app.get(&format!("/api/v1/events/{}", uuid::Uuid::new_v4())).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.get(&format!("/api/v1/events/{}/challenges", uuid::Uuid::new_v4())).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn organisations_are_listed_and_validated() {
    let app = spawn_app().await;
    let s = app.register("mayor@example.org").await;
    let bad = app
        .post_as(
            "/api/v1/organisations",
            &s.access_token,
            &json!({"name": "X", "website": "javascript:alert(1)"}),
        )
        .await;
    let err = assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<&str> =
        err["details"].as_array().unwrap().iter().map(|d| d["field"].as_str().unwrap()).collect();
    assert_eq!(fields, vec!["name", "website"]);
    let created = app
        .post_as(
            "/api/v1/organisations",
            &s.access_token,
            &json!({"name": "Ville de Cotonou", "website": "https://cotonou.bj"}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let list: Value = app.get("/api/v1/organisations").await.json().await.unwrap();
    assert_eq!(list["items"][0]["slug"], "ville-de-cotonou");
    assert_eq!(list["items"][0]["website"], "https://cotonou.bj");
    let anonymous = reqwest::Client::new()
        .post(app.url("/api/v1/organisations"))
        .json(&json!({"name": "Anon"}))
        .send()
        .await
        .unwrap();
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}
