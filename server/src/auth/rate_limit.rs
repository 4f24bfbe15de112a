//! Login throttling: per client address and per account, so neither one machine nor a
//! botnet against one account can guess passwords quickly.

use crate::error::AppError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;

pub struct LoginLimiter {
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
    by_account: DefaultKeyedRateLimiter<String>,
    registrations: DefaultKeyedRateLimiter<IpAddr>,
}

impl LoginLimiter {
    pub fn new(per_minute: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
        // Sign-ups are rarer than sign-ins but a whole classroom may share one address.
        let registrations = Quota::per_minute(
            NonZeroU32::new(per_minute.saturating_mul(3)).unwrap_or(NonZeroU32::MIN),
        );
        LoginLimiter {
            by_ip: RateLimiter::keyed(quota),
            by_account: RateLimiter::keyed(quota),
            registrations: RateLimiter::keyed(registrations),
        }
    }

    pub fn check_login(&self, ip: IpAddr, account: &str) -> Result<(), AppError> {
        check(&self.by_ip, &ip)?;
        check(&self.by_account, &account.to_owned())
    }

    pub fn check_registration(&self, ip: IpAddr) -> Result<(), AppError> {
        check(&self.registrations, &ip)
    }

    /// Drops idle keys so memory stays bounded.
    pub fn shrink(&self) {
        self.by_ip.retain_recent();
        self.by_account.retain_recent();
        self.registrations.retain_recent();
    }
}

fn check<K: std::hash::Hash + Eq + Clone>(
    limiter: &DefaultKeyedRateLimiter<K>,
    key: &K,
) -> Result<(), AppError> {
    limiter.check_key(key).map_err(|not_until| {
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        AppError::RateLimited { retry_after_secs: wait.as_secs().max(1) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hackops_shared::error::ErrorCode;

    #[test]
    fn the_eleventh_attempt_in_a_minute_is_refused() {
        let limiter = LoginLimiter::new(10);
        let ip: IpAddr = "192.0.2.1".parse().expect("ip");
        for _ in 0..10 {
            limiter.check_login(ip, "a@b.org").expect("allowed");
        }
        let err = limiter.check_login(ip, "a@b.org").expect_err("limited");
        assert_eq!(err.code(), ErrorCode::RateLimited);
        // Another address against another account is unaffected.
        limiter.check_login("192.0.2.2".parse().expect("ip"), "c@d.org").expect("allowed");
    }
}
