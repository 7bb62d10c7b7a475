//! Emit the client: `Client` with one method per operation, and a request builder per
//! operation in `mod builder` (required inputs are arguments, optional ones setters).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc, para, Doc, Part};
use super::rust::{cfg, cfg_of_users, gated, ident, mentions, type_tokens};
use crate::ir::*;

pub fn client(api: &Api) -> TokenStream {
    let types_prefix = quote!(types::);
    let methods = api.operations.iter().map(|op| {
        let cfg = cfg(&api.features, &op.gate);
        let method = method(api, op, &types_prefix);
        quote!(#cfg #method)
    });
    let builders: Vec<(&Operation, TokenStream)> = api
        .operations
        .iter()
        .map(|op| (op, builder(api, op)))
        .collect();
    // Only a crate whose operations never mention a schema type could do without it.
    let builder_import = types_import(api, &builders);
    let builders = gated_per_operation(api, builders);
    let default_ctor = api.default_server.as_ref().map(|url| {
        let server_doc = para(&[
            Part::Md("A client for "),
            Part::Code(url),
            Part::Md(" (the spec's first server)."),
        ]);
        quote! {
            #server_doc
            ///
            /// # Panics
            /// When the TLS backend cannot be initialised, as `reqwest::Client::new` does.
            /// (The URL itself was checked when this code was generated.)
            pub fn new() -> Self {
                Client { inner: apigen_runtime::Client::new(Self::DEFAULT_BASE_URL).expect("the HTTP client can be built") }
            }

            /// The spec's first server URL.
            pub const DEFAULT_BASE_URL: &'static str = #url;
        }
    });
    let credential_setters = super::auth::setters(api);
    let default_impl = api.default_server.as_ref().map(|_| {
        quote! {
            impl Default for Client {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        /// The API client: connection settings shared by every operation.
        ///
        /// Cloning is cheap; clones share one connection pool.
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: apigen_runtime::Client,
        }

        impl Client {
            #default_ctor

            /// A client for the API at `base_url`.
            ///
            /// # Errors
            /// When `base_url` is not an absolute `http` or `https` URL.
            pub fn with_base_url(base_url: &str) -> Result<Self, apigen_runtime::Error> {
                apigen_runtime::Client::new(base_url).map(|inner| Client { inner })
            }

            #(#credential_setters)*

            /// Retries failed calls by `policy`: by default 3 attempts for idempotent
            /// methods on 429/5xx and connection failures, honouring `Retry-After`;
            /// `RetryPolicy::none()` turns retrying off.
            pub fn with_retry(self, policy: apigen_runtime::RetryPolicy) -> Self {
                Client { inner: self.inner.with_retry(policy) }
            }

            /// Gives each attempt of a call at most `timeout` (default 60 s).
            pub fn with_timeout(self, timeout: std::time::Duration) -> Self {
                Client { inner: self.inner.with_timeout(timeout) }
            }

            /// Reads response bodies of at most `bytes` bytes (default 100 MiB); a larger
            /// one ends the call with `Error::BodyTooLarge` as soon as it is seen.
            pub fn with_body_limit(self, bytes: u64) -> Self {
                Client { inner: self.inner.with_body_limit(bytes) }
            }

            /// Sends `value` for the optional parameter `name` of every operation that
            /// declares it, unless the call sets its own (e.g. a team id on every call).
            pub fn with_default_parameter(self, name: &str, value: impl Into<serde_json::Value>) -> Self {
                Client { inner: self.inner.with_default_parameter(name, value) }
            }

            /// Calls `hook` around every attempt of every call: to add or change headers,
            /// sign requests, log, measure, or patch responses (see [`apigen_runtime::Hook`]).
            pub fn with_hook(self, hook: impl apigen_runtime::Hook + 'static) -> Self {
                Client { inner: self.inner.with_hook(hook) }
            }

            /// Runs `middleware` around every attempt of every call, inside the retry loop:
            /// to sign a request over its final bytes, refresh a credential, or see the
            /// response (see [`apigen_runtime::middleware`]).
            pub fn with_middleware(self, middleware: impl apigen_runtime::Middleware + 'static) -> Self {
                Client { inner: self.inner.with_middleware(middleware) }
            }

            /// Waits between attempts with `sleep` instead of `tokio::time::sleep`: tests use
            /// it to run retries without waiting on the wall clock.
            pub fn with_sleeper(self, sleep: apigen_runtime::client::Sleeper) -> Self {
                Client { inner: self.inner.with_sleeper(sleep) }
            }

            /// Follows redirects by `redirects` (default: GET and HEAD calls only; another
            /// origin never gets the credentials or a body; see [`apigen_runtime::redirect`]).
            pub fn with_redirects(self, redirects: apigen_runtime::Redirects) -> Self {
                Client { inner: self.inner.with_redirects(redirects) }
            }

            /// Uses your own `reqwest::Client` (proxies, TLS, connection pool settings); start
            /// from [`apigen_runtime::client::http_builder`] to keep this client's defaults.
            pub fn with_http_client(self, http: reqwest::Client) -> Self {
                Client { inner: self.inner.with_http_client(http) }
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.inner.base_url()
            }

            #(#methods)*
        }

        #default_impl

        /// Request builders, one per operation: set optional inputs, then `send().await`.
        pub mod builder {
            #builder_import

            #(#builders)*
        }
    }
}

/// `use super::types;` for a module of operations' items, behind the gates of those
/// that name a type; none when none does.
fn types_import(api: &Api, items: &[(&Operation, TokenStream)]) -> Option<TokenStream> {
    let users: Vec<&Gate> = items
        .iter()
        .filter(|(_, item)| mentions(std::slice::from_ref(item), "types"))
        .map(|(op, _)| &op.gate)
        .collect();
    let cfg = cfg_of_users(&api.features, users.iter().copied());
    (!users.is_empty()).then(|| quote!(#cfg use super::types;))
}

/// Each operation's items behind its gate.
fn gated_per_operation(api: &Api, items: Vec<(&Operation, TokenStream)>) -> Vec<TokenStream> {
    let items = items.into_iter();
    items
        .map(|(op, items)| gated(&api.features, &op.gate, items))
        .collect()
}

/// Whether the body is an argument of the method (rather than a setter): when the spec
/// requires it, or when its schema has required properties (an empty body could not be valid).
fn body_is_argument(api: &Api, body: &Body) -> bool {
    if body.required {
        return true;
    }
    match &body.ty {
        TypeRef::Named(id) => match &api.types.get(*id).kind {
            TypeKind::Struct(Struct { fields, .. })
            | TypeKind::Multipart(Multipart { fields, .. })
            | TypeKind::AnyOf(AnyOf { fields }) => fields.iter().any(|f| f.required),
            TypeKind::Tuple(_) => true,
            _ => false,
        },
        _ => false,
    }
}

fn builder_name(op: &Operation) -> proc_macro2::Ident {
    ident(&op.builder)
}

fn method(api: &Api, op: &Operation, types_prefix: &TokenStream) -> TokenStream {
    let name = ident(&op.method_name);
    let builder = builder_name(op);
    let description = op
        .description
        .as_deref()
        .filter(|d| op.summary.as_deref().map(str::trim) != Some(d.trim()));
    let request_line = format!("{} {}", op.http_method, op.path);
    let mut docs = Doc::new()
        .prose(op.summary.as_deref())
        .prose(description)
        .para(&[
            Part::Code(&request_line),
            Part::Md(" ("),
            Part::Code(&op.id),
            Part::Md(")"),
        ]);
    let needed = super::auth::needed_setters(api, op);
    let keys: Vec<Vec<&str>> = op
        .security
        .iter()
        .map(|alt| alt.iter().map(|r| r.scheme.as_str()).collect())
        .collect();
    let credentials = super::auth::credentials_parts(&needed, &keys);
    if !credentials.is_empty() {
        docs = docs.para(&credentials);
    }
    let docs = docs.tokens();
    let mut args = Vec::new();
    let mut inits = Vec::new();
    for p in &op.parameters {
        let n = ident(&p.name);
        if p.required {
            let t = type_tokens(&api.types, &p.ty, types_prefix);
            args.push(quote!(#n: #t));
            inits.push(quote!(#n));
        } else {
            inits.push(quote!(#n: None));
        }
    }
    if let Some(body) = &op.body {
        let t = body_type(api, body, types_prefix);
        if body_is_argument(api, body) && !body.alternatives.is_empty() {
            // Any of the media types: the preferred one's type converts with `into`.
            args.push(quote!(body: impl Into<#t>));
            inits.push(quote!(body: body.into()));
        } else if body_is_argument(api, body) {
            args.push(quote!(body: #t));
            inits.push(quote!(body));
        } else {
            inits.push(quote!(body: None));
        }
    }
    // Required inputs are arguments, however many the spec has: past clippy's limit (7,
    // `self` included) for this method alone, rather than a builder that could be sent
    // without them.
    let many = (args.len() + 1 > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #docs
        #many
        pub fn #name(&self, #(#args),*) -> builder::#builder<'_> {
            builder::#builder { client: self, #(#inits,)* options: Default::default() }
        }
    }
}

fn builder(api: &Api, op: &Operation) -> TokenStream {
    let prefix = quote!(types::);
    let name = builder_name(op);
    let op_id = &op.id;
    let mut fields = Vec::new();
    let mut setters = Vec::new();
    let mut apply = Vec::new();
    for p in &op.parameters {
        let n = ident(&p.name);
        let t = type_tokens(&api.types, &p.ty, &prefix);
        let wire = &p.wire;
        if p.required {
            fields.push(quote!(pub(super) #n: #t));
        } else {
            fields.push(quote!(pub(super) #n: Option<#t>));
            let d = doc(p.doc.as_deref());
            let setter = if p.ty == TypeRef::String {
                quote! { #d pub fn #n(mut self, value: impl Into<String>) -> Self { self.#n = Some(value.into()); self } }
            } else {
                quote! { #d pub fn #n(mut self, value: #t) -> Self { self.#n = Some(value); self } }
            };
            setters.push(setter);
        }
        let value = if p.required {
            quote!(Some(&self.#n))
        } else {
            quote!(self.#n.as_ref())
        };
        match p.location {
            ParamLocation::Query if p.style == Style::Form && p.explode => {
                apply.push(quote!(request.query(#wire, #value);))
            }
            ParamLocation::Query => {
                let style = style_tokens(p.style);
                let explode = p.explode;
                apply.push(quote!(request.query_styled(#wire, #value, #style, #explode);))
            }
            ParamLocation::Header => {
                let explode = p.explode;
                apply.push(quote!(request.header(#wire, #value, #explode);))
            }
            ParamLocation::Cookie => apply.push(quote!(request.cookie(#wire, #value);)),
            ParamLocation::Path => {}
        }
    }
    if let Some(body) = &op.body {
        let t = body_type(api, body, &prefix);
        let set_one = |value: TokenStream, media: Media, content_type: &str| match media {
            Media::Json => quote!(request.json(&#value, #content_type);),
            Media::Form => quote!(request.form(&#value);),
            Media::Multipart => quote!(request.multipart(#value);),
            Media::Text | Media::Events | Media::Bytes => {
                quote!(request.raw_body(#value, #content_type);)
            }
        };
        let set = |value: TokenStream| {
            if body.alternatives.is_empty() {
                return set_one(value, body.media, &body.content_type);
            }
            let enum_name = ident(&body.enum_name);
            let arms = std::iter::once((&body.variant, body.media, &body.content_type))
                .chain(
                    body.alternatives
                        .iter()
                        .map(|a| (&a.variant, a.media, &a.content_type)),
                )
                .map(|(variant, media, content_type)| {
                    let v = ident(variant);
                    let set = set_one(quote!(b), media, content_type);
                    quote!(types::#enum_name::#v(b) => { #set })
                });
            quote!(match #value { #(#arms)* })
        };
        let param = if body.alternatives.is_empty() {
            quote!(#t)
        } else {
            quote!(impl Into<#t>)
        };
        let convert = if body.alternatives.is_empty() {
            quote!(value)
        } else {
            quote!(value.into())
        };
        if body_is_argument(api, body) {
            fields.push(quote!(pub(super) body: #t));
            apply.push(set(quote!(self.body)));
        } else {
            fields.push(quote!(pub(super) body: Option<#t>));
            let d = doc(body.doc.as_deref().or(Some("The request body.")));
            setters.push(quote! { #d pub fn body(mut self, value: #param) -> Self { self.body = Some(#convert); self } });
            let inner = set(quote!(body));
            apply.push(quote! { if let Some(body) = self.body { #inner } });
        }
    }
    if let Some(accept) = op
        .success
        .iter()
        .find_map(|r| r.body.as_ref())
        .map(|b| &b.content_type)
    {
        apply.push(quote!(request.accept(#accept);));
    }
    if let Some(security) = super::auth::requirements(api, op) {
        apply.push(quote!(request.security(#security);));
    }
    if let Some(header) = &op.idempotency_header {
        apply.push(quote!(request.idempotency_key(#header);));
    }
    apply.push(quote!(request.options(self.options);));
    let path = path_expression(op);
    let path_template = &op.path;
    let mutability = (!apply.is_empty()).then(|| quote!(mut));
    let method = format_ident!("{}", op.http_method);
    let open_request =
        quote!(self.client.inner.request(#op_id, reqwest::Method::#method, #path_template, #path));
    let start = super::sends::Start {
        inline: quote!(let #mutability request = #open_request; #(#apply)*),
        into_request: quote! {
            fn into_request(self) -> apigen_runtime::RequestBuilder<'a> {
                let #mutability request = #open_request;
                #(#apply)*
                request
            }
        },
    };
    let sends = super::sends::methods(api, op, start);
    // `into_request` names the lifetime of the request it returns.
    let builds_apart = mentions(&sends, "into_request");
    let (lifetime, lifetime_use) = if builds_apart {
        (quote!(<'a>), quote!('a))
    } else {
        (quote!(), quote!('_))
    };
    let struct_doc = para(&[
        Part::Md("Request builder for [`Client::"),
        Part::Ident(&op.method_name),
        Part::Md("`](super::Client::"),
        Part::Ident(op.method_name.trim_start_matches("r#")),
        Part::Md(")."),
    ]);
    quote! {
        #struct_doc
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until you `.send().await` it"]
        pub struct #name<'a> {
            pub(super) client: &'a super::Client,
            #(#fields,)*
            pub(super) options: apigen_runtime::request::CallOptions,
        }

        impl #lifetime #name<#lifetime_use> {
            #(#setters)*

            /// Gives each attempt of this call at most `timeout`, instead of the client's.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.options.timeout = Some(timeout);
                self
            }

            /// Retries this call by `policy`, instead of the client's.
            pub fn retry(mut self, policy: apigen_runtime::RetryPolicy) -> Self {
                self.options.retry = Some(policy);
                self
            }

            /// Reads a response body of at most `bytes` bytes for this call, instead of
            /// the client's limit.
            pub fn body_limit(mut self, bytes: u64) -> Self {
                self.options.body_limit = Some(bytes);
                self
            }

            #(#sends)*
        }
    }
}

/// The docs of `send`: what it returns, and the error statuses the spec documents.
pub(super) fn send_doc(op: &Operation, first_line: &'static str) -> TokenStream {
    let error_enum = op.error_enum.as_str();
    let mut parts = vec![Part::Md(
        "`Error::Api` for a non-success status (the spec documents ",
    )];
    for (i, r) in op.errors.iter().enumerate() {
        if i > 0 {
            parts.push(Part::Md(", "));
        }
        parts.push(Part::Code(&r.status));
    }
    if op.errors.is_empty() {
        parts.push(Part::Md("none"));
    } else {
        parts.extend([
            Part::Md("; `detail` says which, as [`errors::"),
            Part::Ident(error_enum),
            Part::Md("`](super::errors::"),
            Part::Ident(error_enum),
            Part::Md(")"),
        ]);
    }
    parts.push(Part::Md("), `Error::Transport` when the request fails, `Error::Decode` when the body does not match the spec."));
    Doc::new()
        .md(first_line)
        .section("# Errors", &parts)
        .tokens()
}

/// Doc attributes linking to the client method of `op`: `head` [`Client::x`] `tail`.
fn client_link_doc(op: &Operation, head: &'static str, tail: &'static str) -> TokenStream {
    para(&[
        Part::Md(head),
        Part::Md("[`Client::"),
        Part::Ident(&op.method_name),
        Part::Md("`](super::Client::"),
        Part::Ident(op.method_name.trim_start_matches("r#")),
        Part::Md(")"),
        Part::Md(tail),
    ])
}

/// The Rust type of a request body: the enum of its media types when it has several.
fn body_type(api: &Api, body: &Body, prefix: &TokenStream) -> TokenStream {
    if !body.alternatives.is_empty() {
        let name = ident(&body.enum_name);
        return quote!(#prefix #name);
    }
    media_type_tokens(api, body.media, &body.ty, prefix)
}

fn media_type_tokens(api: &Api, media: Media, ty: &TypeRef, prefix: &TokenStream) -> TokenStream {
    match media {
        Media::Json | Media::Form => type_tokens(&api.types, ty, prefix),
        Media::Multipart if *ty == TypeRef::Json => quote!(apigen_runtime::multipart::Form),
        Media::Multipart => type_tokens(&api.types, ty, prefix),
        Media::Text | Media::Events => quote!(String),
        Media::Bytes => quote!(Vec<u8>),
    }
}

pub(super) fn type_name(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => api.types.get(*id).name.clone(),
        _ => "response".to_string(),
    }
}

/// The body enums of operations that accept several media types, with a `From` for each
/// variant whose type no other variant shares.
pub fn body_enums(api: &Api) -> TokenStream {
    let empty = TokenStream::new();
    let enums = api.operations.iter().filter_map(|op| {
        let body = op.body.as_ref().filter(|b| !b.alternatives.is_empty())?;
        let name = ident(&body.enum_name);
        let d = client_link_doc(
            op,
            "The request body of ",
            ", in each media type it accepts.",
        );
        let all: Vec<(&String, &str, TokenStream)> = std::iter::once((
            &body.variant,
            body.content_type.as_str(),
            media_type_tokens(api, body.media, &body.ty, &empty),
        ))
        .chain(body.alternatives.iter().map(|a| {
            (
                &a.variant,
                a.content_type.as_str(),
                media_type_tokens(api, a.media, &a.ty, &empty),
            )
        }))
        .collect();
        let variants = all.iter().map(|(v, ct, t)| {
            let v = ident(v);
            let vd = para(&[Part::Code(ct)]);
            quote!(#vd #v(#t),)
        });
        let froms = all
            .iter()
            .filter(|(_, _, t)| {
                all.iter()
                    .filter(|(_, _, u)| u.to_string() == t.to_string())
                    .count()
                    == 1
            })
            .map(|(v, _, t)| {
                let v = ident(v);
                quote! {
                    impl From<#t> for #name {
                        fn from(value: #t) -> Self {
                            Self::#v(value)
                        }
                    }
                }
            });
        let items = quote! {
            #d
            #[derive(Debug, Clone, PartialEq)]
            pub enum #name { #(#variants)* }
            #(#froms)*
        };
        Some(gated(&api.features, &op.gate, items))
    });
    quote!(#(#enums)*)
}

/// The enums `send` returns for operations whose success statuses answer differently.
pub fn success_enums(api: &Api) -> TokenStream {
    let empty = TokenStream::new();
    let enums = api
        .operations
        .iter()
        .filter(|op| op.has_mixed_outcomes())
        .map(|op| {
            let name = ident(&op.success_enum);
            let d = client_link_doc(op, "What a success of ", " gives back, by status.");
            let variants = op.outcomes().into_iter().map(|(response, outcome)| {
                let variant = ident(&response.variant);
                let vd = para(&[Part::Code(&response.status)]);
                match outcome {
                    Outcome::Empty => quote!(#vd #variant,),
                    Outcome::Json(ty) => {
                        let t = type_tokens(&api.types, &ty, &empty);
                        quote!(#vd #variant(#t),)
                    }
                    Outcome::Text | Outcome::Events(_) => quote!(#vd #variant(String),),
                    Outcome::Bytes => quote!(#vd #variant(Vec<u8>),),
                }
            });
            let cfg = cfg(&api.features, &op.gate);
            quote! {
                #cfg
                #d
                #[derive(Debug, Clone, PartialEq)]
                pub enum #name { #(#variants)* }
            }
        });
    quote!(#(#enums)*)
}

fn style_tokens(style: Style) -> TokenStream {
    match style {
        Style::Form => quote!(apigen_runtime::Style::Form),
        Style::Simple => quote!(apigen_runtime::Style::Simple),
        Style::Label => quote!(apigen_runtime::Style::Label),
        Style::Matrix => quote!(apigen_runtime::Style::Matrix),
        Style::SpaceDelimited => quote!(apigen_runtime::Style::SpaceDelimited),
        Style::PipeDelimited => quote!(apigen_runtime::Style::PipeDelimited),
        Style::DeepObject => quote!(apigen_runtime::Style::DeepObject),
    }
}

/// The request path with path parameters percent-encoded into their segments.
fn path_expression(op: &Operation) -> TokenStream {
    let mut template = String::new();
    let mut args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        template.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        let wire = &rest[start + 1..start + len];
        match op
            .parameters
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire == wire)
        {
            Some(p) => {
                let n = ident(&p.name);
                template.push_str("{}");
                args.push({
                    let style = style_tokens(p.style);
                    let explode = p.explode;
                    let name = &p.wire;
                    quote!(apigen_runtime::request::path_param(#name, &self.#n, #style, #explode))
                });
            }
            None => template.push_str(
                &rest[start..start + len + 1]
                    .replace('{', "{{")
                    .replace('}', "}}"),
            ),
        }
        rest = &rest[start + len + 1..];
    }
    template.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    if args.is_empty() {
        quote!(#template)
    } else {
        quote!(&format!(#template, #(#args),*))
    }
}

/// `mod errors`: for each operation that documents error statuses, an enum of them, each
/// with its body parsed when the spec gives it a JSON schema; `send` puts it in
/// `ApiError::detail` so callers can `match` on documented errors.
pub fn error_enums(api: &Api) -> TokenStream {
    let enums = api
        .operations
        .iter()
        .filter(|op| !op.errors.is_empty())
        .map(|op| (op, error_enum(api, op)));
    let enums: Vec<(&Operation, TokenStream)> = enums.collect();
    if enums.is_empty() {
        return TokenStream::new();
    }
    let import = types_import(api, &enums);
    let enums = gated_per_operation(api, enums);
    quote! {
        /// The documented errors of each operation, found in `ApiError::detail` of the
        /// `Error::Api` its `send` returns.
        pub mod errors {
            #import

            #(#enums)*
        }
    }
}

/// The enum of the error statuses `op` documents, and how a response becomes one.
fn error_enum(api: &Api, op: &Operation) -> TokenStream {
    let prefix = quote!(types::);
    let name = ident(&op.error_enum);
    let d = client_link_doc(op, "The error statuses ", " documents.");
    let mut variants = Vec::new();
    let mut exact = Vec::new();
    let mut classes = Vec::new();
    let mut fallback = None;
    for r in &op.errors {
        let variant = ident(&r.variant);
        let vd = match &r.description {
            Some(desc) => {
                Doc::new().para_then_prose(&[Part::Code(&r.status), Part::Md(":")], Some(desc))
            }
            None => Doc::new().para(&[Part::Code(&r.status)]),
        }
        .tokens();
        let parsed = r
            .body
            .as_ref()
            .filter(|b| b.media == Media::Json && b.ty != TypeRef::Json);
        let value = match parsed {
            Some(b) => {
                let t = type_tokens(&api.types, &b.ty, &prefix);
                let (t, read) = if r.boxed {
                    (quote!(Box<#t>), quote!(response.json().ok().map(Box::new)))
                } else {
                    (t, quote!(response.json().ok()))
                };
                variants.push(quote! {
                    #vd
                    ///
                    /// The body, when it matches the spec (it is in `ApiError::body` either way).
                    #variant(Option<#t>),
                });
                quote!(Self::#variant(#read))
            }
            None => {
                variants.push(quote!(#vd #variant,));
                quote!(Self::#variant)
            }
        };
        let status = r.status.to_ascii_uppercase();
        let literal = proc_macro2::Literal::u16_unsuffixed;
        if let Ok(code) = status.parse::<u16>() {
            let code = literal(code);
            exact.push(quote!(#code => #value,));
        } else if let Some(class) = status
            .strip_suffix("XX")
            .and_then(|c| c.parse::<u16>().ok())
        {
            let (low, high) = (literal(class * 100), literal(class * 100 + 99));
            classes.push(quote!(#low..=#high => #value,));
        } else {
            fallback = Some(value);
        }
    }
    let documented = op.errors.iter().map(|r| {
        let status = &r.status;
        let description = r.description.clone().unwrap_or_default();
        quote!((#status, #description))
    });
    let fallback = fallback.unwrap_or_else(|| {
        let undocumented = ident(crate::naming::UNDOCUMENTED);
        variants.push(quote! {
            /// A status the spec does not document for this operation.
            #undocumented,
        });
        quote!(Self::#undocumented)
    });
    // Only `default` documented: every status is that one, no `match` needed.
    let classify = if exact.is_empty() && classes.is_empty() {
        fallback
    } else {
        quote! {
            match response.status.as_u16() {
                #(#exact)*
                #(#classes)*
                _ => #fallback,
            }
        }
    };
    let param = if mentions(std::slice::from_ref(&classify), "response") {
        format_ident!("response")
    } else {
        format_ident!("_response")
    };
    quote! {
        #d
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name { #(#variants)* }

        impl #name {
            /// The statuses the spec documents, each with its description.
            pub const DOCUMENTED: &'static [(&'static str, &'static str)] = &[#(#documented),*];

            /// Which documented error `response` is, its body parsed when the spec gives it a schema.
            pub fn from_response(#param: &apigen_runtime::ApiError) -> Self {
                #classify
            }
        }
    }
}
