//! Decode speed of generated types.
//!
//! 1. A large realistic response: 1,000 Vercel stores (the 200 schema, every union variant
//!    present: `tests/data/store-response-full.json` with distinct ids), decoded into the
//!    generated types and into `serde_json::Value`, each as the client decodes a body
//!    (`apigen_runtime::json::decode`) and with `serde_json::from_slice`.
//! 2. Unions alone: 100,000 shapes of four kinds, decoded by the generated union (tag
//!    looked up, branch decoded), by serde's `#[serde(untagged)]` (each branch tried in
//!    turn) and by serde's internally tagged enum (`#[serde(tag = "kind")]`), same JSON.
//!
//! Throughput is set in bytes, so criterion prints MB/s next to each time.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde::Deserialize;
use serde_json::{json, Value};
use vercel_api::types::CreateIntegrationStoreDirectResponse;

#[allow(dead_code)]
mod shapes {
    include!(concat!(env!("OUT_DIR"), "/shapes.rs"));
}

/// What progenitor/typify emit for such a union: each branch tried in order.
#[derive(Deserialize)]
#[serde(untagged)]
#[allow(dead_code)]
enum Untagged {
    Circle(UCircle),
    Rect(URect),
    Polygon(UPolygon),
    Text(UText),
}

macro_rules! literal {
    ($name:ident, $value:literal) => {
        #[derive(Deserialize)]
        enum $name {
            #[serde(rename = $value)]
            Only,
        }
    };
}
literal!(CircleKind, "circle");
literal!(RectKind, "rect");
literal!(PolygonKind, "polygon");
literal!(TextKind, "text");

#[derive(Deserialize)]
#[allow(dead_code)]
struct UCircle {
    kind: CircleKind,
    radius: f64,
    label: Option<String>,
}
#[derive(Deserialize)]
#[allow(dead_code)]
struct URect {
    kind: RectKind,
    width: f64,
    height: f64,
    label: Option<String>,
}
#[derive(Deserialize)]
#[allow(dead_code)]
struct UPolygon {
    kind: PolygonKind,
    points: Vec<Point>,
    label: Option<String>,
}
#[derive(Deserialize)]
#[allow(dead_code)]
struct UText {
    kind: TextKind,
    text: String,
    size: Option<i64>,
}

/// The best case serde offers when one property names the branch.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
#[allow(dead_code)]
enum Tagged {
    Circle {
        radius: f64,
        label: Option<String>,
    },
    Rect {
        width: f64,
        height: f64,
        label: Option<String>,
    },
    Polygon {
        points: Vec<Point>,
        label: Option<String>,
    },
    Text {
        text: String,
        size: Option<i64>,
    },
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Point {
    x: f64,
    y: f64,
}

fn stores(count: usize) -> Vec<u8> {
    let text = include_str!("../../tests/data/store-response-full.json");
    let one: Value = serde_json::from_str(text).expect("test data is JSON");
    let all: Vec<Value> = (0..count)
        .map(|i| {
            let mut store = one.clone();
            store["store"]["id"] = json!(format!("store_{i}"));
            store
        })
        .collect();
    serde_json::to_vec(&all).expect("encodes")
}

fn shapes_json(count: usize) -> Vec<u8> {
    let all: Vec<Value> = (0..count)
        .map(|i| match i % 4 {
            0 => json!({"kind": "circle", "radius": i as f64 * 0.5, "label": "c"}),
            1 => json!({"kind": "rect", "width": 2.0, "height": i as f64}),
            2 => json!({"kind": "polygon", "points": [{"x": 0.0, "y": 1.0}, {"x": 2.5, "y": 3.0}, {"x": i as f64, "y": 0.0}]}),
            _ => json!({"kind": "text", "text": format!("label {i}"), "size": 12}),
        })
        .collect();
    serde_json::to_vec(&all).expect("encodes")
}

fn documents(c: &mut Criterion) {
    let data = stores(1_000);
    // Both must accept the document, or the comparison means nothing.
    serde_json::from_slice::<Vec<CreateIntegrationStoreDirectResponse>>(&data)
        .expect("the generated types decode the stores");
    let mut group = c.benchmark_group(format!("stores ({:.1} MB)", data.len() as f64 / 1e6));
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.sample_size(10);
    // As the client decodes a body (`apigen_runtime::json::decode`: UTF-8 checked once,
    // the path tracked only on failure), and as `serde_json::from_slice` does.
    group.bench_function("generated types", |b| {
        b.iter(|| decode_body::<Vec<CreateIntegrationStoreDirectResponse>>(&data))
    });
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| decode_body::<Value>(&data))
    });
    group.bench_function("generated types, from_slice", |b| {
        b.iter(|| {
            serde_json::from_slice::<Vec<CreateIntegrationStoreDirectResponse>>(&data).unwrap()
        })
    });
    group.bench_function("serde_json::Value, from_slice", |b| {
        b.iter(|| serde_json::from_slice::<Value>(&data).unwrap())
    });
    group.finish();
}

fn unions(c: &mut Criterion) {
    let data = shapes_json(100_000);
    let decoded = serde_json::from_slice::<Vec<shapes::types::Shape>>(&data).expect("decodes");
    assert_eq!(decoded.len(), 100_000);
    serde_json::from_slice::<Vec<Untagged>>(&data).expect("untagged decodes");
    serde_json::from_slice::<Vec<Tagged>>(&data).expect("tagged decodes");
    let mut group = c.benchmark_group(format!("unions ({:.1} MB)", data.len() as f64 / 1e6));
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.sample_size(10);
    for (name, decode) in [
        (
            "generated union",
            decode_as::<shapes::types::Shape> as fn(&[u8]) -> usize,
        ),
        ("serde untagged", decode_as::<Untagged>),
        ("serde internally tagged", decode_as::<Tagged>),
        ("serde_json::Value", decode_as::<Value>),
    ] {
        group.bench_with_input(BenchmarkId::from_parameter(name), &data, |b, data| {
            b.iter(|| decode(data))
        });
    }
    group.finish();
}

fn decode_body<T: serde::de::DeserializeOwned>(data: &[u8]) -> T {
    apigen_runtime::json::decode(data).unwrap_or_else(|e| panic!("at {}: {}", e.path, e.source))
}

fn decode_as<T: for<'de> Deserialize<'de>>(data: &[u8]) -> usize {
    serde_json::from_slice::<Vec<T>>(data).unwrap().len()
}

criterion_group!(benches, documents, unions);
criterion_main!(benches);
