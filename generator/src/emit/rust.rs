//! Rust spelling shared by the emitters: identifiers, the tokens of a `TypeRef` and of a
//! field's type, and whether tokens use a name. Input: IR values; output: token streams.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::*;

/// An identifier, raw (`r#type`) where the name needs it.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// Where tokens are written: in `module` of `types`, or outside `types` with `prefix`
/// the path to it (`types::`, `super::types::`) and `module` empty.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub space: &'a TypeSpace,
    pub module: &'a [String],
    pub prefix: Option<&'a TokenStream>,
}

impl<'a> Scope<'a> {
    /// Inside `types`, in `module`.
    pub fn inside(space: &'a TypeSpace, module: &'a [String]) -> Self {
        Scope {
            space,
            module,
            prefix: None,
        }
    }
}

/// The Rust type for `ty`, as written outside `types`, `prefix` the path to it.
pub fn type_tokens(space: &TypeSpace, ty: &TypeRef, prefix: &TokenStream) -> TokenStream {
    type_in(
        Scope {
            space,
            module: &[],
            prefix: Some(prefix),
        },
        ty,
    )
}

/// The Rust type for `ty`, as written at `scope`: a type in another module of `types`
/// by the relative path (`super::v1::Pod`), since the generated file may be included
/// anywhere in a crate.
pub fn type_in(scope: Scope, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::BoolConst(b) => quote!(apigen_runtime::BoolLiteral<#b>),
        TypeRef::F64 => quote!(f64),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::File => quote!(apigen_runtime::multipart::File),
        TypeRef::Vec(inner) => {
            let inner = type_in(scope, inner);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_in(scope, inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_in(scope, inner);
            quote!(Option<#inner>)
        }
        TypeRef::Expandable(id) => {
            let object = type_in(scope, &TypeRef::Named(*id));
            quote!(apigen_runtime::Expandable<#object>)
        }
        TypeRef::Named(id) => {
            let imported = scope.prefix.is_none()
                && scope
                    .space
                    .imports
                    .get(scope.module)
                    .is_some_and(|i| i.contains(id));
            if imported {
                let name = ident(&scope.space.get(*id).name);
                return quote!(#name);
            }
            path_to(scope, *id)
        }
    }
}

/// The path from `scope` to type `id`: through `super::` up to the modules they share,
/// then down (`super::super::meta::v1::ObjectMeta`).
pub fn path_to(scope: Scope, id: TypeId) -> TokenStream {
    let def = scope.space.get(id);
    let shared = scope
        .module
        .iter()
        .zip(&def.module)
        .take_while(|(a, b)| a == b)
        .count();
    let up = (shared..scope.module.len()).map(|_| quote!(super::));
    let down = def.module[shared..].iter().map(|m| {
        let m = ident(m);
        quote!(#m::)
    });
    let name = ident(&def.name);
    let prefix = scope.prefix;
    quote!(#prefix #(#up)* #(#down)* #name)
}

pub fn field_type(scope: Scope, f: &Field) -> TokenStream {
    let mut ty = type_in(scope, &f.ty);
    if f.boxed {
        ty = quote!(Box<#ty>);
    }
    let nullable = f.nullable && f.ty != TypeRef::Json;
    match (f.required, nullable) {
        (true, false) => ty,
        (true, true) | (false, false) => quote!(Option<#ty>),
        (false, true) => quote!(Option<Option<#ty>>),
    }
}

/// Whether any of `tokens` uses the identifier `name` (to import only what is used).
pub fn mentions(tokens: &[TokenStream], name: &str) -> bool {
    fn walk(stream: TokenStream, name: &str) -> bool {
        stream.into_iter().any(|tree| match tree {
            proc_macro2::TokenTree::Ident(i) => i == name,
            proc_macro2::TokenTree::Group(g) => walk(g.stream(), name),
            _ => false,
        })
    }
    tokens.iter().any(|t| walk(t.clone(), name))
}

/// The `#[cfg]` that compiles an item only with the features of `gate` (`features` are
/// the crate's, which the gate indexes); nothing when it is always compiled.
pub fn cfg(features: &[String], gate: &Gate) -> TokenStream {
    match gate.0.as_slice() {
        [] => TokenStream::new(),
        [one] => {
            let feature = &features[*one];
            quote!(#[cfg(feature = #feature)])
        }
        many => {
            let features = many.iter().map(|i| &features[*i]);
            quote!(#[cfg(any(#(feature = #features),*))])
        }
    }
}

/// `items` (one definition's code, or an operation's), each item behind `gate`.
pub fn gated(features: &[String], gate: &Gate, items: TokenStream) -> TokenStream {
    if gate.always() {
        return items;
    }
    let cfg = cfg(features, gate);
    let items = crate::items::split(items).into_iter();
    items
        .map(|item| {
            let item: TokenStream = item.into_iter().collect();
            quote!(#cfg #item)
        })
        .collect()
}

/// The `#[cfg]` of a `use` that the items of these gates need (any of them).
pub fn cfg_of_users<'g>(
    features: &[String],
    users: impl IntoIterator<Item = &'g Gate>,
) -> TokenStream {
    cfg(features, &Gate::union(users, features.len()))
}
