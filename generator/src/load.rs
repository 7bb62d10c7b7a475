//! Load: a spec file (YAML or JSON) into a raw JSON tree plus the typed `openapiv3::OpenAPI` frame.
//!
//! Schemas are later read from the raw tree by JSON pointer, so that every construct,
//! including those `openapiv3` has no field for, can be seen and located.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Diagnostic, Error};
use crate::locate::LineIndex;

/// A parsed spec: the raw document, its typed view, and where it came from.
pub struct Spec {
    pub file: PathBuf,
    pub raw: Value,
    pub api: openapiv3::OpenAPI,
    pub lines: LineIndex,
}

impl Spec {
    /// A diagnostic located at `pointer` in this spec.
    pub fn diagnostic(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            pointer: pointer.to_string(),
            line: self.lines.line_of(pointer),
            message: message.into(),
        }
    }
}

/// Reads and parses the spec at `path`. `display` is the name used in messages.
pub fn load(path: &Path, display: &Path) -> Result<Spec, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, display)
}

/// Parses spec text; `file` is only used to locate messages.
pub fn parse(text: &str, file: &Path) -> Result<Spec, Error> {
    let diag = |pointer: &str, line: Option<usize>, message: String| {
        Error::Spec(vec![Diagnostic {
            file: file.to_path_buf(),
            pointer: pointer.to_string(),
            line,
            message,
        }])
    };
    // JSON is YAML too, but serde_json reads it several times faster (GitHub's spec: 8 MB).
    let json = if text.trim_start().starts_with('{') {
        serde_json::from_str::<Value>(text).ok()
    } else {
        None
    };
    let raw = match json {
        Some(raw) => raw,
        None => {
            let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
                diag(
                    "",
                    e.location().map(|l| l.line()),
                    format!("not valid YAML or JSON: {e}"),
                )
            })?;
            yaml_to_json(yaml).map_err(|(mut keys, message)| {
                keys.reverse();
                let pointer = keys
                    .iter()
                    .fold(String::new(), |p, k| crate::error::join(&p, k));
                diag(&pointer, None, message)
            })?
        }
    };
    let lines = LineIndex::new(text);
    check_version(&raw).map_err(|message| diag("", None, message))?;
    let api: openapiv3::OpenAPI = serde_path_to_error::deserialize(&raw).map_err(|e| {
        let pointer = refine_paths_pointer(&raw, path_to_pointer(e.path()));
        let line = lines.line_of(&pointer);
        diag(
            &pointer,
            line,
            format!("not a valid OpenAPI 3.0 document here: {}", e.inner()),
        )
    })?;
    Ok(Spec {
        file: file.to_path_buf(),
        raw,
        api,
        lines,
    })
}

/// Tells Swagger 2.0 and OpenAPI 3.1 apart from 3.0 before serde gives a cryptic error.
fn check_version(raw: &Value) -> Result<(), String> {
    if let Some(v) = raw.get("swagger") {
        return Err(format!(
            "this is a Swagger {} document; apigen reads OpenAPI 3.0.x (convert it first, e.g. with swagger2openapi)",
            v.as_str().unwrap_or("2.0")
        ));
    }
    match raw.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0") => Ok(()),
        Some(v) if v.starts_with("3.1") => Err(format!(
            "this is an OpenAPI {v} document; apigen reads OpenAPI 3.0.x only so far"
        )),
        Some(v) => Err(format!(
            "unsupported OpenAPI version {v:?}; apigen reads 3.0.x"
        )),
        None => {
            Err("not an OpenAPI document: the top-level `openapi` version field is missing".into())
        }
    }
}

/// `openapiv3` reads `paths` through a custom map and `$ref`-or-value through untagged
/// enums, which lose the position of an error; reading the failing parts again as the
/// concrete types finds the exact place.
fn refine_paths_pointer(raw: &Value, pointer: String) -> String {
    if pointer != "/paths" {
        return pointer;
    }
    let Some(paths) = raw.get("paths").and_then(Value::as_object) else {
        return pointer;
    };
    for (path, item) in paths {
        let at = crate::error::join("/paths", path);
        if item.get("$ref").is_some() {
            continue;
        }
        if let Err(e) = serde_path_to_error::deserialize::<_, openapiv3::PathItem>(item) {
            let inner = path_to_pointer(e.path());
            let full = format!("{at}{inner}");
            // An error inside a `$ref`-or-parameter: read that parameter on its own.
            if let Some(param) = raw.pointer(&full).filter(|_| is_parameter_index(&inner)) {
                if let Err(e) = serde_path_to_error::deserialize::<_, openapiv3::Parameter>(param) {
                    return format!("{full}{}", path_to_pointer(e.path()));
                }
            }
            return full;
        }
    }
    pointer
}

fn is_parameter_index(pointer: &str) -> bool {
    let mut tokens = pointer.rsplit('/');
    tokens.next().is_some_and(|i| i.parse::<usize>().is_ok()) && tokens.next() == Some("parameters")
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } | Segment::Enum { variant: key } => {
                pointer = crate::error::join(&pointer, key);
            }
            Segment::Unknown => {}
        }
    }
    pointer
}

/// Converts YAML to JSON, turning scalar keys (e.g. `200:`) into strings. On failure, the
/// keys leading to the bad node, innermost first (collected only then, so the common path
/// builds no pointers).
fn yaml_to_json(value: serde_yaml::Value) -> Result<Value, (Vec<String>, String)> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        (
                            Vec::new(),
                            format!("the number {n} cannot be represented in JSON"),
                        )
                    })?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    yaml_to_json(item).map_err(|(mut keys, message)| {
                        keys.push(i.to_string());
                        (keys, message)
                    })
                })
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (key, item) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_string(),
                    other => {
                        return Err((
                            Vec::new(),
                            format!("unsupported mapping key {other:?}: keys must be scalars"),
                        ))
                    }
                };
                match yaml_to_json(item) {
                    Ok(value) => {
                        out.insert(key, value);
                    }
                    Err((mut keys, message)) => {
                        keys.push(key);
                        return Err((keys, message));
                    }
                }
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value)?,
    })
}
