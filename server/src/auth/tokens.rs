//! Signed tokens (JWT, RFC 8725 practice): HS256 pinned, `iss`/`aud`/`exp`/`nbf` required and
//! checked, and a `typ` claim so a token made for one use is refused for another.

use crate::config::Config;
use hackops_shared::error::ErrorCode;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use time::OffsetDateTime;
use uuid::Uuid;

const ALGORITHM: Algorithm = Algorithm::HS256;
pub const AUDIENCE: &str = "hackops";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenType {
    Access,
    Refresh,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: Uuid,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: Uuid,
    pub typ: TokenType,
    /// The session (refresh-token family) the token belongs to: revoking the session closes
    /// the sockets opened with its access tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Uuid>,
}

pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
}

pub struct Issued {
    pub token: String,
    pub claims: Claims,
}

impl TokenKeys {
    pub fn new(config: &Config) -> TokenKeys {
        let issuer = config.public_url.clone();
        let mut validation = Validation::new(ALGORITHM);
        validation.algorithms = vec![ALGORITHM];
        validation.set_issuer(&[&issuer]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = 5;
        TokenKeys {
            encoding: EncodingKey::from_secret(config.jwt_secret.expose()),
            decoding: DecodingKey::from_secret(config.jwt_secret.expose()),
            validation,
            issuer,
            access_ttl: config.access_token_ttl,
            refresh_ttl: config.refresh_token_ttl,
        }
    }

    pub fn issue(
        &self,
        typ: TokenType,
        subject: Uuid,
        jti: Uuid,
        session: Option<Uuid>,
    ) -> anyhow::Result<Issued> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let ttl = match typ {
            TokenType::Access => self.access_ttl,
            TokenType::Refresh => self.refresh_ttl,
        };
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_owned(),
            sub: subject,
            iat: now,
            nbf: now,
            exp: now + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2),
            jti,
            typ,
            sid: session,
        };
        let token = jsonwebtoken::encode(&Header::new(ALGORITHM), &claims, &self.encoding)?;
        Ok(Issued { token, claims })
    }

    /// Checks signature, algorithm, issuer, audience, times and type.
    pub fn verify(&self, token: &str, expected: TokenType) -> Result<Claims, ErrorCode> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|err| match err.kind() {
                ErrorKind::ExpiredSignature => ErrorCode::TokenExpired,
                _ => ErrorCode::TokenInvalid,
            })?;
        if data.claims.typ != expected {
            return Err(ErrorCode::TokenWrongType);
        }
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;

    fn keys(secret: &str) -> TokenKeys {
        let dir = tempfile::tempdir().expect("tempdir");
        let args = crate::config::ServeArgs {
            storage: crate::config::StorageArgs {
                data_dir: dir.path().to_owned(),
                database_url: None,
            },
            files: crate::config::FileStoreArgs::default(),
            addr: "127.0.0.1:0".parse().expect("addr"),
            redis_url: None,
            public_url: Some("https://hack.example.org".into()),
            allowed_origins: vec![],
            static_dir: None,
            jwt_secret: Some(secret.into()),
            jwt_secret_file: None,
            access_token_ttl: 60,
            refresh_token_ttl: 3600,
            login_attempts_per_minute: 10,
            ws_max_connections_per_ip: 10,
            max_upload_bytes: 1024,
            download_link_ttl: 600,
            demo: false,
        };
        TokenKeys::new(&Config::from_args(args).expect("config"))
    }

    const SECRET: &str = "0123456789abcdef0123456789abcdef-test";

    #[test]
    fn a_token_verifies_only_as_its_own_type() {
        let keys = keys(SECRET);
        let user = Uuid::new_v4();
        let access = keys.issue(TokenType::Access, user, Uuid::new_v4(), None).expect("issue");
        assert_eq!(keys.verify(&access.token, TokenType::Access).expect("valid").sub, user);
        assert_eq!(keys.verify(&access.token, TokenType::Refresh), Err(ErrorCode::TokenWrongType));
    }

    #[test]
    fn forged_tampered_and_none_tokens_are_refused() {
        let keys = keys(SECRET);
        let other = keys_with_other_secret();
        let forged =
            other.issue(TokenType::Access, Uuid::new_v4(), Uuid::new_v4(), None).expect("issue");
        assert_eq!(keys.verify(&forged.token, TokenType::Access), Err(ErrorCode::TokenInvalid));

        let good =
            keys.issue(TokenType::Access, Uuid::new_v4(), Uuid::new_v4(), None).expect("issue");
        let mut parts: Vec<&str> = good.token.split('.').collect();
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let none_header = b64.encode(br#"{"alg":"none","typ":"JWT"}"#);
        parts[0] = &none_header;
        let unsigned = format!("{}.{}.", parts[0], parts[1]);
        assert_eq!(keys.verify(&unsigned, TokenType::Access), Err(ErrorCode::TokenInvalid));
        assert_eq!(keys.verify("not.a.jwt", TokenType::Access), Err(ErrorCode::TokenInvalid));
    }

    fn keys_with_other_secret() -> TokenKeys {
        keys("another-secret-that-is-long-enough-000")
    }

    #[test]
    fn expired_tokens_say_so() {
        let keys = keys(SECRET);
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let claims = Claims {
            iss: "https://hack.example.org".into(),
            aud: AUDIENCE.into(),
            sub: Uuid::new_v4(),
            iat: now - 600,
            nbf: now - 600,
            exp: now - 300,
            jti: Uuid::new_v4(),
            typ: TokenType::Access,
            sid: None,
        };
        let token = jsonwebtoken::encode(
            &Header::new(ALGORITHM),
            &claims,
            &EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .expect("encode");
        assert_eq!(keys.verify(&token, TokenType::Access), Err(ErrorCode::TokenExpired));
        let wrong_aud = Claims { exp: now + 300, aud: "someone-else".into(), ..claims };
        let token = jsonwebtoken::encode(
            &Header::new(ALGORITHM),
            &wrong_aud,
            &EncodingKey::from_secret(SECRET.as_bytes()),
        )
        .expect("encode");
        assert_eq!(keys.verify(&token, TokenType::Access), Err(ErrorCode::TokenInvalid));
    }
}
