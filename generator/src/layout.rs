//! Layout: decides where the IR needs a `Box`. Types that contain themselves without a
//! `Vec` or map in between need one to have a size at all; a union variant much larger
//! than its siblings gets one so every value of the union does not pay for the largest
//! (clippy's `large_enum_variant`).

use crate::ir::*;

/// A variant larger than the next largest by more than this many bytes is boxed.
/// Clippy warns from 200; sizes here are estimates, so this keeps a margin.
const LARGE_VARIANT_BYTES: usize = 160;

pub fn apply(space: &mut TypeSpace) {
    let scc = strongly_connected(space);
    for i in 0..space.types.len() {
        let me = scc[i];
        let cyclic = |ty: &TypeRef| direct_target(ty).is_some_and(|t| scc[t.0] == me);
        let mut kind = std::mem::replace(&mut space.types[i].kind, TypeKind::Alias(TypeRef::Json));
        match &mut kind {
            TypeKind::Struct(Struct { fields, .. })
            | TypeKind::Multipart(Multipart { fields, .. })
            | TypeKind::AnyOf(AnyOf { fields })
            | TypeKind::Tuple(fields) => {
                for f in fields {
                    f.boxed = cyclic(&f.ty);
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    if let Payload::Data { ty, boxed, .. } = &mut v.payload {
                        *boxed = cyclic(ty);
                    }
                }
            }
            TypeKind::Alias(_) | TypeKind::Newtype(_) | TypeKind::Enum(_) => {}
        }
        space.types[i].kind = kind;
    }
    space.sizes = box_large_variants(space);
}

/// Boxes the bodies of an operation's error enum that are much larger than the rest (as
/// for union variants): a small body is held as it is, since `Error::Api` boxes the
/// whole error already.
pub fn box_error_bodies(api: &mut Api) {
    let sizes: Vec<Option<usize>> = api.types.sizes.iter().map(|s| Some(*s)).collect();
    for op in &mut api.operations {
        let mut body_sizes: Vec<usize> = op
            .errors
            .iter()
            .map(|r| match &r.body {
                Some(b) if b.media == Media::Json && b.ty != TypeRef::Json => {
                    ref_size(&api.types, &b.ty, &sizes)
                }
                _ => 0,
            })
            .collect();
        // The enum's `Undocumented` variant holds nothing.
        body_sizes.push(0);
        while let Some(largest) = larger_than_the_rest(&body_sizes) {
            op.errors[largest].boxed = true;
            body_sizes[largest] = 8;
        }
    }
}

/// The index of the largest size when it passes the next largest by more than
/// [`LARGE_VARIANT_BYTES`].
fn larger_than_the_rest(sizes: &[usize]) -> Option<usize> {
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by_key(|&j| std::cmp::Reverse(sizes[j]));
    let (&largest, &second) = (order.first()?, order.get(1)?);
    (sizes[largest] > sizes[second] + LARGE_VARIANT_BYTES).then_some(largest)
}

/// How many named types may hold one another inline (not behind a pointer) before a
/// `Box` breaks the chain: rustc computes layouts recursively and stops at 128 levels.
const MAX_INLINE_DEPTH: usize = 32;

/// Boxes union variants much larger than their siblings, and fields or variants at the
/// end of a long chain of types held inline. Types are sized dependencies first (an
/// iterative post-order walk), so a union's decision sees the final size of every union
/// inside it, and each type is sized once.
fn box_large_variants(space: &mut TypeSpace) -> Vec<usize> {
    let n = space.types.len();
    let mut sizes: Vec<Option<usize>> = vec![None; n];
    let mut depths = vec![0usize; n];
    let mut started = vec![false; n];
    for root in 0..n {
        let mut stack = vec![root];
        while let Some(&id) = stack.last() {
            if sizes[id].is_some() {
                stack.pop();
            } else if !started[id] {
                started[id] = true;
                let deps = inline_types(&space.types[id]);
                stack.extend(deps.into_iter().filter(|d| !started[d.0]).map(|d| d.0));
            } else {
                depths[id] = box_deep(space, id, &depths);
                box_largest(space, id, &sizes);
                sizes[id] = Some(type_size(space, id, &sizes));
                stack.pop();
            }
        }
    }
    sizes.into_iter().map(|s| s.unwrap_or(8)).collect()
}

/// Boxes what type `id` holds inline that is already at the end of a chain of
/// [`MAX_INLINE_DEPTH`] types, and returns the length of the chain `id` ends.
fn box_deep(space: &mut TypeSpace, id: usize, depths: &[usize]) -> usize {
    let too_deep =
        |ty: &TypeRef| direct_target(ty).is_some_and(|t| depths[t.0] >= MAX_INLINE_DEPTH);
    let mut deepest = 0;
    let mut held = |ty: &TypeRef, boxed: &mut bool| {
        if *boxed {
            return;
        }
        if too_deep(ty) {
            *boxed = true;
        } else if let Some(t) = direct_target(ty) {
            deepest = deepest.max(depths[t.0]);
        }
    };
    match &mut space.types[id].kind {
        TypeKind::Struct(Struct { fields, .. })
        | TypeKind::Multipart(Multipart { fields, .. })
        | TypeKind::AnyOf(AnyOf { fields })
        | TypeKind::Tuple(fields) => {
            for f in fields {
                held(&f.ty, &mut f.boxed);
            }
        }
        TypeKind::Union(u) => {
            for v in &mut u.variants {
                if let Payload::Data { ty, boxed, .. } = &mut v.payload {
                    held(ty, boxed);
                }
            }
        }
        TypeKind::Alias(ty) => {
            // An alias cannot be boxed; it adds no level of its own.
            return direct_target(ty).map_or(0, |t| depths[t.0]);
        }
        TypeKind::Newtype(ty) => return 1 + direct_target(ty).map_or(0, |t| depths[t.0]),
        TypeKind::Enum(_) => {}
    }
    deepest + 1
}

/// Boxes the variants of union `id` that are larger than the next by too much.
fn box_largest(space: &mut TypeSpace, id: usize, sizes: &[Option<usize>]) {
    let TypeKind::Union(u) = &space.types[id].kind else {
        return;
    };
    let mut variant_sizes: Vec<usize> = u
        .variants
        .iter()
        .map(|v| match &v.payload {
            Payload::Data { boxed: true, .. } => 8,
            Payload::Data { ty, .. } => ref_size(space, ty, sizes),
            _ => 0,
        })
        .collect();
    while let Some(largest) = larger_than_the_rest(&variant_sizes) {
        if let TypeKind::Union(u) = &mut space.types[id].kind {
            if let Payload::Data { boxed, .. } = &mut u.variants[largest].payload {
                *boxed = true;
            }
        }
        variant_sizes[largest] = 8;
    }
}

/// The named types a value of this type holds inline (not boxed, not behind a `Vec` or map).
fn inline_types(def: &TypeDef) -> Vec<TypeId> {
    match &def.kind {
        TypeKind::Struct(Struct { fields, .. })
        | TypeKind::Multipart(Multipart { fields, .. })
        | TypeKind::AnyOf(AnyOf { fields })
        | TypeKind::Tuple(fields) => fields
            .iter()
            .filter(|f| !f.boxed)
            .filter_map(|f| direct_target(&f.ty))
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| match &v.payload {
                Payload::Data {
                    ty, boxed: false, ..
                } => direct_target(ty),
                _ => None,
            })
            .collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => direct_target(ty).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// The named type a value holds inline (not behind a `Vec` or map), if any.
fn direct_target(ty: &TypeRef) -> Option<TypeId> {
    match ty {
        TypeRef::Named(id) => Some(*id),
        TypeRef::Nullable(inner) => direct_target(inner),
        _ => None,
    }
}

fn direct_edges(def: &TypeDef) -> Vec<TypeId> {
    match &def.kind {
        TypeKind::Struct(Struct { fields, .. })
        | TypeKind::Multipart(Multipart { fields, .. })
        | TypeKind::AnyOf(AnyOf { fields })
        | TypeKind::Tuple(fields) => fields.iter().filter_map(|f| direct_target(&f.ty)).collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| match &v.payload {
                Payload::Data { ty, .. } => direct_target(ty),
                _ => None,
            })
            .collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => direct_target(ty).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Settles the cycles of aliases: an alias that is an array or map of itself (`A =
/// Vec<A>`, no Rust type alias can say that) becomes a newtype; a union or alias that is
/// itself without an object or array in between (decoding it would never consume input)
/// cannot be settled: where it is written and why, for each such type.
pub fn settle_cycles(space: &mut TypeSpace) -> Vec<(String, String)> {
    let passes_through = |space: &TypeSpace, id: &TypeId| {
        matches!(space.get(*id).kind, TypeKind::Alias(_) | TypeKind::Union(_))
    };
    let unguarded: Vec<Vec<TypeId>> = space
        .types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Union(_) | TypeKind::Alias(_) => direct_edges(def)
                .into_iter()
                .filter(|t| passes_through(space, t))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let aliases: Vec<Vec<TypeId>> = space
        .types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Alias(ty) => ty
                .named()
                .filter(|t| matches!(space.get(*t).kind, TypeKind::Alias(_)))
                .into_iter()
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let impossible = in_cycles(&unguarded);
    let container_cycle = in_cycles(&aliases);
    let mut out = Vec::new();
    for (i, def) in space.types.iter_mut().enumerate() {
        if impossible[i] {
            out.push((def.origin.clone(), "this schema refers to itself (through oneOf, anyOf or $ref) without an object or array in between, so no document can be checked against it".to_string()));
        } else if container_cycle[i] {
            if let TypeKind::Alias(ty) = &def.kind {
                def.kind = TypeKind::Newtype(ty.clone());
            }
        }
    }
    out
}

/// Past this many levels of types held in one another, the generated code would compile
/// but rustc could not check `Send` or `Sync` for it (its recursion limit is 128), so
/// `cargo doc` and any `tokio::spawn` of a call would fail.
pub const MAX_NESTING: usize = 100;

/// How deep rustc may recurse to check an auto trait (`Send`) of the deepest type: each
/// `Vec`, map, `Option` and `Box` on the way one more level (aliases none: rustc sees
/// through them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nesting {
    pub deepest: TypeId,
    /// The longest chain that surely exists: a cycle counted as one of its members.
    pub chain: usize,
    /// The most rustc can reach: a cycle counting all its members.
    pub bound: usize,
}

/// The nesting of the type with the highest bound, when some type passes
/// [`MAX_NESTING`] (the type whose chain passes it first, if one does).
pub fn too_deeply_nested(space: &TypeSpace) -> Option<Nesting> {
    let weighted: Vec<Vec<(TypeId, usize)>> = space.types.iter().map(held_types).collect();
    let own = |i: usize| usize::from(!matches!(space.types[i].kind, TypeKind::Alias(_)));
    let edges: Vec<Vec<TypeId>> = weighted
        .iter()
        .map(|e| e.iter().map(|(t, _)| *t).collect())
        .collect();
    let component = components_of(&edges);
    let count = component.iter().max().map_or(0, |m| m + 1);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); count];
    for (i, c) in component.iter().enumerate() {
        members[*c].push(i);
    }
    // Components are numbered as they complete, so those a component reaches come first.
    let mut chain = vec![0usize; count];
    let mut bound = vec![0usize; count];
    let mut worst: Option<Nesting> = None;
    for c in 0..count {
        let (mut below_chain, mut below_bound, mut inner) = (0, 0, 0);
        for &i in &members[c] {
            let mut heaviest = 0;
            let mut out_chain = 0;
            for (t, w) in &weighted[i] {
                let other = component[t.0];
                if other == c {
                    heaviest = heaviest.max(*w);
                } else {
                    out_chain = out_chain.max(w + chain[other]);
                    below_bound = below_bound.max(w + bound[other]);
                }
            }
            inner += own(i) + heaviest;
            below_chain = below_chain.max(own(i) + out_chain);
        }
        chain[c] = below_chain;
        bound[c] = inner + below_bound;
        let here = Nesting {
            deepest: TypeId(members[c][0]),
            chain: chain[c],
            bound: bound[c],
        };
        if here.chain > MAX_NESTING {
            return Some(here);
        }
        if here.bound > MAX_NESTING && worst.is_none_or(|w| here.bound > w.bound) {
            worst = Some(here);
        }
    }
    worst
}

/// What rustdoc's `RefUnwindSafe` check counts for a `Box`: the box, its `Unique`, its
/// `NonNull` and the raw pointer inside (measured: a ring of 25 types, each holding the
/// next in an `Option<Box<_>>`, stops `cargo doc` at the default limit of 128).
const BOX_LEVELS: usize = 4;

/// The named types a definition holds (anywhere), each with the levels of `Vec`, map,
/// `Option` and `Box` around it.
fn held_types(def: &TypeDef) -> Vec<(TypeId, usize)> {
    let mut out = Vec::new();
    let mut add = |ty: &TypeRef, extra: usize| {
        let mut layers = extra;
        let mut ty = ty;
        loop {
            match ty {
                TypeRef::Named(id) => {
                    out.push((*id, layers));
                    break;
                }
                // The enum, then the object behind its `Box`.
                TypeRef::Expandable(id) => {
                    out.push((*id, layers + 1 + BOX_LEVELS));
                    break;
                }
                TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
                    layers += 1;
                    ty = inner;
                }
                _ => break,
            }
        }
    };
    match &def.kind {
        TypeKind::Struct(Struct { fields, .. })
        | TypeKind::Multipart(Multipart { fields, .. })
        | TypeKind::AnyOf(AnyOf { fields })
        | TypeKind::Tuple(fields) => {
            for f in fields {
                let wrappers = BOX_LEVELS * usize::from(f.boxed)
                    + usize::from(!f.required || f.nullable)
                    + usize::from(!f.required && f.nullable);
                add(&f.ty, wrappers);
            }
        }
        TypeKind::Union(u) => {
            for v in &u.variants {
                if let Payload::Data { ty, boxed, .. } = &v.payload {
                    add(ty, BOX_LEVELS * usize::from(*boxed));
                }
            }
        }
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => add(ty, 0),
        TypeKind::Enum(_) => {}
    }
    out
}

/// Which nodes of a graph lie on a cycle (a component of several, or a self edge).
fn in_cycles(edges: &[Vec<TypeId>]) -> Vec<bool> {
    let component = components_of(edges);
    let mut size = vec![0usize; edges.len()];
    for c in &component {
        size[*c] += 1;
    }
    (0..edges.len())
        .map(|i| size[component[i]] > 1 || edges[i].iter().any(|t| t.0 == i))
        .collect()
}

/// Tarjan's algorithm, iterative: the strongly connected component of every type.
/// A type in a component with a single member and no self edge is its own component.
fn strongly_connected(space: &TypeSpace) -> Vec<usize> {
    let edges: Vec<Vec<TypeId>> = space.types.iter().map(direct_edges).collect();
    components_of(&edges)
}

/// Tarjan's algorithm over any graph of types, iterative.
fn components_of(edges: &[Vec<TypeId>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(start, 0)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(w) = edges[v].get(*edge).map(|t| t.0) {
                *edge += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// A rough size in bytes of a value of `ty` on a 64-bit target, the named types it
/// holds taken from `sizes` (a type not sized yet is in a cycle: behind a pointer).
fn ref_size(space: &TypeSpace, ty: &TypeRef, sizes: &[Option<usize>]) -> usize {
    match ty {
        TypeRef::String | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Expandable(_) => 24,
        TypeRef::File => 72,
        TypeRef::Json => 32,
        TypeRef::Bool => 1,
        TypeRef::BoolConst(_) => 0,
        TypeRef::F64 | TypeRef::I64 => 8,
        TypeRef::I32 => 4,
        TypeRef::Nullable(inner) => {
            option_size_of(ref_size(space, inner, sizes), has_niche(space, inner))
        }
        TypeRef::Named(id) => sizes[id.0].unwrap_or(8),
    }
}

/// The size of named type `id`, from the sizes of the types it holds.
fn type_size(space: &TypeSpace, id: usize, sizes: &[Option<usize>]) -> usize {
    match &space.types[id].kind {
        TypeKind::Struct(s) => {
            fields_size(space, &s.fields, sizes) + if s.extra.is_some() { 24 } else { 0 }
        }
        TypeKind::AnyOf(a) => fields_size(space, &a.fields, sizes),
        TypeKind::Tuple(fields) => fields_size(space, fields, sizes),
        TypeKind::Enum(e) => {
            if e.open {
                24
            } else {
                1
            }
        }
        TypeKind::Union(u) => {
            u.variants
                .iter()
                .map(|v| match &v.payload {
                    Payload::Data { boxed: true, .. } => 8,
                    Payload::Data { ty, .. } => ref_size(space, ty, sizes),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
                + 8
        }
        TypeKind::Alias(t) | TypeKind::Newtype(t) => ref_size(space, t, sizes),
        // Never inside another type.
        TypeKind::Multipart(_) => 0,
    }
}

/// The size of a struct's fields, each rounded up to a word.
fn fields_size(space: &TypeSpace, fields: &[Field], sizes: &[Option<usize>]) -> usize {
    fields
        .iter()
        .map(|f| {
            let inner = if f.boxed {
                8
            } else {
                ref_size(space, &f.ty, sizes)
            };
            if f.required && !f.nullable {
                inner
            } else {
                let once = option_size_of(inner, has_niche(space, &f.ty));
                if !f.required && f.nullable {
                    once + 8
                } else {
                    once
                }
            }
        })
        .map(|s| s.div_ceil(8) * 8)
        .sum()
}

fn option_size_of(inner: usize, niche: bool) -> usize {
    if niche {
        inner
    } else {
        inner + 8
    }
}

fn has_niche(space: &TypeSpace, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String
        | TypeRef::Vec(_)
        | TypeRef::Map(_)
        | TypeRef::Expandable(_)
        | TypeRef::Bool
        | TypeRef::Json => true,
        TypeRef::Named(id) => !matches!(space.get(*id).kind, TypeKind::Alias(_)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(kind: TypeKind) -> TypeDef {
        TypeDef {
            name: String::new(),
            module: Vec::new(),
            component: None,
            hints: vec![],
            origin: String::new(),
            doc: None,
            kind,
            gate: Gate::default(),
        }
    }

    fn field(ty: TypeRef) -> Field {
        Field {
            wire: "x".into(),
            name: "x".into(),
            doc: None,
            ty,
            required: false,
            nullable: false,
            boxed: false,
        }
    }

    #[test]
    fn boxes_direct_cycles_only() {
        let mut space = TypeSpace::default();
        // 0: Node { parent: Option<Node>, children: Vec<Node>, leaf: Leaf }; 1: Leaf {}
        space.types.push(def(TypeKind::Struct(Struct {
            fields: vec![
                field(TypeRef::Named(TypeId(0))),
                field(TypeRef::Vec(Box::new(TypeRef::Named(TypeId(0))))),
                field(TypeRef::Named(TypeId(1))),
            ],
            extra: None,
            closed: false,
        })));
        space.types.push(def(TypeKind::Struct(Struct::default())));
        apply(&mut space);
        let TypeKind::Struct(s) = &space.types[0].kind else {
            unreachable!()
        };
        assert_eq!(
            s.fields.iter().map(|f| f.boxed).collect::<Vec<_>>(),
            vec![true, false, false]
        );
    }
}
