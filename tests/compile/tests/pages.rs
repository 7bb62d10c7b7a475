//! Pagination, for the code generated from `tests/fixtures/pages.yaml` (two list
//! operations found by their shape, three configured in `pages.apigen.yaml`), against
//! loopback servers: three pages by `Link` header and by cursor, an empty last page, a
//! repeated cursor, a 429 on page 2 retried, a link to another origin refused, page
//! numbers and offsets, and the caller's page limit.

use std::sync::Arc;
use std::time::Duration;

use apigen_fixtures::pages::errors::ListReposError;
use apigen_fixtures::pages::Client;
use apigen_runtime::Error;
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> (MockServer, Client) {
    let server = MockServer::start().await;
    // Retries wait for nothing here.
    let client = Client::with_base_url(&server.uri())
        .unwrap()
        .with_sleeper(Arc::new(|_| Box::pin(async {})));
    (server, client)
}

async fn answer(
    server: &MockServer,
    at: &str,
    query: Option<(&str, &str)>,
    reply: ResponseTemplate,
) {
    let mock = Mock::given(method("GET")).and(path(at));
    let mock = match query {
        Some((name, value)) => mock.and(query_param(name, value)),
        None => mock,
    };
    mock.respond_with(reply).expect(1).mount(server).await;
}

fn repos(ids: &[i64]) -> Value {
    Value::Array(ids.iter().map(|id| json!({"id": id})).collect())
}

#[tokio::test]
async fn three_pages_by_link_header_and_a_429_on_page_two_retried() {
    let (server, client) = server().await;
    let uri = server.uri();
    let link = |page: u32| {
        format!("<{uri}/repos?per_page=2&page={page}>; rel=\"next\", <{uri}/repos?page=1>; rel=\"first\"")
    };
    Mock::given(method("GET"))
        .and(path("/repos"))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(repos(&[1, 2]))
                .insert_header("link", link(2)),
        )
        .expect(1)
        .mount(&server)
        .await;
    // Page 2 is refused once with a 429, then given.
    Mock::given(method("GET"))
        .and(path("/repos"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    answer(
        &server,
        "/repos",
        Some(("page", "2")),
        ResponseTemplate::new(200)
            .set_body_json(repos(&[3, 4]))
            .insert_header("link", link(3)),
    )
    .await;
    answer(
        &server,
        "/repos",
        Some(("page", "3")),
        ResponseTemplate::new(200).set_body_json(repos(&[5])),
    )
    .await;
    let ids: Vec<i64> = client
        .list_repos()
        .per_page(2)
        .items()
        .map_ok(|repo| repo.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [1, 2, 3, 4, 5]);
    // Three successful requests, and the refused one.
    assert_eq!(server.received_requests().await.unwrap().len(), 4);
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_not_followed() {
    let (server, client) = server().await;
    let reply = ResponseTemplate::new(200)
        .set_body_json(repos(&[1]))
        .insert_header(
            "link",
            "<https://elsewhere.test/repos?page=2>; rel=\"next\"",
        );
    answer(&server, "/repos", None, reply).await;
    let pages: Vec<_> = client.list_repos().pages().collect().await;
    assert_eq!(pages.len(), 2, "{pages:?}");
    assert_eq!(pages[0].as_ref().unwrap().body().len(), 1);
    match &pages[1] {
        Err(Error::InvalidParameter {
            name: "Link",
            reason,
            ..
        }) => {
            assert!(reason.contains("another origin"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_error_status_on_a_page_is_typed_and_ends_the_stream() {
    let (server, client) = server().await;
    answer(&server, "/repos", None, ResponseTemplate::new(404)).await;
    let pages: Vec<_> = client
        .list_repos()
        .retry(apigen_runtime::RetryPolicy::none())
        .pages()
        .collect()
        .await;
    assert_eq!(pages.len(), 1);
    let err = pages[0].as_ref().unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(
        matches!(err.detail(), Some(ListReposError::Undocumented)),
        "{err:?}"
    );
}

#[tokio::test]
async fn three_pages_by_the_last_items_id_while_has_more() {
    let (server, client) = server().await;
    let page = |ids: &[&str], more: bool| {
        let data: Vec<Value> = ids
            .iter()
            .map(|id| json!({"id": id, "amount": 5}))
            .collect();
        ResponseTemplate::new(200).set_body_json(json!({"data": data, "has_more": more}))
    };
    Mock::given(method("GET"))
        .and(path("/charges"))
        .and(query_param_is_missing("starting_after"))
        .respond_with(page(&["ch_1", "ch_2"], true))
        .expect(1)
        .mount(&server)
        .await;
    answer(
        &server,
        "/charges",
        Some(("starting_after", "ch_2")),
        page(&["ch_3"], true),
    )
    .await;
    answer(
        &server,
        "/charges",
        Some(("starting_after", "ch_3")),
        page(&["ch_4"], false),
    )
    .await;
    let pages: Vec<_> = client
        .list_charges()
        .limit(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<Vec<&str>> = pages
        .iter()
        .map(|p| p.data.iter().map(|c| c.id.as_str()).collect())
        .collect();
    assert_eq!(ids, [vec!["ch_1", "ch_2"], vec!["ch_3"], vec!["ch_4"]]);
    assert!(pages.iter().all(|p| p.status() == 200));
    // Each request kept the caller's parameters.
    for request in server.received_requests().await.unwrap() {
        assert!(
            request.url.query().unwrap_or("").contains("limit=2"),
            "{}",
            request.url
        );
    }
}

#[tokio::test]
async fn an_empty_page_ends_the_stream_though_it_gives_a_cursor() {
    let (server, client) = server().await;
    let reply = |ids: &[i64], next: &str| {
        ResponseTemplate::new(200).set_body_json(json!({"items": repos(ids), "next_cursor": next}))
    };
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(query_param_is_missing("cursor"))
        .respond_with(reply(&[1], "a"))
        .expect(1)
        .mount(&server)
        .await;
    answer(&server, "/things", Some(("cursor", "a")), reply(&[2], "b")).await;
    answer(&server, "/things", Some(("cursor", "b")), reply(&[], "c")).await;
    let items: Vec<_> = client.list_things().items().try_collect().await.unwrap();
    assert_eq!(items.iter().map(|r| r.id).collect::<Vec<_>>(), [1, 2]);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream() {
    let (server, client) = server().await;
    let reply = |id: i64, next: &str| {
        ResponseTemplate::new(200)
            .set_body_json(json!({"items": repos(&[id]), "next_cursor": next}))
    };
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(query_param_is_missing("cursor"))
        .respond_with(reply(1, "a"))
        .expect(1)
        .mount(&server)
        .await;
    // The server answers every `a` with `a` again: asked once, never twice.
    answer(&server, "/things", Some(("cursor", "a")), reply(2, "a")).await;
    let call = client.list_things().items().try_collect::<Vec<_>>();
    let items = tokio::time::timeout(Duration::from_secs(5), call)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(items.len(), 2);
}

#[tokio::test]
async fn offsets_advance_by_the_items_and_page_numbers_by_one_from_the_callers() {
    let (server, client) = server().await;
    let rows = |r: &[i64]| ResponseTemplate::new(200).set_body_json(json!({"rows": r}));
    answer(
        &server,
        "/rows",
        Some(("offset", "10")),
        rows(&[10, 11, 12]),
    )
    .await;
    answer(&server, "/rows", Some(("offset", "13")), rows(&[13])).await;
    answer(&server, "/rows", Some(("offset", "14")), rows(&[])).await;
    let all: Vec<i64> = client
        .list_rows()
        .offset(10)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, [10, 11, 12, 13]);
    let results = |r: &[&str]| ResponseTemplate::new(200).set_body_json(json!({"results": r}));
    answer(&server, "/numbered", Some(("page", "4")), results(&["d"])).await;
    answer(&server, "/numbered", Some(("page", "5")), results(&["e"])).await;
    answer(&server, "/numbered", Some(("page", "6")), results(&[])).await;
    let all: Vec<String> = client
        .list_numbered()
        .page(4)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all, ["d", "e"]);
}

#[tokio::test]
async fn the_caller_can_cap_the_pages() {
    let (server, client) = server().await;
    let page =
        |n: i64| ResponseTemplate::new(200).set_body_json(json!({"results": [n.to_string()]}));
    Mock::given(method("GET"))
        .and(path("/numbered"))
        .and(query_param_is_missing("page"))
        .respond_with(page(1))
        .expect(1)
        .mount(&server)
        .await;
    answer(&server, "/numbered", Some(("page", "2")), page(2)).await;
    // An endless list, read two pages of.
    let pages: Vec<_> = client
        .list_numbered()
        .pages()
        .max_pages(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    let items: Vec<String> = client
        .list_numbered()
        .pages()
        .max_pages(0)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(items.is_empty());
}
