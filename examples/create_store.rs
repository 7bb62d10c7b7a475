//! Creates an integration store with the generated client.
//!
//! With `VERCEL_TOKEN` set, this calls the real API (`VERCEL_TEAM_ID` optional;
//! `VERCEL_CONFIGURATION_ID` and `VERCEL_PRODUCT` name your integration). Without it,
//! it starts a local stand-in for the API on loopback that answers like Vercel does,
//! so the whole path (encode, send, decode) runs on any machine.
//!
//! ```sh
//! cargo run --example create_store
//! ```

use std::collections::BTreeMap;

use vercel_api::types::{
    CreateIntegrationStoreDirectRequest, MetadataSchemaProperty, MetadataValue, Source,
};
use vercel_api::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, _stand_in) = match std::env::var("VERCEL_TOKEN") {
        Ok(token) => (Client::new().with_bearer_token(token), None),
        Err(_) => {
            let server = stand_in().await;
            println!(
                "VERCEL_TOKEN is not set: using a local stand-in at {}",
                server.uri()
            );
            (
                Client::with_base_url(&server.uri())?.with_bearer_token("example-token"),
                Some(server),
            )
        }
    };

    let mut request = CreateIntegrationStoreDirectRequest::new(
        "my-dev-database".to_string(),
        std::env::var("VERCEL_CONFIGURATION_ID")
            .unwrap_or_else(|_| "icfg_cuwj0AdCdH3BwWT4LPijCC7t".into()),
        std::env::var("VERCEL_PRODUCT").unwrap_or_else(|_| "iap_postgres_db".into()),
    );
    request.source = Some(Source::Cli);
    request.metadata = Some(BTreeMap::from([
        (
            "environment".to_string(),
            MetadataValue::Text("development".into()),
        ),
        ("replicas".to_string(), MetadataValue::Number(2.0)),
        (
            "tags".to_string(),
            MetadataValue::Texts(vec!["database".into(), "postgres".into()]),
        ),
    ]));

    let mut call = client.create_integration_store_direct(request);
    if let Ok(team) = std::env::var("VERCEL_TEAM_ID") {
        call = call.team_id(team);
    }
    match call.send().await {
        Ok(created) => {
            let Some(store) = created.store else {
                println!("the API answered 200 with no store");
                return Ok(());
            };
            println!(
                "created store {} ({})",
                store.external_resource_id,
                store.product.name.as_deref().unwrap_or("?")
            );
            println!("status: {:?}", store.status);
            if let Some(schema) = &store.product.metadata_schema {
                for (key, field) in &schema.properties {
                    let control = match field {
                        MetadataSchemaProperty::StringInput(_) => "text input",
                        MetadataSchemaProperty::NumberInput(_) => "number input",
                        MetadataSchemaProperty::Toggle(_) => "toggle",
                        MetadataSchemaProperty::Slider(_) => "slider",
                        MetadataSchemaProperty::Select(_) => "select",
                        MetadataSchemaProperty::MultiSelect(_) => "multi-select",
                        MetadataSchemaProperty::VercelRegion(_) => "region picker",
                        MetadataSchemaProperty::MultiVercelRegion(_) => "multi-region picker",
                        MetadataSchemaProperty::Domain(_) => "domain",
                        MetadataSchemaProperty::GitNamespace(_) => "git namespace",
                        // A control added to the API after this spec: kept as JSON.
                        MetadataSchemaProperty::Unknown(_) => "a newer control",
                    };
                    println!("  metadata field {key:<14} {control}");
                }
            }
            Ok(())
        }
        Err(Error::Api(e)) => {
            eprintln!("{e}\n{}", e.text());
            std::process::exit(1);
        }
        Err(e) => Err(e.into()),
    }
}

/// A loopback server that checks the request and answers with a store shaped like
/// Vercel's (the same document the tests decode).
async fn stand_in() -> wiremock::MockServer {
    use wiremock::matchers::{header_exists, method, path};
    let server = wiremock::MockServer::start().await;
    let body: serde_json::Value =
        serde_json::from_str(include_str!("../tests/data/store-response-full.json"))
            .expect("example data is JSON");
    wiremock::Mock::given(method("POST"))
        .and(path("/v1/storage/stores/integration/direct"))
        .and(header_exists("authorization"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    server
}
