//! JSON decoding as the client does it, and JSON comparison as a schema sees it.

use serde::de::DeserializeOwned;
use serde_json::Value;

/// A JSON document that did not decode: where (a JSON path such as
/// `store.secrets[0].name`, empty at the top) and why.
#[derive(Debug)]
pub struct DecodeError {
    pub path: String,
    pub source: serde_json::Error,
}

/// Decodes the JSON document `bytes` as `T`; anything after it but whitespace is an error.
///
/// The input's UTF-8 is checked once, up front, rather than string by string as
/// `serde_json::from_slice` does, and no path is tracked while decoding: only a document
/// that fails is decoded again, tracking the path, to say where it failed.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, DecodeError> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        if let Ok(decoded) = serde_json::from_str(text) {
            return Ok(decoded);
        }
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let decoded = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        // Inside a union that read part of the input ahead, the rest of the path is in
        // the message.
        let (path, _) = crate::union::error_path(&e.path().to_string(), &e.inner().to_string());
        DecodeError {
            path,
            source: e.into_inner(),
        }
    })?;
    de.end().map_err(|source| DecodeError {
        path: String::new(),
        source,
    })?;
    Ok(decoded)
}

/// Whether two JSON values are equal, with numbers compared by value (`1` equals `1.0`)
/// and object keys in any order. This is the equality a round trip through generated
/// types keeps: `f64` fields write `1` back as `1.0`.
pub fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        inner: Vec<Inner>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        n: u8,
    }

    #[test]
    fn decoding_rejects_trailing_data_and_names_the_path() {
        assert!(decode::<Outer>(br#" {"inner": [{"n": 1}]} "#).is_ok());
        for text in [
            &br#"{"inner": []} trailing"#[..],
            br#"{"inner": []}{"inner": []}"#,
            br#"{"inner": []},"#,
        ] {
            let e = decode::<Outer>(text).unwrap_err();
            assert!(e.source.to_string().contains("trailing"), "{e:?}");
        }
        let e = decode::<Outer>(br#"{"inner": [{"n": 1}, {"n": 300}]}"#).unwrap_err();
        assert_eq!(e.path, "inner[1].n");
        let e = decode::<Outer>(b"{\"inner\": [{\"n\": 1, \"\xff\": 2}]}").unwrap_err();
        assert!(e.source.to_string().contains("invalid unicode"), "{e:?}");
    }

    #[test]
    fn numbers_by_value_keys_in_any_order() {
        assert!(same_json(
            &json!({"a": 1, "b": [2.0]}),
            &json!({"b": [2], "a": 1.0})
        ));
        assert!(!same_json(&json!({"a": 1}), &json!({"a": 1, "b": null})));
        assert!(!same_json(&json!("1"), &json!(1)));
        assert!(!same_json(&json!([1, 2]), &json!([2, 1])));
    }
}
