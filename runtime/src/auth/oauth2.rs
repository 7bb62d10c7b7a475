//! The OAuth2 client-credentials flow (RFC 6749 §4.4), run by the client: a token
//! fetched from the token URL when a call needs one, kept until shortly before it
//! expires, fetched once however many calls wait for it.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use serde::Deserialize;

use crate::client::Client;
// A transport error in a few words, its URL left out.
use crate::error::transport_kind;

/// The most bytes a token response may have.
const TOKEN_BODY_LIMIT: u64 = 64 * 1024;

/// How much of an `error_description` an error repeats.
const DESCRIPTION_LIMIT: usize = 200;

/// One client's credentials for a token endpoint, and the tokens it was given, by scope.
pub struct ClientCredentials {
    token_url: String,
    client_id: String,
    client_secret: String,
    /// Held while a token is fetched, so concurrent calls wait for that one fetch.
    tokens: tokio::sync::Mutex<HashMap<String, Token>>,
}

struct Token {
    value: String,
    /// When to stop using it; `None` when the server gave no lifetime.
    until: Option<Instant>,
}

/// What a token endpoint answers (RFC 6749 §5.1), the fields used.
#[derive(Deserialize)]
struct Granted {
    access_token: String,
    token_type: Option<String>,
    expires_in: Option<serde_json::Number>,
}

/// What a token endpoint answers on failure (RFC 6749 §5.2).
#[derive(Deserialize)]
struct Refused {
    error: Option<String>,
    error_description: Option<String>,
}

impl ClientCredentials {
    pub(crate) fn new(token_url: &str, client_id: String, client_secret: String) -> Self {
        ClientCredentials {
            token_url: token_url.to_string(),
            client_id,
            client_secret,
            tokens: tokio::sync::Mutex::new(HashMap::new()),
        }
    }

    /// A token for `scopes`: the one held, or a new one.
    pub(crate) async fn token(
        &self,
        client: &Client,
        scheme: &str,
        scopes: &[&'static str],
    ) -> Result<String, String> {
        let scope = scopes.join(" ");
        let mut tokens = self.tokens.lock().await;
        if let Some(token) = tokens.get(&scope) {
            if token.until.is_none_or(|until| Instant::now() < until) {
                return Ok(token.value.clone());
            }
        }
        let url = client
            .token_urls
            .get(scheme)
            .map_or(self.token_url.as_str(), String::as_str);
        let token = self.fetch(client, url, &scope).await?;
        let value = token.value.clone();
        tokens.insert(scope, token);
        Ok(value)
    }

    /// Drops the token held for `scopes` (the server refused it).
    pub(crate) async fn forget(&self, scopes: &[&'static str]) {
        self.tokens.lock().await.remove(&scopes.join(" "));
    }

    async fn fetch(&self, client: &Client, url: &str, scope: &str) -> Result<Token, String> {
        let url = absolute(client.base_url(), url)?;
        let mut form = vec![("grant_type", "client_credentials")];
        if !scope.is_empty() {
            form.push(("scope", scope));
        }
        let mut request = client
            .http
            .post(url)
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .timeout(client.timeout)
            .body(serde_urlencoded::to_string(&form).map_err(|e| e.to_string())?)
            .build()
            .map_err(|e| format!("the token request cannot be built: {}", transport_kind(&e)))?;
        request
            .headers_mut()
            .insert(AUTHORIZATION, self.basic_auth());
        let started = Instant::now();
        let response = client.http.execute(request).await.map_err(|e| {
            format!(
                "the token endpoint could not be reached: {}",
                transport_kind(&e)
            )
        })?;
        let status = response.status();
        let body = crate::send::read_body(response, TOKEN_BODY_LIMIT)
            .await
            .map_err(|e| match e {
                Some(e) => format!(
                    "the token response could not be read: {}",
                    transport_kind(&e)
                ),
                None => format!("the token response is larger than {TOKEN_BODY_LIMIT} bytes"),
            })?;
        if !status.is_success() {
            return Err(refusal(status, &body));
        }
        let granted: Granted = serde_json::from_slice(&body).map_err(|e| {
            format!(
                "the token response is not a token ({})",
                crate::error::DecodeError::new(e)
            )
        })?;
        if let Some(kind) = granted
            .token_type
            .filter(|t| !t.eq_ignore_ascii_case("bearer"))
        {
            return Err(format!(
                "the token endpoint gave a {kind:?} token, not a bearer one"
            ));
        }
        Ok(Token {
            until: lifetime(granted.expires_in.as_ref()).and_then(|d| started.checked_add(d)),
            value: granted.access_token,
        })
    }

    /// Client authentication by HTTP basic (RFC 6749 §2.3.1), each part form-encoded.
    fn basic_auth(&self) -> HeaderValue {
        // `=value`: the name is empty and `=` itself is always escaped in the value.
        let encode = |s: &str| {
            let pair = serde_urlencoded::to_string([("", s)]).unwrap_or_default();
            pair.trim_start_matches('=').to_string()
        };
        let user = encode(&self.client_id);
        let password = encode(&self.client_secret);
        match super::Credential::basic(&user, &password) {
            super::Credential::Basic(value) => value,
            _ => unreachable!("Credential::basic makes a Basic credential"),
        }
    }
}

/// How long a token given for `expires_in` seconds is used: a tenth less (at most a
/// minute less), so it is not sent as it expires. `None` when no lifetime was given or
/// it is too large to count.
fn lifetime(expires_in: Option<&serde_json::Number>) -> Option<Duration> {
    let seconds = expires_in?
        .as_f64()
        .filter(|s| s.is_finite() && *s >= 0.0)?;
    let full = Duration::try_from_secs_f64(seconds).ok()?;
    Some(full.saturating_sub((full / 10).min(Duration::from_secs(60))))
}

/// `url` made absolute against the client's base URL.
fn absolute(base: &str, url: &str) -> Result<reqwest::Url, String> {
    let base = reqwest::Url::parse(&format!("{base}/")).map_err(|e| e.to_string())?;
    base.join(url)
        .map_err(|e| format!("the token URL is not a URL: {e}"))
}

/// A failed token request in words: the status and the OAuth2 error, if one was given.
fn refusal(status: reqwest::StatusCode, body: &[u8]) -> String {
    let mut text = format!("the token endpoint answered {status}");
    if let Ok(refused) = serde_json::from_slice::<Refused>(body) {
        if let Some(error) = refused.error {
            text.push_str(&format!(" ({error}"));
            if let Some(description) = refused.error_description {
                let short: String = description.chars().take(DESCRIPTION_LIMIT).collect();
                text.push_str(&format!(": {short}"));
            }
            text.push(')');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_used_until_shortly_before_it_expires() {
        let n = |v: u64| serde_json::Number::from(v);
        assert_eq!(lifetime(Some(&n(3600))), Some(Duration::from_secs(3540)));
        assert_eq!(lifetime(Some(&n(10))), Some(Duration::from_secs(9)));
        assert_eq!(lifetime(None), None);
        // A server's number is never trusted to fit: no panic; too large counts as none.
        assert_eq!(lifetime(Some(&n(u64::MAX))), None);
        let huge: serde_json::Number = serde_json::from_str("1e300").unwrap();
        assert_eq!(lifetime(Some(&huge)), None);
        let negative: serde_json::Number = serde_json::from_str("-5").unwrap();
        assert_eq!(lifetime(Some(&negative)), None);
    }

    #[test]
    fn a_refusal_says_the_status_and_the_oauth_error() {
        let body = br#"{"error":"invalid_client","error_description":"unknown client"}"#;
        assert_eq!(
            refusal(reqwest::StatusCode::UNAUTHORIZED, body),
            "the token endpoint answered 401 Unauthorized (invalid_client: unknown client)"
        );
        assert_eq!(
            refusal(reqwest::StatusCode::BAD_GATEWAY, b"<html>"),
            "the token endpoint answered 502 Bad Gateway"
        );
    }
}
