//! Incoming webhooks, for the code generated from `tests/fixtures/incoming.yaml` (OpenAPI
//! 3.1): a body read by the webhook's name, or by its event and the payload's `action`,
//! into the webhook's type; and each way it can be none of them.

use apigen_fixtures::incoming::webhooks::Webhook;
use apigen_runtime::webhooks::WebhookError;

const OPENED: &[u8] =
    br#"{"action": "opened", "issue": {"number": 7, "title": "Broken", "labels": null}}"#;

#[test]
fn an_event_and_its_action_pick_the_webhook() {
    let hook = Webhook::parse_event("issues", OPENED).unwrap();
    let Webhook::IssuesOpened(opened) = &hook else {
        panic!("{hook:?}")
    };
    assert_eq!(opened.issue.number, 7);
    assert_eq!(opened.issue.labels, Some(None));
    assert_eq!(hook.name(), "issues-opened");
    let closed =
        br#"{"action": "closed", "issue": {"number": 7, "title": "Broken"}, "reason": null}"#;
    let hook = Webhook::parse_event("Issues", closed).unwrap();
    let Webhook::IssuesClosed(closed) = &hook else {
        panic!("{hook:?}")
    };
    assert_eq!(closed.reason, Some(None));
}

#[test]
fn events_are_matched_with_underscores_or_hyphens_and_one_webhook_needs_no_action() {
    let body = br#"{"action": "submitted", "review": {"id": 3, "body": null}}"#;
    let hook = Webhook::parse_event("pull_request_review", body).unwrap();
    assert_eq!(hook.name(), "pull-request-review-submitted");
    let hook =
        Webhook::parse_event("ping", br#"{"zen": "Keep it simple.", "hook": {"id": 1}}"#).unwrap();
    let Webhook::Ping(ping) = hook else { panic!() };
    assert_eq!(ping.hook.as_ref().map(|h| h.id), Some(1));
}

#[test]
fn a_name_reads_the_webhook_without_looking_at_the_action() {
    let hook = Webhook::parse("issues-opened", OPENED).unwrap();
    assert!(matches!(hook, Webhook::IssuesOpened(_)));
    let err = Webhook::parse("issues-reopened", OPENED).unwrap_err();
    assert!(
        matches!(&err, WebhookError::UnknownWebhook(n) if n == "issues-reopened"),
        "{err}"
    );
}

#[test]
fn what_is_none_of_the_webhooks_says_why() {
    let reopened = br#"{"action": "reopened", "issue": {"number": 1, "title": "t"}}"#;
    let err = Webhook::parse_event("issues", reopened).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"the "issues" event has no webhook for the action "reopened""#
    );
    let err = Webhook::parse_event("issues", br#"{"issue": {}}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        r#"the "issues" event has no webhook for the action (none given)"#
    );
    let err = Webhook::parse_event("deployment", OPENED).unwrap_err();
    assert!(matches!(err, WebhookError::UnknownEvent(_)), "{err}");
    // A payload of the wrong shape names where, and quotes nothing from the body.
    let bad = br#"{"action": "opened", "issue": {"number": "seven-secret", "title": "t"}}"#;
    let err = Webhook::parse_event("issues", bad).unwrap_err();
    let WebhookError::Decode { path, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(path, "issue.number");
    assert!(!err.to_string().contains("seven-secret"), "{err}");
    // Anything after the document is refused, as for responses.
    let trailing = [OPENED, b" {}"].concat();
    assert!(matches!(
        Webhook::parse_event("issues", &trailing),
        Err(WebhookError::Decode { .. })
    ));
}
