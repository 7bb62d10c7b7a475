//! Which redirects a call follows, and what the next request carries. Input: the request
//! just sent and the 3xx answer to it; output: the request to send next, or none (the 3xx
//! is then the call's answer: an `Error::Api` whose `location()` says where it pointed).
//!
//! The policy, by default: GET and HEAD follow redirects (at most `MAX_HOPS`); other
//! methods do not unless the client allows it, since a 301/302/303 would turn a POST into
//! a GET and hand back that GET's answer as the POST's. A request body is never sent to
//! another origin, credentials never go there (the next request keeps only the headers
//! that describe what it accepts), and an `https` request is never redirected to `http`.

use reqwest::header::{HeaderMap, ACCEPT, ACCEPT_ENCODING, LOCATION, USER_AGENT};
use reqwest::{Method, Request, StatusCode, Url};

/// The most redirects one attempt follows; past it, the last 3xx is the answer.
pub const MAX_HOPS: usize = 10;

/// Which calls follow redirects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Redirects {
    /// None: every 3xx is the answer.
    Never,
    /// GET and HEAD calls (the default).
    #[default]
    SafeMethods,
    /// Every call; a 301/302 answer to a POST, and any 303, continue as a GET without the
    /// body (as browsers do); a 307/308 sends the same method and body again, to the same
    /// origin only.
    All,
}

/// The request to send after `status` with `headers` answered `sent`, when the policy
/// follows it.
pub fn next(
    sent: &Request,
    status: StatusCode,
    headers: &HeaderMap,
    policy: Redirects,
) -> Option<Request> {
    if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return None;
    }
    let safe = matches!(*sent.method(), Method::GET | Method::HEAD);
    match policy {
        Redirects::Never => return None,
        Redirects::SafeMethods if !safe => return None,
        _ => {}
    }
    let location = headers.get(LOCATION)?.to_str().ok()?;
    let url = sent.url().join(location).ok()?;
    let downgrade = sent.url().scheme() == "https" && url.scheme() != "https";
    if !matches!(url.scheme(), "http" | "https") || downgrade {
        return None;
    }
    let as_get = status == StatusCode::SEE_OTHER && *sent.method() != Method::HEAD
        || matches!(status.as_u16(), 301 | 302) && *sent.method() == Method::POST;
    let same_origin = url.origin() == sent.url().origin();
    let mut next = Request::new(
        if as_get {
            Method::GET
        } else {
            sent.method().clone()
        },
        url,
    );
    if !as_get {
        if let Some(body) = sent.body() {
            if !same_origin {
                return None;
            }
            *next.body_mut() = Some(body.as_bytes()?.to_vec().into());
        }
    }
    *next.headers_mut() = carried(sent.headers(), same_origin, as_get);
    *next.timeout_mut() = sent.timeout().copied();
    Some(next)
}

/// The headers the next request keeps: all of them on the same origin (less the body's
/// when it goes as a GET), only what it accepts on another.
fn carried(headers: &HeaderMap, same_origin: bool, as_get: bool) -> HeaderMap {
    let kept = |name: &reqwest::header::HeaderName| {
        if same_origin {
            !(as_get && name.as_str().starts_with("content-"))
        } else {
            [ACCEPT, ACCEPT_ENCODING, USER_AGENT].contains(name)
        }
    };
    headers
        .iter()
        .filter(|(name, _)| kept(name))
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect()
}

/// Where a response points, resolved against the URL it answered.
pub fn location(url: &Url, headers: &HeaderMap) -> Option<Url> {
    url.join(headers.get(LOCATION)?.to_str().ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};

    fn sent(method: Method, url: &str, body: bool) -> Request {
        let mut r = Request::new(method, Url::parse(url).unwrap());
        r.headers_mut()
            .insert(AUTHORIZATION, HeaderValue::from_static("Bearer t"));
        r.headers_mut()
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        if body {
            r.headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            *r.body_mut() = Some(b"{}".to_vec().into());
        }
        r
    }

    fn to(location: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(LOCATION, HeaderValue::from_str(location).unwrap());
        h
    }

    fn status(code: u16) -> StatusCode {
        StatusCode::from_u16(code).unwrap()
    }

    #[test]
    fn safe_methods_follow_by_default_others_do_not() {
        let get = sent(Method::GET, "https://a.test/x", false);
        let next = next(&get, status(302), &to("/y"), Redirects::default()).unwrap();
        assert_eq!(next.url().as_str(), "https://a.test/y");
        assert!(
            next.headers().contains_key(AUTHORIZATION),
            "same origin keeps it"
        );
        let post = sent(Method::POST, "https://a.test/x", true);
        for code in [301, 302, 303, 307, 308] {
            assert!(super::next(&post, status(code), &to("/y"), Redirects::default()).is_none());
        }
        assert!(super::next(&get, status(302), &to("/y"), Redirects::Never).is_none());
        assert!(super::next(&get, status(304), &to("/y"), Redirects::All).is_none());
    }

    #[test]
    fn allowed_post_redirects_go_as_browsers_do() {
        let post = sent(Method::POST, "https://a.test/x", true);
        for code in [301, 302, 303] {
            let n = next(&post, status(code), &to("/y"), Redirects::All).unwrap();
            assert_eq!(n.method(), Method::GET, "{code}");
            assert!(n.body().is_none() && !n.headers().contains_key(CONTENT_TYPE));
        }
        for code in [307, 308] {
            let n = next(&post, status(code), &to("/y"), Redirects::All).unwrap();
            assert_eq!(n.method(), Method::POST);
            assert_eq!(n.body().and_then(|b| b.as_bytes()), Some(&b"{}"[..]));
            // A body is never sent to another origin.
            assert!(next(&post, status(code), &to("https://b.test/y"), Redirects::All).is_none());
        }
    }

    #[test]
    fn another_origin_gets_no_credentials_and_https_never_becomes_http() {
        let get = sent(Method::GET, "https://a.test/x", false);
        let n = next(
            &get,
            status(302),
            &to("https://cdn.test/f"),
            Redirects::default(),
        )
        .unwrap();
        assert!(!n.headers().contains_key(AUTHORIZATION));
        assert!(n.headers().contains_key(ACCEPT));
        let port = next(
            &get,
            status(302),
            &to("https://a.test:8443/f"),
            Redirects::default(),
        )
        .unwrap();
        assert!(
            !port.headers().contains_key(AUTHORIZATION),
            "another port is another origin"
        );
        assert!(next(
            &get,
            status(302),
            &to("http://a.test/x"),
            Redirects::default()
        )
        .is_none());
        assert!(next(
            &get,
            status(302),
            &to("ftp://a.test/x"),
            Redirects::default()
        )
        .is_none());
        assert!(next(&get, status(302), &HeaderMap::new(), Redirects::default()).is_none());
    }
}
