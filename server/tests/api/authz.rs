//! The authorisation matrix: every mutating endpoint against every role, in one table. A
//! refusal must change nothing (checked through the topic versions, which every change bumps,
//! and row counts).

use crate::helpers::*;
use reqwest::{Method, StatusCode};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};

const ROLES: [&str; 5] = ["anonymous", "stranger", "participant", "judge", "organiser"];

async fn fingerprint(app: &TestApp) -> String {
    let backend = app.db.get_database_backend();
    let mut out = String::new();
    for table in [
        "events",
        "challenges",
        "agenda_items",
        "phase_transitions",
        "registrations",
        "teams",
        "team_members",
        "announcements",
    ] {
        out.push_str(&format!("{table}={} ", app.count(table).await));
    }
    let rows = app
        .db
        .query_all(Statement::from_string(
            backend,
            "SELECT topic, version FROM topic_versions ORDER BY topic".to_owned(),
        ))
        .await
        .unwrap();
    for row in rows {
        out.push_str(&format!(
            "{}={} ",
            row.try_get::<String>("", "topic").unwrap(),
            row.try_get::<i64>("", "version").unwrap()
        ));
    }
    out
}

#[tokio::test]
async fn every_role_against_every_mutating_endpoint() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let list: Value = app.get("/api/v1/events").await.json().await.unwrap();
    let id = list["items"][0]["id"].as_str().unwrap().to_owned();
    let challenges: Value =
        app.get(&format!("/api/v1/events/{id}/challenges")).await.json().await.unwrap();
    let challenge = challenges["items"][0]["id"].as_str().unwrap().to_owned();
    let agenda: Value = app.get(&format!("/api/v1/events/{id}/agenda")).await.json().await.unwrap();
    let item = agenda["items"][0]["id"].as_str().unwrap().to_owned();
    let notices: Value =
        app.get(&format!("/api/v1/events/{id}/announcements")).await.json().await.unwrap();
    let notice = notices["items"][0]["id"].as_str().unwrap().to_owned();

    let stranger = app.register("stranger@example.org").await.access_token;
    let mut tokens = vec![None, Some(stranger)];
    for email in ["participant@demo.test", "judge@demo.test", "organiser@demo.test"] {
        tokens.push(Some(session(app.login(email, "demo-password").await).await.access_token));
    }

    let settings = json!({"capacity": 50, "team_min": 1, "team_max": 5, "moderated": false, "code_of_conduct": ""});
    // (method, path, body, allowed roles). Refused callers get 401 (anonymous) or 403.
    let table: Vec<(Method, String, Value, &[&str])> = vec![
        (
            Method::PATCH,
            format!("/api/v1/events/{id}"),
            json!({"title": "Renamed event"}),
            &["organiser"],
        ),
        (Method::PUT, format!("/api/v1/events/{id}/settings"), settings, &["organiser"]),
        (
            Method::POST,
            format!("/api/v1/events/{id}/challenges"),
            json!({"title": "Nouveau défi", "summary": "Un résumé."}),
            &["organiser"],
        ),
        (
            Method::PUT,
            format!("/api/v1/events/{id}/challenges/{challenge}"),
            json!({"title": "Défi revu", "summary": "Résumé revu."}),
            &["organiser"],
        ),
        (
            Method::POST,
            format!("/api/v1/events/{id}/agenda"),
            json!({"title": "Atelier", "kind": "talk", "starts_at": "2027-01-01T10:00:00Z"}),
            &["organiser"],
        ),
        (Method::DELETE, format!("/api/v1/events/{id}/agenda/{item}"), Value::Null, &["organiser"]),
        (
            Method::POST,
            format!("/api/v1/events/{id}/transitions"),
            json!({"phase": "judging", "at": "2030-01-01T00:00:00Z"}),
            &["organiser"],
        ),
        (
            Method::POST,
            format!("/api/v1/events/{id}/announcements"),
            json!({"body": "Hello", "audience": "everyone"}),
            &["organiser"],
        ),
        (
            Method::POST,
            format!("/api/v1/events/{id}/announcements/{notice}/pin"),
            json!({"pinned": false}),
            &["organiser"],
        ),
        (Method::GET, format!("/api/v1/events/{id}/registrations"), Value::Null, &["organiser"]),
        (Method::GET, format!("/api/v1/events/{id}/stats"), Value::Null, &["organiser"]),
        (Method::GET, format!("/api/v1/events/{id}/transitions"), Value::Null, &["organiser"]),
        (
            Method::POST,
            format!("/api/v1/events/{id}/phase"),
            json!({"phase": "hacking"}),
            &["organiser"],
        ),
    ];

    for (method, path, body, allowed) in &table {
        for (role, token) in ROLES.iter().zip(&tokens) {
            let before = fingerprint(&app).await;
            let mut request = app.client.request(method.clone(), app.url(path));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if !body.is_null() {
                request = request.json(body);
            }
            let status = request.send().await.unwrap().status();
            if allowed.contains(role) {
                assert!(
                    status.is_success(),
                    "{role} {method} {path}: expected success, got {status}"
                );
            } else {
                let expected = if *role == "anonymous" {
                    StatusCode::UNAUTHORIZED
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(status, expected, "{role} {method} {path}");
                assert_eq!(
                    fingerprint(&app).await,
                    before,
                    "{role} {method} {path} changed something"
                );
            }
        }
    }
}
