//! Round trips through the generated Vercel types: documents the schema accepts decode
//! and re-encode to the same JSON (numbers compared numerically, absent keys stay
//! absent); documents it rejects are rejected with a readable error.

use apigen_check::{rejected, round_trip};
use serde_json::{json, Value};
use vercel_api::types::*;

fn data(name: &str) -> Value {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("test data"))
        .expect("test data is JSON")
}

#[test]
fn spec_request_example_round_trips() {
    let request: CreateIntegrationStoreDirectRequest = round_trip(data("request-example.json"));
    assert_eq!(request.source, Some(Source::Marketplace));
    assert_eq!(request.prepayment_amount_cents, Some(5000.0));
    let metadata = request.metadata.expect("metadata");
    assert_eq!(
        metadata["tags"],
        MetadataValue::Texts(vec!["database".into(), "postgres".into()])
    );
}

#[test]
fn full_response_with_every_union_variant_round_trips() {
    let response: CreateIntegrationStoreDirectResponse =
        round_trip(data("store-response-full.json"));
    let store = response.store.expect("store");
    let properties = &store
        .product
        .metadata_schema
        .as_ref()
        .expect("schema")
        .properties;
    let kinds: Vec<&str> = properties
        .values()
        .map(|p| match p {
            MetadataSchemaProperty::StringInput(_) => "string input",
            MetadataSchemaProperty::NumberInput(_) => "number input",
            MetadataSchemaProperty::Toggle(_) => "toggle",
            MetadataSchemaProperty::Slider(_) => "slider",
            MetadataSchemaProperty::Select(_) => "select",
            MetadataSchemaProperty::MultiSelect(_) => "multi-select",
            MetadataSchemaProperty::VercelRegion(_) => "vercel-region",
            MetadataSchemaProperty::MultiVercelRegion(_) => "multi-vercel-region",
            MetadataSchemaProperty::Domain(_) => "domain",
            MetadataSchemaProperty::GitNamespace(_) => "git-namespace",
            MetadataSchemaProperty::Unknown(_) => "a control this spec does not list",
        })
        .collect();
    assert_eq!(kinds.len(), 10);
    let distinct: std::collections::BTreeSet<&str> = kinds.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        10,
        "every control kind decodes to its own variant: {kinds:?}"
    );

    // Unknown values of response enums are kept, not rejected.
    assert_eq!(
        store.projects_metadata[2].framework,
        Some(Some(Framework::Unknown("some-framework-from-2027".into())))
    );
    assert_eq!(store.projects_metadata[1].framework, Some(None));
    assert_eq!(
        store.product.supported_protocols[1],
        Protocol::Unknown("quantum".into())
    );
    assert_eq!(
        store.projects_metadata[2].environments[0],
        Environment::Unknown("staging".into())
    );

    // Metadata never coerces: numbers stay numbers, strings stay strings.
    let metadata = store.metadata.expect("metadata");
    assert_eq!(metadata["replicas"], MetadataValue::Number(3.0));
    assert_eq!(metadata["numericString"], MetadataValue::Text("1".into()));
    assert_eq!(metadata["empty"], MetadataValue::Texts(vec![]));
    assert_eq!(
        metadata["ports"],
        MetadataValue::Numbers(vec![5432.0, 6432.5])
    );
    assert_eq!(metadata["ha"], MetadataValue::Bool(true));

    let capabilities = store.capabilities.expect("capabilities");
    assert_eq!(
        capabilities.secret_rotation,
        Some(SecretRotation::MaxDelayHours(MaxDelayHours::new(24.0)))
    );
    assert_eq!(
        store
            .product
            .capabilities
            .expect("capabilities")
            .secret_rotation,
        Some(SecretRotation::False)
    );
}

#[test]
fn minimal_and_null_responses_round_trip() {
    let minimal: CreateIntegrationStoreDirectResponse =
        round_trip(data("store-response-minimal.json"));
    assert_eq!(minimal.store.expect("store").status, None);
    let null: CreateIntegrationStoreDirectResponse = round_trip(data("store-response-null.json"));
    assert!(null.store.is_none());
}

#[test]
fn conditions_take_every_form() {
    for doc in [
        json!({"expr": "a > 1"}),
        json!(true),
        json!(false),
        json!("update"),
        json!("create"),
    ] {
        round_trip::<Condition>(&doc);
    }
    assert_eq!(
        serde_json::from_value::<Condition>(json!("update")).unwrap(),
        Condition::Update
    );
    // In a response a string the spec does not list is kept, as response enums keep one.
    assert_eq!(
        round_trip::<Condition>(&json!("delete")),
        Condition::Unknown(json!("delete"))
    );
    let e = rejected::<Condition>(json!(1));
    assert!(e.contains("Condition") && e.contains("\"update\""), "{e}");
    rejected::<Condition>(json!({"exp": "typo"}));
}

#[test]
fn secret_rotation_is_an_object_or_literal_false() {
    assert_eq!(
        round_trip::<SecretRotation>(&json!(false)),
        SecretRotation::False
    );
    round_trip::<SecretRotation>(&json!({"maxDelayHours": 12}));
    let e = rejected::<SecretRotation>(json!(true));
    assert!(e.contains("SecretRotation"), "{e}");
    rejected::<SecretRotation>(json!({}));
    rejected::<SecretRotation>(json!("false"));
}

#[test]
fn metadata_values_keep_their_json_type() {
    for doc in [
        json!("x"),
        json!("1"),
        json!(1),
        json!(1.5),
        json!(true),
        json!([]),
        json!(["a"]),
        json!([1, 2]),
    ] {
        round_trip::<MetadataValue>(&doc);
    }
    rejected::<MetadataValue>(json!(null));
    rejected::<MetadataValue>(json!({"a": 1}));
    rejected::<MetadataValue>(json!(["a", 1]));
    rejected::<MetadataValue>(json!([true]));
}

#[test]
fn metadata_field_dispatches_on_the_tag_pair() {
    let text =
        round_trip::<MetadataSchemaProperty>(&json!({"type": "string", "ui:control": "input"}));
    assert!(matches!(text, MetadataSchemaProperty::StringInput(_)));
    let number = round_trip::<MetadataSchemaProperty>(
        &json!({"type": "number", "ui:control": "input", "minimum": 1}),
    );
    assert!(matches!(number, MetadataSchemaProperty::NumberInput(_)));
    // A pair the spec does not define is a control of a later version: a response keeps
    // it as it came (as its enums keep values they do not list).
    let later = json!({"type": "string", "ui:control": "slider", "ui:label": "Later"});
    assert_eq!(
        round_trip::<MetadataSchemaProperty>(&later),
        MetadataSchemaProperty::Unknown(later)
    );
    // A missing tag says nothing of the control: an error that names it.
    let e = rejected::<MetadataSchemaProperty>(json!({"ui:control": "toggle"}));
    assert!(e.contains("no type"), "{e}");
    // The branch is chosen by tags, then its own rules apply: a slider needs `items`.
    let e = rejected::<MetadataSchemaProperty>(
        json!({"type": "array", "ui:control": "slider", "ui:steps": []}),
    );
    assert!(e.contains("items"), "{e}");
}

#[test]
fn required_nullable_and_optional_are_kept_apart() {
    // `status` is required and nullable: it must be present, and null is written back.
    let mut doc = data("store-response-minimal.json");
    doc["store"].as_object_mut().unwrap().remove("status");
    let e = rejected::<CreateIntegrationStoreDirectResponse>(doc);
    assert!(e.contains("status"), "{e}");
    let encoded = serde_json::to_value(round_trip::<CreateIntegrationStoreDirectResponse>(&data(
        "store-response-minimal.json",
    )))
    .unwrap();
    assert_eq!(encoded["store"]["status"], Value::Null);
    // Optional fields are left out when absent, not sent as null.
    let request =
        CreateIntegrationStoreDirectRequest::new("db".into(), "icfg_1".into(), "slug".into());
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        json!({"name": "db", "integrationConfigurationId": "icfg_1", "integrationProductIdOrSlug": "slug"})
    );
}

#[test]
fn request_enums_are_closed_and_response_enums_open() {
    let mut doc = data("request-example.json");
    doc["source"] = json!("api");
    let e = rejected::<CreateIntegrationStoreDirectRequest>(doc);
    assert!(e.contains("api"), "{e}");
    assert_eq!(
        round_trip::<Status>(&json!("brand-new-status")),
        Status::Unknown("brand-new-status".into())
    );
}

#[test]
fn wrong_shapes_are_rejected_with_readable_errors() {
    let mut doc = data("request-example.json");
    doc.as_object_mut().unwrap().remove("name");
    assert!(rejected::<CreateIntegrationStoreDirectRequest>(doc).contains("missing field `name`"));
    let mut doc = data("request-example.json");
    doc["prepaymentAmountCents"] = json!("5000");
    rejected::<CreateIntegrationStoreDirectRequest>(doc);
    let mut doc = data("store-response-full.json");
    doc["store"]["usageQuotaExceeded"] = json!("no");
    rejected::<CreateIntegrationStoreDirectResponse>(doc);
    let mut doc = data("store-response-full.json");
    doc["store"]["product"]["metadataSchema"]["properties"]["size"]["ui:hidden"] = json!(7);
    rejected::<CreateIntegrationStoreDirectResponse>(doc);
}

#[test]
fn errors_inside_unions_carry_their_full_path() {
    // Every union on the way is decoded from the input itself or from what it read ahead,
    // and the path of an error deep inside names each step.
    let mut doc = data("store-response-full.json");
    doc["store"]["product"]["metadataSchema"]["properties"]["region"]["ui:options"][2]
        ["disabled"] = json!(7);
    let body = serde_json::to_vec(&doc).unwrap();
    let e = apigen_runtime::error::decode_json::<CreateIntegrationStoreDirectResponse>(
        "createIntegrationStoreDirect",
        reqwest::StatusCode::OK,
        "CreateIntegrationStoreDirectResponse",
        body,
    )
    .unwrap_err();
    let apigen_runtime::Error::Decode { path, .. } = &e else {
        panic!("a decode error: {e}")
    };
    assert_eq!(
        path,
        "store.product.metadataSchema.properties.region.ui:options[2].disabled"
    );
    let shown = e.to_string();
    assert!(
        shown.contains("at `store.product.metadataSchema.properties.region.ui:options[2].disabled`: Condition: expected"),
        "{shown}"
    );
}
