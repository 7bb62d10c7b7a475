//! The generated client over real HTTP on loopback (wiremock): what it sends, what it
//! decodes, and how each documented error status comes back.

use serde_json::{json, Value};
use vercel_api::types::{CreateIntegrationStoreDirectRequest, MetadataValue, Source};
use vercel_api::{Client, Error};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PATH: &str = "/v1/storage/stores/integration/direct";

fn data(name: &str) -> Value {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("test data")).expect("JSON")
}

fn request() -> CreateIntegrationStoreDirectRequest {
    let mut body = CreateIntegrationStoreDirectRequest::new(
        "my-dev-database".into(),
        "icfg_cuwj0AdCdH3BwWT4LPijCC7t".into(),
        "iap_postgres_db".into(),
    );
    body.source = Some(Source::Cli);
    body.metadata = Some([("replicas".to_string(), MetadataValue::Number(2.0))].into());
    body
}

async fn client(server: &MockServer) -> Client {
    Client::with_base_url(&server.uri())
        .expect("loopback URL")
        .with_bearer_token("tok_secret")
}

/// Sends the standard request, which must fail, and returns the error.
async fn failed_call(
    server: &MockServer,
) -> Error<vercel_api::errors::CreateIntegrationStoreDirectError> {
    client(server)
        .await
        .create_integration_store_direct(request())
        .send()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn sends_method_path_query_auth_and_body_and_decodes_200() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .and(query_param("teamId", "team_1"))
        .and(query_param("slug", "my team/slug"))
        .and(header("authorization", "Bearer tok_secret"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({
            "name": "my-dev-database",
            "integrationConfigurationId": "icfg_cuwj0AdCdH3BwWT4LPijCC7t",
            "integrationProductIdOrSlug": "iap_postgres_db",
            "metadata": {"replicas": 2.0},
            "source": "cli"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(data("store-response-full.json")))
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server)
        .await
        .create_integration_store_direct(request())
        .team_id("team_1")
        .slug("my team/slug")
        .send()
        .await
        .expect("200 decodes");
    let store = response.store.expect("store");
    assert_eq!(store.external_resource_id, "ext_123");
    assert_eq!(
        store
            .product
            .metadata_schema
            .expect("schema")
            .properties
            .len(),
        10
    );
}

#[tokio::test]
async fn optional_query_parameters_are_left_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"store": null})))
        .mount(&server)
        .await;
    let response = client(&server)
        .await
        .create_integration_store_direct(request())
        .send()
        .await
        .unwrap();
    assert!(response.store.is_none());
    let received: Vec<Request> = server.received_requests().await.unwrap();
    assert_eq!(received[0].url.query(), None);
}

#[tokio::test]
async fn each_documented_error_status_is_a_typed_error_with_status_headers_and_body() {
    use vercel_api::errors::CreateIntegrationStoreDirectError as Documented;
    let statuses = [
        (400u16, Documented::BadRequest),
        (401, Documented::Unauthorized),
        (402, Documented::PaymentRequired),
        (403, Documented::Forbidden),
        (404, Documented::NotFound),
        (409, Documented::Conflict),
        (429, Documented::TooManyRequests),
        (500, Documented::InternalServerError),
    ];
    for (status, documented) in statuses {
        let server = MockServer::start().await;
        let body = json!({"error": {"code": "e", "message": format!("failed with {status}")}});
        Mock::given(method("POST"))
            .and(path(PATH))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("x-vercel-id", "req_42")
                    .set_body_json(&body),
            )
            .mount(&server)
            .await;
        let err = failed_call(&server).await;
        let Error::Api(api) = &err else {
            panic!("expected an API error for {status}, got {err:?}")
        };
        assert_eq!(api.status.as_u16(), status);
        assert!(api.is_documented(), "{status} is documented");
        assert_eq!(api.headers["x-vercel-id"], "req_42");
        assert_eq!(api.json::<Value>().unwrap(), body);
        assert_eq!(api.detail, documented);
        assert_eq!(api.request_id(), Some(("x-vercel-id", "req_42")));
        // One line: operation, status, the spec's text, the server's message, the request id.
        let line = err.to_string();
        assert!(
            line.starts_with(&format!("createIntegrationStoreDirect: HTTP {status} ")),
            "{line}"
        );
        assert!(
            line.ends_with(&format!(": failed with {status} [x-vercel-id: req_42]")),
            "{line}"
        );
        assert!(!line.contains('\n'), "{line}");
    }
}

#[tokio::test]
async fn undocumented_status_is_still_an_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(418).set_body_string("teapot"))
        .mount(&server)
        .await;
    let err = failed_call(&server).await;
    let Error::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert!(!api.is_documented());
    assert_eq!(
        api.detail,
        vercel_api::errors::CreateIntegrationStoreDirectError::Undocumented
    );
    assert_eq!(api.text(), "teapot");
    assert!(err.to_string().contains("not documented"), "{err}");
}

#[tokio::test]
async fn a_body_that_does_not_match_the_spec_is_a_decode_error_naming_the_path() {
    let server = MockServer::start().await;
    let mut body = data("store-response-full.json");
    body["store"]["secrets"][0]["length"] = json!("long");
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let err = failed_call(&server).await;
    let Error::Decode {
        path, type_name, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(path, "store.secrets[0].length");
    assert_eq!(*type_name, "CreateIntegrationStoreDirectResponse");
    assert!(err.to_string().contains("store.secrets[0].length"), "{err}");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Bind then drop a listener: the port is closed when the client connects.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::with_base_url(&format!("http://127.0.0.1:{port}"))
        .unwrap()
        .with_bearer_token("t");
    let err = client
        .create_integration_store_direct(request())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
}

#[test]
fn base_url_defaults_to_the_first_server_and_can_be_overridden() {
    assert_eq!(Client::new().base_url(), "https://api.vercel.com");
    assert_eq!(
        Client::with_base_url("http://localhost:8080/")
            .unwrap()
            .base_url(),
        "http://localhost:8080"
    );
    assert!(Client::with_base_url("api.vercel.com").is_err());
}

#[test]
fn debug_output_never_shows_the_token() {
    let client = Client::new().with_bearer_token("tok_very_secret");
    assert!(!format!("{client:?}").contains("tok_very_secret"));
}

/// A sleeper that records each wait and returns at once.
fn recording_sleeper() -> (
    apigen_runtime::client::Sleeper,
    std::sync::Arc<std::sync::Mutex<Vec<std::time::Duration>>>,
) {
    let waits = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = waits.clone();
    let sleeper: apigen_runtime::client::Sleeper = std::sync::Arc::new(move |d| {
        record.lock().unwrap().push(d);
        Box::pin(async {})
    });
    (sleeper, waits)
}

#[tokio::test]
async fn post_is_not_retried_after_sending_unless_asked() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "7"))
        .mount(&server)
        .await;
    let (sleeper, waits) = recording_sleeper();
    let client = client(&server).await.with_sleeper(sleeper);
    let err = client
        .create_integration_store_direct(request())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Api(e) if e.status == 503), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    assert!(waits.lock().unwrap().is_empty());

    // Opted in: three attempts, waiting what Retry-After asks each time.
    let policy = apigen_runtime::RetryPolicy {
        retry_non_idempotent: true,
        ..Default::default()
    };
    let err = client
        .create_integration_store_direct(request())
        .retry(policy)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Api(e) if e.status == 503), "{err:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1 + 3);
    assert_eq!(
        *waits.lock().unwrap(),
        vec![std::time::Duration::from_secs(7); 2]
    );
}

#[tokio::test]
async fn rate_limited_then_accepted_with_vercel_reset_header() {
    let server = MockServer::start().await;
    let reset = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        + 30;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-ratelimit-reset", reset.to_string().as_str()),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"store": null})))
        .mount(&server)
        .await;
    let (sleeper, waits) = recording_sleeper();
    let policy = apigen_runtime::RetryPolicy {
        retry_non_idempotent: true,
        ..Default::default()
    };
    let client = client(&server)
        .await
        .with_sleeper(sleeper)
        .with_retry(policy);
    client
        .create_integration_store_direct(request())
        .send()
        .await
        .unwrap();
    let waits = waits.lock().unwrap();
    assert_eq!(waits.len(), 1);
    assert!(
        waits[0] > std::time::Duration::from_secs(25)
            && waits[0] <= std::time::Duration::from_secs(30),
        "{waits:?}"
    );
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_post() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (sleeper, waits) = recording_sleeper();
    let client = Client::with_base_url(&format!("http://127.0.0.1:{port}"))
        .unwrap()
        .with_bearer_token("t")
        .with_sleeper(sleeper);
    let err = client
        .create_integration_store_direct(request())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(waits.lock().unwrap().len(), 2, "3 attempts, 2 waits");
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(std::time::Duration::from_secs(3)))
        .mount(&server)
        .await;
    let client = client(&server).await;
    let err = client
        .create_integration_store_direct(request())
        .timeout(std::time::Duration::from_millis(200))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Timeout { attempts: 1, .. }), "{err:?}");
    assert!(err.to_string().contains("no answer within 200ms"), "{err}");
}

#[tokio::test]
async fn client_level_default_for_a_declared_parameter() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"store": null})))
        .mount(&server)
        .await;
    let client = client(&server)
        .await
        .with_default_parameter("teamId", "team_default");
    client
        .create_integration_store_direct(request())
        .send()
        .await
        .unwrap();
    client
        .create_integration_store_direct(request())
        .team_id("team_own")
        .send()
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].url.query(), Some("teamId=team_default"));
    assert_eq!(received[1].url.query(), Some("teamId=team_own"));
}

/// Records the fields of every span, as text.
#[derive(Clone, Default)]
struct SpanRecorder(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

struct FieldText<'a>(&'a mut String);

impl tracing::field::Visit for FieldText<'_> {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.push_str(&format!("{}={:?} ", field.name(), value));
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for SpanRecorder {
    fn on_new_span(
        &self,
        attrs: &tracing::span::Attributes<'_>,
        _: &tracing::span::Id,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut text = format!("{} ", attrs.metadata().name());
        attrs.record(&mut FieldText(&mut text));
        self.0.lock().unwrap().push(text);
    }
    fn on_record(
        &self,
        _: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        _: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut text = String::new();
        values.record(&mut FieldText(&mut text));
        self.0.lock().unwrap().push(text);
    }
}

#[tokio::test]
async fn each_call_is_a_span_with_operation_path_status_and_attempts_but_no_secrets() {
    use tracing_subscriber::layer::SubscriberExt;
    let recorder = SpanRecorder::default();
    let subscriber = tracing_subscriber::registry().with(recorder.clone());
    let _guard = tracing::subscriber::set_default(subscriber);
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({"error": "exists"})))
        .mount(&server)
        .await;
    let _ = client(&server)
        .await
        .create_integration_store_direct(request())
        .team_id("team_1")
        .send()
        .await;
    let all = recorder.0.lock().unwrap().join("\n");
    assert!(all.contains("api_call operation=\"createIntegrationStoreDirect\" method=POST path=\"/v1/storage/stores/integration/direct\""), "{all}");
    assert!(
        all.contains("attempts=1") && all.contains("status=409") && all.contains("duration_ms="),
        "{all}"
    );
    assert!(
        !all.contains("tok_secret") && !all.contains("team_1") && !all.contains("my-dev-database"),
        "{all}"
    );
}

/// Adds a header to every request, records every attempt it sees, and rewrites one
/// response body, to show a hook can see and amend both sides.
#[derive(Default, Clone)]
struct Recorder {
    seen: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl apigen_runtime::Hook for Recorder {
    fn on_request(
        &self,
        call: &apigen_runtime::CallInfo,
        request: &mut reqwest::Request,
    ) -> Result<(), apigen_runtime::error::BoxError> {
        request
            .headers_mut()
            .insert("x-trace", format!("attempt-{}", call.attempt).parse()?);
        self.seen.lock().unwrap().push(format!(
            "request {} {} {} #{}",
            call.operation, call.method, call.path_template, call.attempt
        ));
        Ok(())
    }

    fn on_response(
        &self,
        call: &apigen_runtime::CallInfo,
        response: &mut apigen_runtime::Response,
    ) {
        self.seen.lock().unwrap().push(format!(
            "response {} #{}",
            response.status.as_u16(),
            call.attempt
        ));
        if response.status == 200 {
            let mut body: Value = serde_json::from_slice(&response.body).unwrap();
            body["store"]["externalResourceId"] = json!("patched by hook");
            response.body = serde_json::to_vec(&body).unwrap();
        }
    }
}

#[tokio::test]
async fn hooks_see_and_amend_every_attempt_and_response() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(header("x-trace", "attempt-1"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(header("x-trace", "attempt-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(data("store-response-full.json")))
        .expect(1)
        .mount(&server)
        .await;
    let hook = Recorder::default();
    let (sleeper, _) = recording_sleeper();
    let created = client(&server)
        .await
        .with_hook(hook.clone())
        .with_sleeper(sleeper)
        .create_integration_store_direct(request())
        .retry(apigen_runtime::RetryPolicy {
            retry_non_idempotent: true,
            ..Default::default()
        })
        .send()
        .await
        .unwrap();
    assert_eq!(
        created.store.unwrap().external_resource_id,
        "patched by hook"
    );
    assert_eq!(
        *hook.seen.lock().unwrap(),
        [
            "request createIntegrationStoreDirect POST /v1/storage/stores/integration/direct #1",
            "response 429 #1",
            "request createIntegrationStoreDirect POST /v1/storage/stores/integration/direct #2",
            "response 200 #2",
        ]
    );
}

/// A hook that refuses every request.
struct Refuse;

impl apigen_runtime::Hook for Refuse {
    fn on_request(
        &self,
        _: &apigen_runtime::CallInfo,
        _: &mut reqwest::Request,
    ) -> Result<(), apigen_runtime::error::BoxError> {
        Err("outside business hours".into())
    }
}

#[tokio::test]
async fn a_hook_can_stop_a_request_before_it_is_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let err = client(&server)
        .await
        .with_hook(Refuse)
        .create_integration_store_direct(request())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Hook { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "createIntegrationStoreDirect: stopped by a hook: outside business hours"
    );
}

/// A server that promises 1,000 bytes, sends 10 and hangs up: reading the body fails,
/// and the POST (already sent) is not retried.
#[tokio::test]
async fn a_connection_closed_mid_response_is_a_transport_error_and_post_is_not_resent() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let count = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut buf = vec![0u8; 65536];
            let _ = socket.read(&mut buf).await;
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"store\":")
                .await;
            let _ = socket.shutdown().await;
        }
    });
    let (sleeper, waits) = recording_sleeper();
    let client = Client::with_base_url(&format!("http://127.0.0.1:{port}"))
        .unwrap()
        .with_bearer_token("t")
        .with_sleeper(sleeper);
    let err = client
        .create_integration_store_direct(request())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert!(waits.lock().unwrap().is_empty());
    // Opted in, the same failure is retried up to the policy's attempts.
    let err = client
        .create_integration_store_direct(request())
        .retry(apigen_runtime::RetryPolicy {
            retry_non_idempotent: true,
            ..Default::default()
        })
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 4);
}

/// Request bodies generated from the spec's schema, decoded into the request type and sent
/// by the client: what arrives on the wire is what was generated (less nothing: requests
/// have no undeclared properties to drop) and the independent judge finds it valid.
#[tokio::test]
async fn generated_request_bodies_arrive_intact_and_valid() {
    use apigen_check::docs::{DocGen, Tape, Tapes};
    let spec = apigen_check::load_spec(format!(
        "{}/specs/vercel-create-integration-store.yaml",
        env!("CARGO_MANIFEST_DIR")
    ));
    let pointer = "/paths/~1v1~1storage~1stores~1integration~1direct/post/requestBody/content/application~1json/schema";
    let judge = apigen_check::SpecJudge::new(&spec);
    let validator = judge.validator(pointer).unwrap();
    let generator = DocGen::new(&spec, false);
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(data("store-response-full.json")))
        .mount(&server)
        .await;
    let client = client(&server).await;
    // A fixed stream of tapes, so the run is reproducible.
    let mut tapes = Tapes::new(0x2545_f491_4f6c_dd1d);
    let mut sent = Vec::new();
    for _ in 0..200 {
        let tape = tapes.next_tape(512);
        let doc = generator.generate(pointer, &mut Tape::new(&tape));
        if !validator.is_valid(&doc.value) {
            continue; // matches several oneOf branches: not a valid request to send
        }
        let body: CreateIntegrationStoreDirectRequest = serde_json::from_value(doc.value.clone())
            .unwrap_or_else(|e| panic!("{e}: {:#}", doc.value));
        client
            .create_integration_store_direct(body)
            .send()
            .await
            .unwrap();
        sent.push(doc.expected);
    }
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), sent.len());
    assert!(sent.len() >= 150, "only {} valid bodies", sent.len());
    for (request, expected) in received.iter().zip(&sent) {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert!(
            apigen_runtime::same_json(expected, &body),
            "sent {expected:#}\ngot {body:#}"
        );
        let errors: Vec<String> = validator
            .iter_errors(&body)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}\n{body:#}");
    }
}

/// Issue 14: no wait a server asks for may panic, alone or added to the waits before it.
#[tokio::test]
async fn huge_waits_a_server_asks_for_end_the_retries_without_a_panic() {
    for (first, then) in [
        (
            ("retry-after", "1"),
            ("retry-after", "18446744073709551615"),
        ),
        (
            ("retry-after", "1"),
            ("x-ratelimit-reset", "9223372036854775808"),
        ),
        (
            ("x-ratelimit-reset", "18446744073709551615"),
            ("retry-after", "1"),
        ),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503).insert_header(first.0, first.1))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503).insert_header(then.0, then.1))
            .mount(&server)
            .await;
        let (sleeper, waits) = recording_sleeper();
        let policy = apigen_runtime::RetryPolicy {
            retry_non_idempotent: true,
            ..Default::default()
        };
        let err = client(&server)
            .await
            .with_sleeper(sleeper)
            .create_integration_store_direct(request())
            .retry(policy)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Api(e) if e.status == 503),
            "{first:?} {then:?}: {err:?}"
        );
        // A wait past the allowed total is not waited: the call ends with the last answer.
        let waits = waits.lock().unwrap().clone();
        assert!(
            waits
                .iter()
                .all(|w| *w <= std::time::Duration::from_secs(60)),
            "{waits:?}"
        );
        let sent = server.received_requests().await.unwrap().len();
        assert_eq!(sent, waits.len() + 1, "{first:?} {then:?}");
    }
}

#[tokio::test]
async fn retry_after_zero_still_waits_the_minimum_and_the_server_can_say_no() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let (sleeper, waits) = recording_sleeper();
    let policy = apigen_runtime::RetryPolicy {
        max_attempts: 50,
        retry_non_idempotent: true,
        ..Default::default()
    };
    let patient = client(&server)
        .await
        .with_sleeper(sleeper)
        .with_retry(policy);
    patient
        .create_integration_store_direct(request())
        .send()
        .await
        .unwrap_err();
    {
        let waits = waits.lock().unwrap();
        assert_eq!(waits.len(), 49);
        assert!(
            waits
                .iter()
                .all(|w| *w == std::time::Duration::from_millis(100)),
            "{waits:?}"
        );
    }
    // `x-should-retry: false` ends it at once; `true` retries a 400 (whatever the method).
    for (said, status, attempts) in [("false", 503, 1), ("true", 400, 3)] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).insert_header("x-should-retry", said))
            .mount(&server)
            .await;
        let (sleeper, _) = recording_sleeper();
        let client = client(&server).await.with_sleeper(sleeper);
        client
            .create_integration_store_direct(request())
            .send()
            .await
            .unwrap_err();
        let sent = server.received_requests().await.unwrap().len();
        assert_eq!(sent, attempts, "x-should-retry: {said}");
    }
}
