//! Emit: the named IR into Rust tokens. The only place that uses `quote!`.

mod auth;
mod client;
mod docs;
mod rust;
mod sends;
mod types;
mod unions;
mod webhooks;

pub use docs::one_line;
pub use rust::type_tokens;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, TypeId, TypeRef, TypeSpace};

/// The whole generated module: `types`, the `Client` and its request builders.
pub fn api(api: &Api) -> TokenStream {
    let extra = {
        let bodies = client::body_enums(api);
        let successes = client::success_enums(api);
        quote!(#bodies #successes)
    };
    let types = types::all(&api.types, &api.features, &reading_order(api), extra);
    let client = client::client(api);
    let errors = client::error_enums(api);
    let webhooks = webhooks::webhooks(api);
    quote! {
        #client
        #errors
        #webhooks
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
        roots.extend(op.type_roots());
    }
    roots.extend(api.webhooks.iter().map(|w| &w.ty));
    for root in roots {
        visit_ref(&api.types, root, &mut seen, &mut order);
    }
    for i in 0..api.types.types.len() {
        visit(&api.types, TypeId(i), &mut seen, &mut order);
    }
    order
}

/// Depth-first, in the order a reader meets them: the type, then the types its fields,
/// variants or alias name, in order. A loop with its own stack: type graphs can be deep.
fn visit(space: &TypeSpace, id: TypeId, seen: &mut [bool], order: &mut Vec<TypeId>) {
    let mut stack = vec![id];
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id.0], true) {
            continue;
        }
        order.push(id);
        let named: Vec<TypeId> = space
            .get(id)
            .kind
            .uses()
            .into_iter()
            .filter_map(TypeRef::named)
            .collect();
        // Reversed onto the stack, so the first one used is visited first.
        stack.extend(named.into_iter().rev().filter(|t| !seen[t.0]));
    }
}

fn visit_ref(space: &TypeSpace, ty: &TypeRef, seen: &mut [bool], order: &mut Vec<TypeId>) {
    if let Some(id) = ty.named() {
        visit(space, id, seen, order);
    }
}
