//! What a successful call hands back beside its typed body: the status, the headers and
//! the request id ([`ResponseValue`]); and a body read as it arrives ([`ByteStream`]), in
//! bounded memory whatever its length.

use std::fmt;
use std::ops::Deref;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use crate::error::Error;

/// A success response's body, with the status and headers it came with
/// (`send_with_response()`). Derefs to the body.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseValue<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> ResponseValue<T> {
    /// A body with the status and headers of the response that carried it.
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        ResponseValue {
            status,
            headers,
            body,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id the server gave (`x-request-id`, `x-github-request-id`, …), with
    /// the header that carried it.
    pub fn request_id(&self) -> Option<(&'static str, &str)> {
        crate::error::request_id(&self.headers)
    }

    pub fn body(&self) -> &T {
        &self.body
    }

    pub fn into_body(self) -> T {
        self.body
    }

    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }

    /// The same response with its body changed by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue::new(self.status, self.headers, f(self.body))
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

pub(crate) type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

/// A success response whose body is read as it arrives (`send_stream()`): a
/// [`Stream`] of chunks, each at most what one read gave. Memory stays at one chunk
/// whatever the body's length; [`ByteStream::collect`] gathers it within a limit.
///
/// Between two chunks the connection may be silent for at most the call's timeout (a
/// read that waits longer ends the stream with `Error::Timeout`). Dropping the stream
/// closes the connection.
pub struct ByteStream {
    status: StatusCode,
    headers: HeaderMap,
    chunks: Chunks,
}

impl ByteStream {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, chunks: Chunks) -> Self {
        ByteStream {
            status,
            headers,
            chunks,
        }
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id the server gave, with the header that carried it.
    pub fn request_id(&self) -> Option<(&'static str, &str)> {
        crate::error::request_id(&self.headers)
    }

    /// The length the server declared (`Content-Length`), if it did.
    pub fn content_length(&self) -> Option<u64> {
        self.headers
            .get(reqwest::header::CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .parse()
            .ok()
    }

    /// The next chunk, `None` at the end of the body.
    ///
    /// # Errors
    /// `Error::Transport` when the connection fails mid-body, `Error::Timeout` when it
    /// is silent for longer than the call's timeout.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, Error> {
        futures_util::StreamExt::next(self).await.transpose()
    }

    /// The rest of the body, as long as it stays within `limit` bytes.
    ///
    /// # Errors
    /// As for [`ByteStream::chunk`]; `Error::BodyTooLarge` past `limit`.
    pub async fn collect(mut self, operation: &'static str, limit: u64) -> Result<Vec<u8>, Error> {
        let mut body = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            if (body.len() + chunk.len()) as u64 > limit {
                return Err(Error::BodyTooLarge {
                    operation,
                    status: self.status,
                    limit,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    pub(crate) fn into_parts(self) -> (StatusCode, HeaderMap, Chunks) {
        (self.status, self.headers, self.chunks)
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .field("headers", &crate::redact::HeaderNames(&self.headers))
            .finish_non_exhaustive()
    }
}

/// The chunks of a live response, each read within `idle` of the last (`attempts`: the
/// call's, for a timeout's error).
pub(crate) fn live_chunks(
    operation: &'static str,
    response: reqwest::Response,
    idle: Duration,
    attempts: u32,
) -> Chunks {
    Box::pin(futures_util::stream::unfold(
        Some(response),
        move |state| async move {
            let mut response = state?;
            match tokio::time::timeout(idle, response.chunk()).await {
                Ok(Ok(Some(chunk))) => Some((Ok(chunk), Some(response))),
                Ok(Ok(None)) => None,
                Ok(Err(source)) => Some((Err(Error::transport(operation, source)), None)),
                Err(_) => {
                    let timeout = Error::Timeout {
                        operation,
                        after: idle,
                        attempts,
                        connecting: false,
                    };
                    Some((Err(timeout), None))
                }
            }
        },
    ))
}

/// A body already read whole (a middleware's own answer), as chunks.
pub(crate) fn whole_chunks(body: Vec<u8>) -> Chunks {
    let chunks = (!body.is_empty()).then(|| Ok(Bytes::from(body)));
    Box::pin(futures_util::stream::iter(chunks))
}
