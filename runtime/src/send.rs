//! Sending a request: the attempts the retry policy allows, each read whole, hooks
//! around each, one tracing span per call. Input: a `RequestBuilder`; output: the success
//! response, decoded as the operation says, or an `Error`.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use tracing::Instrument;

use crate::auth::BoxFuture;
use crate::error::{decode_json, ApiError, Error};
use crate::events::{DecodeData, EventStream};
use crate::hooks::{CallInfo, Response};
use crate::middleware::{AttemptError, Next};
use crate::redirect::{self, Redirects};
use crate::request::RequestBuilder;
use crate::response::{live_chunks, whole_chunks, ByteStream, ResponseValue};

impl RequestBuilder<'_> {
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

    /// Sends the request and decodes a success body as `T`, kept with the response's
    /// status and headers.
    pub async fn send_json_with_response<T: DeserializeOwned>(
        self,
        type_name: &'static str,
        documented: &[(&'static str, &'static str)],
    ) -> Result<ResponseValue<T>, Error> {
        let operation = self.operation;
        let (status, headers, body) = self.send_raw(documented).await?;
        let value = decode_json(operation, status, type_name, body)?;
        Ok(ResponseValue::new(status, headers, value))
    }

    /// Sends the request; returns a success body as bytes, with its status and headers.
    pub async fn send_with_response(
        self,
        documented: &[(&'static str, &'static str)],
    ) -> Result<ResponseValue<Vec<u8>>, Error> {
        let (status, headers, body) = self.send_raw(documented).await?;
        Ok(ResponseValue::new(status, headers, body))
    }

    /// Sends the request; returns a success body as text (invalid UTF-8 replaced), with
    /// its status and headers.
    pub async fn send_text_with_response(
        self,
        documented: &[(&'static str, &'static str)],
    ) -> Result<ResponseValue<String>, Error> {
        let response = self.send_with_response(documented).await?;
        Ok(response.map(|body| {
            String::from_utf8(body)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
        }))
    }

    /// Sends the request; returns a success body as it arrives, in bounded memory. Error
    /// statuses are read whole (within the body limit), as for every call, and a response
    /// head that does not come within the timeout is retried as any timeout is; once a
    /// success's body has started it is the caller's, and never retried.
    pub async fn send_stream(
        self,
        documented: &[(&'static str, &'static str)],
    ) -> Result<ByteStream, Error> {
        let operation = self.operation;
        let answer = self.call(documented, true).await?;
        let chunks = match answer.live {
            Some(live) => live_chunks(operation, live, answer.timeout, answer.attempts),
            None => whole_chunks(answer.body),
        };
        Ok(ByteStream::new(answer.status, answer.headers, chunks))
    }

    /// Sends the request; returns the server-sent events of a success body, each
    /// event's data read by `decode` ([`crate::events::json_data`] or
    /// [`crate::events::text_data`]) and at most the body limit long.
    pub async fn send_events<T: Send + 'static>(
        self,
        documented: &[(&'static str, &'static str)],
        decode: DecodeData<T>,
    ) -> Result<EventStream<T>, Error> {
        let operation = self.operation;
        let limit = self.options.body_limit.unwrap_or(self.client.body_limit);
        let body = self.send_stream(documented).await?;
        Ok(EventStream::new(operation, body, limit, decode))
    }

    /// Sends the request; returns status, headers and body of a success response.
    pub async fn send_raw(
        self,
        documented: &[(&'static str, &'static str)],
    ) -> Result<(StatusCode, HeaderMap, Vec<u8>), Error> {
        let answer = self.call(documented, false).await?;
        Ok((answer.status, answer.headers, answer.body))
    }

    /// Sends the request: credentials, parameters, attempts, one span. With `stream`,
    /// a success body is left on the wire for the caller.
    async fn call(
        mut self,
        documented: &[(&'static str, &'static str)],
        stream: bool,
    ) -> Result<Answer, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let operation = self.operation;
        let client = self.client;
        let chosen = crate::auth::choose(&client.credentials, self.security, operation)?;
        if let Some(form) = self.form.take() {
            self.body = Some(form.encode(operation, &client.http).await?);
        }
        let mut headers = std::mem::take(&mut self.headers);
        // One key per call, the same on every attempt, unless the caller set its own.
        if let Some(name) = self.idempotency {
            let header =
                reqwest::header::HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    Error::InvalidParameter {
                        operation,
                        name,
                        reason: "this is not a valid HTTP header name".into(),
                    }
                })?;
            if !headers.contains_key(&header) {
                let key = HeaderValue::from_str(&format!("{:032x}", fastrand::u128(..)));
                headers.insert(header, key.expect("hex is a header value"));
            }
        }
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
            .send_attempts(headers, &chosen, documented, stream)
            .instrument(span.clone())
            .await;
        let attempts = match &result {
            Ok(answer) => answer.attempts,
            Err((_, attempts)) => *attempts,
        };
        span.record("attempts", attempts);
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        match result {
            Ok(answer) => {
                span.record("status", answer.status.as_u16());
                Ok(answer)
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
        chosen: &crate::auth::Chosen,
        documented: &[(&'static str, &'static str)],
        stream: bool,
    ) -> Attempted {
        let operation = self.operation;
        let client = self.client;
        let policy = self
            .options
            .retry
            .clone()
            .unwrap_or_else(|| client.retry.clone());
        let timeout = self.options.timeout.unwrap_or(client.timeout);
        let limit = self.options.body_limit.unwrap_or(client.body_limit);
        // A key the server deduplicates by makes any method safe to send again.
        let repeatable = crate::retry::idempotent(&self.method) || self.idempotency.is_some();
        let mut waited = Duration::ZERO;
        let mut attempt = 0u32;
        let mut refreshed = false;
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
                .headers(headers.clone());
            // reqwest's timeout lasts until the body is read: a stream's is its own.
            if !stream {
                request = request.timeout(timeout);
            }
            if !self.query.is_empty() {
                request = request.query(&self.query);
            }
            if let Some((body, _)) = &self.body {
                request = request.body(body.clone());
            }
            let mut request = match request.build() {
                Ok(request) => request,
                Err(source) => return Err((Error::transport(operation, source), attempt)),
            };
            if let Err(error) = crate::auth::apply(client, operation, chosen, &mut request).await {
                return Err((error, attempt));
            }
            for hook in &client.hooks {
                if let Err(source) = hook.on_request(&call, &mut request) {
                    return Err((Error::Hook { operation, source }, attempt));
                }
            }
            let attempt_started = std::time::Instant::now();
            // Where a streamed success is left, its body unread, for the caller.
            let live = std::sync::Mutex::new(None);
            let slot = stream.then_some(&live);
            let network = |request| -> BoxFuture<'_, Result<Response, AttemptError>> {
                Box::pin(receive(
                    &client.http,
                    request,
                    limit,
                    client.redirects,
                    slot,
                ))
            };
            let run = Next::new(&client.middleware, &network).run(&call, request);
            let mut outcome = if stream {
                match tokio::time::timeout(timeout, run).await {
                    Ok(outcome) => outcome,
                    // No response head in time: retried as a timeout of any call is.
                    Err(_) => {
                        let retry = attempt < policy.max_attempts
                            && policy.retries_transport(repeatable, false);
                        let delay = policy.delay(attempt, None, SystemTime::now(), fastrand::f64());
                        if retry && waited.saturating_add(delay) <= policy.max_total_wait {
                            waited = waited.saturating_add(delay);
                            (client.sleep)(delay).await;
                            continue;
                        }
                        let error = Error::Timeout {
                            operation,
                            after: tenths(attempt_started.elapsed()),
                            attempts: attempt,
                            connecting: false,
                        };
                        return Err((error, attempt));
                    }
                }
            } else {
                run.await
            };
            for hook in &client.hooks {
                match &mut outcome {
                    Ok(response) => hook.on_response(&call, response),
                    Err(AttemptError::Transport(e)) => hook.on_transport_error(&call, e),
                    Err(_) => {}
                }
            }
            let outcome = match outcome {
                Ok(r) if r.status == StatusCode::UNAUTHORIZED && !refreshed => {
                    // A token the server no longer takes: once per call, a fresh one.
                    refreshed = crate::auth::forget_tokens(chosen).await;
                    if refreshed {
                        continue;
                    }
                    Ok(r)
                }
                Ok(r) => Ok(r),
                Err(AttemptError::Transport(e)) => Err(e),
                Err(AttemptError::BodyTooLarge(status)) => {
                    let error = Error::BodyTooLarge {
                        operation,
                        status,
                        limit,
                    };
                    return Err((error, attempt));
                }
                Err(AttemptError::Stopped(source)) => {
                    return Err((Error::Hook { operation, source }, attempt))
                }
            };
            let retry_after = match &outcome {
                Ok(r)
                    if !r.status.is_success()
                        && policy.retries_response(repeatable, r.status, &r.headers) =>
                {
                    Some(Some(&r.headers))
                }
                Err(e) if policy.retries_transport(repeatable, e.is_connect()) => Some(None),
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
                Ok(r) if r.status.is_success() => Ok(Answer {
                    status: r.status,
                    headers: r.headers,
                    body: r.body,
                    live: live.lock().ok().and_then(|mut l| l.take()),
                    attempts: attempt,
                    timeout,
                }),
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
                        after: tenths(attempt_started.elapsed()),
                        attempts: attempt,
                        connecting: source.is_connect(),
                    },
                    attempt,
                )),
                Err(source) => Err((Error::transport(operation, source), attempt)),
            };
        }
    }
}

/// Sends one attempt, following the redirects `redirects` allows, and reads the answer
/// whole, up to `limit` bytes (`BodyTooLarge` when the body is longer, said by
/// `Content-Length` or found while reading: the rest is never read). A 3xx left
/// unfollowed has its `Location` made absolute (other answers' headers are left as sent).
///
/// With `live`, a success is put there unread, and the response says an empty body.
async fn receive(
    http: &reqwest::Client,
    request: reqwest::Request,
    limit: u64,
    redirects: Redirects,
    live: Option<&std::sync::Mutex<Option<reqwest::Response>>>,
) -> Result<Response, AttemptError> {
    let started = std::time::Instant::now();
    let mut request = request;
    let mut hops = 0;
    let mut response = loop {
        let sent = request.try_clone();
        let response = http
            .execute(request)
            .await
            .map_err(AttemptError::Transport)?;
        let (status, headers) = (response.status(), response.headers());
        let next = sent
            .as_ref()
            .filter(|_| hops < redirect::MAX_HOPS)
            .and_then(|sent| redirect::next(sent, status, headers, redirects));
        match next {
            Some(next) => {
                hops += 1;
                request = next;
            }
            None => break response,
        }
    };
    let redirected = response.status().is_redirection();
    if let Some(absolute) =
        redirect::location(response.url(), response.headers()).filter(|_| redirected)
    {
        if let Ok(value) = HeaderValue::from_str(absolute.as_str()) {
            response.headers_mut().insert(LOCATION, value);
        }
    }
    let status = response.status();
    if let Some(slot) = live.filter(|_| status.is_success()) {
        let headers = response.headers().clone();
        if let Ok(mut slot) = slot.lock() {
            *slot = Some(response);
        }
        return Ok(Response {
            status,
            headers,
            body: Vec::new(),
            elapsed: started.elapsed(),
        });
    }
    let headers = std::mem::take(response.headers_mut());
    let body = read_body(response, limit).await.map_err(|e| match e {
        Some(e) => AttemptError::Transport(e),
        None => AttemptError::BodyTooLarge(status),
    })?;
    Ok(Response {
        status,
        headers,
        body,
        elapsed: started.elapsed(),
    })
}

/// Reads `response`'s body whole, up to `limit` bytes: `Err(None)` when it is longer
/// (said by `Content-Length`, or found while reading: the rest is never read), memory
/// never growing past the limit.
pub(crate) async fn read_body(
    mut response: reqwest::Response,
    limit: u64,
) -> Result<Vec<u8>, Option<reqwest::Error>> {
    let declared = response.content_length().unwrap_or(0);
    if declared > limit {
        return Err(None);
    }
    // Room for what the server declared, never more than the limit (nor a huge guess).
    let room = declared.min(limit).min(1 << 20);
    let mut body = Vec::with_capacity(usize::try_from(room).unwrap_or(0));
    while let Some(chunk) = response.chunk().await.map_err(Some)? {
        let needed = body.len() + chunk.len();
        if needed as u64 > limit {
            return Err(None);
        }
        // Doubling, but never past the limit: memory stays within it.
        if needed > body.capacity() {
            let cap = usize::try_from(limit).unwrap_or(usize::MAX);
            let target = body.capacity().saturating_mul(2).max(needed).min(cap);
            body.reserve_exact(target - body.len());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// `d` to the nearest tenth of a second (`10.003s` reads `10s`).
fn tenths(d: Duration) -> Duration {
    Duration::from_millis((d.as_millis().saturating_add(50) / 100 * 100) as u64)
}

/// What the attempts of one call came to: the answer, or the error with the count.
type Attempted = Result<Answer, (Error, u32)>;

/// A success response: its body read whole, or (streamed) still on the wire in `live`.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    live: Option<reqwest::Response>,
    attempts: u32,
    /// The call's timeout per attempt: a streamed body's longest silence.
    timeout: Duration,
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

    #[tokio::test]
    async fn a_header_name_http_refuses_is_an_error_not_a_panic() {
        let client = crate::Client::new("http://127.0.0.1:9").unwrap();
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
