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
            | TypeKind::Multipart(Multipart { fields, .. }) => {
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
            TypeKind::Alias(_) | TypeKind::Enum(_) => {}
        }
        space.types[i].kind = kind;
    }
    for i in 0..space.types.len() {
        let sizes: Option<Vec<usize>> = match &space.types[i].kind {
            TypeKind::Union(u) => Some(
                u.variants
                    .iter()
                    .map(|v| match &v.payload {
                        Payload::Data { boxed: true, .. } => 8,
                        Payload::Data { ty, .. } => size_of(space, ty, &mut Vec::new()),
                        _ => 0,
                    })
                    .collect(),
            ),
            _ => None,
        };
        let Some(mut sizes) = sizes else { continue };
        loop {
            let mut order: Vec<usize> = (0..sizes.len()).collect();
            order.sort_by_key(|&j| std::cmp::Reverse(sizes[j]));
            let (Some(&largest), Some(&second)) = (order.first(), order.get(1)) else {
                break;
            };
            if sizes[largest] <= sizes[second] + LARGE_VARIANT_BYTES {
                break;
            }
            if let TypeKind::Union(u) = &mut space.types[i].kind {
                if let Payload::Data { boxed, .. } = &mut u.variants[largest].payload {
                    *boxed = true;
                }
            }
            sizes[largest] = 8;
        }
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
        TypeKind::Struct(Struct { fields, .. }) | TypeKind::Multipart(Multipart { fields, .. }) => {
            fields.iter().filter_map(|f| direct_target(&f.ty)).collect()
        }
        TypeKind::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| match &v.payload {
                Payload::Data { ty, .. } => direct_target(ty),
                _ => None,
            })
            .collect(),
        TypeKind::Alias(ty) => direct_target(ty).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Tarjan's algorithm, iterative: the strongly connected component of every type.
/// A type in a component with a single member and no self edge is its own component.
fn strongly_connected(space: &TypeSpace) -> Vec<usize> {
    let n = space.types.len();
    let edges: Vec<Vec<TypeId>> = space.types.iter().map(direct_edges).collect();
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

/// A rough size in bytes of a value of `ty` on a 64-bit target.
fn size_of(space: &TypeSpace, ty: &TypeRef, seen: &mut Vec<TypeId>) -> usize {
    match ty {
        TypeRef::String | TypeRef::Vec(_) | TypeRef::Map(_) => 24,
        TypeRef::File => 72,
        TypeRef::Json => 32,
        TypeRef::Bool => 1,
        TypeRef::BoolConst(_) => 0,
        TypeRef::F64 | TypeRef::I64 => 8,
        TypeRef::I32 => 4,
        TypeRef::Nullable(inner) => option_size(space, inner, seen),
        TypeRef::Named(id) => {
            if seen.contains(id) {
                return 8;
            }
            seen.push(*id);
            let size = match &space.get(*id).kind {
                TypeKind::Struct(s) => {
                    let fields: usize = s
                        .fields
                        .iter()
                        .map(|f| {
                            let inner = if f.boxed {
                                8
                            } else {
                                size_of(space, &f.ty, seen)
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
                        .sum();
                    fields + if s.extra.is_some() { 24 } else { 0 }
                }
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
                            Payload::Data { ty, .. } => size_of(space, ty, seen),
                            _ => 0,
                        })
                        .max()
                        .unwrap_or(0)
                        + 8
                }
                TypeKind::Alias(t) => size_of(space, t, seen),
                // Never inside another type.
                TypeKind::Multipart(_) => 0,
            };
            seen.pop();
            size
        }
    }
}

fn option_size(space: &TypeSpace, inner: &TypeRef, seen: &mut Vec<TypeId>) -> usize {
    option_size_of(size_of(space, inner, seen), has_niche(space, inner))
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
        TypeRef::String | TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Bool | TypeRef::Json => true,
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
            component: None,
            hints: vec![],
            origin: String::new(),
            doc: None,
            kind,
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
