//! Reading incoming webhooks: what generated `webhooks::Webhook::parse` and `parse_event`
//! call. Input: a webhook's name or event (a header such as `X-GitHub-Event`) and its body;
//! output: which webhook it is, decoded, or why it is none of them.

use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Why a webhook body could not be read as one of the spec's webhooks.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// No webhook of the spec has this name.
    #[error("no webhook is called {0:?}")]
    UnknownWebhook(String),
    /// No webhook of the spec belongs to this event.
    #[error("no webhook belongs to the event {0:?}")]
    UnknownEvent(String),
    /// The event's webhooks are told apart by the payload's `action`, and none has this one.
    #[error("the {event:?} event has no webhook for the action {}", action_text(.action))]
    UnknownAction {
        event: &'static str,
        action: Option<String>,
    },
    /// The body is not the webhook's payload: where (a JSON path) and why, without the
    /// values serde would quote from it.
    #[error("the body is not a valid {webhook:?} payload: at `{path}`: {source}")]
    Decode {
        webhook: &'static str,
        path: String,
        source: crate::error::DecodeError,
    },
}

fn action_text(action: &Option<String>) -> String {
    match action {
        Some(a) => format!("{a:?}"),
        None => "(none given)".into(),
    }
}

/// An event name as the generated parser compares it: lower case, `-` for `_`
/// (`X-GitHub-Event: pull_request_review` → `pull-request-review`).
pub fn event_key(event: &str) -> String {
    event.trim().to_lowercase().replace('_', "-")
}

/// The payload's top-level `action`, when it has a string one (the rest of the body is
/// skipped, not decoded).
///
/// # Errors
/// When the body is not a JSON object.
pub fn action(webhook_event: &'static str, body: &[u8]) -> Result<Option<String>, WebhookError> {
    decode::<Action>(webhook_event, body).map(|a| a.0)
}

/// The `action` of a JSON object (only an object: a list is no payload).
struct Action(Option<String>);

impl<'de> Deserialize<'de> for Action {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Action;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Action, A::Error> {
                let mut action = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "action" {
                        let value: serde_json::Value = map.next_value()?;
                        action = value.as_str().map(str::to_string);
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(Action(action))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// The body decoded as the payload of `webhook`; anything after the JSON document but
/// whitespace is an error.
///
/// # Errors
/// `WebhookError::Decode` with the path where decoding failed.
pub fn decode<T: DeserializeOwned>(webhook: &'static str, body: &[u8]) -> Result<T, WebhookError> {
    crate::json::decode(body).map_err(|e| WebhookError::Decode {
        webhook,
        path: e.path,
        source: crate::error::DecodeError::new(e.source),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_compare_in_one_spelling() {
        assert_eq!(event_key("Pull_Request_Review "), "pull-request-review");
    }

    #[test]
    fn the_action_is_read_without_decoding_the_rest() {
        let body = br#"{"zen": {"deep": [1, 2]}, "action": "opened", "n": 1}"#;
        assert_eq!(action("issues", body).unwrap().as_deref(), Some("opened"));
        assert_eq!(action("ping", br#"{"zen": "x"}"#).unwrap(), None);
        let err = action("issues", b"[1]").unwrap_err();
        assert!(matches!(err, WebhookError::Decode { .. }), "{err}");
        let err = action("issues", br#"{"action": "opened"} trailing"#).unwrap_err();
        assert!(matches!(err, WebhookError::Decode { .. }), "{err}");
    }
}
