//! Signed, expiring download links. A link names one resource, the person it was issued to,
//! their team and its expiry, and carries an HMAC-SHA256 of those four values. The key is
//! derived from the server's signing secret (the one behind the session tokens), so every
//! instance of a deployment accepts the links of the others and nothing needs storing.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hackops_shared::error::ErrorCode;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::time::Duration;
use uuid::Uuid;

type HmacSha256 = Hmac<Sha256>;

/// What a link grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grant {
    pub resource: Uuid,
    pub user: Uuid,
    /// The team the download counts for; `None` for organisers.
    pub team: Option<Uuid>,
    /// Unix time (seconds) after which the link is refused.
    pub expires_at: i64,
}

pub struct LinkKeys {
    key: Vec<u8>,
    /// How long a new link stays valid.
    pub ttl: Duration,
}

impl LinkKeys {
    /// Derives the link key from the server's signing secret (domain-separated: a key that
    /// signs nothing but download links).
    pub fn new(secret: &[u8], ttl: Duration) -> LinkKeys {
        let mut derive = HmacSha256::new_from_slice(secret).expect("HMAC takes keys of any length");
        derive.update(b"hackops/v1/handout-download-link");
        LinkKeys { key: derive.finalize().into_bytes().to_vec(), ttl }
    }

    fn mac(&self, payload: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(payload.as_bytes());
        mac
    }

    /// `<resource>.<user>.<team or ->.<expiry>.<signature>`: URL-safe as it is.
    pub fn sign(&self, grant: &Grant) -> String {
        let team = grant.team.map(|t| t.simple().to_string()).unwrap_or_else(|| "-".to_owned());
        let payload = format!(
            "{}.{}.{team}.{}",
            grant.resource.simple(),
            grant.user.simple(),
            grant.expires_at
        );
        let signature = URL_SAFE_NO_PAD.encode(self.mac(&payload).finalize().into_bytes());
        format!("{payload}.{signature}")
    }

    /// Checks the signature (in constant time) before reading anything, then the expiry.
    pub fn verify(&self, token: &str, now: i64) -> Result<Grant, ErrorCode> {
        let (payload, signature) = token.rsplit_once('.').ok_or(ErrorCode::LinkInvalid)?;
        let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| ErrorCode::LinkInvalid)?;
        self.mac(payload).verify_slice(&signature).map_err(|_| ErrorCode::LinkInvalid)?;
        let parts: Vec<&str> = payload.split('.').collect();
        let [resource, user, team, expires_at] = parts[..] else {
            return Err(ErrorCode::LinkInvalid);
        };
        let uuid = |raw: &str| Uuid::try_parse(raw).map_err(|_| ErrorCode::LinkInvalid);
        let grant = Grant {
            resource: uuid(resource)?,
            user: uuid(user)?,
            team: if team == "-" { None } else { Some(uuid(team)?) },
            expires_at: expires_at.parse().map_err(|_| ErrorCode::LinkInvalid)?,
        };
        if grant.expires_at <= now {
            return Err(ErrorCode::LinkExpired);
        }
        Ok(grant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &[u8]) -> LinkKeys {
        LinkKeys::new(secret, Duration::from_secs(600))
    }

    fn grant(expires_at: i64) -> Grant {
        Grant {
            resource: Uuid::new_v4(),
            user: Uuid::new_v4(),
            team: Some(Uuid::new_v4()),
            expires_at,
        }
    }

    #[test]
    fn a_link_verifies_until_it_expires() {
        let keys = keys(b"a secret that is long enough for the test");
        let g = grant(1_000);
        let token = keys.sign(&g);
        assert_eq!(keys.verify(&token, 999), Ok(g));
        assert_eq!(keys.verify(&token, 1_000), Err(ErrorCode::LinkExpired));
        let organiser = Grant { team: None, ..g };
        assert_eq!(keys.verify(&keys.sign(&organiser), 0), Ok(organiser));
    }

    #[test]
    fn tampered_forged_and_malformed_links_are_invalid() {
        let keys = keys(b"a secret that is long enough for the test");
        let g = grant(1_000);
        let token = keys.sign(&g);
        // A later expiry, another resource, another team: the signature no longer matches.
        let later = token.replacen(".1000.", ".9999.", 1);
        assert_eq!(keys.verify(&later, 0), Err(ErrorCode::LinkInvalid));
        let other = token.replacen(
            &g.resource.simple().to_string(),
            &Uuid::new_v4().simple().to_string(),
            1,
        );
        assert_eq!(keys.verify(&other, 0), Err(ErrorCode::LinkInvalid));
        let forged = LinkKeys::new(b"another secret, also long enough", Duration::ZERO).sign(&g);
        assert_eq!(keys.verify(&forged, 0), Err(ErrorCode::LinkInvalid));
        for junk in ["", ".", "abc", "a.b.c.d.e", &format!("{token}x")] {
            assert_eq!(keys.verify(junk, 0), Err(ErrorCode::LinkInvalid), "{junk}");
        }
    }
}
