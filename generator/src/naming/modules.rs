//! Modules for dotted component keys. Input: the spec's component keys; output: the
//! module and type word of each dotted key, and the modules they make.
//!
//! `io.k8s.api.core.v1.Pod` is written `core::v1::Pod` by people (it is how the
//! k8s-openapi crate lays Kubernetes out), not `IoK8sApiCoreV1Pod`. So a key whose every
//! dot-separated segment is a word (a letter, then letters, digits, `_` or `-`) is split:
//! its last segment names the type, the segments before it name modules, and the
//! leading segments that every such key shares (`io.k8s`) are dropped. Any other key
//! (`schema-1.0`, `a..b`, `Pet`) stays in `types` itself, named as before.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::Module;

/// Crate roots the code inside `types` names by path; a module of that name would
/// shadow them.
const CRATE_ROOTS: &[&str] = &["std", "serde", "serde_json", "apigen_runtime"];

/// Where each dotted key goes.
#[derive(Debug, Default)]
pub struct Layout {
    /// Component key → (module path, type word before PascalCase-ing).
    pub placed: BTreeMap<String, (Vec<String>, String)>,
    pub modules: Vec<Module>,
}

/// The layout of `keys`; with `flat`, nothing is split and every type stays in `types`.
pub fn layout<'a>(keys: impl Iterator<Item = &'a str>, flat: bool) -> Layout {
    if flat {
        return Layout::default();
    }
    let split: Vec<(&str, Vec<&str>)> = keys
        .filter_map(|key| segments(key).map(|s| (key, s)))
        .collect();
    let Some((_, first)) = split.first() else {
        return Layout::default();
    };
    // The module segments (all but the last) every dotted key starts with.
    let mut shared = first.len() - 1;
    for (_, s) in &split {
        shared = shared.min(s.len() - 1);
        shared = (0..shared).find(|&i| s[i] != first[i]).unwrap_or(shared);
    }
    let mut layout = Layout::default();
    let mut modules: BTreeMap<Vec<String>, String> = BTreeMap::new();
    for (key, s) in split {
        let path: Vec<String> = s[shared..s.len() - 1]
            .iter()
            .map(|m| module_ident(m))
            .collect();
        for depth in 1..=path.len() {
            let prefix = format!("{}.", s[..shared + depth].join("."));
            modules.entry(path[..depth].to_vec()).or_insert(prefix);
        }
        let word = s[s.len() - 1].to_upper_camel_case();
        layout.placed.insert(key.to_string(), (path, word));
    }
    layout.modules = modules
        .into_iter()
        .map(|(path, prefix)| Module { path, prefix })
        .collect();
    layout
}

/// A key's segments when it is dotted and every segment is a word.
fn segments(key: &str) -> Option<Vec<&str>> {
    let parts: Vec<&str> = key.split('.').collect();
    let word = |s: &&str| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    (parts.len() > 1 && parts.iter().all(word)).then_some(parts)
}

/// A module's identifier: snake_case, keywords raw (or with `_` where raw is not allowed),
/// and the crate roots the generated code uses stepped aside.
fn module_ident(segment: &str) -> String {
    let name = super::value_ident(&segment.to_snake_case());
    if CRATE_ROOTS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(keys: &[&str]) -> Vec<(String, String)> {
        let l = layout(keys.iter().copied(), false);
        keys.iter()
            .map(|k| match l.placed.get(*k) {
                Some((path, word)) => (path.join("::"), word.clone()),
                None => ("-".into(), k.to_string()),
            })
            .collect()
    }

    #[test]
    fn the_shared_prefix_is_dropped_and_the_rest_nested() {
        let got = placed(&[
            "io.k8s.api.core.v1.Pod",
            "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
            "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON",
            "Plain",
        ]);
        let want = [
            ("api::core::v1", "Pod"),
            ("apimachinery::pkg::apis::meta::v1", "ObjectMeta"),
            (
                "apiextensions_apiserver::pkg::apis::apiextensions::v1",
                "Json",
            ),
            ("-", "Plain"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_key_that_is_all_prefix_stays_in_the_shared_module() {
        // Twilio: `api.v2010.account` is a type and the prefix of others.
        let got = placed(&["api.v2010.account", "api.v2010.account.call.call_event"]);
        assert_eq!(got[0], (String::new(), "Account".into()));
        assert_eq!(got[1], ("account::call".into(), "CallEvent".into()));
        let l = layout(
            ["api.v2010.account", "api.v2010.account.call.x"].into_iter(),
            false,
        );
        let paths: Vec<String> = l
            .modules
            .iter()
            .map(|m| format!("{} {}", m.path.join("::"), m.prefix))
            .collect();
        assert_eq!(
            paths,
            [
                "account api.v2010.account.",
                "account::call api.v2010.account.call."
            ]
        );
    }

    #[test]
    fn keys_that_are_not_words_stay_flat_and_modules_never_shadow() {
        let got = placed(&[
            "schema-1.0",
            "a..b",
            ".a",
            "a.",
            "x.type.T",
            "x.std.Clock",
            "x.self.S",
        ]);
        assert_eq!(got[0].0, "-");
        assert_eq!(got[1].0, "-");
        assert_eq!(got[2].0, "-");
        assert_eq!(got[3].0, "-");
        assert_eq!(got[4].0, "r#type");
        assert_eq!(got[5].0, "std_");
        assert_eq!(got[6].0, "self_");
        assert!(layout(["a.b.C"].into_iter(), true).placed.is_empty());
    }
}
