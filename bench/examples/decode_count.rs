//! Decodes 100 Vercel stores five times, for counting the instructions it takes
//! (`valgrind --tool=cachegrind`): wall time on a shared machine moves by a quarter between
//! runs, instruction counts do not. `bench/run.sh` runs it as `typed`, `value` and `setup`
//! (building the input only, to subtract).

use serde_json::{json, Value};
use vercel_api::types::CreateIntegrationStoreDirectResponse;

fn main() {
    let what = std::env::args().nth(1).unwrap_or_default();
    let text = include_str!("../../tests/data/store-response-full.json");
    let one: Value = serde_json::from_str(text).expect("test data is JSON");
    let all: Vec<Value> = (0..100)
        .map(|i| {
            let mut store = one.clone();
            store["store"]["id"] = json!(format!("store_{i}"));
            store
        })
        .collect();
    let data = serde_json::to_vec(&all).expect("encodes");
    for _ in 0..5 {
        match what.as_str() {
            "typed" => drop(decode::<Vec<CreateIntegrationStoreDirectResponse>>(&data)),
            "value" => drop(decode::<Value>(&data)),
            "setup" => {}
            _ => panic!("usage: decode_count typed|value|setup"),
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(data: &[u8]) -> T {
    apigen_runtime::json::decode(data).unwrap_or_else(|e| panic!("at {}: {}", e.path, e.source))
}
