//! Why a call failed: `Error`, and `ApiError`, a non-success response kept whole.
//! Input: what the sending code met; output: errors that say what and where, one line each.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

/// Why a call failed.
///
/// `E` says which documented error a non-success response is: generated clients use one
/// enum per operation (`errors::CreateStoreError::Conflict(body)`), parsed from the status and
/// body; `()` when nothing is known about the operation's errors.
///
/// Neither `Display` nor `Debug` shows query values, credentials or values from a body
/// (see [`crate::redact`]); the raw body stays in `Decode::body` and `ApiError::body`.
#[derive(thiserror::Error)]
pub enum Error<E = ()> {
    /// The server answered with a status that is not a success.
    #[error("{0}")]
    Api(Box<ApiError<E>>),
    /// No answer within the timeout (of the last attempt), or no connection within the
    /// connect timeout (`connecting`).
    #[error(
        "{operation}: {} within {after:?} (attempt {attempts})",
        if *connecting { "could not connect" } else { "no answer" }
    )]
    Timeout {
        operation: &'static str,
        /// How long the last attempt waited.
        after: Duration,
        attempts: u32,
        connecting: bool,
    },
    /// A success status the spec does not document for an operation whose bodies differ by status.
    #[error("{0}")]
    UnexpectedStatus(Box<ApiError<E>>),
    /// The request could not be sent or the response not read (connection, TLS, a
    /// cut-off response). `Display` says which; the cause is its `source()` (its URL
    /// without credentials or query values).
    #[error("{operation}: request failed: {}", transport_kind(.source))]
    Transport {
        operation: &'static str,
        #[source]
        source: reqwest::Error,
    },
    /// The response body is longer than the limit (`Client::with_body_limit`, or the
    /// call's `body_limit`); reading stopped there.
    #[error("{operation}: the {status} response body is larger than the limit of {limit} bytes")]
    BodyTooLarge {
        operation: &'static str,
        status: StatusCode,
        limit: u64,
    },
    /// The response body does not match the type the spec gives it.
    #[error(
        "{operation}: the {status} response is not a valid {type_name}: at `{path}`: {source}"
    )]
    Decode {
        operation: &'static str,
        status: StatusCode,
        type_name: &'static str,
        /// Where in the body decoding failed, as a JSON path (`store.product.id`).
        path: String,
        source: DecodeError,
        /// The body as received (shown nowhere: it may hold anything).
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
    /// The call needs credentials the client has none of (nothing was sent); `needs`
    /// names the client setters that would give them, alternatives separated by "or".
    #[error("{operation}: no credentials for this call: set {needs} on the client")]
    MissingCredentials {
        operation: &'static str,
        needs: String,
    },
    /// A credential could not be had: an OAuth2 token endpoint refused or failed, a token
    /// source failed, a key holds characters a header cannot carry. Never shows a secret.
    #[error("{operation}: no credential for `{scheme}`: {reason}")]
    Auth {
        operation: &'static str,
        scheme: &'static str,
        reason: String,
    },
    /// A hook or middleware refused to let the request go (see [`crate::Hook::on_request`]
    /// and [`crate::middleware::AttemptError::Stopped`]).
    #[error("{operation}: stopped by a hook: {source}")]
    Hook {
        operation: &'static str,
        #[source]
        source: BoxError,
    },
    /// The base URL given to the client is not an absolute http(s) URL (`url` without
    /// credentials or query values).
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl { url: String, reason: String },
}

/// Why a body did not decode, without the values serde quotes from it: `Display` gives
/// ``invalid type: string, expected u32``; `raw()` the serde_json error itself.
pub struct DecodeError {
    message: String,
    raw: serde_json::Error,
}

impl DecodeError {
    /// From a serde_json error and its message with the path taken out.
    pub fn new(raw: serde_json::Error) -> Self {
        let (_, message) = crate::union::error_path("", &raw.to_string());
        DecodeError {
            message: crate::redact::serde_message(&message),
            raw,
        }
    }

    /// The serde_json error, values and all (to debug with, not to log).
    pub fn raw(&self) -> &serde_json::Error {
        &self.raw
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DecodeError({:?})", self.message)
    }
}

impl std::error::Error for DecodeError {}

/// What went wrong in a transport failure, in a few words (the cause says the rest).
pub(crate) fn transport_kind(e: &reqwest::Error) -> &'static str {
    if e.is_connect() {
        "could not connect"
    } else if e.is_timeout() {
        "timed out"
    } else if e.is_body() || e.is_decode() {
        "the response body could not be read"
    } else if e.is_builder() {
        "the request could not be built"
    } else if e.is_request() {
        "the request could not be sent"
    } else {
        "the exchange failed"
    }
}

impl Error {
    /// A transport failure, its URL without credentials or query values.
    pub fn transport(operation: &'static str, mut source: reqwest::Error) -> Self {
        if let Some(url) = source.url_mut() {
            crate::redact::url(url);
        }
        Error::Transport { operation, source }
    }
}

/// Field by field as `derive(Debug)` would, less what may be secret: bodies show their
/// length, `ApiError` headers their names.
impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::UnexpectedStatus(e) => f.debug_tuple("UnexpectedStatus").field(e).finish(),
            Error::Timeout {
                operation,
                after,
                attempts,
                connecting,
            } => f
                .debug_struct("Timeout")
                .field("operation", operation)
                .field("after", after)
                .field("attempts", attempts)
                .field("connecting", connecting)
                .finish(),
            Error::Transport { operation, source } => f
                .debug_struct("Transport")
                .field("operation", operation)
                .field("source", source)
                .finish(),
            Error::BodyTooLarge {
                operation,
                status,
                limit,
            } => f
                .debug_struct("BodyTooLarge")
                .field("operation", operation)
                .field("status", status)
                .field("limit", limit)
                .finish(),
            Error::Decode {
                operation,
                status,
                type_name,
                path,
                source,
                body,
            } => f
                .debug_struct("Decode")
                .field("operation", operation)
                .field("status", status)
                .field("type_name", type_name)
                .field("path", path)
                .field("source", source)
                .field("body", &crate::redact::Bytes(body.len()))
                .finish(),
            Error::Encode { operation, .. } => f
                .debug_struct("Encode")
                .field("operation", operation)
                .finish_non_exhaustive(),
            Error::InvalidParameter {
                operation,
                name,
                reason,
            } => f
                .debug_struct("InvalidParameter")
                .field("operation", operation)
                .field("name", name)
                .field("reason", reason)
                .finish(),
            Error::MissingCredentials { operation, needs } => f
                .debug_struct("MissingCredentials")
                .field("operation", operation)
                .field("needs", needs)
                .finish(),
            Error::Auth {
                operation,
                scheme,
                reason,
            } => f
                .debug_struct("Auth")
                .field("operation", operation)
                .field("scheme", scheme)
                .field("reason", reason)
                .finish(),
            Error::Hook { operation, source } => f
                .debug_struct("Hook")
                .field("operation", operation)
                .field("source", source)
                .finish(),
            Error::InvalidBaseUrl { url, reason } => f
                .debug_struct("InvalidBaseUrl")
                .field("url", url)
                .field("reason", reason)
                .finish(),
        }
    }
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
            Error::Decode { status, .. } | Error::BodyTooLarge { status, .. } => Some(*status),
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
                connecting,
            } => Error::Timeout {
                operation,
                after,
                attempts,
                connecting,
            },
            Error::Transport { operation, source } => Error::Transport { operation, source },
            Error::BodyTooLarge {
                operation,
                status,
                limit,
            } => Error::BodyTooLarge {
                operation,
                status,
                limit,
            },
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
            Error::MissingCredentials { operation, needs } => {
                Error::MissingCredentials { operation, needs }
            }
            Error::Auth {
                operation,
                scheme,
                reason,
            } => Error::Auth {
                operation,
                scheme,
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

/// The largest body `Display` looks into for the server's message.
const MESSAGE_SCAN_LIMIT: usize = 64 * 1024;

/// Response headers that carry a request id, in the order they are looked for.
/// The first of the request id headers `headers` has, with its value.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<(&'static str, &str)> {
    REQUEST_ID_HEADERS.iter().find_map(|name| {
        let value = headers.get(*name)?.to_str().ok()?;
        Some((*name, value))
    })
}

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
/// operation's documented errors it is. (`Debug` shows the headers' names and the body's
/// length, not their values.)
#[derive(Clone)]
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
        request_id(&self.headers)
    }

    /// Where a redirect left unfollowed points (its `Location`, made absolute).
    pub fn location(&self) -> Option<&str> {
        self.headers.get(reqwest::header::LOCATION)?.to_str().ok()
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

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("headers", &crate::redact::HeaderNames(&self.headers))
            .field("body", &crate::redact::Bytes(self.body.len()))
            .field("description", &self.description)
            .field("detail", &self.detail)
            .finish()
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
        // Bounded: printing an error costs the same whatever its body's size.
        let message = (self.body.len() <= MESSAGE_SCAN_LIMIT)
            .then(|| self.message())
            .flatten();
        if let Some(message) = message {
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
        source: DecodeError::new(e.source),
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
