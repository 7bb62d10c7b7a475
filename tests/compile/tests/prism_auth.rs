//! The client generated from `tests/fixtures/auth.yaml` against Prism, which checks each
//! request's credentials against the operation's `security` (`scripts/prism.sh` starts it
//! and sets PRISM_AUTH_URL). Every call with its credentials set must be accepted; the
//! same requests without them must be refused, so that the acceptance means something.

use apigen_fixtures::auth::Client;

fn base() -> String {
    std::env::var("PRISM_AUTH_URL").expect("PRISM_AUTH_URL (scripts/prism.sh sets it)")
}

#[tokio::test]
#[ignore = "needs Prism: run scripts/prism.sh"]
async fn prism_accepts_every_credential_the_client_sends() {
    let c = Client::with_base_url(&base())
        .unwrap()
        .with_retry(apigen_runtime::RetryPolicy::none())
        .with_bearer_token("tok")
        .with_basic_auth("user", "hunter2")
        .with_key_header("k-header")
        .with_key_query("k-query")
        .with_key_cookie("k-cookie")
        .with_oauth_token("oauth-tok")
        .with_oidc_token("oidc-tok");
    let results = [
        ("bearerOnly", c.bearer_only().send().await),
        ("basicOnly", c.basic_only().send().await),
        ("headerKey", c.header_key().send().await),
        ("queryKey", c.query_key().page(1).send().await),
        (
            "cookieKey",
            c.cookie_key().theme("dark".to_string()).send().await,
        ),
        ("keyAndBasic", c.key_and_basic().send().await),
        ("keyOrBasic", c.key_or_basic().send().await),
        ("open", c.open().send().await),
        ("optionalKey", c.optional_key().send().await),
        ("oauthScoped", c.oauth_scoped().send().await),
        ("oidcOnly", c.oidc_only().send().await),
    ];
    let failed: Vec<String> = results
        .iter()
        .filter_map(|(op, r)| r.as_ref().err().map(|e| format!("{op}: {e}")))
        .collect();
    assert!(failed.is_empty(), "Prism refused: {failed:#?}");
    println!("Prism accepted all {} credentialed calls", results.len());
}

#[tokio::test]
#[ignore = "needs Prism: run scripts/prism.sh"]
async fn prism_refuses_the_same_requests_without_credentials() {
    let http = reqwest::Client::new();
    let base = base();
    let paths = [
        "/bearer",
        "/basic",
        "/header-key",
        "/query-key",
        "/cookie-key",
        "/both",
        "/either",
        "/oauth",
        "/oidc",
    ];
    for path in paths {
        let status = http
            .get(format!("{base}{path}"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 401, "{path} without credentials");
    }
    // An AND needs both: one alone is refused.
    let status = http
        .get(format!("{base}/both"))
        .header("x-api-key", "k")
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, 401, "/both with the key alone");
    println!(
        "Prism refused all {} requests without (all) credentials",
        paths.len() + 1
    );
}
