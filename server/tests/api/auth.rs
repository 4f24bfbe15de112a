use crate::helpers::*;
use base64::Engine;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn register_signs_in_and_me_answers() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"email": " Awa@Example.SN ", "password": PASSWORD, "display_name": "Awa Diop", "locale": "fr"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let cookie = header(response.headers(), "set-cookie");
    assert!(cookie.starts_with("hackops_refresh="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(cookie.contains(attribute), "{attribute} missing in {cookie}");
    }
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    assert_eq!(body["user"]["email"], "awa@example.sn");
    assert_eq!(body["user"]["locale"], "fr");
    assert!(body.get("password_hash").is_none() && body["user"].get("password_hash").is_none());

    let me: Value = app
        .get_as("/api/v1/me", body["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["user"]["display_name"], "Awa Diop");
    assert_eq!(me["organisations"], json!([]));
    assert_eq!(me["event_roles"], json!([]));
}

#[tokio::test]
async fn invalid_registrations_are_refused_field_by_field_and_nothing_is_written() {
    let app = spawn_app().await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"email": "not-an-email", "password": "short", "display_name": ""}),
        )
        .await;
    let body = assert_error(response, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    let fields: Vec<(&str, &str)> = body["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["field"].as_str().unwrap(), d["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        vec![("email", "invalid_email"), ("password", "too_short"), ("display_name", "required")]
    );
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn an_email_has_one_account_whatever_its_case() {
    let app = spawn_app().await;
    app.register("kofi@example.gh").await;
    let response = app
        .post_json(
            "/api/v1/auth/register",
            &json!({"email": "KOFI@example.gh", "password": PASSWORD, "display_name": "Kofi"}),
        )
        .await;
    assert_error(response, StatusCode::CONFLICT, "email_taken").await;
    assert_eq!(app.count("users").await, 1);
}

#[tokio::test]
async fn wrong_password_and_unknown_account_get_the_same_answer() {
    let app = spawn_app().await;
    app.register("ada@example.org").await;
    let wrong = app.login("ada@example.org", "not the password").await;
    let wrong = assert_error(wrong, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    let unknown = app.login("nobody@example.org", "not the password").await;
    let unknown = assert_error(unknown, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(wrong, unknown, "no user enumeration");
    assert_eq!(app.login("ADA@example.org", PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn sign_in_is_rate_limited() {
    let app = spawn_app_with(Options { login_attempts_per_minute: 3, ..Options::default() }).await;
    app.register("target@example.org").await;
    for _ in 0..3 {
        assert_eq!(
            app.login("target@example.org", "guess guess guess").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let limited = app.login("target@example.org", PASSWORD).await;
    let retry_after = header(limited.headers(), "retry-after");
    assert!(retry_after.parse::<u64>().is_ok_and(|s| s >= 1), "Retry-After: {retry_after}");
    assert_error(limited, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_token_revokes_the_session() {
    let app = spawn_app().await;
    let first = app.register("rotate@example.org").await;
    let plain = reqwest::Client::new();
    let refresh = |token: String| {
        let plain = plain.clone();
        let url = app.url("/api/v1/auth/refresh");
        async move { plain.post(url).json(&json!({"refresh_token": token})).send().await.unwrap() }
    };
    let second = refresh(first.refresh_token.clone()).await;
    assert_eq!(second.status(), StatusCode::OK);
    let second = session(second).await;
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(app.get_as("/api/v1/me", &second.access_token).await.status(), StatusCode::OK);

    // The first token again: someone copied it. The whole session ends.
    assert_error(refresh(first.refresh_token).await, StatusCode::UNAUTHORIZED, "token_revoked")
        .await;
    assert_error(refresh(second.refresh_token).await, StatusCode::UNAUTHORIZED, "token_revoked")
        .await;
}

#[tokio::test]
async fn browsers_refresh_with_the_cookie_and_logout_ends_it() {
    let app = spawn_app().await;
    app.register("browser@example.org").await;
    // The cookie store of `app.client` holds the refresh cookie; the body is empty.
    let refreshed =
        app.client.post(app.url("/api/v1/auth/refresh")).json(&json!({})).send().await.unwrap();
    assert_eq!(refreshed.status(), StatusCode::OK);
    let no_body = app.client.post(app.url("/api/v1/auth/refresh")).send().await.unwrap();
    assert_eq!(no_body.status(), StatusCode::OK, "an empty body is fine too");

    let logout =
        app.client.post(app.url("/api/v1/auth/logout")).json(&json!({})).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert!(header(logout.headers(), "set-cookie").contains("Max-Age=0"), "cookie cleared");
    let after =
        app.client.post(app.url("/api/v1/auth/refresh")).json(&json!({})).send().await.unwrap();
    assert_error(after, StatusCode::UNAUTHORIZED, "unauthenticated").await;
}

#[tokio::test]
async fn logout_revokes_the_refresh_token_server_side() {
    let app = spawn_app().await;
    let s = app.register("leaver@example.org").await;
    let plain = reqwest::Client::new();
    let out = plain
        .post(app.url("/api/v1/auth/logout"))
        .json(&json!({"refresh_token": s.refresh_token}))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let again = plain
        .post(app.url("/api/v1/auth/refresh"))
        .json(&json!({"refresh_token": s.refresh_token}))
        .send()
        .await
        .unwrap();
    assert_error(again, StatusCode::UNAUTHORIZED, "token_revoked").await;
}

fn sign(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn bad_tokens_get_their_own_codes() {
    let app = spawn_app().await;
    let s = app.register("tokens@example.org").await;
    assert_error(app.get("/api/v1/me").await, StatusCode::UNAUTHORIZED, "unauthenticated").await;
    assert_error(
        app.get_as("/api/v1/me", &s.refresh_token).await,
        StatusCode::UNAUTHORIZED,
        "token_wrong_type",
    )
    .await;
    assert_error(
        app.get_as("/api/v1/me", "garbage").await,
        StatusCode::UNAUTHORIZED,
        "token_invalid",
    )
    .await;
    let basic = app
        .client
        .get(app.url("/api/v1/me"))
        .header("authorization", "Basic YTpi")
        .send()
        .await
        .unwrap();
    assert_error(basic, StatusCode::UNAUTHORIZED, "token_invalid").await;

    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    let claims = |exp: i64, nbf: i64, aud: &str, iss: &str| {
        json!({"iss": iss, "aud": aud, "sub": s.user_id, "iat": now, "nbf": nbf, "exp": exp,
               "jti": uuid::Uuid::new_v4(), "typ": "access"})
    };
    let iss = app.public_url.as_str();
    let good = sign(&claims(now + 60, now, "hackops", iss), TEST_SECRET);
    assert_eq!(
        app.get_as("/api/v1/me", &good).await.status(),
        StatusCode::OK,
        "the hand-made token is valid"
    );

    let expired = sign(&claims(now - 120, now - 600, "hackops", iss), TEST_SECRET);
    assert_error(
        app.get_as("/api/v1/me", &expired).await,
        StatusCode::UNAUTHORIZED,
        "token_expired",
    )
    .await;
    let not_yet = sign(&claims(now + 600, now + 300, "hackops", iss), TEST_SECRET);
    assert_error(
        app.get_as("/api/v1/me", &not_yet).await,
        StatusCode::UNAUTHORIZED,
        "token_invalid",
    )
    .await;
    let wrong_aud = sign(&claims(now + 60, now, "another-app", iss), TEST_SECRET);
    assert_error(
        app.get_as("/api/v1/me", &wrong_aud).await,
        StatusCode::UNAUTHORIZED,
        "token_invalid",
    )
    .await;
    let wrong_iss = sign(&claims(now + 60, now, "hackops", "https://evil.example"), TEST_SECRET);
    assert_error(
        app.get_as("/api/v1/me", &wrong_iss).await,
        StatusCode::UNAUTHORIZED,
        "token_invalid",
    )
    .await;
    let forged =
        sign(&claims(now + 60, now, "hackops", iss), "a-different-secret-of-sufficient-length");
    assert_error(
        app.get_as("/api/v1/me", &forged).await,
        StatusCode::UNAUTHORIZED,
        "token_invalid",
    )
    .await;

    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let none = format!(
        "{}.{}.",
        b64.encode(br#"{"alg":"none","typ":"JWT"}"#),
        b64.encode(claims(now + 60, now, "hackops", iss).to_string())
    );
    assert_error(app.get_as("/api/v1/me", &none).await, StatusCode::UNAUTHORIZED, "token_invalid")
        .await;
    let hs512 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
        &claims(now + 60, now, "hackops", iss),
        &jsonwebtoken::EncodingKey::from_secret(TEST_SECRET.as_bytes()),
    )
    .unwrap();
    assert_error(app.get_as("/api/v1/me", &hs512).await, StatusCode::UNAUTHORIZED, "token_invalid")
        .await;

    // An access token is not a refresh token either.
    let plain = reqwest::Client::new();
    let r = plain
        .post(app.url("/api/v1/auth/refresh"))
        .json(&json!({"refresh_token": s.access_token}))
        .send()
        .await
        .unwrap();
    assert_error(r, StatusCode::UNAUTHORIZED, "token_wrong_type").await;
}

#[tokio::test]
async fn malformed_bodies_get_clear_errors_and_write_nothing() {
    let app = spawn_app().await;
    let url = app.url("/api/v1/auth/register");
    let send = |content_type: &'static str, body: Vec<u8>| {
        let request = app.client.post(url.clone()).header("content-type", content_type).body(body);
        async move { request.send().await.unwrap() }
    };
    assert_error(
        send("application/json", b"{\"email\":".to_vec()).await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    assert_error(
        send("application/json", b"[1,2".to_vec()).await,
        StatusCode::BAD_REQUEST,
        "malformed_json",
    )
    .await;
    assert_error(
        send("text/plain", b"{}".to_vec()).await,
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
    )
    .await;
    let huge = format!(
        r#"{{"email":"a@b.org","password":"{}","display_name":"x"}}"#,
        "x".repeat(100 * 1024)
    );
    assert_error(
        send("application/json", huge.into_bytes()).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
    )
    .await;
    let wrong_type = send(
        "application/json",
        br#"{"email":"a@b.org","password":12345678901,"display_name":"x"}"#.to_vec(),
    )
    .await;
    let body =
        assert_error(wrong_type, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["details"][0]["field"], "password");
    assert_eq!(body["details"][0]["code"], "invalid_value");
    let missing = send("application/json", br#"{"email":"a@b.org"}"#.to_vec()).await;
    let body = assert_error(missing, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed").await;
    assert_eq!(body["details"][0]["field"], "password");
    assert_eq!(body["details"][0]["code"], "required");
    assert_eq!(app.count("users").await, 0);
    assert_eq!(app.count("refresh_tokens").await, 0);
}

#[tokio::test]
async fn errors_speak_the_language_of_the_request() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("accept-language", "fr-SN,fr;q=0.9,en;q=0.5")
        .json(&json!({"email": "x@example.org", "password": "whatever-long"}))
        .send()
        .await
        .unwrap();
    let body = assert_error(response, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(body["message"], "Adresse e-mail ou mot de passe incorrect.");
}

/// The grants (organisations, event roles) are read in one union query: check what it returns
/// for an account that has both, and that authorisation uses them.
#[tokio::test]
async fn me_lists_the_organisations_and_event_roles_of_the_account() {
    let app = spawn_app_with(Options { demo: true, ..Options::default() }).await;
    let token = session(app.login("organiser@demo.test", "demo-password").await).await.access_token;
    let me: Value = app.get_as("/api/v1/me", &token).await.json().await.unwrap();
    assert_eq!(me["organisations"].as_array().map(Vec::len), Some(1), "{me}");
    let roles = me["event_roles"].as_array().unwrap();
    assert!(!roles.is_empty(), "{me}");
    assert!(roles.iter().all(|r| r["role"] == "organiser"), "{me}");
    // The role is honoured: the organiser may edit the event it was granted.
    let event = roles[0]["event_id"].as_str().unwrap();
    let patched =
        app.patch_as(&format!("/api/v1/events/{event}"), &token, &json!({"venue": "Dakar"})).await;
    assert_eq!(patched.status(), StatusCode::OK);
}
