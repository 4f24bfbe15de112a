//! Phases (now and scheduled), agenda with its iCalendar feed, challenge editing.

use crate::helpers::*;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};
use std::time::Duration;

async fn topic_version(app: &TestApp, topic: &str) -> i64 {
    let backend = app.db.get_database_backend();
    let sql = format!("SELECT version FROM topic_versions WHERE topic = '{topic}'");
    match app.db.query_one(Statement::from_string(backend, sql)).await.unwrap() {
        Some(row) => row.try_get::<i64>("", "version").unwrap(),
        None => 0,
    }
}

#[tokio::test]
async fn organisers_move_events_forward_one_phase_at_a_time() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let (id, token) = demo(&app).await;
    let path = format!("/api/v1/events/{id}/phase");
    let skip = app.post_as(&path, &token, &json!({"phase": "judging"})).await;
    assert_error(skip, StatusCode::CONFLICT, "invalid_phase_transition").await;
    let back = app.post_as(&path, &token, &json!({"phase": "draft"})).await;
    assert_error(back, StatusCode::CONFLICT, "invalid_phase_transition").await;
    let bad = app.post_as(&path, &token, &json!({"phase": "party"})).await;
    assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let participant =
        session(app.login("participant@demo.test", "demo-password").await).await.access_token;
    assert_error(
        app.post_as(&path, &participant, &json!({"phase": "hacking"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let anonymous = reqwest::Client::new()
        .post(app.url(&path))
        .json(&json!({"phase": "hacking"}))
        .send()
        .await
        .unwrap();
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;

    let moved = app.post_as(&path, &token, &json!({"phase": "hacking"})).await;
    assert_eq!(moved.status(), StatusCode::OK);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(moved["phase"], "hacking");
    let again = app.post_as(&path, &token, &json!({"phase": "hacking"})).await;
    assert_error(again, StatusCode::CONFLICT, "invalid_phase_transition").await;
}

#[tokio::test]
async fn opening_registration_publishes_a_draft() {
    let app = spawn_app().await;
    let (organiser, _) = app.organiser("opener@example.org").await;
    let event: Value = app
        .post_as("/api/v1/events", &organiser.access_token, &event_body("Opening soon"))
        .await
        .json()
        .await
        .unwrap();
    let id = event["id"].as_str().unwrap();
    let public: Value =
        reqwest::get(app.url("/api/v1/events")).await.unwrap().json().await.unwrap();
    assert_eq!(public["items"], json!([]));
    let r = app
        .post_as(
            &format!("/api/v1/events/{id}/phase"),
            &organiser.access_token,
            &json!({"phase": "registration"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let public: Value =
        reqwest::get(app.url("/api/v1/events")).await.unwrap().json().await.unwrap();
    assert_eq!(public["items"][0]["id"], id);
    assert_eq!(topic_version(&app, "events").await, 1, "the public list changed once");
}

#[tokio::test]
async fn a_scheduled_transition_fires_once_across_two_instances() {
    let a = spawn_app_with(Options { demo: true, redis: true, ..Options::default() }).await;
    let b = spawn_app_with(Options {
        redis: true,
        database_url: Some(a.database_url.clone()),
        ..Options::default()
    })
    .await;
    let (id, token) = demo(&a).await;
    // The demo's own schedule is weeks away; this one is due in a second.
    let at = (time::OffsetDateTime::now_utc() + time::Duration::seconds(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let topic = format!("event:{id}");
    let before = topic_version(&a, &topic).await;
    let created = a
        .post_as(
            &format!("/api/v1/events/{id}/transitions"),
            &token,
            &json!({"phase": "hacking", "at": at}),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let transition: Value = created.json().await.unwrap();
    let shown: Value = b.get(&format!("/api/v1/events/{id}")).await.json().await.unwrap();
    assert_eq!(shown["next_transition"]["phase"], "hacking", "the countdown target is public");

    let mut phase = Value::Null;
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let event: Value = b.get(&format!("/api/v1/events/{id}")).await.json().await.unwrap();
        phase = event["phase"].clone();
        if phase == "hacking" {
            break;
        }
    }
    assert_eq!(phase, "hacking");
    // Both schedulers ran for a few more ticks: still exactly one firing.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(topic_version(&a, &topic).await, before + 2, "one bump to schedule, one to fire");
    let list: Value =
        a.get_as(&format!("/api/v1/events/{id}/transitions"), &token).await.json().await.unwrap();
    let fired =
        list["items"].as_array().unwrap().iter().find(|t| t["id"] == transition["id"]).unwrap();
    assert!(fired["fired_at"].is_string());
    let cancel = a
        .client
        .delete(a.url(&format!(
            "/api/v1/events/{id}/transitions/{}",
            transition["id"].as_str().unwrap()
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_error(cancel, StatusCode::CONFLICT, "conflict").await;
}

#[tokio::test]
async fn bad_schedules_are_refused_and_pending_ones_can_be_cancelled() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let (id, token) = demo(&app).await;
    let path = format!("/api/v1/events/{id}/transitions");
    let past = app
        .post_as(&path, &token, &json!({"phase": "hacking", "at": "2020-01-01T00:00:00Z"}))
        .await;
    let err = assert_error(past, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(err["details"][0]["field"], "at");
    let backwards = app
        .post_as(&path, &token, &json!({"phase": "registration", "at": "2030-01-01T00:00:00Z"}))
        .await;
    assert_error(backwards, StatusCode::CONFLICT, "invalid_phase_transition").await;

    let list: Value = app.get_as(&path, &token).await.json().await.unwrap();
    assert_eq!(
        list["items"].as_array().unwrap().len(),
        3,
        "the demo schedules hacking, judging and results"
    );
    let first = list["items"][0]["id"].as_str().unwrap();
    let r = app
        .client
        .delete(app.url(&format!("{path}/{first}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let event: Value = app.get(&format!("/api/v1/events/{id}")).await.json().await.unwrap();
    assert_eq!(event["next_transition"]["phase"], "judging", "the countdown moves to the next one");
    let missing = app
        .client
        .delete(app.url(&format!("{path}/{first}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_error(missing, StatusCode::NOT_FOUND, "not_found").await;
    let participant =
        session(app.login("participant@demo.test", "demo-password").await).await.access_token;
    assert_error(app.get_as(&path, &participant).await, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn the_agenda_is_public_editable_by_organisers_and_exported_as_icalendar() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let (id, token) = demo(&app).await;
    let path = format!("/api/v1/events/{id}/agenda");
    let agenda: Value = app.get(&path).await.json().await.unwrap();
    let items = agenda["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    assert_eq!(items[0]["kind"], "kickoff");
    assert!(
        items.windows(2).all(|w| w[0]["starts_at"].as_str() <= w[1]["starts_at"].as_str()),
        "in time order"
    );

    let bad = app
        .post_as(
            &path,
            &token,
            &json!({"title": "x", "kind": "party", "starts_at": "2026-12-01T10:00:00Z"}),
        )
        .await;
    assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let reversed = app
        .post_as(&path, &token, &json!({"title": "Dinner", "kind": "meal", "starts_at": "2026-12-01T20:00:00Z", "ends_at": "2026-12-01T19:00:00Z"}))
        .await;
    let err = assert_error(reversed, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(err["details"][0]["field"], "ends_at");
    let created = app
        .post_as(&path, &token, &json!({"title": "Dîner, partagé; ensemble", "kind": "meal", "starts_at": "2026-12-01T19:00:00Z", "location": "Cour"}))
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();

    let ics = app.get(&format!("/api/v1/events/{id}/calendar.ics")).await;
    assert_eq!(ics.status(), StatusCode::OK);
    assert!(header(ics.headers(), "content-type").starts_with("text/calendar"));
    let body = ics.text().await.unwrap();
    assert!(body.starts_with("BEGIN:VCALENDAR\r\n"), "{body}");
    assert_eq!(body.matches("BEGIN:VEVENT").count(), 8, "the event itself and its 7 agenda items");
    assert!(body.contains("SUMMARY:Dîner\\, partagé\\; ensemble"), "text is escaped: {body}");
    assert!(body.contains(&format!("UID:{}@hackops", created["id"].as_str().unwrap())));

    let participant =
        session(app.login("participant@demo.test", "demo-password").await).await.access_token;
    let refused = app
        .client
        .delete(app.url(&format!("{path}/{}", created["id"].as_str().unwrap())))
        .bearer_auth(&participant)
        .send()
        .await
        .unwrap();
    assert_error(refused, StatusCode::FORBIDDEN, "forbidden").await;
    let removed = app
        .client
        .delete(app.url(&format!("{path}/{}", created["id"].as_str().unwrap())))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), StatusCode::NO_CONTENT);
    let agenda: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(agenda["items"].as_array().unwrap().len(), 6);
}

#[tokio::test]
async fn organisers_edit_challenges() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let (id, token) = demo(&app).await;
    let path = format!("/api/v1/events/{id}/challenges");
    let bad = app.post_as(&path, &token, &json!({"title": "x", "summary": ""})).await;
    let err = assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(err["details"].as_array().unwrap().len(), 2);
    let created = app.post_as(&path, &token, &json!({"title": "Énergie", "summary": "Réduire la facture d'éclairage public.", "prize": "500 000 FCFA"})).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    assert_eq!(created["position"], 4, "added last");
    let cid = created["id"].as_str().unwrap();

    let replaced = app
        .client
        .put(app.url(&format!("{path}/{cid}")))
        .bearer_auth(&token)
        .json(&json!({"title": "Énergie et éclairage", "summary": "Réduire la facture.", "position": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(replaced.status(), StatusCode::OK);
    let list: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(list["items"][0]["title"], "Énergie et éclairage");
    assert_eq!(list["items"][0]["prize"], Value::Null);
    let event: Value = app.get(&format!("/api/v1/events/{id}")).await.json().await.unwrap();
    assert_eq!(event["challenge_count"], 4);

    let judge = session(app.login("judge@demo.test", "demo-password").await).await.access_token;
    let refused = app
        .client
        .delete(app.url(&format!("{path}/{cid}")))
        .bearer_auth(&judge)
        .send()
        .await
        .unwrap();
    assert_error(refused, StatusCode::FORBIDDEN, "forbidden").await;
    let deleted = app
        .client
        .delete(app.url(&format!("{path}/{cid}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let gone = app
        .client
        .delete(app.url(&format!("{path}/{cid}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_error(gone, StatusCode::NOT_FOUND, "not_found").await;
    let not_uuid = app
        .client
        .delete(app.url(&format!("{path}/nope")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_error(not_uuid, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn moving_by_hand_past_a_scheduled_milestone_points_the_countdown_at_the_next_one() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let (id, organiser) = demo(&app).await;
    let path = format!("/api/v1/events/{id}");
    let before: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(before["next_transition"]["phase"], "hacking", "{before}");

    let moved =
        app.post_as(&format!("{path}/phase"), &organiser, &json!({"phase": "hacking"})).await;
    assert!(moved.status().is_success(), "{}", moved.status());
    let after: Value = app.get(&path).await.json().await.unwrap();
    assert_eq!(after["phase"], "hacking");
    assert_eq!(after["next_transition"]["phase"], "judging", "{after}");
}
