//! Emit webhooks: `mod webhooks` with `Webhook`, one variant per webhook the spec
//! describes, read from a body by the webhook's name or by its event (a header such as
//! `X-GitHub-Event`) and the payload's `action`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{Doc, Part};
use super::rust::{ident, type_tokens};
use crate::ir::*;

pub fn webhooks(api: &Api) -> Option<TokenStream> {
    if api.webhooks.is_empty() {
        return None;
    }
    let prefix = quote!(types::);
    let variants = api.webhooks.iter().map(|w| {
        let variant = ident(&w.variant);
        let ty = type_tokens(&api.types, &w.ty, &prefix);
        let doc = Doc::new()
            .para(&[Part::Md("The "), Part::Code(&w.name), Part::Md(" webhook.")])
            .prose(w.description.as_deref().or(w.summary.as_deref()))
            .tokens();
        quote! { #doc #variant(Box<#ty>) }
    });
    let by_name = api.webhooks.iter().map(|w| {
        let (name, variant) = (&w.name, ident(&w.variant));
        quote! { #name => apigen_runtime::webhooks::decode(#name, body).map(|v| Self::#variant(Box::new(v))) }
    });
    let names = api.webhooks.iter().map(|w| {
        let (name, variant) = (&w.name, ident(&w.variant));
        quote! { Self::#variant(_) => #name }
    });
    let events = event_arms(&api.webhooks);
    Some(quote! {
        /// The webhooks the spec describes: requests the API sends to you, read from their
        /// body by name or by event.
        pub mod webhooks {
            use super::types;

            /// One webhook's payload.
            #[derive(Debug, Clone, PartialEq)]
            pub enum Webhook {
                #(#variants,)*
            }

            impl Webhook {
                /// Reads `body` as the webhook the spec calls `name`.
                ///
                /// # Errors
                /// `UnknownWebhook` for a name the spec does not have; `Decode` when the
                /// body is not that webhook's payload.
                pub fn parse(name: &str, body: &[u8]) -> Result<Self, apigen_runtime::webhooks::WebhookError> {
                    match name {
                        #(#by_name,)*
                        _ => Err(apigen_runtime::webhooks::WebhookError::UnknownWebhook(name.to_string())),
                    }
                }

                /// Reads `body` as the webhook of `event` (the name an event header such
                /// as `X-GitHub-Event` gives; `_` and `-` alike), told apart by the
                /// payload's `action` where the event has several.
                ///
                /// # Errors
                /// `UnknownEvent`, `UnknownAction`, or `Decode` when the body is not that
                /// webhook's payload.
                pub fn parse_event(event: &str, body: &[u8]) -> Result<Self, apigen_runtime::webhooks::WebhookError> {
                    let key = apigen_runtime::webhooks::event_key(event);
                    match key.as_str() {
                        #(#events,)*
                        _ => Err(apigen_runtime::webhooks::WebhookError::UnknownEvent(event.to_string())),
                    }
                }

                /// The spec's name for this webhook.
                pub fn name(&self) -> &'static str {
                    match self {
                        #(#names,)*
                    }
                }
            }
        }
    })
}

/// One arm per event: the webhook itself when the event has one (and no action tells
/// several apart), else a `match` on the payload's `action`.
fn event_arms(webhooks: &[Webhook]) -> Vec<TokenStream> {
    let mut by_event: BTreeMap<&str, Vec<&Webhook>> = BTreeMap::new();
    for w in webhooks {
        by_event.entry(w.event.as_str()).or_default().push(w);
    }
    by_event
        .into_iter()
        .map(|(event, members)| {
            if let [only] = members.as_slice() {
                let name = &only.name;
                return quote! { #event => Self::parse(#name, body) };
            }
            // The first webhook for each action; one without an action takes the rest.
            let mut actions: BTreeMap<&str, &str> = BTreeMap::new();
            let mut fallback = None;
            for w in &members {
                match &w.action {
                    Some(action) => {
                        actions.entry(action.as_str()).or_insert(w.name.as_str());
                    }
                    None => {
                        fallback.get_or_insert(w.name.as_str());
                    }
                }
            }
            let arms = actions
                .iter()
                .map(|(action, name)| quote! { Some(#action) => Self::parse(#name, body) });
            let rest = match fallback {
                Some(name) => quote! { _ => Self::parse(#name, body) },
                None => quote! {
                    other => Err(apigen_runtime::webhooks::WebhookError::UnknownAction {
                        event: #event,
                        action: other.map(str::to_string),
                    })
                },
            };
            quote! {
                #event => match apigen_runtime::webhooks::action(#event, body)?.as_deref() {
                    #(#arms,)*
                    #rest
                }
            }
        })
        .collect()
}
