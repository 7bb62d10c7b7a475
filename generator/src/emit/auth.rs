//! Emit credentials: the client's setter for each security scheme the spec declares,
//! and each operation's `security` alternatives as the runtime reads them.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{Doc, Part};
use super::rust::ident;
use crate::ir::*;

/// The client's credential setters, scheme by scheme, plus `with_external_credential`
/// when the spec declares any scheme.
pub fn setters(api: &Api) -> Vec<TokenStream> {
    let mut out: Vec<TokenStream> = api
        .security_schemes
        .iter()
        .flat_map(|scheme| {
            scheme
                .setters
                .iter()
                .enumerate()
                .map(move |(i, (role, name))| setter(scheme, *role, name, i == 0))
        })
        .collect();
    if !api.security_schemes.is_empty() {
        out.push(quote! {
            /// Lets calls that need the security scheme `scheme` go ahead without a
            /// credential from this client: a middleware of yours adds it (for a scheme
            /// this client cannot send, or one you would rather send yourself).
            pub fn with_external_credential(self, scheme: &str) -> Self {
                Client { inner: self.inner.with_credential(scheme, apigen_runtime::Credential::External) }
            }
        });
    }
    out
}

/// One setter; the `first` of a scheme's setters also carries the scheme's description.
fn setter(scheme: &SecurityScheme, role: SetterRole, name: &str, first: bool) -> TokenStream {
    let key = &scheme.key;
    let name = ident(name);
    let description = scheme.description.as_deref().filter(|_| first);
    let doc = setter_doc(scheme, role).prose(description).tokens();
    let body = match role {
        SetterRole::Token => quote! {
            (self, token: impl Into<String>) -> Self {
                Client { inner: self.inner.with_credential(#key, apigen_runtime::Credential::bearer(token)) }
            }
        },
        SetterRole::TokenSource => quote! {
            (self, source: impl apigen_runtime::TokenSource + 'static) -> Self {
                Client { inner: self.inner.with_credential(#key, apigen_runtime::Credential::bearer_from(source)) }
            }
        },
        SetterRole::Basic => quote! {
            (self, user: &str, password: &str) -> Self {
                Client { inner: self.inner.with_credential(#key, apigen_runtime::Credential::basic(user, password)) }
            }
        },
        SetterRole::ApiKey => {
            let SchemeKind::ApiKey { place, name } = &scheme.kind else {
                unreachable!("only API key schemes have an API key setter")
            };
            let place = match place {
                KeyPlace::Header => quote!(Header),
                KeyPlace::Query => quote!(Query),
                KeyPlace::Cookie => quote!(Cookie),
            };
            quote! {
                (self, key: impl Into<String>) -> Self {
                    let key = apigen_runtime::Credential::api_key(apigen_runtime::auth::KeyIn::#place, #name, key);
                    Client { inner: self.inner.with_credential(#key, key) }
                }
            }
        }
        SetterRole::ClientCredentials => {
            let url = token_url(scheme);
            quote! {
                (self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                    let flow = apigen_runtime::Credential::client_credentials(#url, client_id, client_secret);
                    Client { inner: self.inner.with_credential(#key, flow) }
                }
            }
        }
        SetterRole::TokenUrl => quote! {
            (self, url: impl Into<String>) -> Self {
                Client { inner: self.inner.with_token_url(#key, url) }
            }
        },
    };
    quote! { #doc pub fn #name #body }
}

fn token_url(scheme: &SecurityScheme) -> &str {
    match &scheme.kind {
        SchemeKind::OAuth2 {
            token_url: Some(url),
        } => url,
        _ => unreachable!("only client-credentials schemes have a token URL"),
    }
}

/// What a setter does, in a sentence or two (the scheme's description follows).
fn setter_doc(scheme: &SecurityScheme, role: SetterRole) -> Doc {
    let key = scheme.key.as_str();
    let calls = [
        Part::Md(" with the calls that take the "),
        Part::Code(key),
        Part::Md(" scheme."),
    ];
    let doc = Doc::new();
    match role {
        SetterRole::Token => {
            let what = match scheme.kind {
                SchemeKind::OAuth2 { .. } => " (an OAuth2 access token)",
                SchemeKind::OpenIdConnect => " (an OpenID Connect token)",
                _ => "",
            };
            let mut parts = vec![Part::Md("Sends "), Part::Code("Authorization: Bearer <token>")];
            parts.push(Part::Md(what));
            parts.extend(calls);
            let doc = doc.para(&parts);
            let doc = match &scheme.kind {
                SchemeKind::Bearer { format: Some(f) } => {
                    doc.para(&[Part::Md("The token's format: "), Part::Code(f), Part::Md(".")])
                }
                _ => doc,
            };
            doc.md("The token never appears in `Debug` output or in errors.")
        }
        SetterRole::TokenSource => doc.para(&[
            Part::Md("Asks `source` for the bearer token of each attempt of the calls that take the "),
            Part::Code(key),
            Part::Md(" scheme (a token that expires, a refresh flow, a vault)."),
        ]),
        SetterRole::Basic => {
            let mut parts = vec![Part::Md("Sends HTTP basic credentials (`Authorization: Basic …`)")];
            parts.extend(calls);
            doc.para(&parts)
        }
        SetterRole::ApiKey => {
            let SchemeKind::ApiKey { place, name } = &scheme.kind else {
                unreachable!("only API key schemes have an API key setter")
            };
            let place = match place {
                KeyPlace::Header => "Sends `key` as the header ",
                KeyPlace::Query => "Sends `key` as the query parameter ",
                KeyPlace::Cookie => "Sends `key` as the cookie ",
            };
            let mut parts = vec![Part::Md(place), Part::Code(name)];
            parts.extend(calls);
            doc.para(&parts)
                .md("The key never appears in `Debug` output or in errors (nor in a URL they show).")
        }
        SetterRole::ClientCredentials => doc
            .para(&[
                Part::Md("Runs the OAuth2 client-credentials flow for the calls that take the "),
                Part::Code(key),
                Part::Md(" scheme: tokens are fetched from "),
                Part::Code(token_url(scheme)),
                Part::Md(" with `client_id` and `client_secret`, each kept until shortly before it expires and fetched once however many calls wait for it; a call answered 401 gets a fresh one once."),
            ]),
        SetterRole::TokenUrl => doc.para(&[
            Part::Md("Fetches the "),
            Part::Code(key),
            Part::Md(" scheme's tokens from `url` (absolute, or relative to the base URL) instead of "),
            Part::Code(token_url(scheme)),
            Part::Md("."),
        ]),
    }
}

/// The operation's `security` alternatives as a runtime table, or `None` when the call
/// sends no credentials.
pub fn requirements(api: &Api, op: &Operation) -> Option<TokenStream> {
    if op.security.is_empty() {
        return None;
    }
    let schemes = crate::security::by_key(&api.security_schemes);
    let alternatives = op.security.iter().map(|alternative| {
        let requirements = alternative.iter().map(|r| {
            let scheme = &r.scheme;
            let scopes = &r.scopes;
            let setter = schemes
                .get(scheme.as_str())
                .and_then(|s| s.setters.first())
                .map(|(_, name)| name.clone())
                .unwrap_or_else(|| format!("with_external_credential({scheme:?})"));
            quote! {
                apigen_runtime::auth::Requirement { scheme: #scheme, scopes: &[#(#scopes),*], setter: #setter }
            }
        });
        quote!(&[#(#requirements),*])
    });
    Some(quote!(&[#(#alternatives),*]))
}

/// The setters an operation's alternatives need, for its method's docs (`Self::with_api_key`
/// per scheme; `None` for a scheme the client cannot send), alternative by alternative.
pub fn needed_setters(api: &Api, op: &Operation) -> Vec<Vec<Option<String>>> {
    let schemes = crate::security::by_key(&api.security_schemes);
    op.security
        .iter()
        .map(|alternative| {
            alternative
                .iter()
                .map(|r| {
                    let setter = schemes.get(r.scheme.as_str())?.setters.first()?;
                    Some(format!("Self::{}", setter.1))
                })
                .collect()
        })
        .collect()
}

/// "Credentials: [`Self::with_a`] and [`Self::with_b`], or none." as doc parts; empty when
/// the call sends none.
pub fn credentials_parts<'a>(
    needed: &'a [Vec<Option<String>>],
    schemes: &'a [Vec<&'a str>],
) -> Vec<Part<'a>> {
    let mut parts = Vec::new();
    if needed.is_empty() {
        return parts;
    }
    parts.push(Part::Md("Credentials: "));
    for (i, (alternative, keys)) in needed.iter().zip(schemes).enumerate() {
        if i > 0 {
            parts.push(Part::Md(", or "));
        }
        if alternative.is_empty() {
            parts.push(Part::Md("none"));
        }
        for (j, (setter, key)) in alternative.iter().zip(keys).enumerate() {
            if j > 0 {
                parts.push(Part::Md(" and "));
            }
            match setter {
                Some(setter) => {
                    parts.push(Part::Md("[`"));
                    parts.push(Part::Ident(setter));
                    parts.push(Part::Md("`]"));
                }
                None => {
                    parts.push(Part::Md("the "));
                    parts.push(Part::Code(key));
                    parts.push(Part::Md(" scheme, from a middleware"));
                }
            }
        }
    }
    parts.push(Part::Md("."));
    parts
}
