//! The client: base URL, credentials, HTTP client, retry policy, timeouts, default
//! parameters and hooks, shared by every operation. Requests are put together in
//! `request` and sent in `send`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use crate::auth::{Credential, Credentials};
use crate::error::Error;
use crate::hooks::Hook;
use crate::middleware::Middleware;
use crate::redirect::Redirects;
use crate::retry::RetryPolicy;

/// Connection settings shared by every operation: base URL, credentials, HTTP client.
#[derive(Clone)]
pub struct Client {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    /// What to send for each security scheme, by the scheme's name in the spec.
    pub(crate) credentials: Credentials,
    /// Token URLs that replace the spec's, by scheme name.
    pub(crate) token_urls: std::collections::BTreeMap<String, String>,
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
    /// Run around every attempt, in the order they were added.
    pub(crate) middleware: Vec<Arc<dyn Middleware>>,
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

/// A pooled connection idle this long is closed rather than reused (4 s by default).
///
/// A server closes keep-alive connections it finds idle for its own timeout: 5 s for
/// Node.js and Apache, 60 s for most load balancers, 75 s for nginx. A request written to
/// a connection at the moment the server closes it is lost in flight, and whether the
/// server saw it cannot be known, so only a repeatable call may be retried. Keeping the
/// client's idle limit under the shortest common server one means the client lets go first.
pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(4);

/// The `reqwest` settings this client uses: a user agent, [`DEFAULT_CONNECT_TIMEOUT`],
/// [`DEFAULT_POOL_IDLE_TIMEOUT`], and no redirects of reqwest's own (the client follows
/// them by [`Redirects`]). Change what you need and pass the result to
/// [`Client::with_http_client`].
pub fn http_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .user_agent(concat!("apigen-runtime/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .pool_idle_timeout(DEFAULT_POOL_IDLE_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &crate::redact::url_text(&self.base_url))
            .field("credentials", &self.credentials)
            .field("hooks", &self.hooks.len())
            .field("middleware", &self.middleware.len())
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
        let http = http_builder().build().map_err(|e| invalid(e.to_string()))?;
        Ok(Client {
            http,
            base_url: parsed.as_str().trim_end_matches('/').to_string(),
            credentials: Credentials::new(),
            token_urls: std::collections::BTreeMap::new(),
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            body_limit: DEFAULT_BODY_LIMIT,
            redirects: Redirects::default(),
            sleep: Arc::new(|d| Box::pin(tokio::time::sleep(d))),
            defaults: std::collections::BTreeMap::new(),
            hooks: Vec::new(),
            middleware: Vec::new(),
        })
    }

    /// Sends `credential` for the security scheme the spec calls `scheme`, with the calls
    /// whose `security` takes it (see [`crate::auth`] for which alternative is used).
    pub fn with_credential(mut self, scheme: &str, credential: Credential) -> Self {
        self.credentials.insert(scheme.to_string(), credential);
        self
    }

    /// Fetches OAuth2 tokens for `scheme` from `url` instead of the spec's token URL
    /// (absolute, or relative to the base URL).
    pub fn with_token_url(mut self, scheme: &str, url: impl Into<String>) -> Self {
        self.token_urls.insert(scheme.to_string(), url.into());
        self
    }

    /// Follows redirects by `redirects` (default: GET and HEAD calls only; see
    /// [`crate::redirect`]).
    pub fn with_redirects(mut self, redirects: Redirects) -> Self {
        self.redirects = redirects;
        self
    }

    /// Uses a `reqwest::Client` of your own (proxies, TLS, connection pool settings).
    /// Start from [`http_builder`] to keep this client's defaults; a client built with a
    /// redirect policy of its own follows redirects before this client's policy sees them.
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

    /// Runs `middleware` around every attempt of every call (after the middleware added
    /// before it); see [`crate::middleware`].
    pub fn with_middleware(mut self, middleware: impl Middleware + 'static) -> Self {
        self.middleware.push(Arc::new(middleware));
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
            .with_credential("bearer", Credential::bearer("secret-token"))
            .with_credential(
                "key",
                Credential::api_key(crate::auth::KeyIn::Query, "k", "sekrit"),
            )
            .with_credential("basic", Credential::basic("user", "hunter2"));
        let shown = format!("{c:?}");
        for secret in ["secret-token", "sekrit", "hunter2", "dXNlcjpodW50ZXIy"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
}
