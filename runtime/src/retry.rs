//! Retries and timeouts: which failures are worth another attempt, and how long to wait.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

/// When and how often a failed call is tried again.
///
/// The defaults: 3 attempts in all, exponential backoff with full jitter from 250 ms up
/// to 8 s, never less than 100 ms, at most 60 s spent waiting, and the wait the server
/// asks for honoured (`retry-after-ms`, `Retry-After` in seconds or as an HTTP-date,
/// `X-RateLimit-Reset` in epoch seconds). A server's `x-should-retry: true` or `false`
/// decides whether a response is tried again.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 turns retrying off.
    pub max_attempts: u32,
    pub initial_backoff: Duration,
    pub max_backoff: Duration,
    /// The least wait between attempts, whatever the server asks (`Retry-After: 0` would
    /// otherwise send every attempt at once).
    pub min_delay: Duration,
    /// The most time spent waiting between attempts; a longer wait is not made.
    pub max_total_wait: Duration,
    /// Retry POST and PATCH after the request was sent (they may not be idempotent).
    /// Failures before sending (connection refused) are retried for every method.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            min_delay: Duration::from_millis(100),
            max_total_wait: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Whether a response with `status` may be tried again: 408, 429, 500, 502, 503 and
    /// 504, for a `repeatable` request (an idempotent method, or one that carries an
    /// idempotency key) or when allowed.
    pub fn retries_status(&self, repeatable: bool, status: StatusCode) -> bool {
        let transient = matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504);
        transient && (self.retry_non_idempotent || repeatable)
    }

    /// Whether a non-success response may be tried again: as the server says with
    /// `x-should-retry` (`true` vouches that the request can be repeated, whatever its
    /// method and status; `false` forbids it), else by `retries_status`.
    pub fn retries_response(
        &self,
        repeatable: bool,
        status: StatusCode,
        headers: &HeaderMap,
    ) -> bool {
        let said = headers
            .get("x-should-retry")
            .and_then(|v| v.to_str().ok())
            .map(str::trim);
        match said {
            Some(v) if v.eq_ignore_ascii_case("true") => true,
            Some(v) if v.eq_ignore_ascii_case("false") => false,
            _ => self.retries_status(repeatable, status),
        }
    }

    /// Whether a transport failure (connection, timeout, cut-off response) may be tried
    /// again: always when the request was never sent (no connection), otherwise only for
    /// a `repeatable` request or when allowed.
    pub fn retries_transport(&self, repeatable: bool, connect_failure: bool) -> bool {
        connect_failure || self.retry_non_idempotent || repeatable
    }

    /// The wait before attempt `attempt + 1` (1-based `attempt` just failed): what the
    /// server asked for, else exponential backoff with full jitter.
    pub fn delay(
        &self,
        attempt: u32,
        headers: Option<&HeaderMap>,
        now: SystemTime,
        jitter: f64,
    ) -> Duration {
        if let Some(asked) = headers.and_then(|h| server_delay(h, now)) {
            return asked.max(self.min_delay);
        }
        let exponent = attempt.saturating_sub(1).min(20);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        // `mul_f64` panics where the product does not fit (`Duration::MAX`, a NaN jitter).
        let jitter = if jitter.is_nan() {
            1.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        Duration::try_from_secs_f64(ceiling.as_secs_f64() * jitter)
            .unwrap_or(ceiling)
            .max(self.min_delay)
    }
}

/// GET, HEAD, OPTIONS, TRACE, PUT and DELETE can be repeated without changing the outcome.
pub fn idempotent(method: &Method) -> bool {
    !matches!(*method, Method::POST | Method::PATCH)
}

/// The wait the server asks for: `retry-after-ms` (milliseconds), `Retry-After`
/// (seconds, or an HTTP-date) or `X-RateLimit-Reset` (Unix seconds, as Vercel and GitHub
/// send), the first of them it sends. A time past what the clock can hold is
/// `Duration::MAX` (longer than any wait allowed), never a panic.
pub fn server_delay(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let millis = headers
        .get("retry-after-ms")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|ms| ms.is_finite() && *ms >= 0.0);
    if let Some(ms) = millis {
        return Some(Duration::try_from_secs_f64(ms / 1000.0).unwrap_or(Duration::MAX));
    }
    if let Some(value) = headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
    {
        let value = value.trim();
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        if let Ok(when) = httpdate::parse_http_date(value) {
            return Some(when.duration_since(now).unwrap_or_default());
        }
    }
    let reset = headers
        .get("x-ratelimit-reset")?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(
        match SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(reset)) {
            Some(when) => when.duration_since(now).unwrap_or_default(),
            None => Duration::MAX,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn no_header_value_a_server_sends_panics() {
        let now = SystemTime::now();
        for value in [
            "9223372036854775808",
            "18446744073709551615",
            "18446744073709551616",
            "-1",
            "1e30",
            "",
        ] {
            let _ = server_delay(&headers("x-ratelimit-reset", value), now);
            let _ = server_delay(&headers("retry-after", value), now);
        }
        assert_eq!(
            server_delay(&headers("x-ratelimit-reset", "18446744073709551615"), now),
            Some(Duration::MAX)
        );
        assert_eq!(
            server_delay(&headers("retry-after", "18446744073709551615"), now),
            Some(Duration::from_secs(u64::MAX))
        );
        let p = RetryPolicy {
            max_backoff: Duration::MAX,
            initial_backoff: Duration::MAX,
            ..RetryPolicy::default()
        };
        for jitter in [0.0, 0.5, 1.0, f64::NAN, f64::INFINITY, -1.0] {
            let _ = p.delay(30, None, now, jitter);
        }
    }

    #[test]
    fn the_signals_servers_send_are_honoured() {
        let now = SystemTime::now();
        let policy = RetryPolicy::default();
        // Milliseconds first, then seconds.
        let mut both = headers("retry-after", "9");
        both.insert("retry-after-ms", HeaderValue::from_static("1500"));
        assert_eq!(server_delay(&both, now), Some(Duration::from_millis(1500)));
        for bad in ["-5", "NaN", "inf", "x"] {
            let h = headers("retry-after-ms", bad);
            assert_eq!(server_delay(&h, now), None, "{bad}");
        }
        // Never less than the minimum, whatever the server asks or the jitter gives.
        let zero = headers("retry-after", "0");
        assert_eq!(
            policy.delay(1, Some(&zero), now, 0.5),
            Duration::from_millis(100)
        );
        assert_eq!(policy.delay(1, None, now, 0.0), Duration::from_millis(100));
        // x-should-retry decides; 408 is transient.
        let post = Method::POST;
        let yes = headers("x-should-retry", "true");
        let no = headers("x-should-retry", "FALSE");
        assert!(policy.retries_response(idempotent(&post), StatusCode::BAD_REQUEST, &yes));
        assert!(!policy.retries_response(
            idempotent(&Method::GET),
            StatusCode::SERVICE_UNAVAILABLE,
            &no
        ));
        let none = HeaderMap::new();
        assert!(policy.retries_response(
            idempotent(&Method::GET),
            StatusCode::REQUEST_TIMEOUT,
            &none
        ));
        assert!(!policy.retries_response(idempotent(&post), StatusCode::REQUEST_TIMEOUT, &none));
    }

    fn headers(name: &'static str, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn server_asked_delays() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(
            server_delay(&headers("retry-after", "7"), now),
            Some(Duration::from_secs(7))
        );
        let date = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            server_delay(&headers("retry-after", &date), now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            server_delay(&headers("x-ratelimit-reset", "1700000012"), now),
            Some(Duration::from_secs(12))
        );
        assert_eq!(
            server_delay(&headers("x-ratelimit-reset", "1600000000"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(server_delay(&HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy::default();
        let now = SystemTime::now();
        assert_eq!(p.delay(1, None, now, 1.0), Duration::from_millis(250));
        assert_eq!(p.delay(2, None, now, 1.0), Duration::from_millis(500));
        assert_eq!(p.delay(3, None, now, 0.5), Duration::from_millis(500));
        assert_eq!(p.delay(30, None, now, 1.0), Duration::from_secs(8));
        assert_eq!(
            p.delay(1, Some(&headers("retry-after", "3")), now, 1.0),
            Duration::from_secs(3)
        );
    }

    #[test]
    fn what_is_retried() {
        let p = RetryPolicy::default();
        assert!(p.retries_status(idempotent(&Method::GET), StatusCode::SERVICE_UNAVAILABLE));
        assert!(!p.retries_status(idempotent(&Method::POST), StatusCode::SERVICE_UNAVAILABLE));
        assert!(!p.retries_status(idempotent(&Method::POST), StatusCode::TOO_MANY_REQUESTS));
        assert!(p.retries_status(idempotent(&Method::PUT), StatusCode::TOO_MANY_REQUESTS));
        assert!(!p.retries_status(idempotent(&Method::GET), StatusCode::NOT_FOUND));
        assert!(p.retries_transport(idempotent(&Method::POST), true));
        assert!(!p.retries_transport(idempotent(&Method::POST), false));
        assert!(p.retries_transport(idempotent(&Method::GET), false));
        let opted_in = RetryPolicy {
            retry_non_idempotent: true,
            ..RetryPolicy::default()
        };
        assert!(opted_in.retries_status(idempotent(&Method::POST), StatusCode::BAD_GATEWAY));
    }
}
