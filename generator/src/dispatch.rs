//! Dispatch: how each union decodes, decided once every type is known.
//!
//! Input: the `TypeSpace` after lowering; output: the same, with every union's variants
//! in their final order and its `Decode` filled in, and the object branches of each
//! `anyOf` that can hold together made one `AnyOf` type. The one place the
//! rules live (the README's "Unions" section states them): literals by value; then the
//! JSON kind of the value; among several variants of one kind, the tag values (a
//! `discriminator` or constant properties), the required keys, the kind of an array's
//! first item, or, at last, the first that decodes, integers before other numbers.

use std::collections::BTreeSet;

use crate::ir::*;
use crate::lower::kind_rank;

/// Decides the decoding of every union in `space`.
pub fn apply(space: &mut TypeSpace) {
    for i in 0..space.types.len() {
        group_any_of(space, i);
    }
    for i in 0..space.types.len() {
        let TypeKind::Union(u) = &space.types[i].kind else {
            continue;
        };
        let mut variants = u.variants.clone();
        // Only an object carries tag properties (a discriminator may map a value to an
        // array branch, which is then told apart by its kind alone).
        for v in &mut variants {
            if let Payload::Data { ty, tag_values, .. } = &mut v.payload {
                if space.kinds(ty) != JsonKinds::OBJECT {
                    tag_values.clear();
                }
            }
        }
        // The canonical order again, now that every component's kinds are known.
        variants.sort_by_key(|v| (kind_rank(space, &v.payload), v.position));
        let mut union = Union {
            tags: u.tags.clone(),
            variants,
            any_of: u.any_of,
            decode: Decode::default(),
        };
        union.decode = decide(space, &union);
        space.types[i].kind = TypeKind::Union(union);
    }
}

/// The object branches of an `anyOf` that nothing tells apart (no tag) can hold for one
/// object together: they become one `AnyOf` type that keeps every branch that holds (the
/// union itself, when they are all it has).
fn group_any_of(space: &mut TypeSpace, id: usize) {
    let TypeKind::Union(u) = &space.types[id].kind else {
        return;
    };
    if !u.any_of {
        return;
    }
    let objects: Vec<usize> = (0..u.variants.len())
        .filter(|&i| match &u.variants[i].payload {
            Payload::Data { ty, tag_values, .. } => {
                tag_values.is_empty() && space.kinds(ty) == JsonKinds::OBJECT
            }
            _ => false,
        })
        .collect();
    if objects.len() < 2 {
        return;
    }
    // Each branch's label in errors (and its field's name hint): its word, numbered
    // where two branches share one.
    let mut labels: BTreeSet<String> = BTreeSet::new();
    let fields = objects
        .iter()
        .filter_map(|&i| match &u.variants[i].payload {
            Payload::Data { ty, boxed, .. } => Some(Field {
                wire: crate::naming::unique(u.variants[i].name.clone(), &mut labels),
                name: String::new(),
                doc: None,
                ty: ty.clone(),
                required: false,
                nullable: false,
                boxed: *boxed,
            }),
            _ => None,
        })
        .collect();
    let group = TypeKind::AnyOf(AnyOf { fields });
    if objects.len() == u.variants.len() {
        space.types[id].kind = group;
        return;
    }
    let position = objects
        .iter()
        .map(|&i| u.variants[i].position)
        .min()
        .unwrap_or(0);
    let mut variants: Vec<Variant> = (0..u.variants.len())
        .filter(|i| !objects.contains(i))
        .map(|i| u.variants[i].clone())
        .collect();
    let def = &space.types[id];
    let hints = def
        .hints
        .iter()
        .map(|h| Hint {
            base: format!("{}Object", h.base),
            parents: h.parents.clone(),
            role: None,
        })
        .collect();
    let grouped = TypeDef {
        name: String::new(),
        module: Vec::new(),
        component: None,
        hints,
        origin: def.origin.clone(),
        doc: None,
        kind: group,
        gate: Gate::default(),
    };
    variants.push(Variant {
        name: "Object".into(),
        payload: Payload::Data {
            ty: TypeRef::Named(TypeId(space.types.len())),
            tag_values: Vec::new(),
            strip: false,
            boxed: false,
        },
        position,
    });
    space.types.push(grouped);
    if let TypeKind::Union(u) = &mut space.types[id].kind {
        u.variants = variants;
    }
}

fn decide(space: &TypeSpace, u: &Union) -> Decode {
    let literals = (0..u.variants.len())
        .filter(|&i| matches!(u.variants[i].payload, Payload::Str(_) | Payload::Bool(_)))
        .collect();
    let unknown = u
        .variants
        .iter()
        .position(|v| v.payload == Payload::Unknown);
    let mut arms = Vec::new();
    for kind in JsonKind::ALL {
        let candidates: Vec<usize> = (0..u.variants.len())
            .filter(|&i| match &u.variants[i].payload {
                Payload::Data { ty, .. } => space.kinds(ty).intersects(kind.set()),
                _ => false,
            })
            .collect();
        let has_literal = u
            .variants
            .iter()
            .any(|v| matches!(v.payload, Payload::Str(_)));
        if let Some(rule) = rule(space, u, kind, candidates, unknown, has_literal) {
            arms.push((kind, rule));
        }
    }
    Decode {
        literals,
        arms,
        expected: expected_text(space, u),
    }
}

/// The rule for values of `kind`, given the variants that take it (`None`: none does).
fn rule(
    space: &TypeSpace,
    u: &Union,
    kind: JsonKind,
    mut candidates: Vec<usize>,
    unknown: Option<usize>,
    has_literal: bool,
) -> Option<Rule> {
    if candidates.is_empty() {
        // In a response, a string none of the literals names is kept.
        return (kind == JsonKind::String && has_literal)
            .then_some(unknown)
            .flatten()
            .map(Rule::Variant);
    }
    let by_position = |c: &mut Vec<usize>| c.sort_by_key(|&i| u.variants[i].position);
    by_position(&mut candidates);
    if kind == JsonKind::Object && !u.tags.is_empty() {
        let arms = candidates
            .iter()
            .filter_map(|&i| match &u.variants[i].payload {
                Payload::Data { tag_values, .. } if !tag_values.is_empty() => {
                    Some((tag_values.clone(), i))
                }
                _ => None,
            })
            .collect::<Vec<_>>();
        if !arms.is_empty() {
            return Some(Rule::Tags {
                arms,
                otherwise: unknown,
            });
        }
    }
    if let [only] = candidates.as_slice() {
        return Some(Rule::Variant(*only));
    }
    Some(match kind {
        JsonKind::Object => by_keys(space, u, &candidates).unwrap_or_else(|| {
            // Most specific first: the variant that requires more keys keeps more of them.
            candidates.sort_by_key(|&i| std::cmp::Reverse(variant_keys(space, u, i).len()));
            Rule::Trial(candidates)
        }),
        JsonKind::Array => by_first_item(space, u, &candidates).unwrap_or(Rule::Trial(candidates)),
        // An integer goes to an integer type first, so it stays exact.
        JsonKind::Integer => {
            candidates.sort_by_key(|&i| !is_integer(space, &u.variants[i].payload));
            Rule::Trial(candidates)
        }
        _ => Rule::Trial(candidates),
    })
}

fn is_integer(space: &TypeSpace, payload: &Payload) -> bool {
    match payload {
        Payload::Data { ty, .. } => {
            let kinds = space.kinds(ty);
            kinds.intersects(JsonKind::Integer.set()) && !kinds.intersects(JsonKind::Float.set())
        }
        _ => false,
    }
}

/// Objects told apart by the keys they require, most keys first, when every candidate
/// requires a different, non-empty set.
fn by_keys(space: &TypeSpace, u: &Union, candidates: &[usize]) -> Option<Rule> {
    let mut ordered: Vec<(Vec<String>, usize)> = candidates
        .iter()
        .map(|&i| (variant_keys(space, u, i), i))
        .collect();
    ordered.sort_by_key(|(keys, _)| std::cmp::Reverse(keys.len()));
    let distinct: BTreeSet<&Vec<String>> = ordered.iter().map(|(k, _)| k).collect();
    if distinct.len() != ordered.len() || ordered.iter().any(|(k, _)| k.is_empty()) {
        return None;
    }
    let mut read: Vec<String> = Vec::new();
    for key in ordered.iter().flat_map(|(keys, _)| keys) {
        if !read.contains(key) {
            read.push(key.clone());
        }
    }
    let decisive = ordered.first().map_or(0, |(keys, _)| keys.len());
    Some(Rule::Keys {
        sets: ordered,
        read,
        decisive,
    })
}

fn variant_keys(space: &TypeSpace, u: &Union, i: usize) -> Vec<String> {
    match &u.variants[i].payload {
        Payload::Data { ty, .. } => required_keys(space, ty),
        _ => Vec::new(),
    }
}

/// Arrays told apart by the kind of their first item, when the candidates' item kinds
/// do not overlap.
fn by_first_item(space: &TypeSpace, u: &Union, candidates: &[usize]) -> Option<Rule> {
    let item_kinds: Vec<JsonKinds> = candidates
        .iter()
        .map(|&i| match &u.variants[i].payload {
            Payload::Data {
                ty: TypeRef::Vec(item),
                ..
            } => space.kinds(item),
            _ => JsonKinds::ALL,
        })
        .collect();
    let disjoint = item_kinds
        .iter()
        .enumerate()
        .all(|(i, a)| item_kinds[i + 1..].iter().all(|b| !a.intersects(*b)));
    if !disjoint {
        return None;
    }
    let (last, rest) = candidates.split_last()?;
    let arms = rest
        .iter()
        .zip(&item_kinds)
        .map(|(&i, kinds)| {
            let kinds = JsonKind::ALL
                .into_iter()
                .filter(|k| kinds.intersects(k.set()))
                .collect();
            (kinds, i)
        })
        .collect();
    Some(Rule::FirstItem { arms, last: *last })
}

/// The keys a JSON object needs to be a value of `ty` (a struct's required fields),
/// through any chain of aliases.
fn required_keys(space: &TypeSpace, ty: &TypeRef) -> Vec<String> {
    let mut ty = ty;
    let mut hops = 0;
    while let TypeRef::Named(id) = ty {
        match &space.get(*id).kind {
            TypeKind::Struct(s) => {
                return s
                    .fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| f.wire.clone())
                    .collect()
            }
            // Alias chains end (cycles are refused before this); the count is a backstop.
            TypeKind::Alias(inner) if hops < space.types.len() => {
                ty = inner;
                hops += 1;
            }
            _ => break,
        }
    }
    Vec::new()
}

/// "an object, a boolean, \"update\" or \"create\"": what a union accepts, for errors.
fn expected_text(space: &TypeSpace, u: &Union) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !parts.contains(&s) {
            parts.push(s);
        }
    };
    for v in &u.variants {
        match &v.payload {
            Payload::Str(s) => push(format!("{s:?}")),
            Payload::Bool(b) => push(b.to_string()),
            Payload::Unknown => {}
            Payload::Data { ty, .. } => {
                let k = space.kinds(ty);
                for (kind, word) in [
                    (JsonKinds::OBJECT, "an object"),
                    (JsonKinds::ARRAY, "an array"),
                    (JsonKinds::STRING, "a string"),
                    (JsonKinds::NUMBER, "a number"),
                    (JsonKinds::BOOL, "a boolean"),
                    (JsonKinds::NULL, "null"),
                ] {
                    if k.intersects(kind) {
                        push(word.to_string());
                    }
                }
            }
        }
    }
    match parts.len() {
        0 => "nothing".into(),
        1 => parts.remove(0),
        n => format!("{} or {}", parts[..n - 1].join(", "), parts[n - 1]),
    }
}
