//! Credentials on the wire, for the client generated from `tests/fixtures/auth.yaml`:
//! the exact credential each scheme sends, AND and OR of schemes, `security: []`,
//! optional credentials, the error when none is set (nothing sent), the OAuth2
//! client-credentials flow against a token endpoint on loopback, and middleware.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use apigen_fixtures::auth::Client;
use apigen_runtime::middleware::{AttemptError, BoxFuture, Middleware, Next};
use apigen_runtime::{CallInfo, Error, Response};
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// `user:hunter2` in base64.
const BASIC: &str = "Basic dXNlcjpodW50ZXIy";

async fn server() -> MockServer {
    MockServer::start().await
}

fn client(server: &MockServer) -> Client {
    Client::with_base_url(&server.uri()).unwrap()
}

/// Answers 204 at `route` only to requests that `matches`, 401 to the others.
async fn expect(server: &MockServer, route: &str, matches: impl wiremock::Match + 'static) {
    Mock::given(method("GET"))
        .and(path(route))
        .and(matches)
        .respond_with(ResponseTemplate::new(204))
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(route))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(2)
        .mount(server)
        .await;
}

/// Answers 204 to every request that `matches`.
async fn answer(server: &MockServer, matches: impl wiremock::Match + 'static) {
    Mock::given(matches)
        .respond_with(ResponseTemplate::new(204))
        .mount(server)
        .await;
}

/// The credentials-related headers and query of the one request the server received.
async fn only_request(server: &MockServer) -> Request {
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.into_iter().next().unwrap()
}

fn header_of(request: &Request, name: &str) -> Option<String> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
}

#[tokio::test]
async fn each_scheme_sends_exactly_its_credential() {
    let s = server().await;
    expect(&s, "/bearer", header("authorization", "Bearer tok-1")).await;
    expect(&s, "/basic", header("authorization", BASIC)).await;
    expect(&s, "/header-key", header("x-api-key", "k-1")).await;
    expect(&s, "/query-key", query_param("api_key", "k 2&")).await;
    expect(
        &s,
        "/cookie-key",
        header("cookie", "theme=dark; session=k-3"),
    )
    .await;
    expect(&s, "/oidc", header("authorization", "Bearer id-tok")).await;
    let c = client(&s)
        .with_bearer_token("tok-1")
        .with_basic_auth("user", "hunter2")
        .with_key_header("k-1")
        .with_key_query("k 2&")
        .with_key_cookie("k-3")
        .with_oidc_token("id-tok");
    c.bearer_only().send().await.unwrap();
    c.basic_only().send().await.unwrap();
    c.header_key().send().await.unwrap();
    c.query_key().page(2).send().await.unwrap();
    c.cookie_key()
        .theme("dark".to_string())
        .send()
        .await
        .unwrap();
    c.oidc_only().send().await.unwrap();
    // Each request carries its own scheme's credential and no other.
    for request in s.received_requests().await.unwrap() {
        let sent: Vec<&str> = ["authorization", "x-api-key", "cookie"]
            .into_iter()
            .filter(|h| request.headers.contains_key(*h))
            .collect();
        let in_query = request.url.query_pairs().any(|(k, _)| k == "api_key");
        let expected: &[&str] = match request.url.path() {
            "/bearer" | "/basic" | "/oidc" => &["authorization"],
            "/header-key" => &["x-api-key"],
            "/cookie-key" => &["cookie"],
            "/query-key" => &[],
            other => panic!("unexpected {other}"),
        };
        assert_eq!(sent, expected, "{}", request.url);
        assert_eq!(
            in_query,
            request.url.path() == "/query-key",
            "{}",
            request.url
        );
    }
}

#[tokio::test]
async fn an_and_requirement_sends_both_credentials() {
    let s = server().await;
    let both_sent = |r: &Request| {
        header_of(r, "x-api-key").as_deref() == Some("k-1")
            && header_of(r, "authorization").as_deref() == Some(BASIC)
    };
    expect(&s, "/both", both_sent).await;
    let both = client(&s)
        .with_key_header("k-1")
        .with_basic_auth("user", "hunter2");
    both.key_and_basic().send().await.unwrap();
    // One of the two is not enough: nothing is sent.
    let err = client(&s)
        .with_key_header("k-1")
        .key_and_basic()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "keyAndBasic: no credentials for this call: set `with_key_header` and `with_basic_auth` on the client"
    );
    assert_eq!(s.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn an_or_requirement_sends_the_first_alternative_the_client_can_meet() {
    let s = server().await;
    answer(&s, path("/either")).await;
    // Both set: the spec's first alternative (the query key) alone.
    let both = client(&s)
        .with_key_query("q")
        .with_basic_auth("user", "hunter2");
    both.key_or_basic().send().await.unwrap();
    let request = only_request(&s).await;
    assert_eq!(request.url.query(), Some("api_key=q"));
    assert_eq!(header_of(&request, "authorization"), None);
    s.reset().await;
    answer(&s, path("/either")).await;
    // Only the second set: basic alone.
    client(&s)
        .with_basic_auth("user", "hunter2")
        .key_or_basic()
        .send()
        .await
        .unwrap();
    let request = only_request(&s).await;
    assert_eq!(request.url.query(), None);
    assert_eq!(header_of(&request, "authorization").as_deref(), Some(BASIC));
}

#[tokio::test]
async fn no_security_sends_no_credentials_and_optional_sends_what_is_set() {
    let s = server().await;
    answer(&s, method("GET")).await;
    let all = client(&s)
        .with_bearer_token("tok-1")
        .with_key_header("k-1")
        .with_basic_auth("user", "hunter2");
    all.open().send().await.unwrap();
    let request = only_request(&s).await;
    assert!(!request.headers.contains_key("authorization"));
    assert!(!request.headers.contains_key("x-api-key"));
    s.reset().await;
    answer(&s, method("GET")).await;
    // `[{}, {keyHeader: []}]`: the key when there is one, nothing when there is none.
    all.optional_key().send().await.unwrap();
    client(&s).optional_key().send().await.unwrap();
    let requests = s.received_requests().await.unwrap();
    assert_eq!(header_of(&requests[0], "x-api-key").as_deref(), Some("k-1"));
    assert_eq!(header_of(&requests[1], "x-api-key"), None);
}

#[tokio::test]
async fn a_missing_credential_fails_before_anything_is_sent() {
    let s = server().await;
    let c = client(&s).with_basic_auth("user", "hunter2");
    let err = c.bearer_only().send().await.unwrap_err();
    assert!(matches!(err, Error::MissingCredentials { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "bearerOnly: no credentials for this call: set `with_bearer_token` on the client"
    );
    let err = c.digest_only().send().await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "digestOnly: no credentials for this call: set `with_external_credential(\"digest\")` on the client"
    );
    assert!(s.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_scheme_the_client_cannot_send_is_left_to_middleware() {
    struct Digest;
    impl Middleware for Digest {
        fn handle<'a>(
            &'a self,
            call: &'a CallInfo,
            mut request: reqwest::Request,
            next: Next<'a>,
        ) -> BoxFuture<'a, Result<Response, AttemptError>> {
            Box::pin(async move {
                let value = "Digest username=\"u\"".parse().unwrap();
                request.headers_mut().insert("authorization", value);
                next.run(call, request).await
            })
        }
    }
    let s = server().await;
    expect(
        &s,
        "/digest",
        header("authorization", "Digest username=\"u\""),
    )
    .await;
    let c = client(&s)
        .with_external_credential("digest")
        .with_middleware(Digest);
    c.digest_only().send().await.unwrap();
}

#[tokio::test]
async fn secrets_appear_in_no_error_or_debug_output() {
    // Nothing listens: the error carries the URL the query key was put in.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let c = Client::with_base_url(&format!("http://127.0.0.1:{port}"))
        .unwrap()
        .with_retry(apigen_runtime::RetryPolicy::none())
        .with_key_query("query-secret")
        .with_bearer_token("bearer-secret")
        .with_basic_auth("user", "basic-secret");
    let err = c.query_key().send().await.unwrap_err();
    let mut shown = format!("{err} {err:?} {c:?}");
    let mut source = std::error::Error::source(&err);
    while let Some(s) = source {
        shown.push_str(&format!(" {s} {s:?}"));
        source = s.source();
    }
    for secret in [
        "query-secret",
        "bearer-secret",
        "basic-secret",
        "dXNlcjpiYXNpYy1zZWNyZXQ",
    ] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
}

/// A token endpoint at `/oauth/token` that gives `token` for `lifetime` seconds to the
/// client `id:secret` asking for scopes `read write`, `expected` times.
async fn token_endpoint(server: &MockServer, token: &str, lifetime: u64, expected: u64) {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        // `id:secret` in base64.
        .and(header("authorization", "Basic aWQ6c2VjcmV0"))
        .and(body_string(
            "grant_type=client_credentials&scope=read+write",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": token, "token_type": "Bearer", "expires_in": lifetime
        })))
        .up_to_n_times(expected)
        .expect(expected)
        .mount(server)
        .await;
}

async fn api_taking(server: &MockServer, token: &str) {
    Mock::given(path("/oauth"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(204))
        .with_priority(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn client_credentials_fetch_one_token_for_fifty_concurrent_calls() {
    let s = server().await;
    token_endpoint(&s, "tok-a", 3600, 1).await;
    api_taking(&s, "tok-a").await;
    let c = client(&s).with_oauth_client_credentials("id", "secret");
    let calls = (0..50).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.oauth_scoped().send().await })
    });
    for call in calls {
        call.await.unwrap().unwrap();
    }
    // `expect(1)` on the token endpoint is checked when the server drops.
}

#[tokio::test]
async fn an_expired_token_is_fetched_again() {
    let s = server().await;
    // One second: used for nine tenths of it.
    token_endpoint(&s, "tok-a", 1, 2).await;
    api_taking(&s, "tok-a").await;
    let c = client(&s).with_oauth_client_credentials("id", "secret");
    c.oauth_scoped().send().await.unwrap();
    c.oauth_scoped().send().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1000)).await;
    c.oauth_scoped().send().await.unwrap();
}

#[tokio::test]
async fn a_token_the_server_refuses_is_replaced_once() {
    let s = server().await;
    token_endpoint(&s, "old", 3600, 1).await;
    // After the first token is used up (`up_to_n_times`), the endpoint gives a new one.
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "new", "token_type": "bearer"
        })))
        .expect(1)
        .mount(&s)
        .await;
    api_taking(&s, "new").await;
    Mock::given(path("/oauth"))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(2)
        .mount(&s)
        .await;
    let c = client(&s).with_oauth_client_credentials("id", "secret");
    c.oauth_scoped().send().await.unwrap();
}

#[tokio::test]
async fn a_failing_token_endpoint_is_a_clear_error_and_the_call_is_not_sent() {
    let s = server().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client", "error_description": "no such client"
        })))
        .mount(&s)
        .await;
    let c = client(&s).with_oauth_client_credentials("id", "wrong-secret");
    let err = c.oauth_scoped().send().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Auth {
                scheme: "oauth",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "oauthScoped: no credential for `oauth`: the token endpoint answered 401 Unauthorized (invalid_client: no such client)"
    );
    assert!(!format!("{err:?}").contains("wrong-secret"));
    let requests = s.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| r.url.path() == "/oauth/token"));
}

#[tokio::test]
async fn the_token_url_can_be_replaced() {
    let s = server().await;
    Mock::given(method("POST"))
        .and(path("/staging/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "staged", "token_type": "Bearer"
        })))
        .expect(1)
        .mount(&s)
        .await;
    api_taking(&s, "staged").await;
    let c = client(&s)
        .with_oauth_client_credentials("id", "secret")
        .with_oauth_token_url(format!("{}/staging/token", s.uri()));
    c.oauth_scoped().send().await.unwrap();
}

/// Records each attempt it sees, signs the request over its final bytes after waiting
/// on an async "key store", and checks the response.
struct Signer {
    seen: Arc<Mutex<Vec<(String, u32)>>>,
    statuses: Arc<Mutex<Vec<u16>>>,
}

impl Middleware for Signer {
    fn handle<'a>(
        &'a self,
        call: &'a CallInfo,
        mut request: reqwest::Request,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<Response, AttemptError>> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            self.seen
                .lock()
                .unwrap()
                .push((call.operation.to_string(), call.attempt));
            // What is signed is what goes out: the path with its query, the credential.
            let auth = request.headers().get("authorization").cloned();
            let url = request.url();
            let signed = format!(
                "{} {}?{} {}",
                request.method(),
                url.path(),
                url.query().unwrap_or_default(),
                auth.as_ref().map_or("", |v| v.to_str().unwrap())
            );
            let signature = format!("{:x}", signed.len() * 31 + call.attempt as usize);
            request
                .headers_mut()
                .insert("x-signature", signature.parse().unwrap());
            let response = next.run(call, request).await?;
            self.statuses.lock().unwrap().push(response.status.as_u16());
            Ok(response)
        })
    }
}

#[tokio::test]
async fn middleware_runs_on_every_attempt_inside_the_retry_loop_and_sees_the_credentials() {
    let s = server().await;
    let failures = Arc::new(AtomicU32::new(0));
    let counted = failures.clone();
    Mock::given(path("/bearer"))
        .respond_with(move |request: &Request| {
            // The first attempt is answered 503, and retried (GET is idempotent).
            if counted.fetch_add(1, Ordering::SeqCst) == 0 {
                return ResponseTemplate::new(503);
            }
            let url = &request.url;
            let query = url.query().unwrap_or_default();
            let signed = format!("GET {}?{query} Bearer tok-1", url.path());
            let expected = format!("{:x}", signed.len() * 31 + 2);
            match request
                .headers
                .get("x-signature")
                .map(|v| v.to_str().unwrap())
            {
                Some(signature) if signature == expected => ResponseTemplate::new(204),
                _ => ResponseTemplate::new(400),
            }
        })
        .mount(&s)
        .await;
    let (seen, statuses) = (Arc::default(), Arc::default());
    let (sleeper, _) = recording_sleeper();
    let c = client(&s)
        .with_bearer_token("tok-1")
        .with_sleeper(sleeper)
        .with_middleware(Signer {
            seen: Arc::clone(&seen),
            statuses: Arc::clone(&statuses),
        });
    c.bearer_only().send().await.unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [("bearerOnly".to_string(), 1), ("bearerOnly".to_string(), 2)]
    );
    assert_eq!(*statuses.lock().unwrap(), [503, 204]);
}

#[tokio::test]
async fn middleware_can_stop_a_call_and_answer_it_itself() {
    struct Refuse;
    impl Middleware for Refuse {
        fn handle<'a>(
            &'a self,
            _: &'a CallInfo,
            _: reqwest::Request,
            _: Next<'a>,
        ) -> BoxFuture<'a, Result<Response, AttemptError>> {
            Box::pin(async { Err(AttemptError::Stopped("the key store is locked".into())) })
        }
    }
    let s = server().await;
    let err = client(&s)
        .with_bearer_token("t")
        .with_middleware(Refuse)
        .bearer_only()
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "bearerOnly: stopped by a hook: the key store is locked"
    );
    assert!(s.received_requests().await.unwrap().is_empty());
}

type Waits = Arc<Mutex<Vec<Duration>>>;

fn recording_sleeper() -> (apigen_runtime::client::Sleeper, Waits) {
    let waits: Waits = Arc::default();
    let log = waits.clone();
    let sleeper: apigen_runtime::client::Sleeper = Arc::new(move |d| {
        log.lock().unwrap().push(d);
        Box::pin(async {})
    });
    (sleeper, waits)
}
