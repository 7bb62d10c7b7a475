//! Security: `components.securitySchemes` and the `security` requirements into
//! `ir::SecurityScheme`s and each operation's alternatives. Input: the spec's JSON tree;
//! output: plain IR plus located warnings for what the client cannot send.
//!
//! A scheme the client cannot send (an `http` scheme other than bearer or basic,
//! `mutualTLS`, a malformed one) is kept as `Unsupported`: a call that needs it fails
//! with a clear error unless the user says a middleware of theirs adds it. A requirement
//! naming a scheme the spec does not declare is left out with a warning.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{join, Diagnostic};
use crate::ir::{KeyPlace, SchemeKind, SecurityRequirement, SecurityScheme};
use crate::load::Spec;

/// What the spec says about security, read once.
pub struct Security {
    pub schemes: Vec<SecurityScheme>,
    /// The spec's top-level `security`, for operations without their own.
    global: Vec<Vec<SecurityRequirement>>,
}

impl Security {
    /// Reads the declared schemes and the top-level `security`.
    pub fn read(spec: &Spec, warnings: &mut Vec<Diagnostic>) -> Self {
        let mut schemes = Vec::new();
        let declared = spec
            .raw
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object);
        let mut keys: Vec<&String> = declared.map(|m| m.keys().collect()).unwrap_or_default();
        keys.sort();
        for key in keys {
            let pointer = join("/components/securitySchemes", key);
            let (pointer, value) = resolve(spec, &pointer);
            let kind = kind(spec, &pointer, value, warnings);
            schemes.push(SecurityScheme {
                key: key.clone(),
                kind,
                description: value
                    .and_then(|v| v.get("description"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
                setters: Vec::new(),
            });
        }
        let mut security = Security {
            schemes,
            global: Vec::new(),
        };
        security.global = security.alternatives(spec, "/security", warnings);
        security
    }

    /// The alternatives of the operation at `pointer`: its own `security`, else the spec's.
    pub fn of(
        &self,
        spec: &Spec,
        op: &Value,
        pointer: &str,
        warnings: &mut Vec<Diagnostic>,
    ) -> Vec<Vec<SecurityRequirement>> {
        if op.get("security").is_some() {
            self.alternatives(spec, &join(pointer, "security"), warnings)
        } else {
            self.global.clone()
        }
    }

    /// The requirement list at `pointer`, each alternative kept only when every scheme
    /// it names is declared.
    fn alternatives(
        &self,
        spec: &Spec,
        pointer: &str,
        warnings: &mut Vec<Diagnostic>,
    ) -> Vec<Vec<SecurityRequirement>> {
        let Some(list) = spec.raw.pointer(pointer) else {
            return Vec::new();
        };
        let Some(list) = list.as_array() else {
            warnings.push(spec.diagnostic(
                pointer,
                "`security` must be a list of requirement objects; it is left out",
            ));
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, alternative) in list.iter().enumerate() {
            let at = join(pointer, &i.to_string());
            if let Some(requirements) = self.alternative(spec, &at, alternative, warnings) {
                out.push(requirements);
            }
        }
        // Every alternative left out: the call sends nothing rather than refusing to run.
        if out.is_empty() && !list.is_empty() {
            return Vec::new();
        }
        out
    }

    fn alternative(
        &self,
        spec: &Spec,
        pointer: &str,
        alternative: &Value,
        warnings: &mut Vec<Diagnostic>,
    ) -> Option<Vec<SecurityRequirement>> {
        let Some(object) = alternative.as_object() else {
            warnings.push(spec.diagnostic(
                pointer,
                "a security requirement must be an object of scheme names; it is left out",
            ));
            return None;
        };
        let mut requirements = Vec::new();
        for (scheme, scopes) in object {
            let at = join(pointer, scheme);
            if !self.schemes.iter().any(|s| &s.key == scheme) {
                warnings.push(spec.diagnostic(
                    &at,
                    format!(
                        "security scheme {scheme:?} is not declared in components.securitySchemes; this alternative is left out"
                    ),
                ));
                return None;
            }
            let scopes = scopes
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            requirements.push(SecurityRequirement {
                scheme: scheme.clone(),
                scopes,
            });
        }
        Some(requirements)
    }
}

/// A scheme, following one local `$ref` (a scheme may be a Reference Object).
fn resolve<'s>(spec: &'s Spec, pointer: &str) -> (String, Option<&'s Value>) {
    let value = spec.raw.pointer(pointer);
    let target = value
        .and_then(|v| v.get("$ref"))
        .and_then(Value::as_str)
        .and_then(crate::pointer::of_reference);
    match target {
        Some(local) => {
            let found = spec.raw.pointer(&local);
            (local, found)
        }
        None => (pointer.to_string(), value),
    }
}

/// What the scheme at `pointer` is; a warning for one the client cannot send.
fn kind(
    spec: &Spec,
    pointer: &str,
    value: Option<&Value>,
    warnings: &mut Vec<Diagnostic>,
) -> SchemeKind {
    let text = |key: &str| value.and_then(|v| v.get(key)).and_then(Value::as_str);
    let mut unsupported = |what: String, why: String| {
        warnings.push(spec.diagnostic(
            pointer,
            format!("{why}; calls that need it send what a middleware of yours adds (see `with_external_credential`)"),
        ));
        SchemeKind::Unsupported { what }
    };
    match text("type") {
        Some("http") => match text("scheme").map(str::to_ascii_lowercase).as_deref() {
            Some("bearer") => SchemeKind::Bearer {
                format: text("bearerFormat").map(str::to_string),
            },
            Some("basic") => SchemeKind::Basic,
            Some(other) => unsupported(
                format!("HTTP {other}"),
                format!("the client cannot send HTTP {other:?} credentials"),
            ),
            None => unsupported(
                "HTTP".into(),
                "an `http` security scheme needs a `scheme` (bearer, basic)".into(),
            ),
        },
        Some("apiKey") => api_key(text("in"), text("name"))
            .unwrap_or_else(|why| unsupported("API key".into(), why)),
        Some("oauth2") => SchemeKind::OAuth2 {
            token_url: value
                .and_then(|v| v.pointer("/flows/clientCredentials/tokenUrl"))
                .and_then(Value::as_str)
                .map(str::to_string),
        },
        Some("openIdConnect") => SchemeKind::OpenIdConnect,
        Some(other) => unsupported(
            other.to_string(),
            format!("the client cannot send {other:?} credentials"),
        ),
        None => unsupported(
            "unknown".into(),
            "a security scheme needs a `type` (http, apiKey, oauth2, openIdConnect)".into(),
        ),
    }
}

/// An `apiKey` scheme, or why it cannot be sent.
fn api_key(place: Option<&str>, name: Option<&str>) -> Result<SchemeKind, String> {
    let place = match place {
        Some("header") => KeyPlace::Header,
        Some("query") => KeyPlace::Query,
        Some("cookie") => KeyPlace::Cookie,
        other => {
            return Err(format!(
                "an `apiKey` scheme goes `in` header, query or cookie, not {other:?}"
            ))
        }
    };
    let name = name
        .filter(|n| !n.is_empty())
        .ok_or("an `apiKey` scheme needs a `name`")?;
    let token = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if place != KeyPlace::Query && !name.chars().all(token) {
        return Err(format!(
            "{name:?} cannot be sent as a header or cookie name"
        ));
    }
    Ok(SchemeKind::ApiKey {
        place,
        name: name.to_string(),
    })
}

/// The schemes by name, for lookups.
pub fn by_key(schemes: &[SecurityScheme]) -> BTreeMap<&str, &SecurityScheme> {
    schemes.iter().map(|s| (s.key.as_str(), s)).collect()
}
