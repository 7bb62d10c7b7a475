//! Load: a spec file (YAML or JSON) into a raw JSON tree, checked against the shape of an
//! OpenAPI 3.0 document (`openapiv3`). A 3.1 document is first rewritten into 3.0 terms
//! by [`crate::dialect`].
//!
//! Everything is later read from the raw tree by JSON pointer, so that every construct,
//! including those `openapiv3` has no field for, can be seen and located. Each reader
//! refuses, with its location, what it cannot make a type or a call of; `openapiv3`'s
//! complaint (it stops at the first) is a warning, since most of a spec does not shape
//! the client (a `pattern: 0`, a malformed callback or example).

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Diagnostic, Error};
use crate::locate::LineIndex;

/// A parsed spec: the raw document, and where it came from.
pub struct Spec {
    pub file: PathBuf,
    pub raw: Value,
    pub lines: LineIndex,
    /// Where and how the document first departs from the shape of an OpenAPI 3.0
    /// document, if it does (`openapiv3`'s reading; located as well as it says).
    pub shape_problem: Option<Diagnostic>,
    /// What reading the document met before any schema was looked at: for a 3.1
    /// document, what its dialect says that 3.0 terms cannot (see [`crate::dialect`]).
    pub reading_warnings: Vec<Diagnostic>,
}

impl Spec {
    /// A diagnostic located at `pointer` in this spec. In a JSON spec the line is found
    /// later, for all diagnostics at once, by [`Spec::locate`].
    pub fn diagnostic(&self, pointer: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: self.file.clone(),
            pointer: pointer.to_string(),
            line: (!self.lines.batched())
                .then(|| self.lines.line_of(pointer))
                .flatten(),
            message: message.into(),
        }
    }

    /// Fills in the line of every diagnostic that has none yet, in one pass over the text.
    pub fn locate(&self, diagnostics: &mut [Diagnostic]) {
        let pointers: Vec<&str> = diagnostics
            .iter()
            .filter(|d| d.line.is_none())
            .map(|d| d.pointer.as_str())
            .collect();
        if pointers.is_empty() {
            return;
        }
        let mut lines = self.lines.lines_of(&pointers).into_iter();
        for d in diagnostics.iter_mut().filter(|d| d.line.is_none()) {
            d.line = lines.next().flatten();
        }
    }
}

/// The most a spec may hold unless the config or the caller says otherwise: far above
/// any real spec (GitHub's is 11 MB, Stripe's 7 MB), far below what would exhaust memory.
pub const DEFAULT_MAX_SPEC_BYTES: u64 = 256 << 20;

/// Reads and parses the spec at `path`, refusing more than `max_bytes` of it. `display`
/// is the name used in messages.
pub fn load(path: &Path, display: &Path, max_bytes: u64) -> Result<Spec, Error> {
    let read_error = |source| Error::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(max_bytes.saturating_add(1)).read_to_end(&mut bytes))
        .map_err(read_error)?;
    let diag = |line, message: String| {
        Error::Spec(vec![Diagnostic {
            file: display.to_path_buf(),
            pointer: String::new(),
            line,
            message,
        }])
    };
    if bytes.len() as u64 > max_bytes {
        return Err(diag(None, format!(
            "the spec is larger than the limit of {max_bytes} bytes; raise it with `max_spec_bytes` in the spec's .apigen.yaml, `--max-spec-bytes` or APIGEN_MAX_SPEC_BYTES"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        diag(
            Some(line),
            format!(
                "the spec is not UTF-8 text (byte {} is not part of a UTF-8 character)",
                valid.len()
            ),
        )
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
    // A byte order mark is not part of the document (YAML would read it as a second one).
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut raw =
        read_tree(text).map_err(|(pointer, line, message)| diag(&pointer, line, message))?;
    let lines = LineIndex::new(text);
    let version = check_version(&raw)
        .map_err(|message| diag("/openapi", lines.line_of("/openapi"), message))?;
    let mut reading_warnings = Vec::new();
    if version == Version::V3_1 {
        let located = |(pointer, message): (String, String)| Diagnostic {
            file: file.to_path_buf(),
            line: lines.line_of(&pointer),
            pointer,
            message,
        };
        reading_warnings.extend(crate::dialect::rewrite(&mut raw).into_iter().map(located));
    }
    let shape_problem = serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&raw)
        .err()
        .map(|e| {
            let pointer = refine_paths_pointer(&raw, path_to_pointer(e.path()));
            Diagnostic {
                file: file.to_path_buf(),
                line: lines.line_of(&pointer),
                pointer,
                message: format!("not a valid OpenAPI 3.0 document here: {}", e.inner()),
            }
        });
    Ok(Spec {
        file: file.to_path_buf(),
        raw,
        lines,
        shape_problem,
        reading_warnings,
    })
}

/// The document tree of JSON or YAML text, or where and why it cannot be read.
fn read_tree(text: &str) -> Result<Value, (String, Option<usize>, String)> {
    // JSON is YAML too, but serde_json reads it several times faster (GitHub's spec:
    // 11 MB). A `{` that does not start valid JSON may still start YAML's flow style.
    let mut json_error = None;
    if text.trim_start().starts_with('{') {
        let mut de = serde_json::Deserializer::from_str(text);
        match crate::tree::read(&mut de).and_then(|v| de.end().map(|()| v).map_err(|e| (None, e))) {
            Ok(raw) => return Ok(raw),
            Err((Some(problem), e)) => {
                return Err((problem.pointer, Some(e.line()), problem.message))
            }
            // `{"` opens JSON, not YAML's flow style: its error is the one to report.
            Err((None, e)) if text.trim_start()[1..].trim_start().starts_with('"') => {
                return Err((
                    String::new(),
                    Some(e.line()),
                    format!("not valid JSON: {e}"),
                ))
            }
            Err((None, e)) => json_error = Some(e),
        }
    }
    match crate::tree::read(serde_yaml::Deserializer::from_str(text)) {
        Ok(raw) => Ok(raw),
        Err((Some(problem), e)) => Err((
            problem.pointer,
            e.location().map(|l| l.line()),
            problem.message,
        )),
        Err((None, e)) => Err(match json_error {
            Some(json) => (
                String::new(),
                Some(json.line()),
                format!("not valid JSON: {json}"),
            ),
            None => (
                String::new(),
                e.location().map(|l| l.line()),
                format!("not valid YAML or JSON: {e}"),
            ),
        }),
    }
}

/// The OpenAPI versions read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    V3_0,
    /// Read by rewriting it into 3.0 terms first ([`crate::dialect`]).
    V3_1,
}

/// Which version the document is, or why it is not one apigen reads (Swagger 2.0,
/// OpenAPI 3.2), before serde gives a cryptic error.
fn check_version(raw: &Value) -> Result<Version, String> {
    if let Some(v) = raw.get("swagger") {
        return Err(format!(
            "this is a Swagger {} document; apigen reads OpenAPI 3.0.x and 3.1.x (convert it first, e.g. with swagger2openapi)",
            v.as_str().unwrap_or("2.0")
        ));
    }
    let minor = |v: &str| v.split('.').take(2).collect::<Vec<_>>().join(".");
    match raw.get("openapi").and_then(Value::as_str) {
        Some(v) if minor(v) == "3.0" => Ok(Version::V3_0),
        Some(v) if minor(v) == "3.1" => Ok(Version::V3_1),
        Some(v) => Err(format!(
            "unsupported OpenAPI version {v:?}; apigen reads 3.0.x and 3.1.x"
        )),
        None => Err(match raw.get("openapi") {
            Some(found) => format!(
                "the `openapi` version must be a string such as \"3.0.3\", found {}",
                describe_value(found)
            ),
            None => {
                "not an OpenAPI document: the top-level `openapi` version field is missing".into()
            }
        }),
    }
}

/// A value as a message names it: `the number 3.0`, `an object`.
pub fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n} (quote it in YAML)"),
        Value::String(s) => format!("the string {s:?}"),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
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
