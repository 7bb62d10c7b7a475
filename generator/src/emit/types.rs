//! Emit types: structs, string enums and unions of the `TypeSpace`, inside `mod types`.

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{doc, para, Doc, Part};
use super::rust::{cfg, cfg_of_users, field_type, gated, ident, mentions, path_to, type_in, Scope};
use crate::ir::*;

/// `pub mod types { ... }` with every type, in the given order, each in its module and
/// behind its gate (`features` are the crate's Cargo features).
pub fn all(
    space: &TypeSpace,
    features: &[String],
    order: &[TypeId],
    extra: TokenStream,
) -> TokenStream {
    let mut defs: BTreeMap<&[String], Vec<(TokenStream, &Gate)>> = BTreeMap::new();
    for id in order {
        let def = space.get(*id);
        let tokens = definition(Scope::inside(space, &def.module), def);
        let tokens = gated(features, &def.gate, tokens);
        defs.entry(&def.module)
            .or_default()
            .push((tokens, &def.gate));
    }
    // Innermost first (the list has parents before children), each into its parent.
    let mut children: BTreeMap<&[String], Vec<TokenStream>> = BTreeMap::new();
    for module in space.modules.iter().rev() {
        let Some((last, parent)) = module.path.split_last() else {
            continue;
        };
        let mut inner = children.remove(module.path.as_slice()).unwrap_or_default();
        inner.reverse();
        let body = module_body(
            features,
            imports(space, features, &module.path),
            defs.remove(module.path.as_slice()).unwrap_or_default(),
            inner,
        );
        let docs = Doc::new()
            .para(&[
                Part::Md("Types of the schemas whose keys start with "),
                Part::Code(&module.prefix),
                Part::Md("."),
            ])
            .tokens();
        let name = ident(last);
        children
            .entry(parent)
            .or_default()
            .push(quote!(#docs pub mod #name { #body }));
    }
    let mut inner = children.remove([].as_slice()).unwrap_or_default();
    inner.reverse();
    let body = module_body(
        features,
        imports(space, features, &[]),
        defs.remove([].as_slice()).unwrap_or_default(),
        inner,
    );
    quote! {
        /// Types of the request and response bodies, generated from the spec's schemas.
        pub mod types {
            #body
            #extra
        }
    }
}

/// The `use` lines of a module: the types of other modules it names bare, each behind
/// the gate of the definitions that name it.
fn imports(space: &TypeSpace, features: &[String], module: &[String]) -> Vec<TokenStream> {
    let scope = Scope::inside(space, module);
    let mut lines: Vec<(String, TokenStream)> = space
        .imports
        .get(module)
        .into_iter()
        .flatten()
        .map(|id| {
            let mut path = path_to(scope, *id);
            // A path down from here says so: `use core::…` would be ambiguous with the crate.
            if space.get(*id).module.len() > module.len()
                && module.iter().eq(&space.get(*id).module[..module.len()])
            {
                path = quote!(self::#path);
            }
            let gate = space.import_gates.get(&(module.to_vec(), *id));
            let cfg = gate.map(|g| cfg(features, g));
            (path.to_string(), quote!(#cfg use #path;))
        })
        .collect();
    lines.sort_by(|a, b| a.0.cmp(&b.0));
    lines.into_iter().map(|(_, line)| line).collect()
}

/// A module's imports and definitions, then its modules; serde imported where it is
/// used, behind the gates of the definitions that use it.
fn module_body(
    features: &[String],
    imports: Vec<TokenStream>,
    defs: Vec<(TokenStream, &Gate)>,
    modules: Vec<TokenStream>,
) -> TokenStream {
    // Aliases alone (`pub type Name = String;`) need no serde.
    let serde_users: Vec<&Gate> = defs
        .iter()
        .filter(|(tokens, _)| mentions(std::slice::from_ref(tokens), "Serialize"))
        .map(|(_, gate)| *gate)
        .collect();
    let serde_import = (!serde_users.is_empty()).then(|| {
        let cfg = cfg_of_users(features, serde_users);
        quote!(
            #cfg
            use serde::{Deserialize, Serialize};
        )
    });
    let defs = defs.into_iter().map(|(tokens, _)| tokens);
    quote! {
        #serde_import
        #(#imports)*

        #(#defs)*
        #(#modules)*
    }
}

/// A type's docs: the spec's text, or where in the spec the type comes from.
fn type_doc(def: &TypeDef) -> Doc {
    if def.doc.as_deref().is_some_and(|d| !d.trim().is_empty()) {
        return Doc::new().prose(def.doc.as_deref());
    }
    let pointer = format!("#{}", def.origin);
    Doc::new().para(&[
        Part::Md("The schema at "),
        Part::Code(&pointer),
        Part::Md("."),
    ])
}

fn definition(space: Scope, def: &TypeDef) -> TokenStream {
    let base = type_doc(def);
    let docs = base.clone().tokens();
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => structure(space, &name, docs, s),
        TypeKind::Enum(e) => string_enum(&name, base, e),
        TypeKind::Union(u) => super::unions::union(space, &name, &def.name, docs, u),
        TypeKind::Multipart(m) => multipart(space, &name, docs, m),
        TypeKind::AnyOf(a) => super::unions::any_of(space, &name, &def.name, base, a),
        TypeKind::Tuple(fields) => tuple(space, &name, docs, fields),
        TypeKind::Alias(ty) => {
            let ty = type_in(space, ty);
            quote! { #docs pub type #name = #ty; }
        }
        TypeKind::Newtype(ty) => {
            let ty = type_in(space, ty);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    }
}

/// A tuple struct: serde reads and writes it as an array of its fields, in order and no
/// more (a one-field tuple struct is its field to serde, so that field says otherwise).
fn tuple(space: Scope, name: &Ident, docs: TokenStream, fields: &[Field]) -> TokenStream {
    let single = (fields.len() == 1)
        .then(|| quote!(#[serde(with = "apigen_runtime::serde_helpers::single_item")]));
    let fields = fields.iter().map(|f| {
        let fdoc = doc(f.doc.as_deref());
        let ty = field_type(space, f);
        quote! { #fdoc #single pub #ty, }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct #name(#(#fields)*);
    }
}

/// serde's `rename_all = "camelCase"` applied to a snake_case field name.
fn serde_camel_case(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut capitalize = false;
    for ch in field.trim_start_matches("r#").chars() {
        if ch == '_' {
            capitalize = true;
        } else if capitalize {
            out.push(ch.to_ascii_uppercase());
            capitalize = false;
        } else {
            out.push(ch);
        }
    }
    out
}

fn structure(space: Scope, name: &Ident, docs: TokenStream, s: &Struct) -> TokenStream {
    // `rename_all = "camelCase"` when it saves renames: camelCase APIs then read cleanly.
    let plain = |f: &Field| f.name.trim_start_matches("r#") == f.wire;
    let renames_plain = s.fields.iter().filter(|f| !plain(f)).count();
    let renames_camel = s
        .fields
        .iter()
        .filter(|f| serde_camel_case(&f.name) != f.wire)
        .count();
    let camel = renames_camel < renames_plain;
    let rename_all = camel.then(|| quote!(#[serde(rename_all = "camelCase")]));
    let deny_unknown =
        (s.closed && s.extra.is_none()).then(|| quote!(#[serde(deny_unknown_fields)]));
    let fields = s.fields.iter().map(|f| {
        let fdoc = doc(f.doc.as_deref());
        let fname = ident(&f.name);
        let ty = field_type(space, f);
        let mut serde_args: Vec<TokenStream> = Vec::new();
        let renamed = if camel {
            serde_camel_case(&f.name)
        } else {
            f.name.trim_start_matches("r#").to_string()
        };
        if renamed != f.wire {
            let wire = &f.wire;
            serde_args.push(quote!(rename = #wire));
        }
        let nullable = f.nullable && f.ty != TypeRef::Json;
        match (f.required, nullable) {
            (true, false) => {}
            (true, true) => serde_args.push(quote!(
                deserialize_with = "apigen_runtime::serde_helpers::nullable"
            )),
            // Any JSON includes `null`: keep it (`Some(Value::Null)`) apart from absent.
            (false, false) if f.ty == TypeRef::Json => serde_args.push(quote!(
                default,
                skip_serializing_if = "Option::is_none",
                deserialize_with = "apigen_runtime::serde_helpers::present"
            )),
            (false, false) => {
                serde_args.push(quote!(default, skip_serializing_if = "Option::is_none"))
            }
            (false, true) => serde_args.push(quote!(
                default,
                skip_serializing_if = "Option::is_none",
                with = "apigen_runtime::serde_helpers::double_option"
            )),
        }
        let attr = if serde_args.is_empty() {
            quote!()
        } else {
            quote!(#[serde(#(#serde_args),*)])
        };
        quote! { #fdoc #attr pub #fname: #ty, }
    });
    let extra = s.extra.as_ref().map(|ty| {
        let ty = type_in(space, ty);
        quote! {
            /// Properties the schema does not name.
            #[serde(flatten)]
            pub extra: std::collections::BTreeMap<String, #ty>,
        }
    });
    let (default, constructor) = constructors(space, name, &s.fields, s.extra.is_some());
    // serde's derived struct also reads an array of its fields in order; `object_only!`
    // reads objects alone. (A flattened map is read from an object anyway.)
    let (remote, object_only) = if s.extra.is_none() {
        (
            Some(quote!(#[serde(remote = "Self")])),
            Some(quote!(apigen_runtime::object_only!(#name);)),
        )
    } else {
        (None, None)
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
        #remote
        #rename_all
        #deny_unknown
        pub struct #name {
            #(#fields)*
            #extra
        }
        #object_only
        #constructor
    }
}

/// How a struct is made: `Default` among its derives when every field is optional, else
/// `new` taking the required fields (the optional ones left empty), unless there are too
/// many to pass.
fn constructors(
    space: Scope,
    name: &Ident,
    fields: &[Field],
    extra: bool,
) -> (Option<TokenStream>, Option<TokenStream>) {
    let required: Vec<&Field> = fields.iter().filter(|f| f.required).collect();
    if required.is_empty() {
        return (Some(quote!(Default,)), None);
    }
    if required.len() > 7 {
        return (None, None);
    }
    let args = required.iter().map(|f| {
        let n = ident(&f.name);
        let t = field_type(space, f);
        quote!(#n: #t)
    });
    let inits = fields.iter().map(|f| {
        let n = ident(&f.name);
        if f.required {
            quote!(#n)
        } else {
            quote!(#n: None)
        }
    });
    let extra_init = extra.then(|| quote!(extra: std::collections::BTreeMap::new(),));
    let new = quote! {
        impl #name {
            /// A value with the required fields set and every optional one left out.
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits,)* #extra_init }
            }
        }
    };
    (None, Some(new))
}

/// A multipart body: a plain struct (files are not JSON, so no serde) that becomes a
/// form of one part per field. Files go as file parts; other values by the OpenAPI
/// defaults (text for scalars, JSON for objects, a part per item for arrays) unless the
/// `encoding` object says JSON.
fn multipart(space: Scope, name: &Ident, docs: TokenStream, m: &Multipart) -> TokenStream {
    let fields = m.fields.iter().map(|f| {
        let fdoc = doc(f.doc.as_deref());
        let fname = ident(&f.name);
        let ty = field_type(space, f);
        quote! { #fdoc pub #fname: #ty, }
    });
    let parts = m.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let wire = &f.wire;
        let content_type = m.content_types.get(&f.wire);
        let is_file = matches!(&f.ty, TypeRef::File)
            || matches!(&f.ty, TypeRef::Vec(inner) if **inner == TypeRef::File);
        if is_file {
            // The first media type the encoding lists, when it names one exactly.
            let default = content_type
                .and_then(|c| c.split(',').map(str::trim).find(|c| !c.contains('*')))
                .unwrap_or("application/octet-stream");
            quote!(.file(#wire, body.#fname, #default))
        } else if content_type.is_some_and(|c| c.contains("json")) {
            quote!(.json(#wire, &body.#fname))
        } else {
            quote!(.value(#wire, &body.#fname))
        }
    });
    let (default, constructor) = constructors(space, name, &m.fields, false);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default)]
        pub struct #name {
            #(#fields)*
        }
        #constructor
        impl From<#name> for apigen_runtime::multipart::Form {
            fn from(body: #name) -> Self {
                apigen_runtime::multipart::Form::new() #(#parts)*
            }
        }
    }
}

fn string_enum(name: &Ident, docs: Doc, e: &StringEnum) -> TokenStream {
    let variants: Vec<Ident> = e.values.iter().map(|v| ident(&v.name)).collect();
    let wires: Vec<&str> = e.values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs: Vec<TokenStream> = wires.iter().map(|w| para(&[Part::Code(w)])).collect();
    if !e.open {
        let docs = docs.tokens();
        return quote! {
            #docs
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
            pub enum #name {
                #( #variant_docs #[serde(rename = #wires)] #variants, )*
            }

            impl #name {
                /// The value as written on the wire.
                pub fn as_str(&self) -> &'static str {
                    match self { #( Self::#variants => #wires, )* }
                }
            }

            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        };
    }
    let unknown = ident(&e.other);
    let docs = docs
        .para(&[
            Part::Md("Values this version of the spec does not list decode into "),
            Part::Code(&e.other),
            Part::Md(" and are sent back unchanged."),
        ])
        .tokens();
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value the spec does not list.
            #unknown(String),
        }

        impl #name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #wires, )*
                    Self::#unknown(other) => other,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #wires => Self::#variants, )*
                    _ => Self::#unknown(value.to_owned()),
                }
            }
        }

        apigen_runtime::open_enum!(#name, #unknown);
    }
}
