//! Emit unions: each `oneOf`/`anyOf` as an enum whose decoding prints the `Decode` that
//! `dispatch` recorded (an `apigen_runtime::union::Dispatch` impl, one method per JSON
//! kind), and the object branches of an `anyOf` that hold together as one struct.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::{para, Doc, Part};
use super::rust::{field_type, ident, type_in, Scope};
use crate::ir::*;

pub(super) fn union(
    space: Scope,
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
    let expected = &u.decode.expected;
    let methods = JsonKind::ALL
        .into_iter()
        .filter_map(|kind| kind_method(u, kind));
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
                apigen_runtime::union::deserialize(deserializer)
            }
        }

        impl apigen_runtime::union::Dispatch for #name {
            const NAME: &'static str = #type_name;
            const EXPECTED: &'static str = #expected;
            #(#methods)*
        }
    }
}

fn variant_definition(space: Scope, v: &Variant) -> TokenStream {
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
            let mut t = type_in(space, ty);
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

/// The `Dispatch` method for values of `kind`, when a variant takes that kind.
fn kind_method(u: &Union, kind: JsonKind) -> Option<TokenStream> {
    let rule = u
        .decode
        .arms
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, r)| r);
    let literals: Vec<&Variant> = u
        .decode
        .literals
        .iter()
        .map(|&i| &u.variants[i])
        .filter(|v| {
            matches!(
                (&v.payload, kind),
                (Payload::Str(_), JsonKind::String) | (Payload::Bool(_), JsonKind::Bool)
            )
        })
        .collect();
    if rule.is_none() && literals.is_empty() {
        return None;
    }
    Some(match kind {
        JsonKind::Object => {
            let body = object_body(u, rule?);
            quote! {
                fn object<'de, A: serde::de::MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
                    #body
                }
            }
        }
        JsonKind::Array => {
            let body = array_body(u, rule?);
            quote! {
                fn array<'de, A: serde::de::SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
                    #body
                }
            }
        }
        scalar => scalar_method(u, scalar, rule, &literals),
    })
}

/// The method for a scalar kind: its literals by value, then the rule's variants.
fn scalar_method(
    u: &Union,
    kind: JsonKind,
    rule: Option<&Rule>,
    literals: &[&Variant],
) -> TokenStream {
    let (method, arg) = match kind {
        JsonKind::Null => (quote!(null), quote!()),
        JsonKind::Bool => (quote!(bool), quote!(value: bool)),
        JsonKind::Integer => (
            quote!(integer),
            quote!(value: apigen_runtime::union::Integer),
        ),
        JsonKind::Float => (quote!(float), quote!(value: f64)),
        _ => (quote!(string), quote!(value: &str)),
    };
    let rest = match rule {
        Some(rule) => scalar_rule(u, kind, rule),
        None => {
            let found = match kind {
                JsonKind::Bool => quote!(&value.to_string()),
                _ => quote!(&format!("the string {value:?}")),
            };
            quote!(Err(apigen_runtime::union::unexpected::<Self, E>(#found)))
        }
    };
    let body = if literals.is_empty() {
        rest
    } else {
        let arms = literals.iter().map(|v| {
            let vname = ident(&v.name);
            match &v.payload {
                Payload::Bool(b) => quote!(#b => Ok(Self::#vname),),
                Payload::Str(s) => quote!(#s => Ok(Self::#vname),),
                _ => quote!(),
            }
        });
        // Both booleans listed leave nothing else.
        let covered = kind == JsonKind::Bool && literals.len() == 2;
        let rest = (!covered).then(|| quote!(_ => #rest,));
        quote!(match value { #(#arms)* #rest })
    };
    quote! {
        fn #method<E: serde::de::Error>(#arg) -> Result<Self, E> {
            #body
        }
    }
}

/// The decoding of a scalar `value` of `kind` as the rule's variants (the first that
/// decodes, for a trial).
fn scalar_rule(u: &Union, kind: JsonKind, rule: &Rule) -> TokenStream {
    match rule {
        Rule::Variant(i) => {
            let v = &u.variants[*i];
            if v.payload == Payload::Unknown {
                let vname = ident(&v.name);
                return quote!(Ok(Self::#vname(serde_json::Value::String(value.to_owned()))));
            }
            wrap(v, scalar_call(kind, quote!()))
        }
        Rule::Trial(order) => {
            let variants: Vec<&Variant> = order.iter().map(|i| &u.variants[*i]).collect();
            first_of(
                &variants,
                |turbofish| scalar_call(kind, turbofish),
                quote!(E),
            )
        }
        // Tags, keys and first items are rules of objects and arrays.
        Rule::Tags { .. } | Rule::Keys { .. } | Rule::FirstItem { .. } => {
            quote!(Err(E::custom("no rule for this kind")))
        }
    }
}

/// The runtime call that decodes a scalar `value` of `kind` (`turbofish` names its types).
fn scalar_call(kind: JsonKind, turbofish: TokenStream) -> TokenStream {
    match kind {
        JsonKind::Null => quote!(apigen_runtime::union::null #turbofish ()),
        JsonKind::Bool => quote!(apigen_runtime::union::boolean #turbofish (value)),
        JsonKind::Integer => quote!(value.decode #turbofish ()),
        JsonKind::Float => quote!(apigen_runtime::union::float #turbofish (value)),
        _ => quote!(apigen_runtime::union::text #turbofish (value)),
    }
}

/// `call` (a `Result` of the variant's payload) mapped into the variant.
fn wrap(v: &Variant, call: TokenStream) -> TokenStream {
    let vname = ident(&v.name);
    if matches!(v.payload, Payload::Data { boxed: true, .. }) {
        quote!(#call.map(|v| Self::#vname(Box::new(v))))
    } else {
        quote!(#call.map(Self::#vname))
    }
}

/// Each variant tried in turn, `call` (given a turbofish naming the error type `error`, or
/// nothing) decoding it: the first that decodes is returned, else the last one's error.
/// Written as a flat sequence of `if let`s: a nest of closures, one per variant, takes
/// rustfmt exponential time.
fn first_of(
    variants: &[&Variant],
    call: impl Fn(TokenStream) -> TokenStream,
    error: TokenStream,
) -> TokenStream {
    let attempt = |_: &Variant| call(quote!(::<_, #error>));
    tries_then(variants, attempt, |v| wrap(v, call(quote!())))
}

/// `attempt` (a `Result`) for every variant but the last, the first that is `Ok` returned;
/// then `last` for the last one.
fn tries_then(
    variants: &[&Variant],
    attempt: impl Fn(&Variant) -> TokenStream,
    last: impl Fn(&Variant) -> TokenStream,
) -> TokenStream {
    let Some((final_one, rest)) = variants.split_last() else {
        return quote!();
    };
    let tries = rest.iter().map(|v| {
        let attempt = attempt(v);
        let built = construct(v, quote!(v));
        quote! {
            if let Ok(v) = #attempt {
                return Ok(#built);
            }
        }
    });
    let last = last(final_one);
    quote! { #(#tries)* #last }
}

/// Buffered `value` tried as each variant: the last one's error, with its path, if none fits.
fn buffered_trial(variants: &[&Variant]) -> TokenStream {
    tries_then(
        variants,
        |_| quote!(apigen_runtime::union::attempt(&value)),
        |v| wrap(v, quote!(apigen_runtime::union::from_buffer(&value))),
    )
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

/// The body of `object`: how an object (`map`) finds its variant.
fn object_body(u: &Union, rule: &Rule) -> TokenStream {
    match rule {
        Rule::Variant(i) => wrap(&u.variants[*i], quote!(apigen_runtime::union::object(map))),
        Rule::Tags { arms, otherwise } => tags_body(u, arms, *otherwise),
        Rule::Keys {
            sets,
            read,
            decisive,
        } => {
            let expected = sets
                .iter()
                .map(|(keys, _)| {
                    let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
                    format!("an object with {}", keys.join(", "))
                })
                .collect::<Vec<_>>()
                .join("; or ");
            let cases = sets.iter().map(|(keys, i)| {
                let decode = wrap(&u.variants[*i], quote!(apigen_runtime::union::object(map)));
                quote! {
                    if map.has(&[#(#keys),*]) {
                        return #decode;
                    }
                }
            });
            let decisive = proc_macro2::Literal::usize_unsuffixed(*decisive);
            quote! {
                let map = apigen_runtime::union::read_keys(map, &[#(#read),*], #decisive)?;
                #(#cases)*
                Err(apigen_runtime::union::no_keys(Self::NAME, #expected))
            }
        }
        Rule::Trial(order) => {
            let variants: Vec<&Variant> = order.iter().map(|i| &u.variants[*i]).collect();
            let chain = buffered_trial(&variants);
            quote! {
                let value = apigen_runtime::union::buffer(map)?;
                #chain
            }
        }
        Rule::FirstItem { .. } => quote!(Err(serde::de::Error::custom("no rule for objects"))),
    }
}

/// Objects of a tagged union: the entries up to the tags are read ahead, the tag values
/// pick the variant, which decodes the object from there.
fn tags_body(u: &Union, arms: &[(Vec<String>, usize)], otherwise: Option<usize>) -> TokenStream {
    let keys = &u.tags;
    // One tag is matched as is, several as a tuple.
    let tuple = |items: Vec<TokenStream>| {
        if items.len() == 1 {
            items[0].clone()
        } else {
            quote!((#(#items),*))
        }
    };
    let reads = tuple(
        (0..keys.len())
            .map(|i| {
                let i = proc_macro2::Literal::usize_unsuffixed(i);
                quote!(map.tag(#i))
            })
            .collect(),
    );
    let cases = arms.iter().map(|(values, i)| {
        let v = &u.variants[*i];
        // A branch written in place has no fields for the tags: the variant implies them.
        let source = if matches!(v.payload, Payload::Data { strip: true, .. }) {
            quote!(map.without(TAGS))
        } else {
            quote!(map)
        };
        let decode = wrap(v, quote!(apigen_runtime::union::object(#source)));
        let pattern = tuple(values.iter().map(|t| quote!(Some(#t))).collect());
        quote!(#pattern => #decode,)
    });
    // Tag values the spec does not list are kept where the union is open; a missing tag
    // says nothing, and is an error.
    let unknown = otherwise.map(|i| {
        let vname = ident(&u.variants[i].name);
        let pattern = tuple(keys.iter().map(|_| quote!(Some(_))).collect());
        quote!(#pattern => map.into_value().map(Self::#vname),)
    });
    quote! {
        const TAGS: &[&str] = &[#(#keys),*];
        let map = apigen_runtime::union::read_tags(map, TAGS)?;
        match #reads {
            #(#cases)*
            #unknown
            _ => Err(apigen_runtime::union::unknown_tags(Self::NAME, TAGS, &map)),
        }
    }
}

/// The body of `array`: how an array (`seq`) finds its variant.
fn array_body(u: &Union, rule: &Rule) -> TokenStream {
    match rule {
        Rule::Variant(i) => wrap(&u.variants[*i], quote!(apigen_runtime::union::array(seq))),
        Rule::FirstItem { arms, last } => {
            let cases = arms.iter().map(|(kinds, i)| {
                let kinds = kinds.iter().map(|k| format_ident!("{}", format!("{k:?}")));
                let decode = wrap(&u.variants[*i], quote!(apigen_runtime::union::array(seq)));
                quote! {
                    if seq.first_in(&[#(apigen_runtime::union::Kind::#kinds),*]) {
                        return #decode;
                    }
                }
            });
            let last = wrap(
                &u.variants[*last],
                quote!(apigen_runtime::union::array(seq)),
            );
            quote! {
                let seq = apigen_runtime::union::peek_first(seq)?;
                #(#cases)*
                #last
            }
        }
        Rule::Trial(order) => {
            let variants: Vec<&Variant> = order.iter().map(|i| &u.variants[*i]).collect();
            let chain = buffered_trial(&variants);
            quote! {
                let value = apigen_runtime::union::buffer_array(seq)?;
                #chain
            }
        }
        Rule::Tags { .. } | Rule::Keys { .. } => {
            quote!(Err(serde::de::Error::custom("no rule for arrays")))
        }
    }
}

/// The object branches of an `anyOf` one object may match together: each branch decoded
/// from the object on its own, every one that holds kept, so a document valid under
/// several re-encodes with all of their properties.
pub(super) fn any_of(
    space: Scope,
    name: &Ident,
    type_name: &str,
    docs: Doc,
    a: &AnyOf,
) -> TokenStream {
    let docs = docs
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
