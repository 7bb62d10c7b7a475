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
    let client = Client::with_base_url(&url).unwrap().with_body_limit(limit);
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
    let client = Client::with_base_url(&url).unwrap();
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
    let client = Client::with_base_url(&url).unwrap();
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
