//! What hooks see and may change around every attempt of a call.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use crate::error::BoxError;

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
    /// made here are what the caller gets. A streamed call's success (`send_stream`, an
    /// event stream) is the exception: its body is the caller's to read, so here it is
    /// empty.
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
