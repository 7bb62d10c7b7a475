//! The HTTP side of a generated client: one `reqwest` client, a base URL, a bearer token,
//! and the request plumbing every generated operation method shares.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::params::{self, Style};
use crate::retry::RetryPolicy;
use serde::Serialize;

/// Characters escaped in a path segment: everything but RFC 3986 unreserved characters,
/// so that a value like `../x?y#z` stays inside its segment.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']')
    .add(b'&')
    .add(b'=')
    .add(b'+')
    .add(b';')
    .add(b':')
    .add(b'@')
    .add(b'$')
    .add(b',')
    .add(b'!')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*');

/// Characters escaped in a cookie value.
const COOKIE: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b',')
    .add(b';')
    .add(b'\\')
    .add(b'%');

/// A path parameter as it is written into the path: its style applied and each value
/// percent-encoded, so a value like `../x?y#z` stays inside its segment.
pub fn path_param<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> String {
    let json = params::to_json(value).unwrap_or(serde_json::Value::Null);
    params::path_text(name, &json, style, explode, &encode_path_segment)
}

/// Percent-encodes a path parameter so that it fills exactly one path segment.
pub fn encode_path_segment(value: &str) -> String {
    let encoded = utf8_percent_encode(value, SEGMENT).to_string();
    // `.` and `..` would still be read as relative segments.
    match encoded.as_str() {
        "." => "%2E".to_string(),
        ".." => "%2E%2E".to_string(),
        _ => encoded,
    }
}

/// Why a call failed.
///
/// `E` says which documented error a non-success response is: generated clients use one
/// enum per operation (`errors::CreateStoreError::Conflict(body)`), parsed from the status and
/// body; `()` when nothing is known about the operation's errors.
#[derive(Debug, thiserror::Error)]
pub enum Error<E = ()> {
    /// The server answered with a status that is not a success.
    #[error("{0}")]
    Api(Box<ApiError<E>>),
    /// No answer within the timeout (of the last attempt).
    #[error("{operation}: no answer within {after:?} (attempt {attempts})")]
    Timeout {
        operation: &'static str,
        after: Duration,
        attempts: u32,
    },
    /// A success status the spec does not document for an operation whose bodies differ by status.
    #[error("{0}")]
    UnexpectedStatus(Box<ApiError<E>>),
    /// The request could not be sent or the response not read (connection, TLS, timeout).
    #[error("{operation}: request failed: {source}")]
    Transport {
        operation: &'static str,
        #[source]
        source: reqwest::Error,
    },
    /// The response body does not match the type the spec gives it.
    #[error(
        "{operation}: the {status} response is not a valid {type_name}: at `{path}`: {}",
        crate::union::error_path("", &.source.to_string()).1
    )]
    Decode {
        operation: &'static str,
        status: StatusCode,
        type_name: &'static str,
        /// Where in the body decoding failed, as a JSON path (`store.product.id`).
        path: String,
        #[source]
        source: serde_json::Error,
        body: Vec<u8>,
    },
    /// The request body could not be encoded as JSON.
    #[error("{operation}: cannot encode the request: {source}")]
    Encode {
        operation: &'static str,
        #[source]
        source: serde_json::Error,
    },
    /// A parameter value cannot be sent (e.g. a header value with a line break).
    #[error("{operation}: invalid parameter `{name}`: {reason}")]
    InvalidParameter {
        operation: &'static str,
        name: &'static str,
        reason: String,
    },
    /// A hook refused to let the request go (see [`Hook::on_request`]).
    #[error("{operation}: stopped by a hook: {source}")]
    Hook {
        operation: &'static str,
        #[source]
        source: BoxError,
    },
    /// The base URL given to the client is not an absolute http(s) URL.
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl { url: String, reason: String },
}

/// Any error a hook wants to report.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl<E> Error<E> {
    /// The response, for `Api` and `UnexpectedStatus`.
    pub fn response(&self) -> Option<&ApiError<E>> {
        match self {
            Error::Api(e) | Error::UnexpectedStatus(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode { status, .. } => Some(*status),
            _ => self.response().map(|e| e.status),
        }
    }

    /// Which documented error this is (with its parsed body), for `Api` and `UnexpectedStatus`.
    pub fn detail(&self) -> Option<&E> {
        self.response().map(|e| &e.detail)
    }

    /// The same error with its detail classified by `classify` (generated code passes the
    /// operation's `from_response`).
    pub fn map_detail<F>(self, classify: impl FnOnce(&ApiError<E>) -> F) -> Error<F> {
        let convert = |e: Box<ApiError<E>>| {
            let detail = classify(&e);
            Box::new(e.with_detail(detail))
        };
        match self {
            Error::Api(e) => Error::Api(convert(e)),
            Error::UnexpectedStatus(e) => Error::UnexpectedStatus(convert(e)),
            Error::Timeout {
                operation,
                after,
                attempts,
            } => Error::Timeout {
                operation,
                after,
                attempts,
            },
            Error::Transport { operation, source } => Error::Transport { operation, source },
            Error::Decode {
                operation,
                status,
                type_name,
                path,
                source,
                body,
            } => Error::Decode {
                operation,
                status,
                type_name,
                path,
                source,
                body,
            },
            Error::Encode { operation, source } => Error::Encode { operation, source },
            Error::InvalidParameter {
                operation,
                name,
                reason,
            } => Error::InvalidParameter {
                operation,
                name,
                reason,
            },
            Error::Hook { operation, source } => Error::Hook { operation, source },
            Error::InvalidBaseUrl { url, reason } => Error::InvalidBaseUrl { url, reason },
        }
    }

    /// The same error without its operation-specific detail, so that errors of several
    /// operations fit one `Result` type.
    pub fn untyped(self) -> Error {
        self.map_detail(|_| ())
    }
}

/// Response headers that carry a request id, in the order they are looked for.
const REQUEST_ID_HEADERS: &[&str] = &[
    "x-request-id",
    "request-id",
    "x-vercel-id",
    "x-github-request-id",
    "x-amzn-requestid",
    "x-correlation-id",
    "cf-ray",
];

/// A non-success response, kept whole: status, headers, the raw body, and which of the
/// operation's documented errors it is.
#[derive(Debug, Clone)]
pub struct ApiError<E = ()> {
    pub operation: &'static str,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The spec's description of this status, when the operation documents it.
    pub description: Option<&'static str>,
    /// The documented error this is, with the body parsed when the spec gives it a schema.
    pub detail: E,
}

impl<E> ApiError<E> {
    /// The same response with `detail` in place of its own.
    pub fn with_detail<F>(self, detail: F) -> ApiError<F> {
        ApiError {
            operation: self.operation,
            status: self.status,
            headers: self.headers,
            body: self.body,
            description: self.description,
            detail,
        }
    }

    /// Whether the operation's spec lists this status.
    pub fn is_documented(&self) -> bool {
        self.description.is_some()
    }

    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body decoded as JSON of type `T`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        crate::json::decode(&self.body).map_err(|e| e.source)
    }

    /// The request id the server gave this response (`x-request-id`, `x-vercel-id`,
    /// `x-github-request-id`, …), to quote when asking the API's owner about it.
    pub fn request_id(&self) -> Option<(&'static str, &str)> {
        REQUEST_ID_HEADERS.iter().find_map(|name| {
            let value = self.headers.get(*name)?.to_str().ok()?;
            Some((*name, value))
        })
    }

    /// The server's own message, when the body is JSON with a `message` (at the top or
    /// under `error`), as most APIs send it.
    pub fn message(&self) -> Option<String> {
        let json: serde_json::Value = serde_json::from_slice(&self.body).ok()?;
        let text = |v: &serde_json::Value| v.get("message")?.as_str().map(str::to_string);
        text(&json)
            .or_else(|| json.get("error").and_then(text))
            .or_else(|| {
                json.get("error")
                    .and_then(serde_json::Value::as_str)
                    .map(str::to_string)
            })
    }
}

/// One line: operation, status, the spec's description, the server's message, the request id.
impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.operation, self.status)?;
        match self.description {
            Some(d) if !d.is_empty() => write!(f, " ({})", d.lines().next().unwrap_or(d))?,
            Some(_) => {}
            None => write!(f, " (not documented for this operation)")?,
        }
        if let Some(message) = self.message() {
            let line = message.lines().next().unwrap_or_default();
            let short: String = line.chars().take(200).collect();
            let more = if short.len() < message.len() {
                "…"
            } else {
                ""
            };
            write!(f, ": {short}{more}")?;
        }
        if let Some((header, id)) = self.request_id() {
            write!(f, " [{header}: {id}]")?;
        }
        Ok(())
    }
}

/// Sees, and may change, every attempt of every call: add a header, sign a request,
/// log or measure, patch a response. Hooks see what goes over the wire, credentials
/// included, so what they log is up to them.
pub trait Hook: Send + Sync {
    /// Called just before an attempt is sent. An error stops the call with `Error::Hook`
    /// and nothing is sent.
    ///
    /// # Errors
    /// Whatever the hook decides should stop the request.
    fn on_request(&self, call: &CallInfo, request: &mut reqwest::Request) -> Result<(), BoxError> {
        let _ = (call, request);
        Ok(())
    }

    /// Called with each response, read whole, before it is retried or decoded; changes
    /// made here are what the caller gets.
    fn on_response(&self, call: &CallInfo, response: &mut Response) {
        let _ = (call, response);
    }

    /// Called when an attempt got no response (connection refused, timeout, reset).
    fn on_transport_error(&self, call: &CallInfo, error: &reqwest::Error) {
        let _ = (call, error);
    }
}

/// The call an attempt belongs to, as hooks see it.
#[derive(Debug, Clone)]
pub struct CallInfo {
    /// The spec's `operationId`.
    pub operation: &'static str,
    pub method: Method,
    /// The spec's path (`/v1/stores/{id}`), without parameter values.
    pub path_template: &'static str,
    /// 1 for the first attempt, 2 for the first retry, …
    pub attempt: u32,
}

/// A response as hooks see it.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// From sending the request to having read the whole body.
    pub elapsed: Duration,
}

/// Connection settings shared by every operation: base URL, credentials, HTTP client.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    token: Option<String>,
    retry: RetryPolicy,
    timeout: Duration,
    sleep: Sleeper,
    /// Values for optional parameters that a call leaves unset (`teamId`, say).
    defaults: std::collections::BTreeMap<String, serde_json::Value>,
    /// Called around every attempt, in the order they were added.
    hooks: Vec<Arc<dyn Hook>>,
}

/// How the client waits between attempts; tests put in one that only records the delay.
pub type Sleeper = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// Each attempt of a call may take this long by default (connecting included).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Connecting may take this long by default.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url)
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
            url: base_url.to_string(),
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
            .build()
            .map_err(|e| invalid(e.to_string()))?;
        Ok(Client {
            http,
            base_url: parsed.as_str().trim_end_matches('/').to_string(),
            token: None,
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
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

    /// Uses a `reqwest::Client` of your own (timeouts, proxies, middleware-free tuning).
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

    /// Starts a request for `operation` to `path` (already expanded and encoded).
    /// `path_template` is the spec's path (`/v1/stores/{id}`), for tracing.
    pub fn request(
        &self,
        operation: &'static str,
        method: Method,
        path_template: &'static str,
        path: &str,
    ) -> RequestBuilder<'_> {
        RequestBuilder {
            client: self,
            operation,
            path_template,
            method,
            url: format!("{}{}", self.base_url, path),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            form: None,
            bearer: false,
            cookies: Vec::new(),
            retry: None,
            timeout: None,
            error: None,
        }
    }
}

/// One request being put together by a generated operation method.
pub struct RequestBuilder<'a> {
    client: &'a Client,
    operation: &'static str,
    path_template: &'static str,
    method: Method,
    url: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    /// Shared bytes: each attempt sends the same body without copying it.
    body: Option<(bytes::Bytes, Cow<'static, str>)>,
    /// A multipart body, encoded into `body` when the request is sent.
    form: Option<crate::multipart::Form>,
    bearer: bool,
    cookies: Vec<String>,
    retry: Option<RetryPolicy>,
    timeout: Option<Duration>,
    error: Option<Error>,
}

impl RequestBuilder<'_> {
    /// The value to send for parameter `name`: the call's, else the client's default.
    fn value_or_default<T: Serialize + ?Sized>(
        &self,
        name: &str,
        value: Option<&T>,
    ) -> Option<Result<serde_json::Value, serde_json::Error>> {
        match value {
            Some(value) => Some(params::to_json(value)),
            None => self.client.defaults.get(name).cloned().map(Ok),
        }
    }

    /// Adds query parameter `name` when `value` is set, in the default `form` style
    /// (arrays repeat the name).
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        self.query_styled(name, value, Style::Form, true);
    }

    /// Adds query parameter `name` when `value` is set, in the given style.
    pub fn query_styled<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
        style: Style,
        explode: bool,
    ) {
        let Some(json) = self.value_or_default(name, value) else {
            return;
        };
        match json {
            Ok(json) => self
                .query
                .extend(params::query_pairs(name, &json, style, explode)),
            Err(source) => self.fail(Error::Encode {
                operation: self.operation,
                source,
            }),
        }
    }

    /// Adds cookie `name` when `value` is set (`form` style, sent in one `Cookie` header).
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &'static str, value: Option<&T>) {
        let Some(json) = self.value_or_default(name, value) else {
            return;
        };
        match json {
            Ok(json) => {
                for (k, v) in params::query_pairs(name, &json, Style::Form, false) {
                    let v: String = utf8_percent_encode(&v, COOKIE).to_string();
                    self.cookies.push(format!("{k}={v}"));
                }
            }
            Err(source) => self.fail(Error::Encode {
                operation: self.operation,
                source,
            }),
        }
    }

    /// Adds header `name` when `value` is set (`simple` style); refuses values with line
    /// breaks or other control characters rather than sending them.
    pub fn header<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: Option<&T>,
        explode: bool,
    ) {
        let Some(json) = self.value_or_default(name, value) else {
            return;
        };
        let text = match json {
            Ok(json) => params::path_text(name, &json, Style::Simple, explode, &|t: &str| {
                t.to_string()
            }),
            Err(source) => {
                return self.fail(Error::Encode {
                    operation: self.operation,
                    source,
                })
            }
        };
        // The generator only emits valid names; checked here too, as `insert` would panic.
        let Ok(header) = reqwest::header::HeaderName::from_bytes(name.as_bytes()) else {
            return self.fail(Error::InvalidParameter {
                operation: self.operation,
                name,
                reason: "this is not a valid HTTP header name".into(),
            });
        };
        match HeaderValue::from_str(&text) {
            Ok(v) => {
                self.headers.insert(header, v);
            }
            Err(_) => self.fail(Error::InvalidParameter {
                operation: self.operation,
                name,
                reason: "header values cannot contain control characters such as CR or LF".into(),
            }),
        }
    }

    /// Sets a JSON body.
    pub fn json<T: Serialize>(&mut self, body: &T, content_type: &'static str) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some((bytes.into(), content_type.into())),
            Err(source) => self.fail(Error::Encode {
                operation: self.operation,
                source,
            }),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body (flat objects only).
    pub fn form<T: Serialize>(&mut self, body: &T) {
        match serde_urlencoded::to_string(body) {
            Ok(text) => {
                self.body = Some((
                    text.into_bytes().into(),
                    "application/x-www-form-urlencoded".into(),
                ))
            }
            Err(e) => self.fail(Error::Encode {
                operation: self.operation,
                source: serde::ser::Error::custom(e),
            }),
        }
    }

    /// Sets a body sent as it is (text or bytes) with the given media type.
    pub fn raw_body(&mut self, body: impl Into<Vec<u8>>, content_type: &'static str) {
        self.body = Some((body.into().into(), content_type.into()));
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(&mut self, form: impl Into<crate::multipart::Form>) {
        self.form = Some(form.into());
    }

    /// Sets the `Accept` header to the media type the operation answers with.
    pub fn accept(&mut self, media_type: &'static str) {
        if let Ok(value) = HeaderValue::from_str(media_type) {
            self.headers.insert(reqwest::header::ACCEPT, value);
        }
    }

    /// Sends the bearer token with this request.
    pub fn bearer_auth(&mut self) {
        self.bearer = true;
    }

    fn fail(&mut self, error: Error) {
        self.error.get_or_insert(error);
    }

    /// Sends the request and decodes a success body as `T`. Non-success statuses become
    /// `Error::Api`; `documented` lists the statuses the spec describes, with their text.
    pub async fn send_json<T: DeserializeOwned>(
        self,
        type_name: &'static str,
        documented: &[(&'static str, &'static str)],
    ) -> Result<T, Error> {
        let operation = self.operation;
        let (status, _headers, body) = self.send_raw(documented).await?;
        decode_json(operation, status, type_name, body)
    }

    /// Sends the request and returns a success body as text (invalid UTF-8 replaced).
    pub async fn send_text(
        self,
        documented: &[(&'static str, &'static str)],
    ) -> Result<String, Error> {
        let (_, _, body) = self.send_raw(documented).await?;
        Ok(String::from_utf8(body)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// Sends the request and returns a success body as bytes.
    pub async fn send_bytes(
        self,
        documented: &[(&'static str, &'static str)],
    ) -> Result<Vec<u8>, Error> {
        self.send_raw(documented).await.map(|(_, _, body)| body)
    }

    /// Sends the request; returns status, headers and body of a success response.
    pub async fn send_raw(
        mut self,
        documented: &[(&'static str, &'static str)],
    ) -> Result<(StatusCode, HeaderMap, Vec<u8>), Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let operation = self.operation;
        let client = self.client;
        if let Some(form) = self.form.take() {
            self.body = Some(form.encode(operation, &client.http).await?);
        }
        let mut headers = std::mem::take(&mut self.headers);
        if !self.cookies.is_empty() {
            let cookies = HeaderValue::from_str(&self.cookies.join("; ")).map_err(|_| {
                Error::InvalidParameter {
                    operation,
                    name: "Cookie",
                    reason: "cookie values cannot contain control characters".into(),
                }
            })?;
            headers.insert(reqwest::header::COOKIE, cookies);
        }
        if self.bearer {
            if let Some(token) = &client.token {
                let mut value =
                    HeaderValue::from_str(&format!("Bearer {token}")).map_err(|_| {
                        Error::InvalidParameter {
                            operation,
                            name: "Authorization",
                            reason: "the bearer token contains characters a header cannot carry"
                                .into(),
                        }
                    })?;
                value.set_sensitive(true);
                headers.insert(AUTHORIZATION, value);
            }
        }
        if let Some((_, content_type)) = &self.body {
            let value =
                HeaderValue::from_str(content_type).map_err(|_| Error::InvalidParameter {
                    operation,
                    name: "Content-Type",
                    reason: format!("{content_type:?} cannot be sent as a header"),
                })?;
            headers.insert(CONTENT_TYPE, value);
        }
        // One span per call; no bodies, query values or credentials are recorded.
        let span = tracing::info_span!(
            "api_call",
            operation,
            method = %self.method,
            path = self.path_template,
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = std::time::Instant::now();
        let result = self
            .send_attempts(headers, documented)
            .instrument(span.clone())
            .await;
        let attempts = match &result {
            Ok((_, _, _, attempts)) => *attempts,
            Err((_, attempts)) => *attempts,
        };
        span.record("attempts", attempts);
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        match result {
            Ok((status, headers, body, _)) => {
                span.record("status", status.as_u16());
                Ok((status, headers, body))
            }
            Err((error, _)) => {
                if let Error::Api(e) = &error {
                    span.record("status", e.status.as_u16());
                }
                Err(error)
            }
        }
    }

    /// Sends the request, again as the retry policy allows; returns the outcome and the
    /// number of attempts made.
    async fn send_attempts(
        self,
        headers: HeaderMap,
        documented: &[(&'static str, &'static str)],
    ) -> Attempted {
        let operation = self.operation;
        let client = self.client;
        let policy = self.retry.unwrap_or_else(|| client.retry.clone());
        let timeout = self.timeout.unwrap_or(client.timeout);
        let mut waited = Duration::ZERO;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let call = CallInfo {
                operation,
                method: self.method.clone(),
                path_template: self.path_template,
                attempt,
            };
            let mut request = client
                .http
                .request(self.method.clone(), &self.url)
                .headers(headers.clone())
                .timeout(timeout);
            if !self.query.is_empty() {
                request = request.query(&self.query);
            }
            if let Some((body, _)) = &self.body {
                request = request.body(body.clone());
            }
            let mut request = match request.build() {
                Ok(request) => request,
                Err(source) => return Err((Error::Transport { operation, source }, attempt)),
            };
            for hook in &client.hooks {
                if let Err(source) = hook.on_request(&call, &mut request) {
                    return Err((Error::Hook { operation, source }, attempt));
                }
            }
            let started = std::time::Instant::now();
            let mut outcome = match client.http.execute(request).await {
                Ok(response) => {
                    let status = response.status();
                    let headers = response.headers().clone();
                    response.bytes().await.map(|body| Response {
                        status,
                        headers,
                        body: body.to_vec(),
                        elapsed: started.elapsed(),
                    })
                }
                Err(e) => Err(e),
            };
            for hook in &client.hooks {
                match &mut outcome {
                    Ok(response) => hook.on_response(&call, response),
                    Err(e) => hook.on_transport_error(&call, e),
                }
            }
            let retry_after = match &outcome {
                Ok(r)
                    if !r.status.is_success() && policy.retries_status(&self.method, r.status) =>
                {
                    Some(Some(&r.headers))
                }
                Err(e) if policy.retries_transport(&self.method, e.is_connect()) => Some(None),
                _ => None,
            };
            if let Some(response_headers) = retry_after.filter(|_| attempt < policy.max_attempts) {
                let delay = policy.delay(
                    attempt,
                    response_headers,
                    SystemTime::now(),
                    fastrand::f64(),
                );
                // Saturating: a server may ask for `u64::MAX` seconds, twice.
                if waited.saturating_add(delay) <= policy.max_total_wait {
                    waited = waited.saturating_add(delay);
                    (client.sleep)(delay).await;
                    continue;
                }
            }
            return match outcome {
                Ok(r) if r.status.is_success() => Ok((r.status, r.headers, r.body, attempt)),
                Ok(r) => Err((
                    Error::Api(Box::new(ApiError {
                        operation,
                        status: r.status,
                        headers: r.headers,
                        body: r.body,
                        description: describe(r.status, documented),
                        detail: (),
                    })),
                    attempt,
                )),
                Err(source) if source.is_timeout() => Err((
                    Error::Timeout {
                        operation,
                        after: timeout,
                        attempts: attempt,
                    },
                    attempt,
                )),
                Err(source) => Err((Error::Transport { operation, source }, attempt)),
            };
        }
    }

    /// Uses `policy` for this call instead of the client's.
    pub fn retry(&mut self, policy: Option<RetryPolicy>) {
        if policy.is_some() {
            self.retry = policy;
        }
    }

    /// Gives this call `timeout` (each attempt) instead of the client's.
    pub fn timeout(&mut self, timeout: Option<Duration>) {
        if timeout.is_some() {
            self.timeout = timeout;
        }
    }
}

/// What the attempts of one call came to: the response or the error, with the count.
type Attempted = Result<(StatusCode, HeaderMap, Vec<u8>, u32), (Error, u32)>;

/// Decodes a JSON body as `T`, naming the JSON path where it does not fit.
///
/// # Errors
/// `Error::Decode` when the body is not a valid `T`.
pub fn decode_json<T: DeserializeOwned>(
    operation: &'static str,
    status: StatusCode,
    type_name: &'static str,
    body: Vec<u8>,
) -> Result<T, Error> {
    crate::json::decode(&body).map_err(|e| Error::Decode {
        operation,
        status,
        type_name,
        path: e.path,
        source: e.source,
        body,
    })
}

/// The error for a success status the operation does not document, when the operation
/// answers different bodies per status and so cannot guess how to read this one.
pub fn unexpected_status(
    operation: &'static str,
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
) -> Error {
    Error::UnexpectedStatus(Box::new(ApiError {
        operation,
        status,
        headers,
        body,
        description: None,
        detail: (),
    }))
}

/// The description of `status` among the documented ones, matching `404`, `4XX` or `default`.
fn describe(
    status: StatusCode,
    documented: &[(&'static str, &'static str)],
) -> Option<&'static str> {
    let code = status.as_str();
    let class = format!("{}XX", &code[..1]);
    documented
        .iter()
        .find(|(s, _)| *s == code)
        .or_else(|| {
            documented
                .iter()
                .find(|(s, _)| s.eq_ignore_ascii_case(&class))
        })
        .or_else(|| documented.iter().find(|(s, _)| *s == "default"))
        .map(|(_, d)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_cannot_escape() {
        assert_eq!(encode_path_segment("../x?y#z"), "..%2Fx%3Fy%23z");
        assert_eq!(encode_path_segment(".."), "%2E%2E");
        assert_eq!(encode_path_segment("a b/ü"), "a%20b%2F%C3%BC");
        assert_eq!(encode_path_segment("store_1-A.b~c"), "store_1-A.b~c");
    }

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

    #[tokio::test]
    async fn a_header_name_http_refuses_is_an_error_not_a_panic() {
        let client = Client::new("http://127.0.0.1:9").unwrap();
        for name in ["X Bad", "", "Bad:Name", "x-\u{e9}"] {
            let mut request = client.request("op", reqwest::Method::GET, "/", "/");
            request.header(name, Some("v"), false);
            let result = request.send_raw(&[]).await;
            assert!(
                matches!(result, Err(Error::InvalidParameter { name: n, .. }) if n == name),
                "{name:?}: {result:?}"
            );
        }
    }

    #[test]
    fn documented_statuses_match_exact_then_class_then_default() {
        let docs = [("404", "missing"), ("5XX", "server"), ("default", "other")];
        assert_eq!(describe(StatusCode::NOT_FOUND, &docs), Some("missing"));
        assert_eq!(describe(StatusCode::BAD_GATEWAY, &docs), Some("server"));
        assert_eq!(describe(StatusCode::CONFLICT, &docs), Some("other"));
        assert_eq!(describe(StatusCode::CONFLICT, &[]), None);
    }
}
