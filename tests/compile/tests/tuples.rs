//! Tuples (`prefixItems` of fixed length), for the code generated from
//! `tests/fixtures/tuples.yaml` (OpenAPI 3.1): each is a tuple struct read and written as
//! an array of exactly its items, in order; and one sent and received over loopback HTTP.

use apigen_fixtures::tuples::types::{Chain, Label, Leg, LegSecond, Plan, Point, Route, Window};
use apigen_fixtures::tuples::Client;
use serde_json::{json, Value};
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, serde_json::Error> {
    serde_json::from_value(value)
}

#[test]
fn a_tuple_is_an_array_of_exactly_its_items() {
    let point: Point = decode(json!([13.4, 52.5])).unwrap();
    assert_eq!(point, Point(13.4, 52.5));
    assert_eq!(serde_json::to_value(&point).unwrap(), json!([13.4, 52.5]));
    for wrong in [
        json!([13.4]),
        json!([13.4, 52.5, 0]),
        json!([]),
        json!({"0": 1.0}),
    ] {
        assert!(decode::<Point>(wrong.clone()).is_err(), "{wrong}");
    }
    assert!(decode::<Point>(json!(["13.4", 52.5])).is_err());
}

#[test]
fn items_that_may_be_null_and_one_item_tuples() {
    let window: Window = decode(json!(["2026-01-01T00:00:00Z", null])).unwrap();
    assert_eq!(window.1, None);
    assert_eq!(
        serde_json::to_value(&window).unwrap(),
        json!(["2026-01-01T00:00:00Z", null])
    );
    assert!(decode::<Window>(json!(["2026-01-01T00:00:00Z"])).is_err());
    let label: Label = decode(json!(["home"])).unwrap();
    assert_eq!(label, Label("home".into()));
    assert_eq!(serde_json::to_value(&label).unwrap(), json!(["home"]));
    assert!(decode::<Label>(json!("home")).is_err());
    assert!(decode::<Label>(json!(["home", "work"])).is_err());
}

#[test]
fn a_tuple_that_holds_itself_is_boxed() {
    let chain: Chain = decode(json!([1, [2, [3, null]]])).unwrap();
    let Chain(first, Some(rest)) = &chain else {
        panic!("{chain:?}")
    };
    assert_eq!((*first, rest.0), (1, 2));
    assert_eq!(
        serde_json::to_value(&chain).unwrap(),
        json!([1, [2, [3, null]]])
    );
    assert!(decode::<Chain>(json!([1, [2]])).is_err());
}

#[tokio::test]
async fn tuples_cross_the_wire_in_bodies_both_ways() {
    let server = MockServer::start().await;
    let route = json!({"stops": [[13.4, 52.5], [2.35, 48.86]], "label": ["trip"]});
    let plan = json!({
        "legs": [[[13.4, 52.5], {"minutes": 42, "mode": "ride"}]],
        "next": [7, null],
        "shape": [1.0, 2.0]
    });
    Mock::given(method("POST"))
        .and(path("/routes"))
        .and(body_json(&route))
        .respond_with(ResponseTemplate::new(200).set_body_json(&plan))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri()).unwrap();
    let mut body = Route::new(vec![Point(13.4, 52.5), Point(2.35, 48.86)]);
    body.label = Some(Label("trip".into()));
    let got: Plan = client.plan_route(body).send().await.unwrap();
    let Leg(start, LegSecond { minutes, .. }) = &got.legs[0];
    assert_eq!((start.0, *minutes), (13.4, 42));
    assert_eq!(got.next, Some(Chain(7, None)));
    assert_eq!(serde_json::to_value(&got).unwrap(), plan);
}
