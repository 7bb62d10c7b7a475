//! The generated client against a real peer: Prism, started by `scripts/prism.sh` (which
//! sets PRISM_URL). Prism checks every request against the spec (a violation is answered
//! with 400/422 and logged) and answers with a response generated from the 200 schema,
//! with `null` wherever the schema allows it and undeclared properties wherever it does not
//! forbid them. Every request must be accepted and every response decoded.

use apigen_check::docs::{DocGen, Tape, Tapes};
use vercel_api::types::CreateIntegrationStoreDirectRequest;
use vercel_api::Client;

const BODY: &str = "/paths/~1v1~1storage~1stores~1integration~1direct/post/requestBody/content/application~1json/schema";

#[tokio::test]
#[ignore = "needs Prism: run scripts/prism.sh"]
async fn prism_accepts_every_request_and_every_response_decodes() {
    let base = std::env::var("PRISM_URL").expect("PRISM_URL (scripts/prism.sh sets it)");
    let spec = apigen_check::load_spec(format!(
        "{}/specs/vercel-create-integration-store.yaml",
        env!("CARGO_MANIFEST_DIR")
    ));
    let judge = apigen_check::SpecJudge::new(&spec);
    let validator = judge.validator(BODY).unwrap();
    let generator = DocGen::new(&spec, false);
    let client = Client::with_base_url(&base)
        .unwrap()
        .with_bearer_token("prism-token")
        .with_retry(apigen_runtime::RetryPolicy::none());
    let mut tapes = Tapes::new(0x9e37_79b9_7f4a_7c15);
    let (mut sent, mut with_store, mut failures) = (0, 0, Vec::new());
    for i in 0..300 {
        let tape = tapes.next_tape(512);
        let doc = generator.generate(BODY, &mut Tape::new(&tape));
        if !validator.is_valid(&doc.value) {
            continue; // matches several oneOf branches: not a valid request
        }
        let body: CreateIntegrationStoreDirectRequest =
            serde_json::from_value(doc.value.clone()).unwrap();
        let mut call = client.create_integration_store_direct(body);
        // Optional query parameters on and off.
        if i % 2 == 0 {
            call = call.team_id(format!("team_{i}"));
        }
        if i % 3 == 0 {
            call = call.slug("my-team");
        }
        sent += 1;
        match call.send().await {
            Ok(response) => with_store += usize::from(response.store.is_some()),
            Err(e) => {
                let violations = e
                    .response()
                    .and_then(|r| r.headers.get("sl-violations"))
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                failures.push(format!(
                    "{e}\n  violations: {violations}\n  body: {}",
                    doc.value
                ));
            }
        }
    }
    println!(
        "Prism: {sent} requests, {} accepted and decoded ({with_store} with a store)",
        sent - failures.len()
    );
    for f in failures.iter().take(5) {
        println!("{f}");
    }
    assert!(sent >= 200, "only {sent} requests");
    assert!(
        failures.is_empty(),
        "{} of {sent} calls failed",
        failures.len()
    );
}
