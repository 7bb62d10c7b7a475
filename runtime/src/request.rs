//! Putting one request together: path, query, header and cookie parameters in their
//! styles, the body in its media type, the call's own retry policy and timeout. Input:
//! what a generated operation method passes; output: a `RequestBuilder` for `send`.

use std::borrow::Cow;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::Method;
use serde::Serialize;

use crate::client::Client;
use crate::error::Error;
use crate::params::{self, Style};
use crate::retry::RetryPolicy;

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

/// A cookie value as it is sent (percent-encoded where a cookie cannot hold it as is).
pub(crate) fn cookie_value(value: &str) -> String {
    utf8_percent_encode(value, COOKIE).to_string()
}

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

impl Client {
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
            security: &[],
            cookies: Vec::new(),
            options: CallOptions::default(),
            idempotency: None,
            error: None,
        }
    }
}

/// One request being put together by a generated operation method.
pub struct RequestBuilder<'a> {
    pub(crate) client: &'a Client,
    pub(crate) operation: &'static str,
    pub(crate) path_template: &'static str,
    pub(crate) method: Method,
    pub(crate) url: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    /// Shared bytes: each attempt sends the same body without copying it.
    pub(crate) body: Option<(bytes::Bytes, Cow<'static, str>)>,
    /// A multipart body, encoded into `body` when the request is sent.
    pub(crate) form: Option<crate::multipart::Form>,
    /// The operation's `security` alternatives (none: no credentials).
    pub(crate) security: &'static [&'static [crate::auth::Requirement]],
    pub(crate) cookies: Vec<String>,
    pub(crate) options: CallOptions,
    /// The header that carries this call's idempotency key, when it has one.
    pub(crate) idempotency: Option<&'static str>,
    pub(crate) error: Option<Error>,
}

impl<'a> RequestBuilder<'a> {
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
                    self.cookies.push(format!("{k}={}", cookie_value(&v)));
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

    /// Sends the credentials one of `alternatives` needs (the operation's `security`,
    /// chosen as [`crate::auth`] says); without one the call fails before anything is sent.
    pub fn security(&mut self, alternatives: &'static [&'static [crate::auth::Requirement]]) {
        self.security = alternatives;
    }

    fn fail(&mut self, error: Error) {
        self.error.get_or_insert(error);
    }

    /// Sends a fresh idempotency key in `header` (unless the call set one), the same on
    /// every attempt, and so lets the retry policy send a POST or PATCH again.
    pub fn idempotency_key(&mut self, header: &'static str) {
        self.idempotency = Some(header);
    }

    /// A copy to ask for another page with: `None` for a request that cannot be sent
    /// twice as it is (a multipart form, a parameter already refused).
    pub(crate) fn page_copy(&self) -> Option<RequestBuilder<'a>> {
        if self.form.is_some() || self.error.is_some() {
            return None;
        }
        Some(RequestBuilder {
            client: self.client,
            operation: self.operation,
            path_template: self.path_template,
            method: self.method.clone(),
            url: self.url.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            form: None,
            security: self.security,
            cookies: self.cookies.clone(),
            options: self.options.clone(),
            idempotency: self.idempotency,
            error: None,
        })
    }

    /// Query parameter `name` set to `value` alone (for the next page).
    pub(crate) fn set_query(&mut self, name: &str, value: String) {
        self.query.retain(|(n, _)| n != name);
        self.query.push((name.to_string(), value));
    }

    /// The value the call sends for query parameter `name`, if one.
    pub(crate) fn query_value(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// `link` (absolute, or relative to this request's URL) when it is on the client's
    /// own origin (scheme, host and port), where credentials may go.
    pub(crate) fn same_origin(&self, link: &str) -> Result<String, Error> {
        let refuse = |reason: &str| Error::InvalidParameter {
            operation: self.operation,
            name: "Link",
            reason: reason.to_string(),
        };
        let here =
            reqwest::Url::parse(&self.url).map_err(|_| refuse("the request URL is not a URL"))?;
        let there = here
            .join(link)
            .map_err(|_| refuse("the next page's link is not a URL"))?;
        let base = reqwest::Url::parse(&self.client.base_url)
            .map_err(|_| refuse("the base URL is not a URL"))?;
        if there.origin() != base.origin() {
            return Err(refuse(
                "the next page's link leads to another origin than the client's; it is not followed",
            ));
        }
        Ok(there.to_string())
    }

    /// Uses `options` for this call where they are set, the client's settings elsewhere.
    pub fn options(&mut self, options: CallOptions) {
        self.options = options;
    }
}

/// What one call may set instead of the client's settings (generated builders' `timeout`,
/// `retry` and `body_limit`).
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// How long each attempt may take.
    pub timeout: Option<Duration>,
    pub retry: Option<RetryPolicy>,
    /// The most bytes a response body may have.
    pub body_limit: Option<u64>,
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
}
