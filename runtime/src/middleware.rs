//! The async seam around every attempt: middleware that may change the request (add a
//! header, sign it over its final bytes, refresh a credential first), send it on, send
//! it again, or answer it itself, and see the response. Input: one attempt's request,
//! credentials already on it; output: the response read whole, or why there is none.
//!
//! Middleware runs inside the retry loop, once per attempt, in the order it was added,
//! after the synchronous hooks' `on_request` and before their `on_response`.

use std::sync::Arc;

use reqwest::StatusCode;

pub use crate::auth::BoxFuture;
use crate::error::BoxError;
use crate::hooks::{CallInfo, Response};

/// Code around every attempt of every call.
///
/// ```
/// use apigen_runtime::middleware::{AttemptError, BoxFuture, Middleware, Next};
/// use apigen_runtime::{CallInfo, Response};
///
/// /// Adds a request id header, the attempt number in it.
/// struct RequestId;
///
/// impl Middleware for RequestId {
///     fn handle<'a>(
///         &'a self,
///         call: &'a CallInfo,
///         mut request: reqwest::Request,
///         next: Next<'a>,
///     ) -> BoxFuture<'a, Result<Response, AttemptError>> {
///         Box::pin(async move {
///             let id = format!("{}-{}", call.operation, call.attempt);
///             request.headers_mut().insert("x-request-id", id.parse().unwrap());
///             next.run(call, request).await
///         })
///     }
/// }
/// ```
pub trait Middleware: Send + Sync {
    /// Handles one attempt: usually changes `request`, then `next.run(call, request)`.
    fn handle<'a>(
        &'a self,
        call: &'a CallInfo,
        request: reqwest::Request,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<Response, AttemptError>>;
}

/// Why an attempt got no response.
#[derive(Debug)]
pub enum AttemptError {
    /// No response: connection, TLS, timeout, a cut-off body. Retried as the policy says.
    Transport(reqwest::Error),
    /// The response body is over the limit; reading stopped. Never retried.
    BodyTooLarge(StatusCode),
    /// A middleware stopped the attempt (the call ends with `Error::Hook`). Never retried.
    Stopped(BoxError),
}

/// What sends a request once the middleware has had it.
pub(crate) type Network<'a> =
    dyn Fn(reqwest::Request) -> BoxFuture<'a, Result<Response, AttemptError>> + Sync + 'a;

/// The rest of the chain: the middleware after this one, then the network.
#[derive(Clone, Copy)]
pub struct Next<'a> {
    rest: &'a [Arc<dyn Middleware>],
    send: &'a Network<'a>,
}

impl<'a> Next<'a> {
    pub(crate) fn new(chain: &'a [Arc<dyn Middleware>], send: &'a Network<'a>) -> Self {
        Next { rest: chain, send }
    }

    /// Passes `request` on. `Next` is `Copy`: a middleware may send a request again (a
    /// fresh credential after a 401), with `request.try_clone()` kept beforehand.
    pub fn run(
        self,
        call: &'a CallInfo,
        request: reqwest::Request,
    ) -> BoxFuture<'a, Result<Response, AttemptError>> {
        match self.rest.split_first() {
            Some((first, rest)) => first.handle(
                call,
                request,
                Next {
                    rest,
                    send: self.send,
                },
            ),
            None => (self.send)(request),
        }
    }
}
