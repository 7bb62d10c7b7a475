//! Parameter serialisation by OpenAPI `style` and `explode`
//! (<https://spec.openapis.org/oas/v3.0.3#style-values>).

use serde::Serialize;
use serde_json::Value;

/// How a parameter value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Query and cookie default: `a=1&a=2` (exploded) or `a=1,2`.
    Form,
    /// Query arrays: `a=1%202`.
    SpaceDelimited,
    /// Query arrays: `a=1|2`.
    PipeDelimited,
    /// Query objects: `a[x]=1&a[y]=2`.
    DeepObject,
    /// Path and header default: `1,2`, objects `x,1,y,2` or (exploded) `x=1,y=2`.
    Simple,
    /// Path: `.1.2` or `.1,2`.
    Label,
    /// Path: `;a=1;a=2` or `;a=1,2`.
    Matrix,
}

/// A JSON scalar as parameter text: strings as they are, others as JSON writes them.
pub fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The JSON form of a parameter value, or the encoding error's text.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<Value, serde_json::Error> {
    serde_json::to_value(value)
}

/// Name/value pairs for a query (or cookie) parameter.
pub fn query_pairs(
    name: &str,
    value: &Value,
    style: Style,
    explode: bool,
) -> Vec<(String, String)> {
    match value {
        Value::Array(items) => {
            let texts: Vec<String> = items.iter().map(scalar).collect();
            match style {
                Style::Form if explode => {
                    texts.into_iter().map(|t| (name.to_string(), t)).collect()
                }
                Style::SpaceDelimited => vec![(name.to_string(), texts.join(" "))],
                Style::PipeDelimited => vec![(name.to_string(), texts.join("|"))],
                _ => vec![(name.to_string(), texts.join(","))],
            }
        }
        Value::Object(map) => match style {
            Style::DeepObject => map
                .iter()
                .map(|(k, v)| (format!("{name}[{k}]"), scalar(v)))
                .collect(),
            Style::Form if explode => map.iter().map(|(k, v)| (k.clone(), scalar(v))).collect(),
            _ => {
                let flat: Vec<String> = map
                    .iter()
                    .flat_map(|(k, v)| [k.clone(), scalar(v)])
                    .collect();
                vec![(name.to_string(), flat.join(","))]
            }
        },
        scalar_value => vec![(name.to_string(), scalar(scalar_value))],
    }
}

/// The text of a path (or header) parameter. `encode` is applied to each key and value
/// (percent-encoding in a path); the separators and the `Label`/`Matrix` prefixes
/// (`.`, `;name=`) are written as they are.
pub fn path_text(
    name: &str,
    value: &Value,
    style: Style,
    explode: bool,
    encode: &dyn Fn(&str) -> String,
) -> String {
    let e = |v: &Value| encode(&scalar(v));
    let items: Vec<String> = match value {
        Value::Array(items) => items.iter().map(e).collect(),
        Value::Object(map) if explode => map
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), e(v)))
            .collect(),
        Value::Object(map) => map.iter().flat_map(|(k, v)| [encode(k), e(v)]).collect(),
        other => vec![e(other)],
    };
    let name = encode(name);
    match style {
        Style::Label if explode => items.iter().map(|i| format!(".{i}")).collect(),
        Style::Label => format!(".{}", items.join(",")),
        Style::Matrix if explode && value.is_array() => {
            items.iter().map(|i| format!(";{name}={i}")).collect()
        }
        Style::Matrix if explode && value.is_object() => {
            items.iter().map(|i| format!(";{i}")).collect()
        }
        Style::Matrix => format!(";{name}={}", items.join(",")),
        _ => items.join(","),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(v: Value, style: Style, explode: bool) -> Vec<(String, String)> {
        query_pairs("id", &v, style, explode)
    }

    #[test]
    fn query_styles_follow_the_spec_table() {
        let arr = json!([3, 4, 5]);
        let obj = json!({"role": "admin", "firstName": "Alex"});
        let p = |v: &[(&str, &str)]| {
            v.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            pairs(arr.clone(), Style::Form, true),
            p(&[("id", "3"), ("id", "4"), ("id", "5")])
        );
        assert_eq!(
            pairs(arr.clone(), Style::Form, false),
            p(&[("id", "3,4,5")])
        );
        assert_eq!(
            pairs(arr.clone(), Style::SpaceDelimited, false),
            p(&[("id", "3 4 5")])
        );
        assert_eq!(
            pairs(arr, Style::PipeDelimited, false),
            p(&[("id", "3|4|5")])
        );
        assert_eq!(
            pairs(obj.clone(), Style::Form, true),
            p(&[("role", "admin"), ("firstName", "Alex")])
        );
        assert_eq!(
            pairs(obj.clone(), Style::Form, false),
            p(&[("id", "role,admin,firstName,Alex")])
        );
        assert_eq!(
            pairs(obj, Style::DeepObject, true),
            p(&[("id[role]", "admin"), ("id[firstName]", "Alex")])
        );
        assert_eq!(pairs(json!(5), Style::Form, true), p(&[("id", "5")]));
    }

    #[test]
    fn path_styles_follow_the_spec_table() {
        let arr = json!([3, 4, 5]);
        let obj = json!({"role": "admin", "firstName": "Alex"});
        let path_text = |n: &str, v: &Value, s: Style, x: bool| {
            super::path_text(n, v, s, x, &|t: &str| t.to_string())
        };
        assert_eq!(path_text("id", &arr, Style::Simple, false), "3,4,5");
        assert_eq!(
            path_text("id", &obj, Style::Simple, false),
            "role,admin,firstName,Alex"
        );
        assert_eq!(
            path_text("id", &obj, Style::Simple, true),
            "role=admin,firstName=Alex"
        );
        assert_eq!(path_text("id", &arr, Style::Label, false), ".3,4,5");
        assert_eq!(path_text("id", &arr, Style::Label, true), ".3.4.5");
        assert_eq!(path_text("id", &json!(5), Style::Matrix, false), ";id=5");
        assert_eq!(
            path_text("id", &arr, Style::Matrix, true),
            ";id=3;id=4;id=5"
        );
        assert_eq!(
            path_text("id", &obj, Style::Matrix, true),
            ";role=admin;firstName=Alex"
        );
    }
}
