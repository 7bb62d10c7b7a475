//! Emit types: structs, string enums and unions of the `TypeSpace`, inside `mod types`.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::docs::{doc, para, Doc, Part};
use crate::ir::*;

/// `pub mod types { ... }` with every type, in the given order.
pub fn all(space: &TypeSpace, order: &[TypeId], extra: TokenStream) -> TokenStream {
    let defs: Vec<TokenStream> = order
        .iter()
        .map(|id| definition(space, space.get(*id)))
        .collect();
    // Aliases alone (`pub type Name = String;`) need no serde.
    let serde_import = super::client::mentions(&defs, "Serialize").then(|| {
        quote!(
            use serde::{Deserialize, Serialize};
        )
    });
    quote! {
        /// Types of the request and response bodies, generated from the spec's schemas.
        pub mod types {
            #serde_import

            #(#defs)*
            #extra
        }
    }
}

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

fn definition(space: &TypeSpace, def: &TypeDef) -> TokenStream {
    let docs = doc(def.doc.as_deref());
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(s) => structure(space, &name, docs, s),
        TypeKind::Enum(e) => string_enum(&name, Doc::new().prose(def.doc.as_deref()), e),
        TypeKind::Union(u) => union(space, &name, &def.name, docs, u),
        TypeKind::Multipart(m) => multipart(space, &name, docs, m),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(space, ty, &TokenStream::new());
            quote! { #docs pub type #name = #ty; }
        }
        TypeKind::Newtype(ty) => {
            let ty = type_tokens(space, ty, &TokenStream::new());
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    }
}

fn field_type(space: &TypeSpace, f: &Field) -> TokenStream {
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

fn structure(space: &TypeSpace, name: &Ident, docs: TokenStream, s: &Struct) -> TokenStream {
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
        let ty = type_tokens(space, ty, &TokenStream::new());
        quote! {
            /// Properties the schema does not name.
            #[serde(flatten)]
            pub extra: std::collections::BTreeMap<String, #ty>,
        }
    });
    let (default, constructor) = constructors(space, name, &s.fields, s.extra.is_some());
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default Serialize, Deserialize)]
        #rename_all
        #deny_unknown
        pub struct #name {
            #(#fields)*
            #extra
        }
        #constructor
    }
}

/// How a struct is made: `Default` among its derives when every field is optional, else
/// `new` taking the required fields (the optional ones left empty), unless there are too
/// many to pass.
fn constructors(
    space: &TypeSpace,
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
fn multipart(space: &TypeSpace, name: &Ident, docs: TokenStream, m: &Multipart) -> TokenStream {
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
    let unknown = format_ident!(
        "{}",
        if e.values.iter().any(|v| v.name == "Unknown") {
            "UnknownValue"
        } else {
            "Unknown"
        }
    );
    let docs = docs
        .md("Values this version of the spec does not list decode into `Unknown` and are sent back unchanged.")
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

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #( #wires => Self::#variants, )*
                    _ => Self::#unknown(value),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                String::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

/// The runtime's name for each JSON kind a union arm can match.
const ARMS: [(JsonKinds, &str); 7] = [
    (JsonKinds::NULL, "Null"),
    (JsonKinds::BOOL, "Bool"),
    (JsonKinds(4), "Integer"),
    (JsonKinds(8), "Float"),
    (JsonKinds::STRING, "String"),
    (JsonKinds::ARRAY, "Array"),
    (JsonKinds::OBJECT, "Object"),
];

fn union(
    space: &TypeSpace,
    name: &Ident,
    type_name: &str,
    docs: TokenStream,
    u: &Union,
) -> TokenStream {
    let variant_defs = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        match &v.payload {
            Payload::Str(s) => {
                let d = para(&[Part::Md("The string "), Part::Code(s), Part::Md(".")]);
                quote!(#d #vname,)
            }
            Payload::Bool(b) => {
                let d = para(&[Part::Md(if *b {
                    "The literal `true`."
                } else {
                    "The literal `false`."
                })]);
                quote!(#d #vname,)
            }
            Payload::Data { ty, boxed, .. } => {
                let mut t = type_tokens(space, ty, &TokenStream::new());
                if *boxed {
                    t = quote!(Box<#t>);
                }
                quote!(#vname(#t),)
            }
        }
    });

    let ser_arms = u.variants.iter().map(|v| {
        let vname = ident(&v.name);
        match &v.payload {
            Payload::Str(s) => quote!(Self::#vname => serializer.serialize_str(#s),),
            Payload::Bool(b) => quote!(Self::#vname => serializer.serialize_bool(#b),),
            Payload::Data { tag_values, .. } if !tag_values.is_empty() => {
                let keys = &u.tags;
                quote!(Self::#vname(value) => apigen_runtime::union::serialize_tagged(
                    serializer, &[#((#keys, #tag_values)),*], value),)
            }
            Payload::Data { .. } => quote!(Self::#vname(value) => value.serialize(serializer),),
        }
    });

    let literal_arms: Vec<(TokenStream, TokenStream)> = u
        .variants
        .iter()
        .filter_map(|v| {
            let vname = ident(&v.name);
            match &v.payload {
                Payload::Str(s) => Some((
                    quote!(serde_json::Value::String(s) if s == #s),
                    quote!(Self::#vname),
                )),
                Payload::Bool(b) => {
                    Some((quote!(serde_json::Value::Bool(#b)), quote!(Self::#vname)))
                }
                Payload::Data { .. } => None,
            }
        })
        .collect();
    // Literal branches are matched first, by value.
    let literals = match literal_arms.as_slice() {
        [] => None,
        [(pattern, variant)] if !pattern.to_string().contains(" if ") => Some(quote! {
            if let #pattern = &value {
                return Ok(#variant);
            }
        }),
        arms => {
            let patterns = arms.iter().map(|(p, _)| p);
            let variants = arms.iter().map(|(_, v)| v);
            Some(quote! {
                match &value {
                    #( #patterns => return Ok(#variants), )*
                    _ => {}
                }
            })
        }
    };

    let mut kind_arms = Vec::new();
    let mut covered = 0;
    for (kind, arm_name) in ARMS {
        let candidates: Vec<&Variant> = u
            .variants
            .iter()
            .filter(|v| matches!(&v.payload, Payload::Data { ty, .. } if space.kinds(ty).intersects(kind)))
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let arm = format_ident!("{}", arm_name);
        kind_arms.extend(arms_for_kind(space, u, kind, &arm, &candidates, type_name));
        covered += 1;
    }

    let expected = expected_text(space, u);
    let mismatch = quote!(Err(apigen_runtime::union::mismatch(#type_name, &value, #expected)));
    // Each kind's arms end in one without a guard, so with every kind there is no rest.
    let rest = (covered < ARMS.len()).then(|| quote!(_ => #mismatch,));
    let (imports, dispatch) = if kind_arms.is_empty() {
        (quote!(), mismatch)
    } else {
        let uses_decode = kind_arms
            .iter()
            .any(|arm| arm.to_string().contains("decode ("));
        let imports = if uses_decode {
            quote!(
                use apigen_runtime::union::{decode, Kind};
            )
        } else {
            quote!(
                use apigen_runtime::union::Kind;
            )
        };
        (
            imports,
            quote! {
                match apigen_runtime::union::kind(&value) {
                    #(#kind_arms)*
                    #rest
                }
            },
        )
    };

    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variant_defs)*
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser_arms)*
                }
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #imports
                let value = serde_json::Value::deserialize(deserializer)?;
                #literals
                #dispatch
            }
        }
    }
}

/// The match arms that decode values of one JSON kind among several candidate variants.
fn arms_for_kind(
    space: &TypeSpace,
    u: &Union,
    kind: JsonKinds,
    arm: &Ident,
    candidates: &[&Variant],
    type_name: &str,
) -> Vec<TokenStream> {
    let build = |v: &Variant| -> TokenStream {
        let ctor = constructor(v);
        quote!(decode(value, #ctor))
    };
    if candidates.len() == 1 {
        let body = build(candidates[0]);
        return vec![quote!(Kind::#arm => #body,)];
    }
    // Objects of a tagged union: the tag values pick the branch.
    if kind == JsonKinds::OBJECT && !u.tags.is_empty() {
        let keys = &u.tags;
        // One tag is matched as is, several as a tuple.
        let tuple = |items: Vec<TokenStream>| {
            if items.len() == 1 {
                items[0].clone()
            } else {
                quote!((#(#items),*))
            }
        };
        let tag_reads = tuple(
            keys.iter()
                .map(|k| quote!(apigen_runtime::union::tag(&value, #k)))
                .collect(),
        );
        let arms = candidates.iter().filter_map(|v| match &v.payload {
            Payload::Data { tag_values, .. } if !tag_values.is_empty() => {
                // The tags are implied by the variant: they are not fields of its struct.
                let ctor = constructor(v);
                let body = quote!(apigen_runtime::union::decode_without(value, TAGS, #ctor));
                let pattern = tuple(tag_values.iter().map(|t| quote!(Some(#t))).collect());
                Some(quote!(#pattern => #body,))
            }
            _ => None,
        });
        let wildcard = tuple(keys.iter().map(|_| quote!(_)).collect());
        return vec![quote! {
            Kind::#arm => {
                const TAGS: &[&str] = &[#(#keys),*];
                match #tag_reads {
                    #(#arms)*
                    #wildcard => Err(apigen_runtime::union::unknown_tags(#type_name, TAGS, &value)),
                }
            }
        }];
    }
    // Objects told apart by the keys they require, most specific first, when every
    // branch requires a different, non-empty set of keys.
    if kind == JsonKinds::OBJECT {
        let mut ordered: Vec<(&Variant, Vec<String>)> = candidates
            .iter()
            .map(|v| {
                (
                    *v,
                    match &v.payload {
                        Payload::Data { ty, .. } => required_keys(space, ty),
                        _ => Vec::new(),
                    },
                )
            })
            .collect();
        ordered.sort_by_key(|(_, keys)| std::cmp::Reverse(keys.len()));
        let distinct: std::collections::BTreeSet<&Vec<String>> =
            ordered.iter().map(|(_, k)| k).collect();
        if distinct.len() == ordered.len() && ordered.iter().all(|(_, k)| !k.is_empty()) {
            let expected = ordered
                .iter()
                .map(|(_, keys)| {
                    format!(
                        "an object with {}",
                        keys.iter()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
                .collect::<Vec<_>>()
                .join("; or ");
            let mut arms: Vec<TokenStream> = ordered
                .iter()
                .map(|(v, keys)| {
                    let body = build(v);
                    quote!(Kind::#arm if apigen_runtime::union::has_keys(&value, &[#(#keys),*]) => #body,)
                })
                .collect();
            arms.push(quote!(Kind::#arm => Err(apigen_runtime::union::mismatch(#type_name, &value, #expected)),));
            return arms;
        }
        let ordered: Vec<&Variant> = ordered.into_iter().map(|(v, _)| v).collect();
        return vec![trial_arm(&ordered, arm, &build)];
    }
    // Arrays told apart by the kind of their first item (`[]` goes to the first), when
    // their item kinds do not overlap; otherwise the first that decodes.
    let item_kinds: Vec<JsonKinds> = candidates
        .iter()
        .map(|v| match &v.payload {
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
    if kind == JsonKinds::ARRAY && disjoint {
        let last = candidates.len() - 1;
        return candidates
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let body = build(v);
                let item_kinds = match &v.payload {
                    Payload::Data { ty: TypeRef::Vec(item), .. } => space.kinds(item),
                    _ => JsonKinds::ALL,
                };
                if i < last {
                    let kinds = ARMS.iter().filter(|(k, _)| item_kinds.intersects(*k)).map(|(_, n)| format_ident!("{}", n));
                    quote!(Kind::#arm if apigen_runtime::union::first_item_in(&value, &[#(Kind::#kinds),*]) => #body,)
                } else {
                    quote!(Kind::#arm => #body,)
                }
            })
            .collect();
    }
    // Otherwise: the first branch that decodes, in the spec's order.
    vec![trial_arm(candidates, arm, &build)]
}

/// An arm that tries each candidate in turn and keeps the first that decodes.
fn trial_arm(
    candidates: &[&Variant],
    arm: &Ident,
    build: &dyn Fn(&Variant) -> TokenStream,
) -> TokenStream {
    let mut chain = build(candidates[candidates.len() - 1]);
    for v in candidates[..candidates.len() - 1].iter().rev() {
        let wrap = construct(v, quote!(v));
        chain = quote! {
            match serde_json::from_value(value.clone()) {
                Ok(v) => Ok(#wrap),
                Err(_) => #chain,
            }
        };
    }
    quote!(Kind::#arm => #chain,)
}

/// The variant's constructor as a function: `Self::Cat`, or `|v| Self::Cat(Box::new(v))`
/// for a boxed variant.
fn constructor(v: &Variant) -> TokenStream {
    let vname = ident(&v.name);
    if matches!(v.payload, Payload::Data { boxed: true, .. }) {
        quote!(|v| Self::#vname(Box::new(v)))
    } else {
        quote!(Self::#vname)
    }
}

/// The variant built from `arg`: `Self::Cat(arg)`, boxing where the variant is boxed.
fn construct(v: &Variant, arg: TokenStream) -> TokenStream {
    let vname = ident(&v.name);
    if matches!(v.payload, Payload::Data { boxed: true, .. }) {
        quote!(Self::#vname(Box::new(#arg)))
    } else {
        quote!(Self::#vname(#arg))
    }
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
            // Alias chains end (cycles are refused before emit); the count is a backstop.
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
