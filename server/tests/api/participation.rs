//! Registration (capacity, waitlist, moderation), teams (races, captaincy, lock), the board.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

struct Event {
    id: String,
    organiser: String,
}

/// An event in its registration phase with the given settings.
async fn open_event(app: &TestApp, settings: Value) -> Event {
    let (organiser, _) = app.organiser(&format!("org-{}@example.org", uuid::Uuid::new_v4())).await;
    let token = organiser.access_token;
    let event: Value =
        app.post_as("/api/v1/events", &token, &event_body("Data Days")).await.json().await.unwrap();
    let id = event["id"].as_str().unwrap().to_owned();
    let mut full = json!({"capacity": null, "team_min": 1, "team_max": 5, "moderated": false, "code_of_conduct": "Be kind.", "teams_lock_at": null});
    for (k, v) in settings.as_object().unwrap() {
        full[k] = v.clone();
    }
    let r = app
        .client
        .put(app.url(&format!("/api/v1/events/{id}/settings")))
        .bearer_auth(&token)
        .json(&full)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .post_as(&format!("/api/v1/events/{id}/phase"), &token, &json!({"phase": "registration"}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    Event { id, organiser: token }
}

fn registration(skills: &[&str], looking: bool) -> Value {
    json!({"skills": skills, "interests": "mobilité", "accept_code_of_conduct": true, "accept_data_terms": true, "looking_for_team": looking})
}

async fn register(app: &TestApp, event: &Event, email: &str) -> (Session, Value) {
    let s = app.register(email).await;
    let r = app
        .post_as(
            &format!("/api/v1/events/{}/registrations", event.id),
            &s.access_token,
            &registration(&["python"], true),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED, "{email}");
    let body: Value = r.json().await.unwrap();
    (s, body)
}

#[tokio::test]
async fn capacity_fills_then_the_waitlist_is_promoted_on_cancel() {
    let app = spawn_app().await;
    let event = open_event(&app, json!({"capacity": 2})).await;
    let (a, ra) = register(&app, &event, "a@example.org").await;
    let (_, rb) = register(&app, &event, "b@example.org").await;
    let (c, rc) = register(&app, &event, "c@example.org").await;
    assert_eq!(
        (ra["status"].as_str(), rb["status"].as_str(), rc["status"].as_str()),
        (Some("confirmed"), Some("confirmed"), Some("waitlisted"))
    );
    assert_eq!(rc["waitlist_position"], 1);
    let shown: Value = app.get(&format!("/api/v1/events/{}", event.id)).await.json().await.unwrap();
    assert_eq!(shown["confirmed_count"], 2);

    let me: Value = app.get_as("/api/v1/me", &c.access_token).await.json().await.unwrap();
    assert_eq!(me["event_roles"], json!([]), "no participant role while waitlisted");
    let cancel = app
        .client
        .delete(app.url(&format!("/api/v1/events/{}/registrations/me", event.id)))
        .bearer_auth(&a.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(cancel.status(), StatusCode::NO_CONTENT);
    let promoted: Value = app
        .get_as(&format!("/api/v1/events/{}/registrations/me", event.id), &c.access_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(promoted["status"], "confirmed");
    assert_eq!(promoted["waitlist_position"], Value::Null);
    let me: Value = app.get_as("/api/v1/me", &c.access_token).await.json().await.unwrap();
    assert_eq!(me["event_roles"][0]["role"], "participant");
    let me: Value = app.get_as("/api/v1/me", &a.access_token).await.json().await.unwrap();
    assert_eq!(me["event_roles"], json!([]), "the role leaves with the seat");
    let shown: Value = app.get(&format!("/api/v1/events/{}", event.id)).await.json().await.unwrap();
    assert_eq!(shown["confirmed_count"], 2);

    // Coming back puts you at the back of the queue.
    let again = app
        .post_as(
            &format!("/api/v1/events/{}/registrations", event.id),
            &a.access_token,
            &registration(&[], false),
        )
        .await;
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["status"], "waitlisted");
}

#[tokio::test]
async fn two_people_racing_for_the_last_seat_get_one_seat() {
    let app = spawn_app().await;
    let event = open_event(&app, json!({"capacity": 1})).await;
    let x = app.register("x@example.org").await;
    let y = app.register("y@example.org").await;
    let path = format!("/api/v1/events/{}/registrations", event.id);
    let body = registration(&[], false);
    let (rx, ry) = tokio::join!(
        app.post_as(&path, &x.access_token, &body),
        app.post_as(&path, &y.access_token, &body)
    );
    let mut statuses = vec![
        rx.json::<Value>().await.unwrap()["status"].clone(),
        ry.json::<Value>().await.unwrap()["status"].clone(),
    ];
    statuses.sort_by_key(|s| s.to_string());
    assert_eq!(statuses, vec![json!("confirmed"), json!("waitlisted")]);
}

#[tokio::test]
async fn registration_rules_and_bad_input() {
    let app = spawn_app().await;
    let event = open_event(&app, json!({})).await;
    let path = format!("/api/v1/events/{}/registrations", event.id);
    let s = app.register("rules@example.org").await;
    let refused = app
        .post_as(
            &path,
            &s.access_token,
            &json!({"accept_code_of_conduct": false, "accept_data_terms": true}),
        )
        .await;
    let err = assert_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(err["details"][0]["field"], "accept_code_of_conduct");
    let missing = app.post_as(&path, &s.access_token, &json!({"skills": []})).await;
    assert_error(missing, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(app.count("registrations").await, 0);
    assert_eq!(
        app.post_as(&path, &s.access_token, &registration(&[], false)).await.status(),
        StatusCode::CREATED
    );
    assert_error(
        app.post_as(&path, &s.access_token, &registration(&[], false)).await,
        StatusCode::CONFLICT,
        "already_registered",
    )
    .await;
    let anonymous = reqwest::Client::new()
        .post(app.url(&path))
        .json(&registration(&[], false))
        .send()
        .await
        .unwrap();
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    assert_error(app.get_as(&path, &s.access_token).await, StatusCode::FORBIDDEN, "forbidden")
        .await;

    app.post_as(
        &format!("/api/v1/events/{}/phase", event.id),
        &event.organiser,
        &json!({"phase": "hacking"}),
    )
    .await;
    let late = app.register("late@example.org").await;
    assert_error(
        app.post_as(&path, &late.access_token, &registration(&[], false)).await,
        StatusCode::CONFLICT,
        "registration_closed",
    )
    .await;
}

#[tokio::test]
async fn moderated_events_wait_for_the_organiser_and_exports_are_safe() {
    let app = spawn_app().await;
    let event = open_event(&app, json!({"moderated": true})).await;
    let s = app.register("formula@example.org").await;
    let r: Value = app.post_as(&format!("/api/v1/events/{}/registrations", event.id), &s.access_token, &json!({
        "skills": ["=1+1"], "interests": "@SUM(A1)", "accept_code_of_conduct": true, "accept_data_terms": true
    })).await.json().await.unwrap();
    assert_eq!(r["status"], "pending");
    let rid = r["id"].as_str().unwrap();
    let csv = app
        .get_as(&format!("/api/v1/events/{}/registrations.csv", event.id), &event.organiser)
        .await;
    assert!(header(csv.headers(), "content-type").starts_with("text/csv"));
    assert!(header(csv.headers(), "content-disposition").starts_with("attachment"));
    let csv = csv.text().await.unwrap();
    assert!(csv.contains(",'=1+1,'@SUM(A1),"), "{csv}");
    let approved = app
        .post_as(
            &format!("/api/v1/events/{}/registrations/{rid}/approve", event.id),
            &event.organiser,
            &json!({}),
        )
        .await;
    let approved: Value = approved.json().await.unwrap();
    assert_eq!(approved["status"], "confirmed");
    let twice = app
        .post_as(
            &format!("/api/v1/events/{}/registrations/{rid}/reject", event.id),
            &event.organiser,
            &json!({}),
        )
        .await;
    assert_error(twice, StatusCode::CONFLICT, "conflict").await;
    let not_mine = app
        .post_as(
            &format!("/api/v1/events/{}/registrations/{rid}/reject", event.id),
            &s.access_token,
            &json!({}),
        )
        .await;
    assert_error(not_mine, StatusCode::FORBIDDEN, "forbidden").await;
}

async fn create_team(app: &TestApp, event: &Event, s: &Session, name: &str) -> Value {
    let r = app
        .post_as(
            &format!("/api/v1/events/{}/teams", event.id),
            &s.access_token,
            &json!({"name": name}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

#[tokio::test]
async fn teams_form_by_invite_code_and_the_last_seat_has_one_winner() {
    let app = spawn_app().await;
    let event = open_event(&app, json!({"team_max": 2})).await;
    let (captain, _) = register(&app, &event, "cap@example.org").await;
    let (p1, _) = register(&app, &event, "p1@example.org").await;
    let (p2, _) = register(&app, &event, "p2@example.org").await;
    let outsider = app.register("outsider@example.org").await;

    let team = create_team(&app, &event, &captain, "Les Baobabs").await;
    let code = team["invite_code"].as_str().unwrap().to_owned();
    assert_eq!(
        team["members"],
        json!([{"user_id": captain.user_id, "display_name": "Test Person", "captain": true}])
    );
    let no_seat = app
        .post_as(
            &format!("/api/v1/events/{}/teams", event.id),
            &outsider.access_token,
            &json!({"name": "Solo"}),
        )
        .await;
    assert_error(no_seat, StatusCode::FORBIDDEN, "forbidden").await;
    let dup = app
        .post_as(
            &format!("/api/v1/events/{}/teams", event.id),
            &p1.access_token,
            &json!({"name": "Les Baobabs"}),
        )
        .await;
    assert_error(dup, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;

    let join = format!("/api/v1/events/{}/teams/join", event.id);
    let bad = app.post_as(&join, &p1.access_token, &json!({"invite_code": "NOPE1234"})).await;
    assert_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let body = json!({"invite_code": code.to_lowercase()});
    let (r1, r2) = tokio::join!(
        app.post_as(&join, &p1.access_token, &body),
        app.post_as(&join, &p2.access_token, &body)
    );
    let mut statuses = [r1.status().as_u16(), r2.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "exactly one of two racing joins wins the last seat");

    let teams: Value = reqwest::get(app.url(&format!("/api/v1/events/{}/teams", event.id)))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(teams["items"][0]["members"].as_array().unwrap().len(), 2);
    assert!(teams["items"][0].get("invite_code").is_none(), "strangers never see the code");
    assert_error(
        app.post_as(&join, &captain.access_token, &body).await,
        StatusCode::CONFLICT,
        "already_in_team",
    )
    .await;
}

#[tokio::test]
async fn captains_hand_over_leave_and_dissolve_and_locks_hold() {
    let app = spawn_app().await;
    let event = open_event(&app, json!({})).await;
    let (captain, _) = register(&app, &event, "c1@example.org").await;
    let (member, _) = register(&app, &event, "m1@example.org").await;
    let team = create_team(&app, &event, &captain, "Équipe Soleil").await;
    let tid = team["id"].as_str().unwrap();
    app.post_as(
        &format!("/api/v1/events/{}/teams/join", event.id),
        &member.access_token,
        &json!({"invite_code": team["invite_code"]}),
    )
    .await;

    let not_captain = app
        .post_as(
            &format!("/api/v1/events/{}/teams/{tid}/captain", event.id),
            &member.access_token,
            &json!({"user_id": member.user_id}),
        )
        .await;
    assert_error(not_captain, StatusCode::FORBIDDEN, "forbidden").await;
    // The captain leaves: the captaincy passes on, the team lives.
    let left = app
        .post_as(
            &format!("/api/v1/events/{}/teams/{tid}/leave", event.id),
            &captain.access_token,
            &json!({}),
        )
        .await;
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    let mine: Value = app
        .get_as(&format!("/api/v1/events/{}/teams/mine", event.id), &member.access_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        mine["members"],
        json!([{"user_id": member.user_id, "display_name": "Test Person", "captain": true}])
    );
    assert_error(
        app.get_as(&format!("/api/v1/events/{}/teams/mine", event.id), &captain.access_token).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Lock the teams: nothing changes any more.
    let lock = json!({"capacity": null, "team_min": 1, "team_max": 5, "moderated": false, "code_of_conduct": "", "teams_lock_at": "2020-01-01T00:00:00Z"});
    app.client
        .put(app.url(&format!("/api/v1/events/{}/settings", event.id)))
        .bearer_auth(&event.organiser)
        .json(&lock)
        .send()
        .await
        .unwrap();
    let locked = app
        .post_as(
            &format!("/api/v1/events/{}/teams/join", event.id),
            &captain.access_token,
            &json!({"invite_code": team["invite_code"]}),
        )
        .await;
    assert_error(locked, StatusCode::CONFLICT, "teams_locked").await;
    let dissolve = app
        .client
        .delete(app.url(&format!("/api/v1/events/{}/teams/{tid}", event.id)))
        .bearer_auth(&member.access_token)
        .send()
        .await
        .unwrap();
    assert_error(dissolve, StatusCode::CONFLICT, "teams_locked").await;

    let unlock = json!({"capacity": null, "team_min": 1, "team_max": 5, "moderated": false, "code_of_conduct": "", "teams_lock_at": null});
    app.client
        .put(app.url(&format!("/api/v1/events/{}/settings", event.id)))
        .bearer_auth(&event.organiser)
        .json(&unlock)
        .send()
        .await
        .unwrap();
    let dissolve = app
        .client
        .delete(app.url(&format!("/api/v1/events/{}/teams/{tid}", event.id)))
        .bearer_auth(&member.access_token)
        .send()
        .await
        .unwrap();
    assert_eq!(dissolve.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.count("teams").await, 0);
    assert_eq!(app.count("team_members").await, 0);
}

#[tokio::test]
async fn the_board_lists_people_looking_for_a_team_by_skill() {
    let app = spawn_app().await;
    let event = open_event(&app, json!({})).await;
    let s1 = app.register("carto@example.org").await;
    app.post_as(
        &format!("/api/v1/events/{}/registrations", event.id),
        &s1.access_token,
        &registration(&["Cartographie", "QGIS"], true),
    )
    .await;
    let s2 = app.register("dev@example.org").await;
    app.post_as(
        &format!("/api/v1/events/{}/registrations", event.id),
        &s2.access_token,
        &registration(&["rust"], true),
    )
    .await;
    let s3 = app.register("busy@example.org").await;
    app.post_as(
        &format!("/api/v1/events/{}/registrations", event.id),
        &s3.access_token,
        &registration(&["python"], false),
    )
    .await;

    let all: Value = app
        .get_as(&format!("/api/v1/events/{}/seekers", event.id), &s3.access_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
    let carto: Value = app
        .get_as(&format!("/api/v1/events/{}/seekers?skill=carto", event.id), &s3.access_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(carto["items"].as_array().unwrap().len(), 1);
    assert_eq!(carto["items"][0]["skills"], json!(["cartographie", "qgis"]));
    create_team(&app, &event, &s2, "Rustacés").await;
    let after: Value = app
        .get_as(&format!("/api/v1/events/{}/seekers", event.id), &s3.access_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(after["items"].as_array().unwrap().len(), 1, "people in a team leave the board");
}

#[tokio::test]
async fn settings_are_validated_and_organiser_only() {
    let app = spawn_app().await;
    let event = open_event(&app, json!({})).await;
    let path = format!("/api/v1/events/{}/settings", event.id);
    let bad = json!({"capacity": 0, "team_min": 4, "team_max": 3, "moderated": false, "code_of_conduct": ""});
    let r = app
        .client
        .put(app.url(&path))
        .bearer_auth(&event.organiser)
        .json(&bad)
        .send()
        .await
        .unwrap();
    let err = assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(err["details"].as_array().unwrap().len(), 2);
    let s = app.register("nosy@example.org").await;
    let good = json!({"capacity": 10, "team_min": 1, "team_max": 3, "moderated": false, "code_of_conduct": ""});
    let r = app
        .client
        .put(app.url(&path))
        .bearer_auth(&s.access_token)
        .json(&good)
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
}

async fn delete_as(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    app.client.delete(app.url(path)).bearer_auth(token).send().await.unwrap()
}

#[tokio::test]
async fn join_requests_are_decided_by_the_captain() {
    let app = spawn_app().await;
    let event = open_event(&app, json!({"team_max": 3})).await;
    let (captain, _) = register(&app, &event, "rq-cap@example.org").await;
    let (other_captain, _) = register(&app, &event, "rq-cap2@example.org").await;
    let (asker, _) = register(&app, &event, "rq-asker@example.org").await;
    let (second, _) = register(&app, &event, "rq-second@example.org").await;
    let team = create_team(&app, &event, &captain, "Les Fromagers").await;
    let other = create_team(&app, &event, &other_captain, "Les Manguiers").await;
    let tid = team["id"].as_str().unwrap();
    let oid = other["id"].as_str().unwrap();
    let requests = format!("/api/v1/events/{}/teams/{tid}/requests", event.id);
    let other_requests = format!("/api/v1/events/{}/teams/{oid}/requests", event.id);
    let mine_path = format!("/api/v1/events/{}/teams/requests/mine", event.id);

    // The event topic moves with every change, so pages refresh live.
    let topic = format!("event:{}", event.id);
    let mut version = app.topic_version(&topic).await;
    let mut moved = |now: i64| {
        let before = std::mem::replace(&mut version, now);
        now > before
    };

    let r =
        app.post_as(&requests, &asker.access_token, &json!({"message": "Je fais du SIG."})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let request: Value = r.json().await.unwrap();
    assert_eq!(request["status"], "pending");
    assert_eq!(request["team_name"], "Les Fromagers");
    assert_eq!(request["message"], "Je fais du SIG.");
    assert_eq!(request["user_id"], asker.user_id.as_str());
    assert_eq!(request["decided_at"], Value::Null);
    let rid = request["id"].as_str().unwrap().to_owned();
    assert!(moved(app.topic_version(&topic).await), "a request bumps the event topic");
    // A second request to another team, without a message (the body may be empty).
    let r = app.post_as(&other_requests, &asker.access_token, &json!({})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let to_other: Value = r.json().await.unwrap();

    assert_error(
        app.post_as(&requests, &asker.access_token, &json!({"message": "encore"})).await,
        StatusCode::CONFLICT,
        "already_requested",
    )
    .await;

    // The captain sees the pending requests; nobody else does.
    let list: Value = app.get_as(&requests, &captain.access_token).await.json().await.unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["id"], rid.as_str());
    assert_error(
        app.get_as(&requests, &asker.access_token).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let mine: Value = app.get_as(&mine_path, &asker.access_token).await.json().await.unwrap();
    assert_eq!(mine["items"].as_array().unwrap().len(), 2);

    // Only the captain decides.
    let accept = format!("{requests}/{rid}/accept");
    assert_error(
        app.post_as(&accept, &asker.access_token, &json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_error(
        app.post_as(&accept, &other_captain.access_token, &json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let accepted = app.post_as(&accept, &captain.access_token, &json!({})).await;
    assert_eq!(accepted.status(), StatusCode::OK);
    let accepted: Value = accepted.json().await.unwrap();
    assert_eq!(accepted["status"], "accepted");
    assert!(moved(app.topic_version(&topic).await), "an acceptance bumps the event topic");
    assert!(accepted["decided_at"].is_string());
    let team_now: Value = app
        .get_as(&format!("/api/v1/events/{}/teams/mine", event.id), &asker.access_token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(team_now["id"], tid);
    assert_eq!(team_now["members"].as_array().unwrap().len(), 2);

    // The other pending request is closed; deciding a decided request is a conflict.
    let mine: Value = app.get_as(&mine_path, &asker.access_token).await.json().await.unwrap();
    let statuses: Vec<&str> =
        mine["items"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert!(statuses.contains(&"accepted") && statuses.contains(&"closed"), "{mine}");
    let other_list: Value =
        app.get_as(&other_requests, &other_captain.access_token).await.json().await.unwrap();
    assert_eq!(other_list["items"], json!([]));
    let closed_id = to_other["id"].as_str().unwrap();
    assert_error(
        app.post_as(
            &format!("{other_requests}/{closed_id}/accept"),
            &other_captain.access_token,
            &json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_error(
        app.post_as(&accept, &captain.access_token, &json!({})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // Already in a team: no more requests.
    assert_error(
        app.post_as(&other_requests, &asker.access_token, &json!({})).await,
        StatusCode::CONFLICT,
        "already_in_team",
    )
    .await;

    // Decline, then ask again (the request reopens), then withdraw.
    let r: Value =
        app.post_as(&requests, &second.access_token, &json!({})).await.json().await.unwrap();
    let sid = r["id"].as_str().unwrap().to_owned();
    let declined =
        app.post_as(&format!("{requests}/{sid}/decline"), &captain.access_token, &json!({})).await;
    assert_eq!(declined.json::<Value>().await.unwrap()["status"], "declined");
    assert!(moved(app.topic_version(&topic).await), "a refusal bumps the event topic");
    let again =
        app.post_as(&requests, &second.access_token, &json!({"message": "S'il vous plaît"})).await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], sid.as_str(), "the same request, reopened");
    assert_eq!(again["status"], "pending");
    assert_error(
        delete_as(&app, &format!("{requests}/{sid}"), &captain.access_token).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let withdrawn = delete_as(&app, &format!("{requests}/{sid}"), &second.access_token).await;
    assert_eq!(withdrawn.status(), StatusCode::NO_CONTENT);
    assert!(moved(app.topic_version(&topic).await), "a withdrawal bumps the event topic");
    assert_error(
        delete_as(&app, &format!("{requests}/{sid}"), &second.access_token).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let mine: Value = app.get_as(&mine_path, &second.access_token).await.json().await.unwrap();
    assert_eq!(mine["items"][0]["status"], "withdrawn");

    // Cancelling one's registration closes one's pending requests.
    let (leaver, _) = register(&app, &event, "rq-leaver@example.org").await;
    assert_eq!(
        app.post_as(&requests, &leaver.access_token, &json!({})).await.status(),
        StatusCode::CREATED
    );
    let cancel = delete_as(
        &app,
        &format!("/api/v1/events/{}/registrations/me", event.id),
        &leaver.access_token,
    )
    .await;
    assert_eq!(cancel.status(), StatusCode::NO_CONTENT);
    let mine: Value = app.get_as(&mine_path, &leaver.access_token).await.json().await.unwrap();
    assert_eq!(mine["items"][0]["status"], "closed");
    let pending: Value = app.get_as(&requests, &captain.access_token).await.json().await.unwrap();
    assert_eq!(pending["items"], json!([]));
}

#[tokio::test]
async fn join_requests_refuse_bad_input_full_teams_and_locks() {
    let app = spawn_app().await;
    let event = open_event(&app, json!({"team_max": 2})).await;
    let (captain, _) = register(&app, &event, "rf-cap@example.org").await;
    let (a, _) = register(&app, &event, "rf-a@example.org").await;
    let (b, _) = register(&app, &event, "rf-b@example.org").await;
    let outsider = app.register("rf-outsider@example.org").await;
    let team = create_team(&app, &event, &captain, "Les Tisserands").await;
    let tid = team["id"].as_str().unwrap();
    let requests = format!("/api/v1/events/{}/teams/{tid}/requests", event.id);

    // Unknown team, malformed ids, not registered, too long a message, wrong body.
    let unknown = format!("/api/v1/events/{}/teams/{}/requests", event.id, uuid::Uuid::new_v4());
    assert_error(
        app.post_as(&unknown, &a.access_token, &json!({})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.post_as(
            &format!("/api/v1/events/{}/teams/nope/requests", event.id),
            &a.access_token,
            &json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        app.post_as(&requests, &outsider.access_token, &json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let long = app.post_as(&requests, &a.access_token, &json!({"message": "x".repeat(501)})).await;
    let err = assert_error(long, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(err["details"][0]["field"], "message");
    let wrong = app.post_as(&requests, &a.access_token, &json!({"message": 42})).await;
    let err = assert_error(wrong, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(err["details"][0]["field"], "message");
    let anonymous =
        reqwest::Client::new().post(app.url(&requests)).json(&json!({})).send().await.unwrap();
    assert_error(anonymous, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    assert_error(
        app.post_as(
            &format!("{requests}/{}/accept", uuid::Uuid::new_v4()),
            &captain.access_token,
            &json!({}),
        )
        .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    assert_error(
        delete_as(&app, &format!("{requests}/{}", uuid::Uuid::new_v4()), &a.access_token).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Two requests for the last seat: the second acceptance finds the team full.
    let ra: Value = app.post_as(&requests, &a.access_token, &json!({})).await.json().await.unwrap();
    let rb: Value = app.post_as(&requests, &b.access_token, &json!({})).await.json().await.unwrap();
    let accept_a = format!("{requests}/{}/accept", ra["id"].as_str().unwrap());
    let accept_b = format!("{requests}/{}/accept", rb["id"].as_str().unwrap());
    assert_eq!(
        app.post_as(&accept_a, &captain.access_token, &json!({})).await.status(),
        StatusCode::OK
    );
    assert_error(
        app.post_as(&accept_b, &captain.access_token, &json!({})).await,
        StatusCode::CONFLICT,
        "team_full",
    )
    .await;
    let pending: Value = app.get_as(&requests, &captain.access_token).await.json().await.unwrap();
    assert_eq!(pending["items"].as_array().unwrap().len(), 1, "still pending: a seat may free up");

    // Locked teams take no requests and accept none; the captain can still decline.
    let lock = json!({"capacity": null, "team_min": 1, "team_max": 2, "moderated": false, "code_of_conduct": "", "teams_lock_at": "2020-01-01T00:00:00Z"});
    let r = app
        .client
        .put(app.url(&format!("/api/v1/events/{}/settings", event.id)))
        .bearer_auth(&event.organiser)
        .json(&lock)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (c, _) = register(&app, &event, "rf-late@example.org").await;
    assert_error(
        app.post_as(&requests, &c.access_token, &json!({})).await,
        StatusCode::CONFLICT,
        "teams_locked",
    )
    .await;
    assert_error(
        app.post_as(&accept_b, &captain.access_token, &json!({})).await,
        StatusCode::CONFLICT,
        "teams_locked",
    )
    .await;
    let declined = app
        .post_as(
            &format!("{requests}/{}/decline", rb["id"].as_str().unwrap()),
            &captain.access_token,
            &json!({}),
        )
        .await;
    assert_eq!(declined.status(), StatusCode::OK);
}

#[tokio::test]
async fn two_acceptances_racing_for_the_last_seat_seat_one() {
    let app = spawn_app().await;
    let event = open_event(&app, json!({"team_max": 2})).await;
    let (captain, _) = register(&app, &event, "race-cap@example.org").await;
    let (a, _) = register(&app, &event, "race-a@example.org").await;
    let (b, _) = register(&app, &event, "race-b@example.org").await;
    let team = create_team(&app, &event, &captain, "Les Coureurs").await;
    let requests =
        format!("/api/v1/events/{}/teams/{}/requests", event.id, team["id"].as_str().unwrap());
    let ra: Value = app.post_as(&requests, &a.access_token, &json!({})).await.json().await.unwrap();
    let rb: Value = app.post_as(&requests, &b.access_token, &json!({})).await.json().await.unwrap();
    let accept_a = format!("{requests}/{}/accept", ra["id"].as_str().unwrap());
    let accept_b = format!("{requests}/{}/accept", rb["id"].as_str().unwrap());
    let empty = json!({});
    let (r1, r2) = tokio::join!(
        app.post_as(&accept_a, &captain.access_token, &empty),
        app.post_as(&accept_b, &captain.access_token, &empty)
    );
    let mut statuses = [r1.status().as_u16(), r2.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "exactly one of two racing acceptances takes the last seat");
    assert_eq!(app.count("team_members").await, 2);
}
