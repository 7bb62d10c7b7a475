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

/// The Rust type for `ty`, as written inside `mod types` (or, with `prefix`, outside it).
pub fn type_tokens(space: &TypeSpace, ty: &TypeRef, prefix: &TokenStream) -> TokenStream {
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
            let inner = type_tokens(space, inner, prefix);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = type_tokens(space, inner, prefix);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = type_tokens(space, inner, prefix);
            quote!(Option<#inner>)
        }
        TypeRef::Named(id) => {
            let name = ident(&space.get(*id).name);
            quote!(#prefix #name)
        }
    }
}

pub fn field_type(space: &TypeSpace, f: &Field) -> TokenStream {
    let mut ty = type_tokens(space, &f.ty, &TokenStream::new());
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
