//! The client: base URL, credentials, HTTP client, retry policy, timeouts, default
//! parameters and hooks, shared by every operation. Requests are put together in
//! `request` and sent in `send`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::error::Error;
use crate::hooks::Hook;
use crate::redirect::Redirects;
use crate::retry::RetryPolicy;

/// Connection settings shared by every operation: base URL, credentials, HTTP client.
#[derive(Clone)]
pub struct Client {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) token: Option<String>,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
    /// The most bytes a response body may have.
    pub(crate) body_limit: u64,
    /// Which calls follow redirects.
    pub(crate) redirects: Redirects,
    pub(crate) sleep: Sleeper,
    /// Values for optional parameters that a call leaves unset (`teamId`, say).
    pub(crate) defaults: std::collections::BTreeMap<String, serde_json::Value>,
    /// Called around every attempt, in the order they were added.
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
}

/// How the client waits between attempts; tests put in one that only records the delay.
pub type Sleeper = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// Each attempt of a call may take this long by default (connecting included).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// A response body may have this many bytes by default (100 MiB): reading stops there
/// with `Error::BodyTooLarge`, so no server can make the client hold more.
pub const DEFAULT_BODY_LIMIT: u64 = 100 * 1024 * 1024;

/// Connecting may take this long by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &crate::redact::url_text(&self.base_url))
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("hooks", &self.hooks.len())
            .finish()
    }
}

impl Client {
    /// A client for the API at `base_url` (an absolute `http` or `https` URL).
    ///
    /// # Errors
    /// `Error::InvalidBaseUrl` when `base_url` is not such a URL.
    pub fn new(base_url: &str) -> Result<Self, Error> {
        let invalid = |reason: String| Error::InvalidBaseUrl {
            url: crate::redact::url_text(base_url),
            reason,
        };
        let parsed = reqwest::Url::parse(base_url).map_err(|e| invalid(e.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid(format!(
                "scheme {:?} is not http or https",
                parsed.scheme()
            )));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(invalid("a base URL cannot have a query or fragment".into()));
        }
        let http = reqwest::Client::builder()
            .user_agent(concat!("apigen-runtime/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
            // Redirects are followed by `redirect`'s policy, which knows the method.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| invalid(e.to_string()))?;
        Ok(Client {
            http,
            base_url: parsed.as_str().trim_end_matches('/').to_string(),
            token: None,
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            body_limit: DEFAULT_BODY_LIMIT,
            redirects: Redirects::default(),
            sleep: Arc::new(|d| Box::pin(tokio::time::sleep(d))),
            defaults: std::collections::BTreeMap::new(),
            hooks: Vec::new(),
        })
    }

    /// Sends `Authorization: Bearer <token>` with operations that require it.
    pub fn with_bearer_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Follows redirects by `redirects` (default: GET and HEAD calls only; see
    /// [`crate::redirect`]).
    pub fn with_redirects(mut self, redirects: Redirects) -> Self {
        self.redirects = redirects;
        self
    }

    /// Uses a `reqwest::Client` of your own (timeouts, proxies, middleware-free tuning).
    /// Build it with `redirect(reqwest::redirect::Policy::none())`, or its own redirect
    /// policy runs before this client's.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.http = http;
        self
    }

    /// Retries failed calls by `policy` (`RetryPolicy::none()` turns retrying off).
    pub fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Gives each attempt of a call at most `timeout` (default 60 s); running out is `Error::Timeout`.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Reads response bodies of at most `bytes` bytes (default [`DEFAULT_BODY_LIMIT`]);
    /// a larger one ends the call with `Error::BodyTooLarge` as soon as it is seen.
    pub fn with_body_limit(mut self, bytes: u64) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Sends `value` for the optional query, header or cookie parameter `name` of every
    /// operation that declares it, unless the call sets its own.
    pub fn with_default_parameter(
        mut self,
        name: &str,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.defaults.insert(name.to_string(), value.into());
        self
    }

    /// Calls `hook` around every attempt of every call (after the hooks added before it).
    pub fn with_hook(mut self, hook: impl Hook + 'static) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Waits between attempts with `sleep` instead of `tokio::time::sleep` (for tests).
    pub fn with_sleeper(mut self, sleep: Sleeper) -> Self {
        self.sleep = sleep;
        self
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_validated() {
        assert!(Client::new("https://api.vercel.com").is_ok());
        assert!(Client::new("ftp://x").is_err());
        assert!(Client::new("not a url").is_err());
        assert_eq!(
            Client::new("http://127.0.0.1:1/").unwrap().base_url(),
            "http://127.0.0.1:1"
        );
    }

    #[test]
    fn debug_hides_the_token() {
        let c = Client::new("https://x.test")
            .unwrap()
            .with_bearer_token("secret-token");
        assert!(!format!("{c:?}").contains("secret-token"));
    }
}
