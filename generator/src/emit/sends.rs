//! The `send…` methods of a request builder: what each gives back and how it reads the
//! response. Input: one named operation and the code that builds its request; output:
//! the methods (and the private `into_request` when several build the request).
//!
//! For the response `send` reads: `send_with_response` (the body with status and
//! headers; `send` gives its body), `send_stream` for text and bytes (the body as it
//! arrives); an event stream is `send` itself. Each other media type gets the same
//! under its own word (`send_csv`, `send_csv_with_response`, `send_csv_stream`).

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{Doc, Part};
use super::rust::{ident, type_tokens};
use crate::ir::*;

/// How the methods start their request.
pub(super) struct Start {
    /// Statements that build the request in place (`let mut request = …;`).
    pub inline: TokenStream,
    /// The private method that builds it, for when several methods do.
    pub into_request: TokenStream,
}

/// One method that sends the request.
struct Reader {
    name: String,
    doc: TokenStream,
    ret: TokenStream,
    /// The `Accept` to ask for instead of the operation's (other media types).
    accept: Option<String>,
    /// Reads `request` into the result.
    read: TokenStream,
}

/// Every `send…` method of `op`'s builder, each delegating one beside the one it calls.
pub(super) fn methods(api: &Api, op: &Operation, start: Start) -> Vec<TokenStream> {
    let typed = Typed::new(op);
    let mut items = Vec::new();
    primary(api, op, &typed, &mut items);
    for other in &op.other_media {
        other_media(api, other, &typed, &mut items);
    }
    let readers = items.iter().filter(|i| matches!(i, Item::Reads(_))).count();
    let shared = readers > 1 || op.paging.is_some();
    let mut out: Vec<TokenStream> = Vec::new();
    if shared {
        out.push(start.into_request);
    }
    if let Some(paging) = &op.paging {
        out.extend(pages(api, op, paging, &typed));
    }
    let error = &typed.error;
    for item in items {
        let r = match item {
            Item::Delegates(tokens) => {
                out.push(tokens);
                continue;
            }
            Item::Reads(r) => r,
        };
        let name = ident(&r.name);
        let (doc, ret, read) = (r.doc, r.ret, typed.wrap(r.read));
        let begin = match (shared, &r.accept) {
            (false, _) => start.inline.clone(),
            (true, None) => quote!(let request = self.into_request();),
            (true, Some(accept)) => {
                quote!(let mut request = self.into_request(); request.accept(#accept);)
            }
        };
        out.push(quote! {
            #doc
            pub async fn #name(self) -> Result<#ret, #error> {
                #begin
                #read
            }
        });
    }
    out
}

/// A method in the order written: one that sends the request, or one that calls another.
enum Item {
    Reads(Reader),
    Delegates(TokenStream),
}

/// The error type of the operation's calls, and how a runtime error becomes it.
struct Typed {
    error: TokenStream,
    from_response: Option<TokenStream>,
    documented: TokenStream,
}

impl Typed {
    fn new(op: &Operation) -> Self {
        if op.errors.is_empty() {
            return Typed {
                error: quote!(apigen_runtime::Error),
                from_response: None,
                documented: quote!(&[]),
            };
        }
        let name = ident(&op.error_enum);
        Typed {
            error: quote!(apigen_runtime::Error<super::errors::#name>),
            from_response: Some(quote!(super::errors::#name::from_response)),
            documented: quote!(super::errors::#name::DOCUMENTED),
        }
    }

    /// `read` (a method chain) with its errors typed.
    fn wrap(&self, read: TokenStream) -> TokenStream {
        match &self.from_response {
            None => read,
            Some(from) => quote!(#read.map_err(|e| e.map_detail(#from))),
        }
    }
}

fn primary(api: &Api, op: &Operation, typed: &Typed, items: &mut Vec<Item>) {
    let documented = &typed.documented;
    let error = &typed.error;
    let outcomes = op.outcomes();
    let first = outcomes.first().map(|(_, o)| o.clone());
    if let (false, Some(Outcome::Events(data))) = (op.has_mixed_outcomes(), &first) {
        let (ret, read) = events(api, data, documented);
        let doc = super::client::send_doc(
            op,
            "Sends the request and returns the server-sent events of the response as they arrive.",
        );
        items.push(Item::Reads(Reader {
            name: "send".into(),
            doc,
            ret,
            accept: None,
            read,
        }));
        return;
    }
    let (body, read) = if op.has_mixed_outcomes() {
        mixed(api, op, documented)
    } else {
        match &first {
            Some(Outcome::Json(ty)) => json(api, ty, documented),
            Some(Outcome::Text) => (
                quote!(String),
                quote!(request.send_text_with_response(#documented).await),
            ),
            Some(Outcome::Bytes) => (
                quote!(Vec<u8>),
                quote!(request.send_with_response(#documented).await),
            ),
            _ => (
                quote!(()),
                quote!(request.send_with_response(#documented).await.map(|r| r.map(|_| ()))),
            ),
        }
    };
    let send_doc = super::client::send_doc(op, "Sends the request.");
    items.push(Item::Delegates(quote! {
        #send_doc
        pub async fn send(self) -> Result<#body, #error> {
            self.send_with_response().await.map(apigen_runtime::ResponseValue::into_body)
        }
    }));
    items.push(Item::Reads(Reader {
        name: "send_with_response".into(),
        doc: with_response_doc("send"),
        ret: quote!(apigen_runtime::ResponseValue<#body>),
        accept: None,
        read,
    }));
    if matches!(first, Some(Outcome::Text | Outcome::Bytes)) && !op.has_mixed_outcomes() {
        items.push(Item::Reads(Reader {
            name: "send_stream".into(),
            doc: stream_doc("send"),
            ret: quote!(apigen_runtime::ByteStream),
            accept: None,
            read: quote!(request.send_stream(#documented).await),
        }));
    }
}

fn other_media(api: &Api, other: &OtherMedia, typed: &Typed, items: &mut Vec<Item>) {
    let documented = &typed.documented;
    let error = &typed.error;
    let content_type = &other.content_type;
    let accept = Some(content_type.clone());
    let asking = |what: &'static str| {
        Doc::new()
            .para(&[
                Part::Md("Sends the request asking for "),
                Part::Code(content_type),
                Part::Md(" (`Accept`) and returns "),
                Part::Md(what),
                Part::Md("."),
            ])
            .md("# Errors\nAs for [`send`](Self::send).")
            .tokens()
    };
    if other.media == Media::Events {
        let (ret, read) = events(api, &other.ty, documented);
        items.push(Item::Reads(Reader {
            name: other.method.clone(),
            doc: asking("the server-sent events of the response as they arrive"),
            ret,
            accept,
            read,
        }));
        return;
    }
    let (body, read, what) = match other.media {
        Media::Json => {
            let (body, read) = json(api, &other.ty, documented);
            (body, read, "the body of any success status as its type")
        }
        Media::Text => (
            quote!(String),
            quote!(request.send_text_with_response(#documented).await),
            "the body of any success status as text",
        ),
        _ => (
            quote!(Vec<u8>),
            quote!(request.send_with_response(#documented).await),
            "the body of any success status as bytes",
        ),
    };
    let (method, with_response) = (ident(&other.method), ident(&other.with_response));
    let doc = asking(what);
    items.push(Item::Delegates(quote! {
        #doc
        pub async fn #method(self) -> Result<#body, #error> {
            self.#with_response().await.map(apigen_runtime::ResponseValue::into_body)
        }
    }));
    items.push(Item::Reads(Reader {
        name: other.with_response.clone(),
        doc: with_response_doc(&other.method),
        ret: quote!(apigen_runtime::ResponseValue<#body>),
        accept: accept.clone(),
        read,
    }));
    if !other.stream.is_empty() {
        items.push(Item::Reads(Reader {
            name: other.stream.clone(),
            doc: stream_doc(&other.method),
            ret: quote!(apigen_runtime::ByteStream),
            accept,
            read: quote!(request.send_stream(#documented).await),
        }));
    }
}

/// `pages()` and `items()` of a list operation.
fn pages(api: &Api, op: &Operation, paging: &Paging, typed: &Typed) -> Vec<TokenStream> {
    let Some(page) = op.success.first().and_then(|r| r.body.as_ref()) else {
        return Vec::new();
    };
    let prefix = quote!(types::);
    let page_ty = type_tokens(&api.types, &page.ty, &prefix);
    let item_ty = type_tokens(&api.types, &paging.item, &prefix);
    let page_name = super::client::type_name(api, &page.ty);
    let rule = rule(paging);
    let documented = &typed.documented;
    let (detail, classify) = match &typed.from_response {
        Some(from) => {
            let name = ident(&op.error_enum);
            (quote!(super::errors::#name), quote!(#from))
        }
        None => (quote!(()), quote!(|_| ())),
    };
    let how = match &paging.style {
        PagingStyle::Link => "the `Link` header's next page",
        PagingStyle::Cursor { .. } => "a cursor the page gives",
        PagingStyle::PageNumber(_) => "page numbers",
        PagingStyle::Offset(_) => "an offset advanced by each page's items",
    };
    let pages_doc = Doc::new()
        .para(&[
            Part::Md("Every page of this list, one request each (by "),
            Part::Md(how),
            Part::Md("), with its status and headers; each request is sent, retried and typed like [`send`](Self::send). The stream ends after an empty page, when the server says there is no next page, or when it would repeat one; [`max_pages`](apigen_runtime::Pages::max_pages) ends it sooner."),
        ])
        .tokens();
    let items_doc = Doc::new()
        .md("Every item of every page, in order (see [`pages`](Self::pages)).")
        .tokens();
    vec![
        quote! {
            #pages_doc
            pub fn pages(self) -> apigen_runtime::Pages<'a, #page_ty, #detail> {
                static RULE: apigen_runtime::pages::Rule = #rule;
                let typing = apigen_runtime::pages::Typing {
                    documented: #documented,
                    classify: #classify,
                };
                apigen_runtime::Pages::new(self.into_request(), &RULE, #page_name, typing)
            }
        },
        quote! {
            #items_doc
            pub fn items(self) -> apigen_runtime::Items<'a, #item_ty, #detail> {
                self.pages().items()
            }
        },
    ]
}

/// The runtime's `Rule` for `paging`.
fn rule(paging: &Paging) -> TokenStream {
    let items = &paging.items;
    let how = match &paging.style {
        PagingStyle::Link => quote!(Link),
        PagingStyle::Cursor {
            param,
            cursor,
            from_last_item,
            has_more,
        } => {
            let has_more = match has_more {
                Some(p) => quote!(Some(#p)),
                None => quote!(None),
            };
            quote!(Cursor { param: #param, cursor: #cursor, from_last_item: #from_last_item, has_more: #has_more })
        }
        PagingStyle::PageNumber(param) => quote!(PageNumber { param: #param }),
        PagingStyle::Offset(param) => quote!(Offset { param: #param }),
    };
    quote!(apigen_runtime::pages::Rule { paging: apigen_runtime::pages::Paging::#how, items: #items })
}

/// A JSON body of type `ty`, with status and headers.
fn json(api: &Api, ty: &TypeRef, documented: &TokenStream) -> (TokenStream, TokenStream) {
    let t = type_tokens(&api.types, ty, &quote!(types::));
    let name = super::client::type_name(api, ty);
    (
        t,
        quote!(request.send_json_with_response(#name, #documented).await),
    )
}

/// Server-sent events whose data is `data` (`String`: text).
fn events(api: &Api, data: &TypeRef, documented: &TokenStream) -> (TokenStream, TokenStream) {
    let t = type_tokens(&api.types, data, &quote!(types::));
    let decode = if *data == TypeRef::String {
        quote!(apigen_runtime::events::text_data)
    } else {
        quote!(apigen_runtime::events::json_data::<#t>)
    };
    (
        quote!(apigen_runtime::EventStream<#t>),
        quote!(request.send_events(#documented, #decode).await),
    )
}

/// Success statuses that give back different things: the enum of them, read by status.
fn mixed(api: &Api, op: &Operation, documented: &TokenStream) -> (TokenStream, TokenStream) {
    let prefix = quote!(types::);
    let enum_name = ident(&op.success_enum);
    let op_id = &op.id;
    let mut exact = Vec::new();
    let mut ranges = Vec::new();
    for (response, outcome) in op.outcomes() {
        let status = &response.status;
        let variant = ident(&response.variant);
        let value = match outcome {
            Outcome::Empty => quote!(Ok(#prefix #enum_name::#variant)),
            Outcome::Json(ty) => {
                let name = super::client::type_name(api, &ty);
                quote!(apigen_runtime::error::decode_json(#op_id, status, #name, body).map(#prefix #enum_name::#variant))
            }
            // Several bodies by status, an event stream among them: its text, whole.
            Outcome::Text | Outcome::Events(_) => {
                quote!(Ok(#prefix #enum_name::#variant(String::from_utf8_lossy(&body).into_owned())))
            }
            Outcome::Bytes => quote!(Ok(#prefix #enum_name::#variant(body))),
        };
        if status.len() == 3 && status.chars().all(|c| c.is_ascii_digit()) {
            exact.push(quote!(#status => #value,));
        } else {
            ranges.push(quote!(s if s.starts_with('2') => #value,));
        }
    }
    let read = quote! {
        request.send_with_response(#documented).await.and_then(|response| {
            let (status, headers, body) = response.into_parts();
            let value = match status.as_str() {
                #(#exact)*
                #(#ranges)*
                _ => return Err(apigen_runtime::error::unexpected_status(#op_id, status, headers, body)),
            };
            value.map(|value| apigen_runtime::ResponseValue::new(status, headers, value))
        })
    };
    (quote!(#prefix #enum_name), read)
}

fn with_response_doc(send: &str) -> TokenStream {
    like_send_doc(
        send,
        "), and also gives the response's status, headers and request id.",
        "# Errors\nAs for [`send`](Self::send).",
    )
}

fn stream_doc(send: &str) -> TokenStream {
    like_send_doc(
        send,
        "), but gives the body as it arrives, in bounded memory whatever its length.",
        "# Errors\nAs for [`send`](Self::send); reading the stream may fail too (a cut connection, a silence past the timeout).",
    )
}

/// "As [`send`](Self::send)" and how this method differs, then its errors.
fn like_send_doc(send: &str, differs: &'static str, errors: &'static str) -> TokenStream {
    Doc::new()
        .para(&[
            Part::Md("As [`"),
            Part::Ident(send),
            Part::Md("`](Self::"),
            Part::Ident(send),
            Part::Md(differs),
        ])
        .md(errors)
        .tokens()
}
