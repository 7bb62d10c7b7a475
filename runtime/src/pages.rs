//! Pagination: a list operation's pages, one request each, as a [`Stream`] of typed
//! pages ([`Pages`]) or of their items ([`Items`]). Input: the first page's request and
//! how the spec (or its config) says the next page is asked for; output: the pages in
//! order, each sent like any call (credentials, retries, rate limits, hooks).
//!
//! A stream ends after a page with no items, when the page says there is no more (no
//! next link, no cursor, `has_more` false), when the next page would repeat one already
//! asked for (the same cursor, link or number: a server that loops), or after the most
//! pages the caller allows ([`Pages::max_pages`]). An error ends it too.

use std::collections::HashSet;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::StreamExt;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{decode_json, ApiError, DecodeError, Error};
use crate::request::RequestBuilder;
use crate::response::ResponseValue;

/// How a list operation's next page is asked for. JSON pointers are into the page body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// The URL in the `Link` header's `rel="next"` (RFC 8288), as GitHub sends it. Only
    /// a URL of the client's own origin is followed: one elsewhere ends the stream with
    /// an error, so that no credential goes to another host.
    Link,
    /// The query parameter `param` set to the cursor the page gives at `cursor` (with
    /// `from_last_item`: at that pointer in the page's last item, Stripe's
    /// `starting_after`); `has_more`, when given, points at a boolean that says whether
    /// another page follows.
    Cursor {
        param: &'static str,
        cursor: &'static str,
        from_last_item: bool,
        has_more: Option<&'static str>,
    },
    /// The query parameter `param` is a page number: the one the call set (else 1), then
    /// one more each page.
    PageNumber { param: &'static str },
    /// The query parameter `param` is an offset: the one the call set (else 0), then
    /// advanced by the items of each page.
    Offset { param: &'static str },
}

/// A list operation's pagination: how to ask for the next page, and where a page's items
/// are (a JSON pointer; empty for a page that is the array itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub paging: Paging,
    pub items: &'static str,
}

/// How an operation's generated code reads its pages: its error type's documented
/// statuses and classifier (`()`: none documented).
pub struct Typing<E> {
    pub documented: &'static [(&'static str, &'static str)],
    pub classify: fn(&ApiError) -> E,
}

/// A page as sent, before its body is typed.
struct RawPage {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
    value: Value,
}

type RawStream<'a> = Pin<Box<dyn Stream<Item = Result<RawPage, Error>> + Send + 'a>>;

/// The pages of a list call, each typed as `P` with its status and headers.
pub struct Pages<'a, P, E = ()> {
    operation: &'static str,
    rule: &'static Rule,
    raw: Option<RawState<'a>>,
    stream: Option<RawStream<'a>>,
    classify: fn(&ApiError) -> E,
    page_type: &'static str,
    _page: std::marker::PhantomData<fn() -> P>,
}

struct RawState<'a> {
    first: RequestBuilder<'a>,
    documented: &'static [(&'static str, &'static str)],
    max_pages: Option<u64>,
}

impl<'a, P: DeserializeOwned, E> Pages<'a, P, E> {
    /// The pages of `first` (the call as the caller set it up) by `rule`.
    pub fn new(
        first: RequestBuilder<'a>,
        rule: &'static Rule,
        page_type: &'static str,
        typing: Typing<E>,
    ) -> Self {
        Pages {
            operation: first.operation,
            rule,
            raw: Some(RawState {
                first,
                documented: typing.documented,
                max_pages: None,
            }),
            stream: None,
            classify: typing.classify,
            page_type,
            _page: std::marker::PhantomData,
        }
    }

    /// Stops after `pages` pages (the first included), whatever the server says.
    pub fn max_pages(mut self, pages: u64) -> Self {
        if let Some(raw) = &mut self.raw {
            raw.max_pages = Some(pages);
        }
        self
    }

    /// The items of every page, in order: decoded one by one as `T` from where the rule
    /// says a page keeps them.
    pub fn items<T: DeserializeOwned + Send + 'a>(mut self) -> Items<'a, T, E>
    where
        E: Send + 'a,
    {
        let operation = self.operation;
        let items_at = self.rule.items;
        let classify = self.classify;
        let raw = self.raw_stream();
        let items = raw.flat_map(move |page| {
            let decoded: Vec<Result<T, Error<E>>> = match page {
                Ok(page) => page_items(operation, &page, items_at),
                Err(e) => vec![Err(e)],
            }
            .into_iter()
            .map(|item| item.map_err(|e| e.map_detail(classify)))
            .collect();
            futures_util::stream::iter(decoded)
        });
        Items {
            items: Box::pin(items),
        }
    }

    fn raw_stream(&mut self) -> RawStream<'a> {
        match (self.stream.take(), self.raw.take()) {
            (Some(stream), _) => stream,
            (None, Some(raw)) => raw_pages(raw, self.rule),
            (None, None) => Box::pin(futures_util::stream::empty()),
        }
    }
}

impl<P: DeserializeOwned, E> Stream for Pages<'_, P, E> {
    type Item = Result<ResponseValue<P>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.stream.is_none() {
            let stream = self.raw_stream();
            self.stream = Some(stream);
        }
        let (operation, page_type, classify) = (self.operation, self.page_type, self.classify);
        let Some(stream) = self.stream.as_mut() else {
            return Poll::Ready(None);
        };
        stream.as_mut().poll_next(cx).map(|page| {
            page.map(|page| {
                let page = page.and_then(|page| {
                    let typed = decode_json(operation, page.status, page_type, page.body)?;
                    Ok(ResponseValue::new(page.status, page.headers, typed))
                });
                page.map_err(|e| e.map_detail(classify))
            })
        })
    }
}

impl<P, E> fmt::Debug for Pages<'_, P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &self.operation)
            .field("rule", self.rule)
            .finish_non_exhaustive()
    }
}

/// The items of every page of a list call, in order (`Pages::items`).
pub struct Items<'a, T, E = ()> {
    items: Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'a>>,
}

impl<T, E> Stream for Items<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.items.as_mut().poll_next(cx)
    }
}

impl<T, E> fmt::Debug for Items<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").finish_non_exhaustive()
    }
}

/// The items of one page, each decoded on its own (so that the error says which).
fn page_items<T: DeserializeOwned>(
    operation: &'static str,
    page: &RawPage,
    at: &str,
) -> Vec<Result<T, Error>> {
    let Some(items) = page.value.pointer(at).and_then(Value::as_array) else {
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            serde_path_to_error::deserialize(item).map_err(|e| {
                let inner = e.path().to_string();
                let path = if inner == "." {
                    format!("{at}/{i}")
                } else {
                    format!("{at}/{i}.{inner}")
                };
                Error::Decode {
                    operation,
                    status: page.status,
                    type_name: std::any::type_name::<T>(),
                    path,
                    source: DecodeError::new(e.into_inner()),
                    body: Vec::new(),
                }
            })
        })
        .collect()
}

/// The pages, raw: each request made from the last, until the rule says stop.
fn raw_pages<'a>(raw: RawState<'a>, rule: &'static Rule) -> RawStream<'a> {
    struct Walk<'a> {
        next: Option<RequestBuilder<'a>>,
        documented: &'static [(&'static str, &'static str)],
        seen: HashSet<String>,
        left: Option<u64>,
        /// Why there is no next page, said after the page it came from.
        failed: Option<Error>,
    }
    let walk = Walk {
        next: Some(raw.first),
        documented: raw.documented,
        seen: HashSet::new(),
        left: raw.max_pages,
        failed: None,
    };
    Box::pin(futures_util::stream::unfold(
        walk,
        move |mut walk| async move {
            if let Some(error) = walk.failed.take() {
                return Some((Err(error), walk));
            }
            let request = walk.next.take()?;
            if walk.left == Some(0) {
                return None;
            }
            walk.left = walk.left.map(|n| n - 1);
            let operation = request.operation;
            let copy = request.page_copy();
            let (status, headers, body) = match request.send_raw(walk.documented).await {
                Ok(answer) => answer,
                Err(e) => return Some((Err(e), walk)),
            };
            let value: Value = match crate::json::decode(&body) {
                Ok(value) => value,
                Err(e) => {
                    let error = Error::Decode {
                        operation,
                        status,
                        type_name: "page",
                        path: e.path,
                        source: DecodeError::new(e.source),
                        body,
                    };
                    return Some((Err(error), walk));
                }
            };
            let page = RawPage {
                status,
                headers,
                body,
                value,
            };
            match next_request(copy, rule, &page, &mut walk.seen) {
                Ok(next) => walk.next = next,
                Err(e) => walk.failed = Some(e),
            }
            Some((Ok(page), walk))
        },
    ))
}

/// The request for the page after `page`, or `None` when there is none.
fn next_request<'a>(
    copy: Option<RequestBuilder<'a>>,
    rule: &Rule,
    page: &RawPage,
    seen: &mut HashSet<String>,
) -> Result<Option<RequestBuilder<'a>>, Error> {
    let Some(mut next) = copy else {
        return Ok(None);
    };
    let items = page.value.pointer(rule.items).and_then(Value::as_array);
    let count = items.map_or(0, Vec::len);
    if count == 0 {
        return Ok(None);
    }
    let key = match rule.paging {
        Paging::Link => {
            let Some(url) = next_link(&page.headers) else {
                return Ok(None);
            };
            let url = next.same_origin(&url)?;
            next.url = url.clone();
            next.query.clear();
            url
        }
        Paging::Cursor {
            param,
            cursor,
            from_last_item,
            has_more,
        } => {
            if let Some(more) = has_more {
                if page.value.pointer(more) != Some(&Value::Bool(true)) {
                    return Ok(None);
                }
            }
            let holder = if from_last_item {
                items.and_then(|items| items.last())
            } else {
                Some(&page.value)
            };
            let value = match holder.and_then(|h| h.pointer(cursor)) {
                Some(Value::String(s)) if !s.is_empty() => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                _ => return Ok(None),
            };
            next.set_query(param, value.clone());
            value
        }
        Paging::PageNumber { param } => {
            let current = next
                .query_value(param)
                .and_then(|v| v.parse().ok())
                .unwrap_or(1u64);
            let value = current.saturating_add(1).to_string();
            next.set_query(param, value.clone());
            value
        }
        Paging::Offset { param } => {
            let current = next
                .query_value(param)
                .and_then(|v| v.parse().ok())
                .unwrap_or(0u64);
            let value = current.saturating_add(count as u64).to_string();
            next.set_query(param, value.clone());
            value
        }
    };
    // A server that sends back a page already asked for would loop forever.
    Ok(seen.insert(key).then_some(next))
}

/// The `rel="next"` target of a `Link` header (RFC 8288), if any.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    for value in headers.get_all(reqwest::header::LINK) {
        let text = value.to_str().ok()?;
        for link in text.split(',') {
            let link = link.trim();
            let Some((target, params)) =
                link.strip_prefix('<').and_then(|rest| rest.split_once('>'))
            else {
                continue;
            };
            let next = params.split(';').any(|p| {
                let Some((name, value)) = p.trim().split_once('=') else {
                    return false;
                };
                name.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            if next {
                return Some(target.to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_is_found_among_others_in_any_order_and_case() {
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::LINK,
            r#"<https://a.test/x?page=1>; rel="prev", <https://a.test/x?page=3>; REL="last next""#
                .parse()
                .unwrap(),
        );
        assert_eq!(
            next_link(&headers).as_deref(),
            Some("https://a.test/x?page=3")
        );
        headers.insert(
            reqwest::header::LINK,
            r#"<https://a.test/x>; rel=prev"#.parse().unwrap(),
        );
        assert_eq!(next_link(&headers), None);
    }
}
