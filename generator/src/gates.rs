//! Gates: which Cargo feature compiles each part of the generated code, for per-tag
//! features. Input: the named `Api` (each operation's first tag); output:
//! `Api::features` (names from `naming`), each operation's gate (its tag's feature), each
//! type's (the features of the operations that reach it), and the gate of each `use` in
//! `types` (the features of the definitions there that need it).
//!
//! The types no operation reaches (GitHub's webhook payload schemas, for one) are the
//! `other-schemas` feature's, which `default` turns on with the rest: one tag compiles
//! only what its operations use. A type is always compiled when every feature reaches
//! it, or a webhook (always compiled) does. A type's gate is within the gate of each
//! type it holds: whatever features are on, what is compiled names only what is
//! compiled.

use std::collections::HashMap;

use crate::ir::*;

/// The most tag features a crate gets (`other-schemas` besides): past this many distinct
/// first tags (no tag counting as one), a located warning and none. It bounds the naming,
/// the walks (one per feature) and the gates written (this many features on one item).
pub const MAX_FEATURES: usize = 256;

fn too_many(tags: usize) -> String {
    format!("the operations have {tags} distinct first tags, more than the {MAX_FEATURES} per-tag Cargo features apigen writes: no features, everything is always compiled")
}

/// Sets every gate. Returns a warning when the spec has too many tags to gate by.
pub fn apply(api: &mut Api) -> Option<String> {
    if api.operations.is_empty() {
        return None;
    }
    let tags: Vec<Option<&str>> = api.operations.iter().map(|op| op.tag.as_deref()).collect();
    // Counted before anything is named or walked: both cost per feature.
    let distinct: std::collections::BTreeSet<Option<&str>> = tags.iter().copied().collect();
    if distinct.len() > MAX_FEATURES {
        return Some(too_many(distinct.len()));
    }
    let reached = reached_by(api, &crate::naming::feature_names(&tags, false).1);
    let others: Vec<TypeId> = (0..reached.len())
        .filter(|&i| reached[i].is_empty())
        .map(TypeId)
        .collect();
    let (features, of_ops, other) = crate::naming::feature_names(&tags, !others.is_empty());
    let count = features.len();
    api.features = features;
    for (op, feature) in api.operations.iter_mut().zip(&of_ops) {
        op.gate = Gate::of(vec![*feature], count);
    }
    let mut reached = reached;
    if let Some(other) = other {
        walk(&api.types, others, |id| mark(&mut reached[id.0], other));
    }
    let always = always_compiled(api, &reached);
    for (i, def) in api.types.types.iter_mut().enumerate() {
        def.gate = match always[i] {
            true => Gate::default(),
            false => Gate::of(reached[i].clone(), count),
        };
    }
    api.types.import_gates = import_gates(&api.types, count);
    None
}

/// For each type, the features whose operations reach it, ascending: one walk per feature.
fn reached_by(api: &Api, of_ops: &[usize]) -> Vec<Vec<usize>> {
    let space = &api.types;
    let mut reached: Vec<Vec<usize>> = vec![Vec::new(); space.types.len()];
    let count = of_ops.iter().max().map_or(0, |last| last + 1);
    let mut roots: Vec<Vec<TypeId>> = vec![Vec::new(); count];
    for (op, feature) in api.operations.iter().zip(of_ops) {
        let named = op.type_roots().into_iter().filter_map(TypeRef::named);
        roots[*feature].extend(named);
    }
    for (feature, roots) in roots.into_iter().enumerate() {
        walk(space, roots, |id| mark(&mut reached[id.0], feature));
    }
    reached
}

/// Adds `feature` to a type's features (given in ascending order); whether it is new.
fn mark(features: &mut Vec<usize>, feature: usize) -> bool {
    let new = features.last() != Some(&feature);
    if new {
        features.push(feature);
    }
    new
}

/// Which types are compiled whatever features are on: those every feature reaches,
/// webhooks' types, and every type one of them holds.
fn always_compiled(api: &Api, reached: &[Vec<usize>]) -> Vec<bool> {
    let count = api.features.len();
    let mut roots: Vec<TypeId> = api.webhooks.iter().filter_map(|w| w.ty.named()).collect();
    roots.extend(
        (0..reached.len())
            .filter(|&i| reached[i].len() == count)
            .map(TypeId),
    );
    let mut always = vec![false; reached.len()];
    walk(&api.types, roots, |id| {
        !std::mem::replace(&mut always[id.0], true)
    });
    always
}

/// Visits the types `roots` hold, depth first with its own stack; `enter` says whether a
/// type is new (its uses are then visited).
fn walk(space: &TypeSpace, roots: Vec<TypeId>, mut enter: impl FnMut(TypeId) -> bool) {
    let mut stack = roots;
    while let Some(id) = stack.pop() {
        if !enter(id) {
            continue;
        }
        let uses = space.get(id).kind.uses().into_iter();
        stack.extend(uses.filter_map(TypeRef::named));
    }
}

/// The gate of each `use` of a type in a module: the union of the gates of the
/// module's definitions that name the type.
fn import_gates(space: &TypeSpace, count: usize) -> HashMap<(Vec<String>, TypeId), Gate> {
    let mut users: HashMap<(Vec<String>, TypeId), Vec<&Gate>> = HashMap::new();
    for def in &space.types {
        let Some(imports) = space.imports.get(&def.module) else {
            continue;
        };
        for target in def.kind.uses().into_iter().filter_map(TypeRef::named) {
            if imports.contains(&target) {
                let key = (def.module.clone(), target);
                users.entry(key).or_default().push(&def.gate);
            }
        }
    }
    users
        .into_iter()
        .map(|(key, gates)| (key, Gate::union(gates, count)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"
openapi: 3.1.0
info: { title: T, version: "1" }
paths:
  /a:
    get:
      tags: [alpha]
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/A" } } } }
  /b:
    get:
      tags: [beta]
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/B" } } } }
  /c:
    get:
      responses:
        "200": { description: ok, content: { application/json: { schema: { $ref: "#/components/schemas/Shared" } } } }
webhooks:
  ping:
    post:
      requestBody: { content: { application/json: { schema: { $ref: "#/components/schemas/Ping" } } } }
      responses: { "200": { description: ok } }
components:
  schemas:
    A: { type: object, properties: { shared: { $ref: "#/components/schemas/Shared" }, b: { $ref: "#/components/schemas/B" } } }
    B: { type: object, properties: { next: { $ref: "#/components/schemas/B" }, leaf: { $ref: "#/components/schemas/Leaf" } } }
    Shared: { type: object, properties: { x: { type: string } } }
    Leaf: { type: object, properties: { y: { type: integer } } }
    Ping: { type: object, properties: { leaf: { $ref: "#/components/schemas/Leaf" } } }
    Orphan: { type: object, properties: { a: { $ref: "#/components/schemas/A" } } }
"##;

    fn gated() -> Api {
        let spec = crate::load::parse(SPEC, std::path::Path::new("t.yaml")).unwrap();
        let mut api = crate::api::build(&spec, &crate::Config::default())
            .unwrap()
            .api;
        crate::naming::assign(&mut api, &Default::default(), false).unwrap();
        assert_eq!(apply(&mut api), None);
        api
    }

    fn gate_of(api: &Api, name: &str) -> Vec<String> {
        let def = api.types.types.iter().find(|t| t.name == name).expect(name);
        def.gate
            .0
            .iter()
            .map(|i| api.features[*i].clone())
            .collect()
    }

    #[test]
    fn each_type_compiles_with_the_features_that_reach_it() {
        let api = gated();
        assert_eq!(api.features, ["alpha", "beta", "untagged", "other-schemas"]);
        assert_eq!(gate_of(&api, "A"), ["alpha", "other-schemas"]);
        assert_eq!(gate_of(&api, "B"), ["alpha", "beta", "other-schemas"]);
        assert_eq!(
            gate_of(&api, "Shared"),
            ["alpha", "untagged", "other-schemas"]
        );
        assert_eq!(gate_of(&api, "Orphan"), ["other-schemas"]);
        // A webhook's types are always compiled, and so what they hold.
        assert!(gate_of(&api, "Ping").is_empty() && gate_of(&api, "Leaf").is_empty());
    }

    #[test]
    fn what_is_compiled_names_only_what_is_compiled() {
        let api = gated();
        let within = |inner: &Gate, outer: &Gate| {
            inner.always() || (!outer.always() && outer.0.iter().all(|f| inner.0.contains(f)))
        };
        for def in &api.types.types {
            for held in def.kind.uses().into_iter().filter_map(TypeRef::named) {
                let held_def = api.types.get(held);
                assert!(
                    within(&held_def.gate, &def.gate),
                    "{} holds {}",
                    def.name,
                    held_def.name
                );
            }
        }
        for op in &api.operations {
            for root in op.type_roots().into_iter().filter_map(TypeRef::named) {
                assert!(within(&api.types.get(root).gate, &op.gate), "{}", op.id);
            }
        }
    }
}
