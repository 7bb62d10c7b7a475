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
            } => Error::Timeout {
                operation,
                after,
                attempts,
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
