//! The generated client against servers that misbehave on purpose: small servers on
//! loopback that write exact bytes, each bounded in the bytes it sends and the time it
//! stays open. Each test asserts the exact outcome; where memory is the point, the peak
//! the test's allocator saw.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vercel_api::types::CreateIntegrationStoreDirectRequest;
use vercel_api::{Client, Error};

/// The system allocator, keeping the bytes in use and their peak.
struct Tracking;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let grown = new_size - layout.size();
            let live = LIVE.fetch_add(grown, Ordering::Relaxed) + grown;
            PEAK.fetch_max(live, Ordering::Relaxed);
        } else {
            LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        // SAFETY: `ptr` came from `System` with this layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Tracking = Tracking;

/// The tests run one at a time, so that the peak one of them measures is its own.
static MEASURING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const MIB: usize = 1024 * 1024;

fn request() -> CreateIntegrationStoreDirectRequest {
    CreateIntegrationStoreDirectRequest::new("db".into(), "icfg_1".into(), "iap_postgres_db".into())
}

/// A server that answers each connection with `head`, then `body` from its chunk
/// function until it returns `None` or the client goes away; at most 10 s per connection.
async fn serve(
    head: &'static str,
    body: impl Fn(usize) -> Option<Vec<u8>> + Send + Sync + 'static,
) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let body = std::sync::Arc::new(body);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(tokio::time::timeout(Duration::from_secs(10), async move {
                let mut buf = vec![0u8; 65536];
                let _ = socket.read(&mut buf).await;
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let mut i = 0;
                while let Some(chunk) = body(i) {
                    if socket.write_all(&chunk).await.is_err() {
                        return;
                    }
                    i += 1;
                }
                // Held open: the client must not wait for the end of what it refused.
                tokio::time::sleep(Duration::from_secs(10)).await;
            }));
        }
    });
    url
}

/// One 64 KiB chunk of chunked encoding, `n` times at most.
fn chunks(n: usize) -> impl Fn(usize) -> Option<Vec<u8>> + Send + Sync {
    move |i| {
        (i < n).then(|| {
            let mut chunk = format!("{:x}\r\n", 64 * 1024).into_bytes();
            chunk.extend(std::iter::repeat_n(b' ', 64 * 1024));
            chunk.extend(b"\r\n");
            chunk
        })
    }
}

async fn call(client: &Client) -> Error<vercel_api::errors::CreateIntegrationStoreDirectError> {
    let call = client.create_integration_store_direct(request()).send();
    tokio::time::timeout(Duration::from_secs(5), call)
        .await
        .expect("the call ends without waiting for the server")
        .unwrap_err()
}

fn too_large(err: &Error<impl std::fmt::Debug>, want_status: u16, want_limit: u64) {
    match err {
        Error::BodyTooLarge { status, limit, .. } => {
            assert_eq!(status.as_u16(), want_status);
            assert_eq!(*limit, want_limit);
        }
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
}

#[tokio::test]
async fn an_endless_body_ends_at_the_limit_and_memory_stays_near_it() {
    let _alone = MEASURING.lock().await;
    // 256 MiB at most, chunked, no length said.
    let url = serve(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        chunks(4096),
    )
    .await;
    let limit = 8 * MIB as u64;
    let client = Client::with_base_url(&url)
        .unwrap()
        .with_bearer_token("t")
        .with_body_limit(limit);
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let err = call(&client).await;
    too_large(&err, 200, limit);
    let grew = PEAK.load(Ordering::Relaxed) - before;
    println!("peak grew by {} KiB for a limit of 8 MiB", grew / 1024);
    // The body's buffer doubles up to the limit, never past it: while it moves to its
    // last size, the old one and the new one together.
    assert!(grew < 2 * limit as usize, "peak grew by {} MiB", grew / MIB);
    assert!(
        err.to_string()
            .contains("larger than the limit of 8388608 bytes"),
        "{err}"
    );
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_the_body_is_read() {
    let _alone = MEASURING.lock().await;
    let url = serve(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10737418240\r\n\r\n{",
        |_| None,
    )
    .await;
    let client = Client::with_base_url(&url).unwrap().with_bearer_token("t");
    too_large(
        &call(&client).await,
        200,
        apigen_runtime::client::DEFAULT_BODY_LIMIT,
    );
}

#[tokio::test]
async fn an_error_body_has_the_same_limit() {
    let _alone = MEASURING.lock().await;
    let url = serve(
        "HTTP/1.1 500 Internal Server Error\r\ntransfer-encoding: chunked\r\n\r\n",
        chunks(64),
    )
    .await;
    let client = Client::with_base_url(&url)
        .unwrap()
        .with_bearer_token("t")
        .with_retry(apigen_runtime::RetryPolicy::none())
        .with_body_limit(MIB as u64);
    too_large(&call(&client).await, 500, MIB as u64);
}

#[tokio::test]
async fn a_call_can_set_its_own_limit() {
    let _alone = MEASURING.lock().await;
    let body = r#"{"store":{}}"#;
    let head: &'static str = Box::leak(
        format!(
            "HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_boxed_str(),
    );
    let url = serve(head, |_| None).await;
    let client = Client::with_base_url(&url).unwrap().with_bearer_token("t");
    let err = client
        .create_integration_store_direct(request())
        .body_limit(4)
        .send()
        .await
        .unwrap_err();
    too_large(&err, 200, 4);
    // The body is read whole when it fits (a decode error: `{}` is no store).
    let err = client
        .create_integration_store_direct(request())
        .body_limit(body.len() as u64)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn printing_an_error_does_not_read_a_large_body() {
    let _alone = MEASURING.lock().await;
    let error = |body: Vec<u8>| apigen_runtime::ApiError {
        operation: "op",
        status: reqwest::StatusCode::BAD_REQUEST,
        headers: Default::default(),
        body,
        description: None,
        detail: (),
    };
    let small = error(br#"{"message":"bad input"}"#.to_vec());
    assert!(small.to_string().ends_with(": bad input"), "{small}");
    // A message behind 64 MiB of whitespace: Display does not parse it.
    let mut large = vec![b' '; 64 * MIB];
    large.extend(br#"{"message":"bad input"}"#);
    let large = error(large);
    assert_eq!(
        large.to_string(),
        "op: HTTP 400 Bad Request (not documented for this operation)"
    );
    // Asked for, the message is still there.
    assert_eq!(large.message().as_deref(), Some("bad input"));
}

/// A request as a recording server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads one request: head, then as many body bytes as `Content-Length` says (64 KiB at
/// most, 5 s at most).
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Seen> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let read = async {
        loop {
            let n = socket.read(&mut buf).await.ok()?;
            if n == 0 || data.len() > 65536 {
                return None;
            }
            data.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&data).into_owned();
            let Some(end) = text.find("\r\n\r\n") else {
                continue;
            };
            let mut lines = text[..end].lines();
            let mut first = lines.next()?.split(' ');
            let (method, path) = (first.next()?.to_string(), first.next()?.to_string());
            let headers: Vec<(String, String)> = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
                .collect();
            let seen = Seen {
                method,
                path,
                headers,
                body: Vec::new(),
            };
            let length: usize = seen
                .header("content-length")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if data.len() >= end + 4 + length {
                let body = data[end + 4..end + 4 + length].to_vec();
                return Some(Seen { body, ..seen });
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(5), read)
        .await
        .ok()
        .flatten()
}

type Log = std::sync::Arc<std::sync::Mutex<Vec<Seen>>>;

/// A server that records each request and answers it with `answer(request)` (a whole
/// response, written as is), one request per connection.
async fn recording(answer: impl Fn(&Seen) -> String + Send + Sync + 'static) -> (String, Log) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let log: Log = Default::default();
    let (answer, seen_log) = (std::sync::Arc::new(answer), log.clone());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (answer, log) = (answer.clone(), seen_log.clone());
            tokio::spawn(async move {
                if let Some(seen) = read_request(&mut socket).await {
                    let response = answer(&seen);
                    log.lock().unwrap().push(seen);
                    let _ = socket.write_all(response.as_bytes()).await;
                    let _ = socket.shutdown().await;
                }
            });
        }
    });
    (url, log)
}

fn redirect_to(code: u16, location: &str) -> String {
    format!("HTTP/1.1 {code} Moved\r\nlocation: {location}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
}

fn ok(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Sends `method` to `/start` with a JSON body (unless GET) and a bearer token.
async fn raw_call(
    url: &str,
    method: reqwest::Method,
    redirects: apigen_runtime::Redirects,
) -> Result<(reqwest::StatusCode, reqwest::header::HeaderMap, Vec<u8>), apigen_runtime::Error> {
    let client = apigen_runtime::Client::new(url)
        .unwrap()
        .with_credential("bearer", apigen_runtime::Credential::bearer("tok_secret"))
        .with_redirects(redirects)
        .with_retry(apigen_runtime::RetryPolicy::none());
    let mut request = client.request("op", method.clone(), "/start", "/start");
    request.security(&[&[apigen_runtime::auth::Requirement {
        scheme: "bearer",
        scopes: &[],
        setter: "with_bearer_token",
    }]]);
    if method != reqwest::Method::GET {
        request.json(&serde_json::json!({"name": "db"}), "application/json");
    }
    request.send_raw(&[]).await
}

#[tokio::test]
async fn a_redirect_answering_a_post_is_an_error_that_says_where_it_points() {
    let _alone = MEASURING.lock().await;
    for code in [301, 302, 303, 307, 308] {
        let (url, log) = recording(move |_| redirect_to(code, "/elsewhere")).await;
        let client = Client::with_base_url(&url).unwrap().with_bearer_token("t");
        let err = call(&client).await;
        let response = err.response().expect("the 3xx is the answer");
        assert_eq!(response.status.as_u16(), code);
        assert_eq!(
            response.location(),
            Some(format!("{url}/elsewhere").as_str())
        );
        assert_eq!(log.lock().unwrap().len(), 1, "{code}: nothing was followed");
    }
}

#[tokio::test]
async fn allowed_post_redirects_go_on_as_a_get_or_as_the_same_post() {
    let _alone = MEASURING.lock().await;
    use apigen_runtime::Redirects;
    for (code, method, body) in [
        (301, "GET", false),
        (302, "GET", false),
        (303, "GET", false),
        (307, "POST", true),
        (308, "POST", true),
    ] {
        let (url, log) = recording(move |seen| match seen.path.as_str() {
            "/start" => redirect_to(code, "/done"),
            _ => ok(r#"{"done":true}"#),
        })
        .await;
        let (status, _, answer) = raw_call(&url, reqwest::Method::POST, Redirects::All)
            .await
            .unwrap();
        assert_eq!(
            (status.as_u16(), answer.as_slice()),
            (200, &br#"{"done":true}"#[..])
        );
        let log = log.lock().unwrap();
        let next = &log[1];
        assert_eq!(
            (next.path.as_str(), next.method.as_str()),
            ("/done", method),
            "{code}"
        );
        assert_eq!(!next.body.is_empty(), body, "{code}");
        assert_eq!(
            next.header("authorization"),
            Some("Bearer tok_secret"),
            "same origin"
        );
    }
}

#[tokio::test]
async fn another_origin_gets_no_credentials_and_never_a_body() {
    let _alone = MEASURING.lock().await;
    use apigen_runtime::Redirects;
    let (other, other_log) = recording(|_| ok("{}")).await;
    let target = format!("{other}/file");
    let (url, _) = recording(move |_| redirect_to(302, &target)).await;
    // A GET follows to the other origin, without the token.
    let (status, _, _) = raw_call(&url, reqwest::Method::GET, Redirects::default())
        .await
        .unwrap();
    assert_eq!(status.as_u16(), 200);
    let seen = other_log.lock().unwrap()[0].clone();
    assert_eq!(seen.header("authorization"), None);
    // A 307 would send the POST's body there: not followed, even when allowed.
    let target = format!("{other}/file");
    let (url, _) = recording(move |_| redirect_to(307, &target)).await;
    let err = raw_call(&url, reqwest::Method::POST, Redirects::All)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(307));
    assert_eq!(
        other_log.lock().unwrap().len(),
        1,
        "nothing more reached the other origin"
    );
}

#[tokio::test]
async fn redirects_end_after_ten_hops() {
    let _alone = MEASURING.lock().await;
    let (url, log) = recording(|seen| redirect_to(302, &format!("{}x", seen.path))).await;
    let err = raw_call(
        &url,
        reqwest::Method::GET,
        apigen_runtime::Redirects::default(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert_eq!(
        log.lock().unwrap().len(),
        1 + apigen_runtime::redirect::MAX_HOPS
    );
}

/// Every line an error prints: `Display`, its `source()` chain, and `Debug`.
fn everything_shown(err: &dyn std::error::Error, debug: String) -> String {
    let mut shown = vec![err.to_string(), debug];
    let mut cause = err.source();
    while let Some(c) = cause {
        shown.push(c.to_string());
        cause = c.source();
    }
    shown.join("\n")
}

#[tokio::test]
async fn errors_show_no_query_values_credentials_or_body_values() {
    let _alone = MEASURING.lock().await;
    // A transport failure (refused: nothing listens) of a call with a secret in its
    // query, to a base URL with a password.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let with_password = format!("http://admin:pa55word@127.0.0.1:{port}");
    let client = apigen_runtime::Client::new(&with_password)
        .unwrap()
        .with_retry(apigen_runtime::RetryPolicy::none());
    assert!(!format!("{client:?}").contains("pa55word"), "{client:?}");
    let mut request = client.request("op", reqwest::Method::GET, "/x", "/x");
    request.query("api_key", Some("s3cret-key"));
    let err = request.send_raw(&[]).await.unwrap_err();
    assert!(
        matches!(err, apigen_runtime::Error::Transport { .. }),
        "{err:?}"
    );
    let shown = everything_shown(&err, format!("{err:?}"));
    for secret in ["s3cret-key", "pa55word", "admin"] {
        assert!(!shown.contains(secret), "{secret} in:\n{shown}");
    }
    assert!(shown.contains("api_key=redacted"), "{shown}");
    // The cause is in the chain once, not in the error's own line too.
    assert_eq!(err.to_string(), "op: request failed: could not connect");

    // A body value where another type was expected.
    let (url, _) = recording(|_| ok(r#"{"store":{"id":"postgres://admin:hunter2@db"}}"#)).await;
    let client = Client::with_base_url(&url).unwrap().with_bearer_token("t");
    let err = call(&client).await;
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    let shown = everything_shown(&err, format!("{err:?}"));
    assert!(!shown.contains("hunter2"), "{shown}");
    let Error::Decode { source, body, .. } = &err else {
        unreachable!()
    };
    // Asked for explicitly, the values are there.
    assert!(
        source.raw().to_string().contains("hunter2")
            || String::from_utf8_lossy(body).contains("hunter2")
    );
}

/// An address that never completes a connection: a listener whose queue (one) is filled,
/// so the kernel drops further SYNs. Returned with what keeps it so.
fn unanswering() -> (String, socket2::Socket, Vec<std::net::TcpStream>) {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket
        .bind(
            &"127.0.0.1:0"
                .parse::<std::net::SocketAddr>()
                .unwrap()
                .into(),
        )
        .unwrap();
    socket.listen(0).unwrap();
    let addr = socket.local_addr().unwrap().as_socket().unwrap();
    let mut held = Vec::new();
    // Fill the queue; connects that do not complete within 100 ms mean it is full.
    for _ in 0..8 {
        match std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(100)) {
            Ok(stream) => held.push(stream),
            Err(_) => break,
        }
    }
    (format!("http://{addr}"), socket, held)
}

#[tokio::test]
async fn a_connect_timeout_says_so_and_how_long_it_waited() {
    let _alone = MEASURING.lock().await;
    let (url, _socket, _held) = unanswering();
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_millis(300))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = Client::with_base_url(&url)
        .unwrap()
        .with_bearer_token("t")
        .with_http_client(http)
        .with_retry(apigen_runtime::RetryPolicy::none());
    let err = call(&client).await;
    assert!(
        matches!(
            err,
            Error::Timeout {
                connecting: true,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "createIntegrationStoreDirect: could not connect within 300ms (attempt 1)"
    );
}

#[tokio::test]
async fn a_server_that_closes_each_connection_after_answering_loses_no_requests() {
    let _alone = MEASURING.lock().await;
    // Keep-alive is not refused, the connection just ends after each answer: the pooled
    // connection is stale when the next request goes out.
    let body = r#"{"store":null}"#;
    // Unlike `ok`, no `connection: close`: the client keeps the connection for the next.
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    let (url, log) = recording(move |_| answer.clone()).await;
    let client = Client::with_base_url(&url).unwrap().with_bearer_token("t");
    let mut failed = 0;
    for _ in 0..200 {
        if client
            .create_integration_store_direct(request())
            .send()
            .await
            .is_err()
        {
            failed += 1;
        }
    }
    println!("stale connections: {failed} of 200 POSTs failed");
    // Measured here: none of 1,200 (hyper resends a request its connection closed under
    // before it was written). 2 in 200 leaves room for the race on a slower machine;
    // the defect this guards against lost 95 of 200.
    assert!(failed <= 2, "{failed} of 200 POSTs failed");
    assert_eq!(log.lock().unwrap().len(), 200 - failed);
}

/// A keep-alive server: answers every request on a connection until the client closes
/// it, and counts the connections it accepted.
async fn keep_alive() -> (String, std::sync::Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    let body = r#"{"store":null}"#;
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            count.fetch_add(1, Ordering::SeqCst);
            let answer = answer.clone();
            tokio::spawn(async move {
                while read_request(&mut socket).await.is_some() {
                    if socket.write_all(answer.as_bytes()).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn an_idle_connection_is_let_go_before_a_short_server_keep_alive_ends() {
    // The shortest keep-alive common servers keep (Node.js, Apache) is 5 s.
    assert!(apigen_runtime::client::DEFAULT_POOL_IDLE_TIMEOUT < Duration::from_secs(5));
    let (url, accepted) = keep_alive().await;
    let client = Client::with_base_url(&url).unwrap().with_bearer_token("t");
    for _ in 0..3 {
        client
            .create_integration_store_direct(request())
            .send()
            .await
            .unwrap();
    }
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "back-to-back calls share a connection"
    );
    tokio::time::sleep(
        apigen_runtime::client::DEFAULT_POOL_IDLE_TIMEOUT + Duration::from_millis(300),
    )
    .await;
    client
        .create_integration_store_direct(request())
        .send()
        .await
        .unwrap();
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        2,
        "a connection idle past the limit is not reused"
    );
}

#[tokio::test]
async fn the_idle_limit_is_the_users_to_set() {
    let (url, accepted) = keep_alive().await;
    let http = apigen_runtime::client::http_builder()
        .pool_idle_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let client = Client::with_base_url(&url)
        .unwrap()
        .with_bearer_token("t")
        .with_http_client(http);
    client
        .create_integration_store_direct(request())
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    client
        .create_integration_store_direct(request())
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
}
