//! Emit: the named IR into Rust tokens. The only place that uses `quote!`.

mod client;
mod docs;
mod types;

pub use docs::one_line;
pub use types::type_tokens;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Payload, TypeId, TypeKind, TypeRef, TypeSpace};

/// The whole generated module: `types`, the `Client` and its request builders.
pub fn api(api: &Api) -> TokenStream {
    let extra = {
        let bodies = client::body_enums(api);
        let successes = client::success_enums(api);
        quote!(#bodies #successes)
    };
    let types = types::all(&api.types, &reading_order(api), extra);
    let client = client::client(api);
    let errors = client::error_enums(api);
    quote! {
        #client
        #errors
        #types
    }
}

/// Types in the order a reader meets them: each operation's body and responses, then
/// the types they use, depth first; then anything left (unused components).
fn reading_order(api: &Api) -> Vec<TypeId> {
    let mut order = Vec::new();
    let mut seen = vec![false; api.types.types.len()];
    let mut roots: Vec<&TypeRef> = Vec::new();
    for op in &api.operations {
        roots.extend(op.parameters.iter().map(|p| &p.ty));
        roots.extend(op.body.iter().map(|b| &b.ty));
        roots.extend(
            op.body
                .iter()
                .flat_map(|b| b.alternatives.iter().map(|a| &a.ty)),
        );
        roots.extend(
            op.success
                .iter()
                .chain(&op.errors)
                .filter_map(|r| r.body.as_ref().map(|b| &b.ty)),
        );
    }
    for root in roots {
        visit_ref(&api.types, root, &mut seen, &mut order);
    }
    for i in 0..api.types.types.len() {
        visit(&api.types, TypeId(i), &mut seen, &mut order);
    }
    order
}

fn visit(space: &TypeSpace, id: TypeId, seen: &mut [bool], order: &mut Vec<TypeId>) {
    if std::mem::replace(&mut seen[id.0], true) {
        return;
    }
    order.push(id);
    match &space.get(id).kind {
        TypeKind::Struct(s) => {
            for f in &s.fields {
                visit_ref(space, &f.ty, seen, order);
            }
            if let Some(extra) = &s.extra {
                visit_ref(space, extra, seen, order);
            }
        }
        TypeKind::Union(u) => {
            for v in &u.variants {
                if let Payload::Data { ty, .. } = &v.payload {
                    visit_ref(space, ty, seen, order);
                }
            }
        }
        TypeKind::Multipart(m) => {
            for f in &m.fields {
                visit_ref(space, &f.ty, seen, order);
            }
        }
        TypeKind::Alias(ty) => visit_ref(space, ty, seen, order),
        TypeKind::Enum(_) => {}
    }
}

fn visit_ref(space: &TypeSpace, ty: &TypeRef, seen: &mut [bool], order: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => visit(space, *id, seen, order),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            visit_ref(space, inner, seen, order)
        }
        _ => {}
    }
}
