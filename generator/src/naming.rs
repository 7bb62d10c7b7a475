//! Naming: the only place that makes Rust identifiers. Fills in type, field, variant,
//! method and parameter names in the IR, settling collisions in one deterministic pass.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::*;

mod modules;
mod types;
mod values;

use types::{first_free, ladder, name_types, shortened};

/// Rust keywords, strict and reserved (2021 edition).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Names the generated `types` module uses unqualified; a schema must not shadow them.
const TAKEN_TYPE_NAMES: &[&str] = &[
    "String",
    "Vec",
    "Option",
    "Box",
    "Result",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Serialize",
    "Deserialize",
    "Default",
    "Clone",
    "Debug",
    "PartialEq",
    "Eq",
    "Hash",
    "From",
    "Into",
    "Error",
    "Client",
];

/// Longest type name we prefer; longer candidates are used only when nothing else is free.
const MAX_PREFERRED_LEN: usize = 40;

/// The generated `Client`'s own methods, and those of the traits it derives or
/// implements: an operation's method must not take one. (`emit` writes them; a test
/// there checks that this list holds every one.)
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "default",
    "clone",
    "clone_from",
    "fmt",
    "with_base_url",
    "with_middleware",
    "with_external_credential",
    "with_retry",
    "with_timeout",
    "with_body_limit",
    "with_redirects",
    "with_default_parameter",
    "with_hook",
    "with_sleeper",
    "with_http_client",
    "base_url",
];

/// A request builder's own fields and methods, and those of the traits it derives: a
/// parameter's setter or another media type's `send_…` must not take one.
pub const BUILDER_MEMBERS: &[&str] = &[
    "client",
    "body",
    "send",
    "send_with_response",
    "send_stream",
    "timeout",
    "retry",
    "body_limit",
    "options",
    "into_request",
    "clone",
    "clone_from",
    "fmt",
];

/// The methods a list operation's builder has besides those of every builder.
pub const PAGED_MEMBERS: &[&str] = &["pages", "items"];

/// The variant of an error enum for a status the operation does not document.
pub const UNDOCUMENTED: &str = "Undocumented";

/// What naming found wrong in the user's config: a pointer into it and a message.
pub type ConfigProblem = (String, String);

/// Assigns every name in `api`. `renames` maps a generated type name (a path inside
/// `types`, `core::v1::Pod`, for a type in a module) to one chosen by the user; `flat`
/// keeps dotted component keys out of modules. Returns the rename keys that matched no
/// type, or the renames that cannot be done (the name is taken).
pub fn assign(
    api: &mut Api,
    renames: &BTreeMap<String, String>,
    flat: bool,
) -> Result<Vec<String>, Vec<ConfigProblem>> {
    let short = name_types(&mut api.types, flat);
    let unused = rename(&mut api.types, renames)?;
    let type_names: Vec<String> = api.types.types.iter().map(|t| t.name.clone()).collect();
    for def in &mut api.types.types {
        name_members(&mut def.kind, &short, &type_names);
    }
    name_operations(api);
    name_webhooks(&mut api.webhooks);
    api.types.imports = imports(api);
    Ok(unused)
}

/// The variants of `webhooks::Webhook`: the webhook's name (`issues-opened` →
/// `IssuesOpened`), told apart by a number only when two names differ in punctuation.
fn name_webhooks(webhooks: &mut [Webhook]) {
    let mut taken = BTreeSet::new();
    for webhook in webhooks {
        let wanted = type_ident(&webhook.name);
        let n = (1..)
            .find(|&n| !taken.contains(&numbered(&wanted, n)))
            .unwrap_or(1);
        webhook.variant = numbered(&wanted, n);
        taken.insert(webhook.variant.clone());
    }
}

/// What each module imports: the types from other modules its definitions use, each
/// where its name is free there (no type of the module, no other import, nothing the
/// generated code names itself has it), so that fields read `ObjectMeta`, not
/// `super::super::meta::v1::ObjectMeta`.
fn imports(api: &Api) -> BTreeMap<Vec<String>, BTreeSet<TypeId>> {
    let space = &api.types;
    let mut used: BTreeMap<&[String], BTreeSet<TypeId>> = BTreeMap::new();
    let mut defined: BTreeMap<&[String], BTreeSet<&str>> = BTreeMap::new();
    // The operations' success and body enums are written in `types` itself.
    let root = defined.entry(&[]).or_default();
    for op in &api.operations {
        root.insert(&op.success_enum);
        root.extend(op.body.iter().map(|b| b.enum_name.as_str()));
    }
    for def in &space.types {
        defined.entry(&def.module).or_default().insert(&def.name);
        let targets = def.kind.uses().into_iter().filter_map(TypeRef::named);
        for target in targets.filter(|t| space.get(*t).module != def.module) {
            used.entry(&def.module).or_default().insert(target);
        }
    }
    let mut out = BTreeMap::new();
    for (module, targets) in used {
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for t in &targets {
            *count.entry(space.get(*t).name.as_str()).or_default() += 1;
        }
        let local = defined.get(module);
        let free = |name: &str| {
            count[name] == 1
                && !TAKEN_TYPE_NAMES.contains(&name)
                && !local.is_some_and(|l| l.contains(name))
        };
        let chosen: BTreeSet<TypeId> = targets
            .into_iter()
            .filter(|t| free(&space.get(*t).name))
            .collect();
        if !chosen.is_empty() {
            out.insert(module.to_vec(), chosen);
        }
    }
    out
}

/// Applies the user's renames, all at once (so two types may swap names), refusing a
/// name another type keeps, one the generated code uses itself, or one two renames ask for.
fn rename(
    space: &mut TypeSpace,
    renames: &BTreeMap<String, String>,
) -> Result<Vec<String>, Vec<ConfigProblem>> {
    let paths: Vec<String> = space.types.iter().map(path_in_types).collect();
    let target = |path: &String| renames.get(path).map(|new| type_ident(new));
    // What each type would be called, in its module, after the renames.
    let mut claims: BTreeMap<(&[String], String), Vec<&String>> = BTreeMap::new();
    for (def, path) in space.types.iter().zip(&paths) {
        let name = target(path).unwrap_or_else(|| def.name.clone());
        claims.entry((&def.module, name)).or_default().push(path);
    }
    let mut problems = Vec::new();
    for (path, new) in renames {
        let Some(i) = paths.iter().position(|p| p == path) else {
            continue;
        };
        let new_name = type_ident(new);
        let key = (space.types[i].module.as_slice(), new_name.clone());
        let others: Vec<&&String> = claims[&key].iter().filter(|p| **p != path).collect();
        let message = if TAKEN_TYPE_NAMES.contains(&new_name.as_str()) {
            format!("{new:?} is a name the generated code uses itself; choose another")
        } else if let Some(other) = others.iter().find(|o| renames.contains_key(***o)) {
            format!("{new_name:?} is also what {other:?} is renamed to")
        } else if !others.is_empty() {
            format!("{new_name:?} is already the name of another generated type; choose another, or rename that one too")
        } else {
            continue;
        };
        problems.push((
            format!("/rename/{}", crate::error::escape_token(path)),
            message,
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut unused: BTreeSet<&String> = renames.keys().collect();
    for (def, path) in space.types.iter_mut().zip(&paths) {
        if let Some(new_name) = target(path) {
            unused.remove(path);
            def.name = new_name;
        }
    }
    Ok(unused.into_iter().cloned().collect())
}

/// A type's path inside `types`: `core::v1::Pod`, or `Pod` for a type in `types` itself.
pub fn path_in_types(def: &TypeDef) -> String {
    let mut path = def.module.join("::");
    if !path.is_empty() {
        path.push_str("::");
    }
    path.push_str(&def.name);
    path
}

/// The names inside one type: fields, enum values, union variants (a variant named after
/// a dotted component takes its word: `ObjectMeta`, not `IoK8sApiMetaV1ObjectMeta`; data
/// variants whose words meet take the names of the types they hold, where they differ).
fn name_members(kind: &mut TypeKind, short: &BTreeMap<String, String>, type_names: &[String]) {
    match kind {
        TypeKind::Struct(Struct { fields, .. })
        | TypeKind::Multipart(Multipart { fields, .. })
        | TypeKind::AnyOf(AnyOf { fields }) => name_fields(fields),
        TypeKind::Enum(e) => {
            let ladders: Vec<values::Ladder> = e
                .values
                .iter()
                .map(|v| values::Ladder::value(&v.wire))
                .collect();
            let mut taken = BTreeSet::new();
            for (v, name) in e
                .values
                .iter_mut()
                .zip(values::settle(&ladders, &mut taken))
            {
                v.name = name;
            }
            if e.open {
                e.other = values::catch_all(&mut taken);
            }
        }
        TypeKind::Union(u) => {
            let listed: Vec<usize> = (0..u.variants.len())
                .filter(|&i| u.variants[i].payload != Payload::Unknown)
                .collect();
            let ladders: Vec<values::Ladder> = listed
                .iter()
                .map(|&i| {
                    let v = &u.variants[i];
                    let holds = match &v.payload {
                        Payload::Str(wire) => return values::Ladder::value(wire),
                        Payload::Data {
                            ty: TypeRef::Named(id),
                            ..
                        } => Some(type_names[id.0].as_str()),
                        _ => None,
                    };
                    values::Ladder::data(type_ident(&shortened(&v.name, short)), holds)
                })
                .collect();
            let mut taken = BTreeSet::new();
            for (&i, name) in listed.iter().zip(values::settle(&ladders, &mut taken)) {
                u.variants[i].name = name;
            }
            // The catch-all last, so a listed `unknown` keeps its name.
            for v in &mut u.variants {
                if v.payload == Payload::Unknown {
                    v.name = values::catch_all(&mut taken);
                }
            }
        }
        // Tuple fields are positional: no names.
        TypeKind::Alias(_) | TypeKind::Newtype(_) | TypeKind::Tuple(_) => {}
    }
}

/// Operation names: each operation's method, builder and error enum share one stem, so
/// the second `getItem` (or `get_item`) is `get_item_2`, `GetItem2` and `GetItem2Error`
/// together. Ids the spec gives are named before ids derived from paths. Then the enums
/// of statuses and media types, and each builder's setters.
///
/// The client's credential setters come first (an operation named like one yields).
fn name_operations(api: &mut Api) {
    // The enums below go in `types` itself.
    let mut type_names: BTreeSet<String> = api
        .types
        .types
        .iter()
        .filter(|t| t.module.is_empty())
        .map(|t| t.name.clone())
        .collect();
    type_names.extend(TAKEN_TYPE_NAMES.iter().map(|s| s.to_string()));
    let mut methods: BTreeSet<String> = CLIENT_METHODS.iter().map(|s| s.to_string()).collect();
    name_credential_setters(&mut api.security_schemes, &mut methods);
    // The client's own methods: an operation named like one yields with `_op`.
    let fixed = methods.clone();
    let mut builders = BTreeSet::new();
    let mut error_enums = BTreeSet::new();
    let mut order: Vec<usize> = (0..api.operations.len()).collect();
    order.sort_by_key(|&i| api.operations[i].derived_id);
    for i in order {
        let op = &mut api.operations[i];
        let mut method = value_ident(&op.id);
        if fixed.contains(&method) {
            method = format!("{method}_op");
        }
        let mut builder = type_ident(&op.id);
        if TAKEN_TYPE_NAMES.contains(&builder.as_str()) {
            builder = format!("{builder}Request");
        }
        let n = (1..)
            .find(|&n| {
                !methods.contains(&numbered(&method, n))
                    && !builders.contains(&numbered(&builder, n))
                    && !error_enums.contains(&format!("{}Error", numbered(&builder, n)))
            })
            .unwrap_or(1);
        op.method_name = numbered(&method, n);
        op.builder = numbered(&builder, n);
        op.error_enum = format!("{}Error", op.builder);
        methods.insert(op.method_name.clone());
        builders.insert(op.builder.clone());
        error_enums.insert(op.error_enum.clone());
    }
    for op in &mut api.operations {
        if op.has_mixed_outcomes() {
            let name = format!("{}Success", op.builder);
            op.success_enum = first_free(&ladder(&[name]), &mut type_names);
        }
        name_statuses(&mut op.success, BTreeSet::new());
        name_statuses(&mut op.errors, BTreeSet::from([UNDOCUMENTED.to_string()]));
        if let Some(body) = op.body.as_mut().filter(|b| !b.alternatives.is_empty()) {
            let name = format!("{}Body", op.builder);
            body.enum_name = first_free(&ladder(&[name]), &mut type_names);
            let mut taken = BTreeSet::new();
            body.variant = unique(media_word(&body.content_type), &mut taken);
            for alt in &mut body.alternatives {
                alt.variant = unique(media_word(&alt.content_type), &mut taken);
            }
        }
        let mut taken: BTreeSet<String> = BUILDER_MEMBERS.iter().map(|s| s.to_string()).collect();
        if op.paging.is_some() {
            taken.extend(PAGED_MEMBERS.iter().map(|s| s.to_string()));
        }
        for other in &mut op.other_media {
            let word = media_word(&other.content_type).to_snake_case();
            other.method = unique(format!("send_{word}"), &mut taken);
            if other.media != Media::Events {
                let name = format!("{}_with_response", other.method);
                other.with_response = unique(name, &mut taken);
            }
            if matches!(other.media, Media::Text | Media::Bytes) {
                other.stream = unique(format!("{}_stream", other.method), &mut taken);
            }
        }
        name_parameters(&mut op.parameters, taken);
    }
}

/// Parameter names (arguments and setters): one the builder has itself takes `_param`,
/// and of two that meet, the later one its location (`id_header`) before a number.
fn name_parameters(parameters: &mut [Parameter], mut taken: BTreeSet<String>) {
    for p in parameters {
        let mut name = value_ident(&p.wire);
        let bare = name.trim_start_matches("r#").to_string();
        if BUILDER_MEMBERS.contains(&bare.as_str()) {
            name = format!("{bare}_param");
        } else if taken.contains(&name) {
            let location = match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
                ParamLocation::Cookie => "cookie",
            };
            name = format!(
                "{}_{location}",
                name.trim_start_matches("r#").trim_end_matches('_')
            );
        }
        p.name = unique(name, &mut taken);
    }
}

/// Each response's variant in its enum: `NotFound`; statuses that name one variant
/// (`4XX` beside `4xx`) are told apart.
fn name_statuses(responses: &mut [Response], mut taken: BTreeSet<String>) {
    for r in responses {
        r.variant = unique(status_variant(&r.status), &mut taken);
    }
}

fn name_fields(fields: &mut [Field]) {
    let mut taken = BTreeSet::new();
    // `extra` holds undeclared properties when the schema types them.
    taken.insert("extra".to_string());
    for f in fields {
        f.name = unique(value_ident(&f.wire), &mut taken);
    }
}

/// Type names: components keep their key (a dotted key its last word, in its module);
/// an inline type takes its best hint, in the module of the component it is written in,
/// and when several types want one name in one module, each of them steps out to a
/// longer candidate that adds its owner's word, so no type's name depends on the order
/// types were met in.
/// Returns each dotted component's word by its whole key's (for the names made from them).
pub(crate) fn unique(name: String, taken: &mut BTreeSet<String>) -> String {
    let candidate = (1..)
        .map(|n| numbered(&name, n))
        .find(|c| !taken.contains(c))
        .unwrap_or(name);
    taken.insert(candidate.clone());
    candidate
}

/// Names a generated crate's manifest already gives features or dependencies: a tag's
/// feature must not take one.
const TAKEN_FEATURE_NAMES: &[&str] = &[
    "default",
    "apigen-runtime",
    "apigen_runtime",
    "serde",
    "serde_json",
    "serde-json",
    "reqwest",
];

/// The feature of operations without a tag.
pub const UNTAGGED_FEATURE: &str = "untagged";

/// The feature of the types no operation uses (component schemas only webhooks or
/// users need).
pub const OTHER_SCHEMAS_FEATURE: &str = "other-schemas";

/// The Cargo features for operations' first tags (`None`: no tag): the distinct
/// features, each tag's words in kebab case (`Code Scanning` → `code-scanning`, ASCII
/// only), sorted and numbered where two meet (`issues`, `issues-2`); untagged
/// operations' feature after them, then `other-schemas` when `other_schemas`; each
/// operation's index into them, and the index of `other-schemas`.
pub fn feature_names(
    tags: &[Option<&str>],
    other_schemas: bool,
) -> (Vec<String>, Vec<usize>, Option<usize>) {
    use heck::ToKebabCase;
    let distinct: BTreeSet<&str> = tags.iter().flatten().copied().collect();
    let mut taken: BTreeSet<String> = TAKEN_FEATURE_NAMES.iter().map(|s| s.to_string()).collect();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut names = Vec::new();
    let mut take = |wanted: String, names: &mut Vec<String>| {
        let name = (1..)
            .map(|n| match n {
                1 => wanted.clone(),
                n => format!("{wanted}-{n}"),
            })
            .find(|c| !taken.contains(c))
            .unwrap_or_default();
        taken.insert(name.clone());
        names.push(name);
        names.len() - 1
    };
    let mut words: Vec<(String, &str)> = distinct
        .into_iter()
        .map(|tag| {
            let ascii: String = tag.chars().filter(char::is_ascii).collect();
            let word = ascii.to_kebab_case();
            (if word.is_empty() { "tag".into() } else { word }, tag)
        })
        .collect();
    words.sort();
    for (word, tag) in words {
        index.insert(tag, take(word, &mut names));
    }
    let untagged = tags
        .iter()
        .any(Option::is_none)
        .then(|| take(UNTAGGED_FEATURE.into(), &mut names));
    let other = other_schemas.then(|| take(OTHER_SCHEMAS_FEATURE.into(), &mut names));
    let of_ops = tags
        .iter()
        .map(|tag| match tag {
            Some(tag) => index[tag],
            None => untagged.unwrap_or_default(),
        })
        .collect();
    (names, of_ops, other)
}

/// The `n`th of a name: itself, then `get_item_2` (`r#type` → `type_2`) or `GetItem2`.
/// The client's setters for each security scheme: words for its kind when no other scheme
/// has that kind (`with_bearer_token`, `with_basic_auth`, `with_api_key`,
/// `with_access_token` for OAuth2 and OpenID Connect), else the scheme's own name
/// (`with_key_query`, `with_oauth_token`); a token source setter ends in `_source`, the
/// OAuth2 client-credentials ones in `client_credentials` and `token_url`.
fn name_credential_setters(schemes: &mut [SecurityScheme], methods: &mut BTreeSet<String>) {
    let word = |kind: &SchemeKind| match kind {
        SchemeKind::Bearer { .. } => Some("bearer_token"),
        SchemeKind::Basic => Some("basic_auth"),
        SchemeKind::ApiKey { .. } => Some("api_key"),
        SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect => Some("access_token"),
        SchemeKind::Unsupported { .. } => None,
    };
    let mut sharing: BTreeMap<&str, usize> = BTreeMap::new();
    for scheme in schemes.iter() {
        if let Some(w) = word(&scheme.kind) {
            *sharing.entry(w).or_default() += 1;
        }
    }
    // (the setter's base word, the prefix of the OAuth2 extras), per scheme.
    let words: Vec<Option<(String, String)>> = schemes
        .iter()
        .map(|scheme| {
            let w = word(&scheme.kind)?;
            if sharing[w] == 1 {
                return Some((w.to_string(), String::new()));
            }
            let own = value_ident(&scheme.key)
                .trim_start_matches("r#")
                .to_string();
            let tokens = matches!(w, "bearer_token" | "access_token");
            let base = match tokens && !own.ends_with("token") {
                true => format!("{own}_token"),
                false => own.clone(),
            };
            Some((base, format!("{own}_")))
        })
        .collect();
    for (scheme, words) in schemes.iter_mut().zip(words) {
        let Some((base, prefix)) = words else {
            continue;
        };
        scheme.setters = scheme
            .kind
            .roles()
            .iter()
            .map(|role| {
                let wanted = match role {
                    SetterRole::Token | SetterRole::Basic | SetterRole::ApiKey => {
                        format!("with_{base}")
                    }
                    SetterRole::TokenSource => format!("with_{base}_source"),
                    SetterRole::ClientCredentials => format!("with_{prefix}client_credentials"),
                    SetterRole::TokenUrl => format!("with_{prefix}token_url"),
                };
                let n = (1..)
                    .find(|&n| !methods.contains(&numbered(&wanted, n)))
                    .unwrap_or(1);
                let name = numbered(&wanted, n);
                methods.insert(name.clone());
                (*role, name)
            })
            .collect();
    }
}

fn numbered(name: &str, n: usize) -> String {
    if n == 1 {
        return name.to_string();
    }
    let base = name
        .strip_prefix("r#")
        .unwrap_or(name)
        .trim_end_matches('_');
    if name.chars().next().is_some_and(char::is_uppercase) {
        format!("{base}{n}")
    } else {
        format!("{base}_{n}")
    }
}

/// A PascalCase identifier: ASCII letters and digits, never starting with a digit.
pub fn type_ident(raw: &str) -> String {
    let ascii: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = ascii.to_upper_camel_case();
    if name.is_empty() {
        name = "Unnamed".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    // The one CamelCase keyword, and one that cannot be raw.
    if name == "Self" {
        name = "SelfValue".into();
    }
    name
}

/// A snake_case identifier, raw (`r#type`) for keywords that allow it.
pub fn value_ident(raw: &str) -> String {
    let ascii: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = ascii.to_snake_case();
    if name.is_empty() {
        name = "field".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    match name.as_str() {
        "self" | "super" | "crate" | "Self" | "_" => format!("{name}_"),
        n if KEYWORDS.contains(&n) => format!("r#{name}"),
        _ => name,
    }
}

/// A variant name for a media type: `application/json` → `Json`, `text/plain` → `Text`,
/// `text/x-markdown` → `XMarkdown`, `application/octet-stream` → `Bytes`,
/// `application/vnd.github.diff` → `Diff`.
pub fn media_word(media_type: &str) -> String {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or(media_type)
        .trim()
        .to_ascii_lowercase();
    let (kind, sub) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
    match (kind, sub) {
        (_, "json") => "Json".into(),
        (_, "x-www-form-urlencoded") => "Form".into(),
        ("text", "plain") => "Text".into(),
        (_, "octet-stream") => "Bytes".into(),
        (_, "form-data") => "Multipart".into(),
        (_, sub) => {
            let sub = sub.trim_end_matches("+json");
            // `vnd.github.diff` → `Diff`: the vendor tree says who, not what.
            let sub = match sub.strip_prefix("vnd.").map(|rest| rest.split_once('.')) {
                Some(Some((_vendor, what))) => what,
                Some(None) => &sub["vnd.".len()..],
                None => sub,
            };
            type_ident(sub)
        }
    }
}

/// The variant name for a success status: `201` → `Created`.
pub fn status_variant(status: &str) -> String {
    let known = match status.to_ascii_uppercase().as_str() {
        "200" => "Ok",
        "201" => "Created",
        "202" => "Accepted",
        "203" => "NonAuthoritative",
        "204" => "NoContent",
        "205" => "ResetContent",
        "206" => "PartialContent",
        "207" => "MultiStatus",
        "208" => "AlreadyReported",
        "226" => "ImUsed",
        "2XX" => "Success",
        "1XX" => "Informational",
        "300" => "MultipleChoices",
        "301" => "MovedPermanently",
        "302" => "Found",
        "303" => "SeeOther",
        "304" => "NotModified",
        "307" => "TemporaryRedirect",
        "308" => "PermanentRedirect",
        "3XX" => "Redirect",
        "400" => "BadRequest",
        "401" => "Unauthorized",
        "402" => "PaymentRequired",
        "403" => "Forbidden",
        "404" => "NotFound",
        "405" => "MethodNotAllowed",
        "406" => "NotAcceptable",
        "407" => "ProxyAuthenticationRequired",
        "408" => "RequestTimeout",
        "409" => "Conflict",
        "410" => "Gone",
        "411" => "LengthRequired",
        "412" => "PreconditionFailed",
        "413" => "PayloadTooLarge",
        "414" => "UriTooLong",
        "415" => "UnsupportedMediaType",
        "416" => "RangeNotSatisfiable",
        "417" => "ExpectationFailed",
        "418" => "ImATeapot",
        "421" => "MisdirectedRequest",
        "422" => "UnprocessableEntity",
        "423" => "Locked",
        "424" => "FailedDependency",
        "425" => "TooEarly",
        "426" => "UpgradeRequired",
        "428" => "PreconditionRequired",
        "429" => "TooManyRequests",
        "431" => "RequestHeaderFieldsTooLarge",
        "451" => "UnavailableForLegalReasons",
        "4XX" => "ClientError",
        "500" => "InternalServerError",
        "501" => "NotImplemented",
        "502" => "BadGateway",
        "503" => "ServiceUnavailable",
        "504" => "GatewayTimeout",
        "505" => "HttpVersionNotSupported",
        "507" => "InsufficientStorage",
        "508" => "LoopDetected",
        "511" => "NetworkAuthenticationRequired",
        "5XX" => "ServerError",
        "DEFAULT" => "Other",
        _ => return type_ident(&format!("Status{status}")),
    };
    known.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_legal() {
        assert_eq!(value_ident("ui:read-only"), "ui_read_only");
        assert_eq!(value_ident("type"), "r#type");
        assert_eq!(value_ident("self"), "self_");
        assert_eq!(value_ident(""), "field");
        assert_eq!(value_ident("1st"), "n1st");
        assert_eq!(value_ident("@odata.type"), "odata_type");
        assert_eq!(type_ident("multi-vercel-region"), "MultiVercelRegion");
        assert_eq!(type_ident("2fa"), "N2fa");
        assert_eq!(type_ident("Ünïcode"), "NCode");
        assert_eq!(type_ident("self"), "SelfValue");
        assert_eq!(type_ident("SELF"), "SelfValue");
    }

    #[test]
    fn media_words() {
        for (media, word) in [
            ("application/json; charset=utf-8", "Json"),
            ("multipart/form-data", "Multipart"),
            ("text/csv", "Csv"),
            ("application/vnd.github.diff", "Diff"),
            ("application/vnd.github.v3.star+json", "V3Star"),
            ("application/vnd.legacy+json", "Legacy"),
            ("application/sarif+json", "Sarif"),
        ] {
            assert_eq!(media_word(media), word, "{media}");
        }
    }
}
