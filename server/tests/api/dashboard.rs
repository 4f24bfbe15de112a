//! The dashboard: `GET /api/v1/me/events`.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn everyone_sees_their_own_events_and_where_they_stand() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let (id, organiser) = demo(&app).await;

    let mine: Value = app.get_as("/api/v1/me/events", &organiser).await.json().await.unwrap();
    let items = mine["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{mine}");
    assert_eq!(items[0]["event"]["id"], id.as_str());
    assert_eq!(items[0]["roles"], json!(["organiser"]));
    assert_eq!(items[0]["registration"], Value::Null);
    assert_eq!(items[0]["team"], Value::Null);

    // Fatou is registered, in a team working on the first challenge, and sees the
    // participants' announcements.
    let fatou =
        session(app.login("participant@demo.test", "demo-password").await).await.access_token;
    let hers: Value = app.get_as("/api/v1/me/events", &fatou).await.json().await.unwrap();
    let item = &hers["items"][0];
    assert_eq!(item["roles"], json!(["participant"]));
    assert_eq!(item["registration"]["status"], "confirmed");
    assert!(item["team"]["invite_code"].as_str().is_some_and(|c| !c.is_empty()), "{item}");
    assert!(item["challenge_title"].as_str().is_some_and(|t| !t.is_empty()), "{item}");
    assert!(item["latest_announcement"]["body"].is_string(), "{item}");

    // A waitlisted or pending registration counts too; a cancelled one does not.
    let newcomer = app.register("newcomer@example.org").await.access_token;
    let empty: Value = app.get_as("/api/v1/me/events", &newcomer).await.json().await.unwrap();
    assert_eq!(empty["items"], json!([]));
    let registered = app
        .post_as(
            &format!("/api/v1/events/{id}/registrations"),
            &newcomer,
            &json!({"skills": ["sig"], "accept_code_of_conduct": true, "accept_data_terms": true}),
        )
        .await;
    assert_eq!(registered.status(), StatusCode::CREATED);
    let now: Value = app.get_as("/api/v1/me/events", &newcomer).await.json().await.unwrap();
    assert_eq!(now["items"].as_array().unwrap().len(), 1, "{now}");
    assert!(now["items"][0]["registration"]["status"].is_string());
    let cancel = app
        .client
        .delete(app.url(&format!("/api/v1/events/{id}/registrations/me")))
        .bearer_auth(&newcomer)
        .send()
        .await
        .unwrap();
    assert!(cancel.status().is_success(), "{}", cancel.status());
    let after: Value = app.get_as("/api/v1/me/events", &newcomer).await.json().await.unwrap();
    assert_eq!(after["items"], json!([]));
}

#[tokio::test]
async fn the_dashboard_needs_a_valid_token() {
    let app = spawn_app().await;
    assert_error(app.get("/api/v1/me/events").await, StatusCode::UNAUTHORIZED, "unauthenticated")
        .await;
    assert_error(
        app.get_as("/api/v1/me/events", "not-a-token").await,
        StatusCode::UNAUTHORIZED,
        "token_invalid",
    )
    .await;
}
