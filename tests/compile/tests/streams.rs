//! Bodies read as they arrive, for the code generated from `tests/fixtures/streams.yaml`:
//! server-sent events (typed data, names, comments and keep-alives skipped, a malformed
//! event an error item the stream goes past, a silence past the timeout, an event past
//! the limit, the connection closed when the stream is dropped), a 1 GiB download in
//! bounded memory, and a success's status, headers and request id. The servers are small
//! loopback servers that write exact bytes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use apigen_fixtures::streams::errors::DownloadFileError;
use apigen_fixtures::streams::types::Tick;
use apigen_fixtures::streams::Client;
use apigen_runtime::{Error, Event};
use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

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
}

#[global_allocator]
static GLOBAL: Tracking = Tracking;

/// The tests run one at a time, so that the peak one of them measures is its own.
static ALONE: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const EVENTS_HEAD: &str =
    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";

/// One piece of chunked encoding.
fn chunk(bytes: &[u8]) -> Vec<u8> {
    let mut out = format!("{:x}\r\n", bytes.len()).into_bytes();
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\r\n");
    out
}

/// What a server does after the response head: writes, pauses, or ends the body.
#[derive(Clone)]
enum Step {
    Write(Vec<u8>),
    /// The same bytes, this many times.
    Repeat(Vec<u8>, usize),
    Pause(Duration),
    End,
}

/// A server answering each connection with `head` and then `steps`; `closed` is set when
/// a write fails because the client went away.
async fn serve(head: &'static str, steps: Vec<Step>, closed: Arc<AtomicBool>) -> Client {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let (steps, closed) = (steps.clone(), closed.clone());
            tokio::spawn(tokio::time::timeout(Duration::from_secs(20), async move {
                let mut buf = vec![0u8; 65536];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(head.as_bytes()).await;
                for step in steps {
                    match step {
                        Step::Write(bytes) => {
                            if socket.write_all(&chunk(&bytes)).await.is_err() {
                                closed.store(true, Ordering::SeqCst);
                                return;
                            }
                        }
                        Step::Repeat(bytes, n) => {
                            let piece = chunk(&bytes);
                            for _ in 0..n {
                                if socket.write_all(&piece).await.is_err() {
                                    closed.store(true, Ordering::SeqCst);
                                    return;
                                }
                            }
                        }
                        Step::Pause(d) => tokio::time::sleep(d).await,
                        Step::End => {
                            let _ = socket.write_all(b"0\r\n\r\n").await;
                            return;
                        }
                    }
                }
                tokio::time::sleep(Duration::from_secs(20)).await;
            }));
        }
    });
    Client::with_base_url(&url).unwrap()
}

fn write(text: &str) -> Step {
    Step::Write(text.as_bytes().to_vec())
}

#[tokio::test]
async fn events_arrive_typed_with_names_and_ids_past_comments_keep_alives_and_a_bad_one() {
    let _alone = ALONE.lock().await;
    let steps = vec![
        write(": stream opened\n\n"),
        write("event: tick\nid: 1\ndata: {\"seq\": 1}\n\n"),
        Step::Pause(Duration::from_millis(50)),
        write(":\n\n"),
        write("data: {\"seq\": \"two\"}\n\n"),
        write("event: error\r\ndata: {\"seq\": 3,\r\ndata:  \"note\": \"disk full\"}\r\n\r\n"),
        write("data: {\"se"),
        write("q\": 4}\n"),
        write("\n"),
        write("data: {\"seq\": 5}"),
        Step::End,
    ];
    let client = serve(EVENTS_HEAD, steps, Arc::default()).await;
    let stream = client.watch_ticks().send().await.unwrap();
    assert_eq!(stream.status(), 200);
    let items: Vec<Result<Event<Tick>, Error>> = stream.collect().await;
    assert_eq!(items.len(), 4, "{items:?}");
    let tick = |seq, note: Option<&str>| Tick {
        seq,
        note: note.map(str::to_string),
    };
    let first = items[0].as_ref().unwrap();
    assert_eq!((first.event.as_str(), first.id.as_str()), ("tick", "1"));
    assert_eq!(first.data, tick(1, None));
    // Data that is not a `Tick` is an error item, located, and the stream goes on.
    match &items[1] {
        Err(Error::Decode { path, .. }) => assert_eq!(path, "seq"),
        other => panic!("{other:?}"),
    }
    let error = items[2].as_ref().unwrap();
    assert_eq!(error.event, "error");
    assert_eq!(error.data, tick(3, Some("disk full")));
    // An event split across writes; the id carries over; the last, unfinished, is dropped.
    let fourth = items[3].as_ref().unwrap();
    assert_eq!(
        (fourth.event.as_str(), fourth.id.as_str()),
        ("message", "1")
    );
    assert_eq!(fourth.data, tick(4, None));
}

#[tokio::test]
async fn text_events_and_an_event_stream_beside_json() {
    let _alone = ALONE.lock().await;
    let steps = vec![write("data: first line\ndata: second\n\n"), Step::End];
    let client = serve(EVENTS_HEAD, steps, Arc::default()).await;
    let events: Vec<_> = client.tail_log().send().await.unwrap().collect().await;
    assert_eq!(events[0].as_ref().unwrap().data, "first line\nsecond");
    let steps = vec![write("data: {\"seq\": 9}\n\n"), Step::End];
    let client = serve(EVENTS_HEAD, steps, Arc::default()).await;
    let mut stream = client.get_report().send_event_stream().await.unwrap();
    assert_eq!(stream.next().await.unwrap().unwrap().data.seq, 9);
    assert!(stream.next().await.is_none());
    // The config gives watchFeed's data its type.
    let steps = vec![write("data: {\"seq\": 10}\n\n"), Step::End];
    let client = serve(EVENTS_HEAD, steps, Arc::default()).await;
    let mut stream = client.watch_feed().send().await.unwrap();
    let tick: Tick = stream.next().await.unwrap().unwrap().data;
    assert_eq!(tick.seq, 10);
}

#[tokio::test]
async fn a_silence_past_the_timeout_ends_the_stream_with_an_error() {
    let _alone = ALONE.lock().await;
    let steps = vec![
        write("data: {\"seq\": 1}\n\n"),
        Step::Pause(Duration::from_secs(10)),
    ];
    let client = serve(EVENTS_HEAD, steps, Arc::default()).await;
    let call = client.watch_ticks().timeout(Duration::from_millis(300));
    let items: Vec<_> = tokio::time::timeout(Duration::from_secs(5), async {
        call.send().await.unwrap().collect::<Vec<_>>().await
    })
    .await
    .expect("the stream ends on its own");
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].is_ok());
    assert!(
        matches!(items[1], Err(Error::Timeout { .. })),
        "{:?}",
        items[1]
    );
}

#[tokio::test]
async fn an_event_past_the_limit_ends_the_stream_and_memory_stays_near_it() {
    let _alone = ALONE.lock().await;
    // One event that never ends: 64 KiB writes of data, 64 MiB in all.
    let steps = vec![write("data: "), Step::Repeat(vec![b'x'; 64 * 1024], 1024)];
    let client = serve(EVENTS_HEAD, steps, Arc::default()).await;
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let call = client.watch_ticks().body_limit(1024 * 1024);
    let items: Vec<_> = call.send().await.unwrap().collect().await;
    assert_eq!(items.len(), 1, "{items:?}");
    assert!(matches!(
        items[0],
        Err(Error::BodyTooLarge {
            limit: 1_048_576,
            ..
        })
    ));
    let grew = PEAK.load(Ordering::SeqCst) - before;
    assert!(grew < 8 * 1024 * 1024, "peak grew by {grew} bytes");
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let _alone = ALONE.lock().await;
    let closed = Arc::new(AtomicBool::new(false));
    let mut steps = vec![write("data: {\"seq\": 1}\n\n")];
    for _ in 0..100 {
        steps.push(Step::Pause(Duration::from_millis(20)));
        steps.push(write(": keep-alive\n\n"));
    }
    let client = serve(EVENTS_HEAD, steps, closed.clone()).await;
    let mut stream = client.watch_ticks().send().await.unwrap();
    assert!(stream.next().await.unwrap().is_ok());
    drop(stream);
    for _ in 0..100 {
        if closed.load(Ordering::SeqCst) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the server could still write 2 s after the stream was dropped");
}

#[tokio::test]
async fn a_download_of_one_gibibyte_runs_in_bounded_memory() {
    let _alone = ALONE.lock().await;
    const CHUNK: usize = 256 * 1024;
    const CHUNKS: usize = 4096; // 1 GiB
    let head = "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\nx-request-id: dl-1\r\n\r\n";
    let steps = vec![Step::Repeat(vec![7u8; CHUNK], CHUNKS), Step::End];
    let client = serve(head, steps, Arc::default()).await;
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let mut stream = client
        .download_file("big".into())
        .send_stream()
        .await
        .unwrap();
    assert_eq!(stream.request_id(), Some(("x-request-id", "dl-1")));
    let mut total = 0u64;
    let mut sevens = true;
    while let Some(chunk) = stream.chunk().await.unwrap() {
        total += chunk.len() as u64;
        sevens &= chunk.iter().all(|&b| b == 7);
    }
    assert_eq!(total, (CHUNK * CHUNKS) as u64);
    assert!(sevens);
    let grew = PEAK.load(Ordering::SeqCst) - before;
    // The server holds one chunk; the client a chunk or two as it reads.
    assert!(grew < 16 * 1024 * 1024, "peak grew by {grew} bytes");
}

#[tokio::test]
async fn an_error_status_of_a_stream_is_read_whole_and_typed() {
    let _alone = ALONE.lock().await;
    let head =
        "HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n";
    let client = serve(head, vec![write("no such file"), Step::End], Arc::default()).await;
    let err = client
        .download_file("gone".into())
        .send_stream()
        .await
        .unwrap_err();
    assert!(
        matches!(err.detail(), Some(DownloadFileError::NotFound)),
        "{err:?}"
    );
    assert_eq!(err.response().unwrap().text(), "no such file");
}

#[tokio::test]
async fn a_success_gives_its_status_headers_and_request_id_beside_the_body() {
    let _alone = ALONE.lock().await;
    let head = "HTTP/1.1 203 Non-Authoritative Information\r\ncontent-type: application/json\r\nx-request-id: req-7\r\ntransfer-encoding: chunked\r\n\r\n";
    let client = serve(
        head,
        vec![write("{\"lines\": 12}"), Step::End],
        Arc::default(),
    )
    .await;
    let response = client.get_report().send_with_response().await.unwrap();
    assert_eq!(response.status(), 203);
    assert_eq!(response.request_id(), Some(("x-request-id", "req-7")));
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.lines, 12);
    assert_eq!(response.into_body().lines, 12);
    let client = serve(head, vec![write("0123"), Step::End], Arc::default()).await;
    let bytes = client
        .download_file("small".into())
        .send_with_response()
        .await
        .unwrap();
    assert_eq!(
        (bytes.status().as_u16(), bytes.body().as_slice()),
        (203, &b"0123"[..])
    );
}

#[tokio::test]
async fn a_response_head_that_does_not_come_in_time_is_retried() {
    let _alone = ALONE.lock().await;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        // The first connection gets nothing; the second, the events.
        let (_stalled, _) = listener.accept().await.unwrap();
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut buf = vec![0u8; 65536];
        let _ = socket.read(&mut buf).await;
        let mut answer = EVENTS_HEAD.as_bytes().to_vec();
        answer.extend(chunk(b"data: {\"seq\": 1}\n\n"));
        answer.extend(b"0\r\n\r\n");
        let _ = socket.write_all(&answer).await;
        tokio::time::sleep(Duration::from_secs(5)).await;
    });
    let client = Client::with_base_url(&url)
        .unwrap()
        .with_sleeper(Arc::new(|_| Box::pin(async {})));
    let call = client.watch_ticks().timeout(Duration::from_millis(300));
    let events: Vec<_> = call.send().await.unwrap().collect().await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0].as_ref().unwrap().data.seq, 1);
}
