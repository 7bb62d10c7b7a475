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
        TypeKind::AnyOf(a) => any_of(space, &name, &def.name, def.doc.as_deref(), a),
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

/// The object branches of an `anyOf` one object may match together: each branch decoded
/// from the object on its own, every one that holds kept, so a document valid under
/// several re-encodes with all of their properties.
fn any_of(
    space: &TypeSpace,
    name: &Ident,
    type_name: &str,
    docs: Option<&str>,
    a: &AnyOf,
) -> TokenStream {
    let docs = Doc::new()
        .prose(docs)
        .md("An object valid against one or more of these branches: each field is the object read as that branch, set when it is valid against it. At least one is set; encoding writes the properties of every one that is.")
        .tokens();
    let names: Vec<Ident> = a.fields.iter().map(|f| ident(&f.name)).collect();
    let fields = a.fields.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = field_type(space, f);
        quote! { pub #fname: #ty, }
    });
    let decoded = a.fields.iter().map(|f| {
        let fname = ident(&f.name);
        if f.boxed {
            quote!(let #fname = apigen_runtime::union::branch(&value, &mut errors).map(Box::new);)
        } else {
            quote!(let #fname = apigen_runtime::union::branch(&value, &mut errors);)
        }
    });
    let wires: Vec<&str> = a.fields.iter().map(|f| f.wire.as_str()).collect();
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub struct #name {
            #(#fields)*
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::Error;
                let mut parts = Vec::new();
                #(
                    if let Some(branch) = &self.#names {
                        parts.push(serde_json::to_value(branch).map_err(S::Error::custom)?);
                    }
                )*
                apigen_runtime::union::serialize_merged(serializer, #type_name, parts)
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                let mut errors = Vec::new();
                #(#decoded)*
                if #(#names.is_none())&&* {
                    return Err(apigen_runtime::union::no_branch(#type_name, &[#(#wires),*], &errors));
                }
                Ok(Self { #(#names),* })
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

/// The runtime's name for a JSON kind (`apigen_runtime::union::Kind`).
fn kind_ident(kind: JsonKind) -> Ident {
    format_ident!("{}", format!("{kind:?}"))
}

fn union(
    space: &TypeSpace,
    name: &Ident,
    type_name: &str,
    docs: TokenStream,
    u: &Union,
) -> TokenStream {
    let variant_defs = u.variants.iter().map(|v| variant_definition(space, v));
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
            Payload::Data { .. } | Payload::Unknown => {
                quote!(Self::#vname(value) => value.serialize(serializer),)
            }
        }
    });
    let literals = literal_match(u);
    let expected = &u.decode.expected;
    let mismatch = quote!(Err(apigen_runtime::union::mismatch(#type_name, &value, #expected)));
    let kind_arms: Vec<TokenStream> = u
        .decode
        .arms
        .iter()
        .flat_map(|(kind, rule)| rule_arms(u, *kind, rule, type_name))
        .collect();
    // Each kind's arms end in one without a guard, so with every kind there is no rest.
    let rest = (u.decode.arms.len() < JsonKind::ALL.len()).then(|| quote!(_ => #mismatch,));
    let (imports, dispatch) = if kind_arms.is_empty() {
        (quote!(), mismatch)
    } else {
        let imports = if u.decode.arms.iter().any(|(_, rule)| uses_decode(u, rule)) {
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

fn variant_definition(space: &TypeSpace, v: &Variant) -> TokenStream {
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
        Payload::Unknown => quote! {
            /// A value this version of the spec does not list, kept as it came.
            #vname(serde_json::Value),
        },
    }
}

/// Literal variants, matched by value before anything else.
fn literal_match(u: &Union) -> Option<TokenStream> {
    let arms: Vec<(TokenStream, TokenStream, bool)> = u
        .decode
        .literals
        .iter()
        .filter_map(|&i| {
            let v = &u.variants[i];
            let vname = ident(&v.name);
            match &v.payload {
                Payload::Str(s) => Some((
                    quote!(serde_json::Value::String(s) if s == #s),
                    quote!(Self::#vname),
                    true,
                )),
                Payload::Bool(b) => Some((
                    quote!(serde_json::Value::Bool(#b)),
                    quote!(Self::#vname),
                    false,
                )),
                _ => None,
            }
        })
        .collect();
    match arms.as_slice() {
        [] => None,
        [(pattern, variant, false)] => Some(quote! {
            if let #pattern = &value {
                return Ok(#variant);
            }
        }),
        arms => {
            let patterns = arms.iter().map(|(p, _, _)| p);
            let variants = arms.iter().map(|(_, v, _)| v);
            Some(quote! {
                match &value {
                    #( #patterns => return Ok(#variants), )*
                    _ => {}
                }
            })
        }
    }
}

/// Whether a rule's arms call `decode` (an import then).
fn uses_decode(u: &Union, rule: &Rule) -> bool {
    match rule {
        Rule::Variant(i) => u.variants[*i].payload != Payload::Unknown,
        Rule::Tags { arms, .. } => arms.iter().any(|(_, i)| !strips(&u.variants[*i])),
        Rule::Keys(_) | Rule::FirstItem { .. } | Rule::Trial(_) => true,
    }
}

fn strips(v: &Variant) -> bool {
    matches!(v.payload, Payload::Data { strip: true, .. })
}

/// The decoding of `value` into variant `v`.
fn decode_into(v: &Variant) -> TokenStream {
    let vname = ident(&v.name);
    if v.payload == Payload::Unknown {
        return quote!(Ok(Self::#vname(value)));
    }
    let ctor = constructor(v);
    quote!(decode(value, #ctor))
}

/// The match arms that decode values of one JSON kind, as `rule` says.
fn rule_arms(u: &Union, kind: JsonKind, rule: &Rule, type_name: &str) -> Vec<TokenStream> {
    let arm = kind_ident(kind);
    match rule {
        Rule::Variant(i) => {
            let body = decode_into(&u.variants[*i]);
            vec![quote!(Kind::#arm => #body,)]
        }
        Rule::Tags { arms, otherwise } => vec![tags_arm(u, &arm, arms, *otherwise, type_name)],
        Rule::Keys(ordered) => {
            let expected = ordered
                .iter()
                .map(|(keys, _)| {
                    let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                    format!("an object with {}", keys.join(", "))
                })
                .collect::<Vec<_>>()
                .join("; or ");
            let mut out: Vec<TokenStream> = ordered
                .iter()
                .map(|(keys, i)| {
                    let body = decode_into(&u.variants[*i]);
                    quote!(Kind::#arm if apigen_runtime::union::has_keys(&value, &[#(#keys),*]) => #body,)
                })
                .collect();
            out.push(quote!(Kind::#arm => Err(apigen_runtime::union::mismatch(#type_name, &value, #expected)),));
            out
        }
        Rule::FirstItem { arms, last } => {
            let mut out: Vec<TokenStream> = arms
                .iter()
                .map(|(kinds, i)| {
                    let body = decode_into(&u.variants[*i]);
                    let kinds = kinds.iter().map(|k| kind_ident(*k));
                    quote!(Kind::#arm if apigen_runtime::union::first_item_in(&value, &[#(Kind::#kinds),*]) => #body,)
                })
                .collect();
            let body = decode_into(&u.variants[*last]);
            out.push(quote!(Kind::#arm => #body,));
            out
        }
        Rule::Trial(order) => {
            let variants: Vec<&Variant> = order.iter().map(|i| &u.variants[*i]).collect();
            vec![trial_arm(&variants, &arm)]
        }
    }
}

/// Objects of a tagged union: the tag values pick the variant.
fn tags_arm(
    u: &Union,
    arm: &Ident,
    arms: &[(Vec<String>, usize)],
    otherwise: Option<usize>,
    type_name: &str,
) -> TokenStream {
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
    let cases = arms.iter().map(|(values, i)| {
        let v = &u.variants[*i];
        let body = if strips(v) {
            // The tags are implied by the variant: they are not fields of its struct.
            let ctor = constructor(v);
            quote!(apigen_runtime::union::decode_without(value, TAGS, #ctor))
        } else {
            decode_into(v)
        };
        let pattern = tuple(values.iter().map(|t| quote!(Some(#t))).collect());
        quote!(#pattern => #body,)
    });
    // Tag values the spec does not list are kept where the union is open; a missing tag
    // says nothing, and is an error.
    let unknown = otherwise.map(|i| {
        let pattern = tuple(keys.iter().map(|_| quote!(Some(_))).collect());
        let body = decode_into(&u.variants[i]);
        quote!(#pattern => #body,)
    });
    let wildcard = tuple(keys.iter().map(|_| quote!(_)).collect());
    let rest = quote!(Err(apigen_runtime::union::unknown_tags(#type_name, TAGS, &value)));
    quote! {
        Kind::#arm => {
            const TAGS: &[&str] = &[#(#keys),*];
            match #tag_reads {
                #(#cases)*
                #unknown
                #wildcard => #rest,
            }
        }
    }
}

/// An arm that tries each variant in turn and keeps the first that decodes.
fn trial_arm(candidates: &[&Variant], arm: &Ident) -> TokenStream {
    let mut chain = decode_into(candidates[candidates.len() - 1]);
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
