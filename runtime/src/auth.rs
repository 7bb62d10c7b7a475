//! Credentials: what the client holds for each security scheme the spec declares, which
//! of an operation's `security` alternatives a call uses, and putting it on each attempt.
//! Input: the client's credentials and the operation's requirements; output: headers,
//! query pairs and cookies on a `reqwest::Request`, or an error before anything is sent.
//!
//! The rule for choosing: the first alternative, in the spec's order, whose schemes all
//! have a credential on the client. An empty alternative (`{}`, "no credentials") is
//! taken only when no other one can be: a credential the user set is sent. When none can
//! be and none is empty, the call fails with `Error::MissingCredentials`, naming the
//! setters that would make one.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use crate::client::Client;
use crate::error::{BoxError, Error};

mod oauth2;

pub use oauth2::ClientCredentials;

/// A boxed future, as trait objects return them.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One scheme of one alternative of an operation's `security`, as generated code lists it.
#[derive(Debug, Clone, Copy)]
pub struct Requirement {
    /// The scheme's name in the spec's `components.securitySchemes`.
    pub scheme: &'static str,
    /// The OAuth2 or OpenID Connect scopes the operation needs.
    pub scopes: &'static [&'static str],
    /// The client setter that supplies this credential (for the error when none does).
    pub setter: &'static str,
}

/// Gives access tokens when a call needs one: a token store, a refresh flow, a vault.
/// Called on every attempt that sends the credential, so it should cache.
pub trait TokenSource: Send + Sync {
    /// A token for a call needing `scopes` (empty when the scheme has none).
    ///
    /// # Errors
    /// Whatever stops the source from giving one; the call fails with `Error::Auth`.
    fn token<'a>(&'a self, scopes: &'a [&'static str]) -> BoxFuture<'a, Result<String, BoxError>>;
}

/// A token that never changes.
struct Fixed(String);

impl TokenSource for Fixed {
    fn token<'a>(&'a self, _: &'a [&'static str]) -> BoxFuture<'a, Result<String, BoxError>> {
        Box::pin(std::future::ready(Ok(self.0.clone())))
    }
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyIn {
    Header,
    Query,
    Cookie,
}

/// What the client sends for one security scheme.
#[derive(Clone)]
pub enum Credential {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth2 and OpenID Connect schemes).
    Bearer(Arc<dyn TokenSource>),
    /// `Authorization: Basic <user:password in base64>`.
    Basic(HeaderValue),
    /// An API key in a header, query parameter or cookie called `name`.
    ApiKey {
        place: KeyIn,
        name: &'static str,
        key: String,
    },
    /// An OAuth2 client-credentials flow the client runs itself.
    ClientCredentials(Arc<ClientCredentials>),
    /// Added by a middleware of the user's: the client sends nothing for it.
    External,
}

impl Credential {
    /// The fixed bearer `token`.
    pub fn bearer(token: impl Into<String>) -> Self {
        Credential::Bearer(Arc::new(Fixed(token.into())))
    }

    /// Bearer tokens from `source`, asked on each attempt.
    pub fn bearer_from(source: impl TokenSource + 'static) -> Self {
        Credential::Bearer(Arc::new(source))
    }

    /// HTTP basic authentication.
    pub fn basic(user: &str, password: &str) -> Self {
        use base64::Engine;
        let pair = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        // Base64 is always a valid header value.
        let mut value = HeaderValue::from_str(&format!("Basic {pair}")).expect("base64 is ASCII");
        value.set_sensitive(true);
        Credential::Basic(value)
    }

    /// The API key `key`, sent as `name` in `place`.
    pub fn api_key(place: KeyIn, name: &'static str, key: impl Into<String>) -> Self {
        Credential::ApiKey {
            place,
            name,
            key: key.into(),
        }
    }

    /// The OAuth2 client-credentials flow at `token_url` (absolute, or relative to the
    /// base URL), for the client `client_id`.
    pub fn client_credentials(
        token_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Credential::ClientCredentials(Arc::new(ClientCredentials::new(
            token_url,
            client_id.into(),
            client_secret.into(),
        )))
    }

    fn kind(&self) -> &'static str {
        match self {
            Credential::Bearer(_) => "bearer",
            Credential::Basic(_) => "basic",
            Credential::ApiKey { .. } => "api key",
            Credential::ClientCredentials(_) => "oauth2 client credentials",
            Credential::External => "external",
        }
    }
}

/// Names the kind only: never a secret.
impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(<redacted>)", self.kind())
    }
}

/// The credentials a client holds, by scheme name.
pub(crate) type Credentials = BTreeMap<String, Credential>;

/// The requirements one call meets, each with its credential.
pub(crate) type Chosen = Vec<(Requirement, Credential)>;

/// The alternative of `alternatives` this call uses, by the module's rule.
pub(crate) fn choose(
    credentials: &Credentials,
    alternatives: &[&[Requirement]],
    operation: &'static str,
) -> Result<Chosen, Error> {
    let met = alternatives
        .iter()
        .find(|alt| !alt.is_empty() && alt.iter().all(|r| credentials.contains_key(r.scheme)));
    if let Some(alt) = met {
        return Ok(alt
            .iter()
            .map(|r| (*r, credentials[r.scheme].clone()))
            .collect());
    }
    if alternatives.is_empty() || alternatives.iter().any(|alt| alt.is_empty()) {
        return Ok(Vec::new());
    }
    let needs: Vec<String> = alternatives
        .iter()
        .map(|alt| {
            let setters: Vec<String> = alt.iter().map(|r| format!("`{}`", r.setter)).collect();
            setters.join(" and ")
        })
        .collect();
    Err(Error::MissingCredentials {
        operation,
        needs: needs.join(", or "),
    })
}

/// Puts the chosen credentials on one attempt's request (fetching tokens as needed).
pub(crate) async fn apply(
    client: &Client,
    operation: &'static str,
    chosen: &Chosen,
    request: &mut reqwest::Request,
) -> Result<(), Error> {
    for (requirement, credential) in chosen {
        let auth_error = |reason: String| Error::Auth {
            operation,
            scheme: requirement.scheme,
            reason,
        };
        match credential {
            Credential::Bearer(source) => {
                let token = source
                    .token(requirement.scopes)
                    .await
                    .map_err(|e| auth_error(format!("the token source failed: {e}")))?;
                set_bearer(request, &token).map_err(auth_error)?;
            }
            Credential::ClientCredentials(flow) => {
                let token = flow
                    .token(client, requirement.scheme, requirement.scopes)
                    .await
                    .map_err(auth_error)?;
                set_bearer(request, &token).map_err(auth_error)?;
            }
            Credential::Basic(value) => {
                request.headers_mut().insert(AUTHORIZATION, value.clone());
            }
            Credential::ApiKey { place, name, key } => {
                put_key(request, *place, name, key).map_err(auth_error)?;
            }
            Credential::External => {}
        }
    }
    Ok(())
}

/// Whether a 401 answer may be cured by fetching new tokens: forgets the ones the chosen
/// client-credentials flows hold, and says whether there were any.
pub(crate) async fn forget_tokens(chosen: &Chosen) -> bool {
    let mut any = false;
    for (requirement, credential) in chosen {
        if let Credential::ClientCredentials(flow) = credential {
            flow.forget(requirement.scopes).await;
            any = true;
        }
    }
    any
}

fn set_bearer(request: &mut reqwest::Request, token: &str) -> Result<(), String> {
    let mut value = HeaderValue::from_str(&format!("Bearer {token}"))
        .map_err(|_| "the token holds characters a header cannot carry".to_string())?;
    value.set_sensitive(true);
    request.headers_mut().insert(AUTHORIZATION, value);
    Ok(())
}

fn put_key(
    request: &mut reqwest::Request,
    place: KeyIn,
    name: &'static str,
    key: &str,
) -> Result<(), String> {
    let unsendable = || "the API key holds characters a header cannot carry".to_string();
    match place {
        KeyIn::Header => {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("{name:?} is not a valid HTTP header name"))?;
            let mut value = HeaderValue::from_str(key).map_err(|_| unsendable())?;
            value.set_sensitive(true);
            request.headers_mut().insert(name, value);
        }
        KeyIn::Query => {
            request.url_mut().query_pairs_mut().append_pair(name, key);
        }
        KeyIn::Cookie => {
            let pair = format!("{name}={}", crate::request::cookie_value(key));
            let cookies = match request.headers().get(COOKIE).map(HeaderValue::to_str) {
                Some(Ok(existing)) => format!("{existing}; {pair}"),
                _ => pair,
            };
            let mut value = HeaderValue::from_str(&cookies).map_err(|_| unsendable())?;
            value.set_sensitive(true);
            request.headers_mut().insert(COOKIE, value);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: Requirement = Requirement {
        scheme: "key",
        scopes: &[],
        setter: "with_api_key",
    };
    const BASIC: Requirement = Requirement {
        scheme: "basic",
        scopes: &[],
        setter: "with_basic_auth",
    };

    fn held(names: &[&str]) -> Credentials {
        names
            .iter()
            .map(|n| (n.to_string(), Credential::bearer("t")))
            .collect()
    }

    fn chosen(
        held_names: &[&str],
        alternatives: &[&[Requirement]],
    ) -> Result<Vec<&'static str>, String> {
        choose(&held(held_names), alternatives, "op")
            .map(|c| c.iter().map(|(r, _)| r.scheme).collect())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn the_first_alternative_the_client_can_meet_is_used() {
        let alts: &[&[Requirement]] = &[&[KEY, BASIC], &[BASIC]];
        assert_eq!(chosen(&["key", "basic"], alts).unwrap(), ["key", "basic"]);
        assert_eq!(chosen(&["basic"], alts).unwrap(), ["basic"]);
        assert_eq!(
            chosen(&["key"], alts).unwrap_err(),
            "op: no credentials for this call: set `with_api_key` and `with_basic_auth`, or `with_basic_auth` on the client"
        );
    }

    #[test]
    fn an_empty_alternative_is_taken_only_when_no_other_can_be() {
        let alts: &[&[Requirement]] = &[&[], &[KEY]];
        assert_eq!(chosen(&["key"], alts).unwrap(), ["key"]);
        assert!(chosen(&[], alts).unwrap().is_empty());
        assert!(chosen(&[], &[]).unwrap().is_empty());
    }

    #[test]
    fn debug_names_the_kind_only() {
        let shown = format!(
            "{:?} {:?}",
            Credential::basic("user", "hunter2"),
            Credential::api_key(KeyIn::Query, "k", "sekrit")
        );
        assert_eq!(shown, "basic(<redacted>) api key(<redacted>)");
    }
}
