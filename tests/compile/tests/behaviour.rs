//! Behaviour of the code generated for the one-feature fixtures: round trips, rejections,
//! and what the client puts on the wire.

use apigen_check::{rejected, round_trip};
use apigen_fixtures::*;
use serde_json::{json, Value};

mod nullable_fixture {
    use super::*;
    use nullable::types::{Colour, CreateThingRequest};

    #[test]
    fn required_optional_and_nullable_are_distinct() {
        let base = json!({"requiredPlain": "a", "requiredNullable": null});
        let t: CreateThingRequest = round_trip(base.clone());
        assert_eq!(t.required_nullable, None);
        // A required nullable field must be present.
        let e = rejected::<CreateThingRequest>(json!({"requiredPlain": "a"}));
        assert!(e.contains("requiredNullable"), "{e}");
        // Optional nullable: absent, null and a value are three states, each kept.
        let t: CreateThingRequest = round_trip(
            json!({"requiredPlain": "a", "requiredNullable": "b", "optionalNullable": null}),
        );
        assert_eq!(t.optional_nullable, Some(None));
        let t: CreateThingRequest = round_trip(
            json!({"requiredPlain": "a", "requiredNullable": "b", "optionalNullable": 3}),
        );
        assert_eq!(t.optional_nullable, Some(Some(3)));
        assert_eq!(t.optional_plain, None);
    }

    #[test]
    fn enum_with_null_and_boolean_literals() {
        let t: CreateThingRequest =
            round_trip(json!({"requiredPlain": "a", "requiredNullable": null, "colour": null}));
        assert_eq!(t.colour, Some(None));
        let t: CreateThingRequest =
            round_trip(json!({"requiredPlain": "a", "requiredNullable": null, "colour": "red"}));
        assert_eq!(t.colour, Some(Some(Colour::Red)));
        rejected::<CreateThingRequest>(
            json!({"requiredPlain": "a", "requiredNullable": null, "colour": "blue"}),
        );
        round_trip::<CreateThingRequest>(
            json!({"requiredPlain": "a", "requiredNullable": null, "flag": true, "onlyFalse": false}),
        );
        rejected::<CreateThingRequest>(
            json!({"requiredPlain": "a", "requiredNullable": null, "onlyFalse": true}),
        );
        round_trip::<CreateThingRequest>(
            json!({"requiredPlain": "a", "requiredNullable": null, "nullableItems": ["x", null]}),
        );
    }

    #[test]
    fn integers_reject_fractions() {
        rejected::<CreateThingRequest>(
            json!({"requiredPlain": "a", "requiredNullable": null, "optionalNullable": 1.5}),
        );
    }
}

mod unions_fixture {
    use super::*;
    use unions::types::*;

    #[test]
    fn single_tag_property_dispatch() {
        assert!(matches!(
            round_trip::<Shape>(json!({"kind": "circle", "radius": 1})),
            Shape::Circle(_)
        ));
        assert!(matches!(
            round_trip::<Shape>(json!({"kind": "square", "side": 2})),
            Shape::Square(_)
        ));
        // A response union keeps a tag value the spec does not list, as it came.
        let doc = json!({"kind": "triangle", "corners": 3});
        assert_eq!(round_trip::<Shape>(doc.clone()), Shape::Unknown(doc));
        let e = rejected::<Shape>(json!({"radius": 1}));
        assert!(e.contains("no kind"), "{e}");
    }

    #[test]
    fn object_or_literal_false() {
        assert_eq!(round_trip::<Limit>(json!(false)), Limit::False);
        round_trip::<Limit>(json!({"max": 3}));
        rejected::<Limit>(json!(true));
    }

    #[test]
    fn kinds_pick_the_branch_and_integers_stay_integers() {
        assert_eq!(
            round_trip::<ListShapesResponseValue>(json!(3)),
            ListShapesResponseValue::Integer(3)
        );
        assert_eq!(
            round_trip::<ListShapesResponseValue>(json!(3.5)),
            ListShapesResponseValue::Number(3.5)
        );
        assert_eq!(
            round_trip::<ListShapesResponseValue>(json!([])),
            ListShapesResponseValue::Texts(vec![])
        );
        assert_eq!(
            round_trip::<ListShapesResponseValue>(json!([1])),
            ListShapesResponseValue::Integers(vec![1])
        );
        rejected::<ListShapesResponseValue>(json!(null));
    }

    #[test]
    fn objects_by_required_keys_most_specific_first() {
        assert!(matches!(
            round_trip::<ListShapesResponseOption>(json!({"value": "v", "label": "L"})),
            ListShapesResponseOption::WithLabel(_)
        ));
        assert!(matches!(
            round_trip::<ListShapesResponseOption>(json!({"value": "v"})),
            ListShapesResponseOption::Value(_)
        ));
        assert!(matches!(
            round_trip::<ListShapesResponseOption>(json!("v")),
            ListShapesResponseOption::Text(_)
        ));
        rejected::<ListShapesResponseOption>(json!({"label": "no value"}));
    }

    #[test]
    fn union_of_references_tries_in_order() {
        assert!(matches!(
            round_trip::<Pet>(json!({"meows": true})),
            Pet::Cat(_)
        ));
        assert!(matches!(
            round_trip::<Pet>(json!({"barks": false})),
            Pet::Dog(_)
        ));
        rejected::<Pet>(json!({"quacks": true}));
    }
}

mod components_fixture {
    use super::*;
    use components::types::*;

    #[test]
    fn recursive_and_merged_components() {
        let node: Node = round_trip(json!({
            "id": "root", "kind": "branch",
            "parent": {"id": "up", "kind": "leaf"},
            "children": [{"id": "c", "kind": "leaf", "labels": ["x"]}],
            "audit": {"at": 1, "by": "me", "count": 2}
        }));
        assert_eq!(node.parent.expect("parent").id, "up");
        // A nullable component is nullable wherever it is referenced.
        let node: Node = round_trip(
            json!({"id": "x", "kind": "leaf", "owner": {"user": null, "users": [null, {"login": "a"}]}}),
        );
        let owner = node.owner.expect("owner");
        assert_eq!(owner.user, None);
        assert_eq!(
            owner.users.expect("users")[1]
                .as_ref()
                .map(|u| u.login.as_str()),
            Some("a")
        );
        rejected::<Node>(json!({"id": "x", "kind": "leaf", "owner": {}}));
        rejected::<Node>(json!({"id": "x", "kind": "leaf", "audit": {"at": 1}}));
    }
}

mod names_fixture {
    use super::*;
    use names::types::*;

    #[test]
    fn colliding_and_odd_names_round_trip() {
        let o: OptionType = round_trip(json!({
            "fooBar": "1", "foo_bar": "2", "foo-bar": "3", "type": "t", "self": "s", "": "e",
            "1st": "f", "@odata.type": "o", "größe": "g",
            "client": {"id": "c"}, "error": {"message": "m"}, "string": "textInput"
        }));
        assert_eq!(
            (
                o.foo_bar.as_deref(),
                o.foo_bar_2.as_deref(),
                o.foo_bar_3.as_deref()
            ),
            (Some("1"), Some("2"), Some("3"))
        );
        assert_eq!(o.string, Some(StringType::TextInput));
        for v in ["text-input", "textInput", "", "1x", "*", "unknown"] {
            round_trip::<StringType>(json!(v));
        }
        round_trip::<ResultType>(
            json!({"vec": [1], "box": {"inner": "i"}, "self": {"me": "m"}, "type": {"of": "o"}}),
        );
    }
}

mod additional_fixture {
    use super::*;
    use additional::types::*;

    #[test]
    fn typed_extra_properties_and_free_form_objects() {
        let s: PutSettingsRequest = round_trip(json!({
            "name": "n",
            "limits": {"max": 1, "burst": 5, "daily": 100},
            "freeForm": {"a": [1, {"b": null}]},
            "anything": [true, "x"],
            "counts": {"a": 1}
        }));
        assert_eq!(s.limits.expect("limits").extra["burst"], 5);
        // `{}` admits null, and a present null is kept apart from an absent field.
        let s: PutSettingsRequest = round_trip(json!({"name": "n", "anything": null}));
        assert_eq!(s.anything, Some(Value::Null));
        rejected::<PutSettingsRequest>(json!({"name": "n", "limits": {"burst": "five"}}));
    }
}

mod parameters_fixture {
    use apigen_fixtures::parameters::types::GetTeamsByTeamIdItemsByItemIdOrder as Order;
    use apigen_fixtures::parameters::{self, errors, Client};
    use serde_json::json;
    use wiremock::matchers::{header, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    #[test]
    fn default_server_comes_from_the_spec() {
        assert_eq!(Client::new().base_url(), "https://example.test/api");
    }

    #[tokio::test]
    async fn path_query_and_header_parameters() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/base/teams/t%2F1/items/42"))
            .and(query_param("limit", "10"))
            .and(query_param("order", "desc"))
            .and(header("x-request-id", "r-1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 42})))
            .expect(1)
            .mount(&server)
            .await;
        let client = Client::with_base_url(&format!("{}/base", server.uri())).unwrap();
        let item = client
            .get_teams_by_team_id_items_by_item_id("t/1".into(), 42)
            .tags(vec!["a".into(), "b".into()])
            .limit(10)
            .order(Order::Desc)
            .x_request_id("r-1")
            .send()
            .await
            .unwrap();
        assert_eq!(item.id, Some(42));
        let received = server.received_requests().await.unwrap();
        let query = received[0].url.query().unwrap_or_default().to_string();
        assert!(
            query.contains("tags=a&tags=b"),
            "arrays repeat the name: {query}"
        );
    }

    #[tokio::test]
    async fn styles_deep_objects_delimiters_cookies_and_headers() {
        use apigen_fixtures::parameters::types::SearchFilter;
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/search/.1,2"))
            .and(query_param("filter[state]", "open"))
            .and(query_param("filter[size]", "3"))
            .and(query_param("fields", "a,b"))
            .and(query_param("labels", "x|y"))
            .and(header("cookie", "session=s%3B1"))
            .and(wiremock::matchers::headers("x-trace", vec!["t1", "t2"]))
            .respond_with(ResponseTemplate::new(200).set_body_string("found"))
            .expect(1)
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        let filter = SearchFilter {
            state: Some("open".into()),
            size: Some(3),
        };
        let text = client
            .search(vec![1, 2])
            .filter(filter)
            .fields(vec!["a".into(), "b".into()])
            .labels(vec!["x".into(), "y".into()])
            .session("s;1")
            .x_trace(vec!["t1".into(), "t2".into()])
            .send()
            .await;
        let received = server.received_requests().await.unwrap();
        let text =
            text.unwrap_or_else(|e| panic!("{e}: {:?} {:?}", received[0].url, received[0].headers));
        assert_eq!(text, "found");
    }

    #[tokio::test]
    async fn preferred_media_type_and_per_status_outcomes() {
        use apigen_fixtures::parameters::types::{RenderRequest, RenderSuccess};
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/render"))
            .and(header("content-type", "application/json"))
            .and(wiremock::matchers::body_json(
                serde_json::json!({"text": "# hi"}),
            ))
            .respond_with(ResponseTemplate::new(200).set_body_string("<h1>hi</h1>"))
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        let out = client
            .render(RenderRequest::new("# hi".into()))
            .send()
            .await
            .unwrap();
        assert_eq!(out, RenderSuccess::Ok("<h1>hi</h1>".into()));

        for (status, expected) in [
            (
                202,
                RenderSuccess::Accepted(apigen_fixtures::parameters::types::RenderResponse202 {
                    job: Some("j1".into()),
                }),
            ),
            (204, RenderSuccess::NoContent),
        ] {
            let server = MockServer::start().await;
            Mock::given(method("POST"))
                .respond_with(
                    ResponseTemplate::new(status).set_body_json(serde_json::json!({"job": "j1"})),
                )
                .mount(&server)
                .await;
            let client = Client::with_base_url(&server.uri()).unwrap();
            assert_eq!(
                client
                    .render(RenderRequest::new("x".into()))
                    .send()
                    .await
                    .unwrap(),
                expected
            );
        }
        // A success status the spec does not list cannot be read: it is an error, kept whole.
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(203))
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        let err = client
            .render(RenderRequest::new("x".into()))
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(err, apigen_runtime::Error::UnexpectedStatus(_)),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn idempotent_calls_are_retried_with_growing_backoff() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(2)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": 7})))
            .mount(&server)
            .await;
        let waits = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let record = waits.clone();
        let client =
            Client::with_base_url(&server.uri())
                .unwrap()
                .with_sleeper(std::sync::Arc::new(move |d| {
                    record.lock().unwrap().push(d);
                    Box::pin(async {})
                }));
        let item = client
            .get_teams_by_team_id_items_by_item_id("t".into(), 1)
            .send()
            .await
            .unwrap();
        assert_eq!(item.id, Some(7));
        assert_eq!(server.received_requests().await.unwrap().len(), 3);
        let waits = waits.lock().unwrap().clone();
        // Full jitter: the n-th wait is at most 250 ms × 2^(n-1).
        assert_eq!(waits.len(), 2);
        assert!(
            waits[0] <= std::time::Duration::from_millis(250)
                && waits[1] <= std::time::Duration::from_millis(500),
            "{waits:?}"
        );

        // Retrying turned off: the first 503 is the answer.
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri())
            .unwrap()
            .with_retry(apigen_runtime::RetryPolicy::none());
        assert!(client
            .get_teams_by_team_id_items_by_item_id("t".into(), 1)
            .send()
            .await
            .is_err());
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_hostile_path_parameter_stays_in_its_segment() {
        let server = MockServer::start().await;
        Mock::given(method("DELETE"))
            .and(path("/teams/..%2Fx%3Fy%23z/items/1"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        client
            .delete_item("../x?y#z".into(), "1".into())
            .send()
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn header_values_with_line_breaks_are_refused() {
        let client = Client::with_base_url("http://127.0.0.1:9").unwrap();
        let err = client
            .get_teams_by_team_id_items_by_item_id("t".into(), 1)
            .x_request_id("a\r\nInjected: yes")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                apigen_runtime::Error::InvalidParameter {
                    name: "X-Request-Id",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn documented_error_response_via_ref() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(404).set_body_json(serde_json::json!({"message": "gone"})),
            )
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        let err = client
            .get_teams_by_team_id_items_by_item_id("t".into(), 1)
            .send()
            .await
            .unwrap_err();
        let apigen_runtime::Error::Api(api) = err else {
            panic!()
        };
        assert_eq!(api.description, Some("Nothing here."));
        let body: parameters::types::GetTeamsByTeamIdItemsByItemIdError404 = api.json().unwrap();
        assert_eq!(body.message.as_deref(), Some("gone"));
        // The same body, parsed by the operation's error enum.
        let errors::GetTeamsByTeamIdItemsByItemIdError::NotFound(Some(parsed)) = &api.detail else {
            panic!("{:?}", api.detail)
        };
        assert_eq!(*parsed, body);
        assert_eq!(
            api.to_string(),
            "get_teams_by_teamId_items_by_itemId: HTTP 404 Not Found (Nothing here.): gone"
        );
    }

    /// Statuses are matched exactly, then by class (`4XX`), then by `default`; a body that
    /// does not match its schema leaves the variant without a parsed body.
    #[tokio::test]
    async fn error_enums_match_exact_then_class_then_default() {
        use errors::SearchError as Search;
        let cases = [
            (429, json!({"title": "t"}), Search::TooManyRequests),
            (
                418,
                json!({"title": "teapot", "detail": "short and stout"}),
                Search::ClientError(Some(parameters::types::Problem {
                    title: "teapot".into(),
                    detail: Some("short and stout".into()),
                })),
            ),
            (
                422,
                json!({"detail": "no title"}),
                Search::ClientError(None),
            ),
            (503, json!({"title": "down"}), Search::Other),
        ];
        for (status, body, expected) in cases {
            let server = MockServer::start().await;
            Mock::given(method("GET"))
                .respond_with(
                    ResponseTemplate::new(status)
                        .set_body_json(body)
                        .insert_header("x-request-id", "req-7"),
                )
                .mount(&server)
                .await;
            let client = Client::with_base_url(&server.uri())
                .unwrap()
                .with_retry(apigen_runtime::RetryPolicy::none());
            let err = client.search(vec![1]).send().await.unwrap_err();
            assert_eq!(err.detail(), Some(&expected), "{status}");
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
            let line = err.to_string();
            assert!(line.ends_with("[x-request-id: req-7]"), "{line}");
            assert!(!line.contains('\n'), "{line}");
            // Errors of different operations fit one type once untyped.
            let _: apigen_runtime::Error = err.untyped();
        }
    }
}

mod keep_fixture {
    use super::*;
    use apigen_fixtures::keep::types::*;

    #[test]
    fn undeclared_properties_are_kept_and_written_back() {
        let events: Vec<ListEventsResponseItem> = round_trip(json!([
            {"kind": "push", "id": 1, "ref": "main", "nested": {"deep": [1, 2]}},
            {"kind": "star", "id": 2, "closed": {"a": "x"}}
        ]));
        let ListEventsResponseItem::Push(push) = &events[0] else {
            panic!("{events:?}")
        };
        assert_eq!(push.extra["ref"], json!("main"));
        // The tag is the variant, not an undeclared property of its struct.
        assert!(!push.extra.contains_key("kind"));
        // `additionalProperties: false` stays closed.
        rejected::<Vec<ListEventsResponseItem>>(
            json!([{"kind": "star", "id": 2, "closed": {"a": "x", "b": 1}}]),
        );
    }
}

mod media_fixture {
    use apigen_fixtures::media::types::{
        CreateNoteRequestMultipart, Kind, Meta, Note, UploadAssetRequest,
    };
    use apigen_fixtures::media::{errors, Client};
    use apigen_runtime::multipart::{File, Form};
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};

    /// One part as a server reads it: name, file name, content type, body.
    #[derive(Debug, PartialEq)]
    struct Part {
        name: String,
        file_name: Option<String>,
        content_type: Option<String>,
        body: Vec<u8>,
    }

    /// Parses the multipart body of a received request with multer, as a server would.
    async fn parts(request: &Request) -> Vec<Part> {
        let content_type = request.headers["content-type"].to_str().unwrap();
        let boundary = multer::parse_boundary(content_type).unwrap();
        let body = bytes::Bytes::from(request.body.clone());
        let stream = futures_util::stream::once(async move { Ok::<_, std::io::Error>(body) });
        let mut form = multer::Multipart::new(stream, boundary);
        let mut out = Vec::new();
        while let Some(field) = form.next_field().await.unwrap() {
            out.push(Part {
                name: field.name().unwrap_or_default().to_string(),
                file_name: field.file_name().map(str::to_string),
                content_type: field.content_type().map(|m| m.to_string()),
                body: field.bytes().await.unwrap().to_vec(),
            });
        }
        out
    }

    fn part(name: &str, file_name: Option<&str>, content_type: Option<&str>, body: &[u8]) -> Part {
        Part {
            name: name.into(),
            file_name: file_name.map(str::to_string),
            content_type: content_type.map(str::to_string),
            body: body.to_vec(),
        }
    }

    async fn received(server: &MockServer) -> Vec<Request> {
        server.received_requests().await.unwrap()
    }

    #[tokio::test]
    async fn multipart_fields_become_parts_by_kind() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/assets"))
            .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "a1"})))
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        let png = vec![0x89, b'P', b'N', b'G', 0, 1, 2, 0xff];
        let mut body = UploadAssetRequest::new(
            File::new(png.clone()).with_file_name("cat.png"),
            "A cat".into(),
        );
        body.tags = Some(vec!["pets".into(), "ünïcode".into()]);
        body.attachments = Some(vec![
            File::new(b"one".to_vec())
                .with_file_name("1.txt")
                .with_content_type("text/plain"),
            File::new(b"two".to_vec()),
        ]);
        body.meta = Some(Meta {
            source: Some("camera".into()),
            width: Some(640),
        });
        body.priority = Some(-3);
        body.public = Some(false);
        body.kind = Some(Kind::Photo);
        let asset = client.upload_asset(body).send().await.unwrap();
        assert_eq!(asset.id, "a1");

        let requests = received(&server).await;
        let content_type = requests[0].headers["content-type"].to_str().unwrap();
        assert!(
            content_type.starts_with("multipart/form-data; boundary="),
            "{content_type}"
        );
        assert_eq!(
            parts(&requests[0]).await,
            vec![
                // The encoding's first exact media type is the file's default.
                part("file", Some("cat.png"), Some("image/png"), &png),
                part("title", None, None, b"A cat"),
                // Arrays: one part per item, under the same name.
                part("tags", None, None, b"pets"),
                part("tags", None, None, "ünïcode".as_bytes()),
                part("attachments", Some("1.txt"), Some("text/plain"), b"one"),
                part(
                    "attachments",
                    None,
                    Some("application/octet-stream"),
                    b"two"
                ),
                // The encoding says JSON; objects would be JSON anyway.
                part(
                    "meta",
                    None,
                    Some("application/json"),
                    br#"{"source":"camera","width":640}"#
                ),
                part("priority", None, None, b"-3"),
                part("public", None, None, b"false"),
                part("kind", None, None, b"photo"),
            ]
        );
    }

    #[tokio::test]
    async fn absent_optional_fields_send_no_part_and_retries_resend_the_same_body() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(201).set_body_json(serde_json::json!({"id": "a2"})))
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        let body = UploadAssetRequest::new(File::new(b"x".to_vec()), "t".into());
        let asset = client
            .upload_asset(body)
            // POST is not retried by default; this call says it may be.
            .retry(apigen_runtime::RetryPolicy {
                retry_non_idempotent: true,
                initial_backoff: std::time::Duration::from_millis(1),
                ..Default::default()
            })
            .send()
            .await
            .unwrap();
        assert_eq!(asset.id, "a2");
        let requests = received(&server).await;
        assert_eq!(requests.len(), 2);
        assert_eq!(
            requests[0].body, requests[1].body,
            "the retry sends the same bytes"
        );
        assert_eq!(
            parts(&requests[1]).await,
            vec![
                part("file", None, Some("image/png"), b"x"),
                part("title", None, None, b"t"),
            ]
        );
    }

    #[tokio::test]
    async fn unnamed_parts_are_a_form_the_caller_builds() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/assets/raw"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        let form = Form::new()
            .text("note", "hello")
            .value("sizes", &[1, 2])
            .file(
                "blob",
                File::new(vec![0u8, 1]).with_file_name("b.bin"),
                "application/x-blob",
            );
        client.upload_raw().body(form).send().await.unwrap();
        let requests = received(&server).await;
        assert_eq!(
            parts(&requests[0]).await,
            vec![
                part("note", None, None, b"hello"),
                part("sizes", None, None, b"1"),
                part("sizes", None, None, b"2"),
                part("blob", Some("b.bin"), Some("application/x-blob"), &[0, 1]),
            ]
        );
        // A part that cannot be encoded stops the call before anything is sent.
        let bad = Form::new().file("blob", File::new(vec![1]), "not a media type");
        let err = client.upload_raw().body(bad).send().await.unwrap_err();
        assert!(
            matches!(&err, apigen_runtime::Error::Encode { .. })
                && err.to_string().contains("\"blob\""),
            "{err}"
        );
        assert_eq!(received(&server).await.len(), 1);
    }

    #[tokio::test]
    async fn a_body_in_json_or_multipart() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/notes"))
            .respond_with(ResponseTemplate::new(204))
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        client
            .create_note(Note {
                text: "plain".into(),
            })
            .send()
            .await
            .unwrap();
        let mut with_scan = CreateNoteRequestMultipart::new("scanned".into());
        with_scan.scan = Some(File::new(b"%PDF".to_vec()).with_file_name("scan.pdf"));
        client.create_note(with_scan).send().await.unwrap();
        let requests = received(&server).await;
        assert_eq!(requests[0].headers["content-type"], "application/json");
        assert_eq!(requests[0].body, br#"{"text":"plain"}"#);
        assert_eq!(
            parts(&requests[1]).await,
            vec![
                part("text", None, None, b"scanned"),
                part(
                    "scan",
                    Some("scan.pdf"),
                    Some("application/octet-stream"),
                    b"%PDF"
                ),
            ]
        );
    }

    #[tokio::test]
    async fn other_response_media_types_have_their_own_send() {
        let server = MockServer::start().await;
        let json = serde_json::json!({"rows": [{"id": "a1", "title": "cat"}]});
        for (accept, response) in [
            (
                "application/json",
                ResponseTemplate::new(200).set_body_json(&json),
            ),
            (
                "text/csv",
                ResponseTemplate::new(200).set_body_string("id,title\na1,cat\n"),
            ),
            (
                "application/pdf",
                ResponseTemplate::new(200).set_body_bytes(b"%PDF-1.7".to_vec()),
            ),
            (
                "application/vnd.legacy+json",
                ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({"rows": [["a1", "cat"]]})),
            ),
        ] {
            Mock::given(method("GET"))
                .and(path("/assets/a1/report"))
                .and(header("accept", accept))
                .respond_with(response)
                .expect(1)
                .mount(&server)
                .await;
        }
        Mock::given(method("GET"))
            .and(path("/assets/missing/report"))
            .respond_with(ResponseTemplate::new(404))
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri()).unwrap();
        let report = client.get_report("a1".into()).send().await.unwrap();
        assert_eq!(report.rows[0].title.as_deref(), Some("cat"));
        assert_eq!(
            client.get_report("a1".into()).send_csv().await.unwrap(),
            "id,title\na1,cat\n"
        );
        assert_eq!(
            client.get_report("a1".into()).send_pdf().await.unwrap(),
            b"%PDF-1.7"
        );
        let legacy = client.get_report("a1".into()).send_legacy().await.unwrap();
        assert_eq!(legacy.rows, vec![vec!["a1".to_string(), "cat".to_string()]]);
        // Errors are the operation's typed errors, whichever media type was asked for.
        let err = client
            .get_report("missing".into())
            .send_csv()
            .await
            .unwrap_err();
        assert!(
            matches!(err.detail(), Some(errors::GetReportError::NotFound)),
            "{err:?}"
        );
    }
}

mod references_fixture {
    use super::*;
    use references::types::{Forest, GetKeyResponse, Node};

    #[test]
    fn schemas_recursive_through_local_references_nest_to_any_depth() {
        let tree: GetKeyResponse = round_trip(json!({
            "label": "root",
            "children": [{"label": "a", "children": [{"label": "b", "children": []}]}]
        }));
        let a = &tree.children.as_ref().unwrap()[0];
        assert_eq!(a.children.as_ref().unwrap()[0].label.as_deref(), Some("b"));
        let forest: Forest = round_trip(json!({
            "trees": [{"name": "oak", "children": [{"name": "acorn"}]}]
        }));
        assert_eq!(
            forest.trees.unwrap()[0].children.as_ref().unwrap()[0].name,
            "acorn"
        );
        // The item type requires its name at every depth.
        rejected::<Forest>(json!({"trees": [{"name": "oak", "children": [{}]}]}));
    }

    #[test]
    fn a_single_member_all_of_is_a_reference_and_may_recurse() {
        let node: Node =
            round_trip(json!({"id": "c", "parent": {"id": "p", "parent": {"id": "g"}}}));
        assert_eq!(node.parent.unwrap().parent.unwrap().id, "g");
        rejected::<Node>(json!({"id": "c", "parent": {"parent": null}}));
    }

    #[test]
    fn arrays_and_maps_of_themselves_are_newtypes() {
        use references::types::{Directory, Nested};
        let nested: Nested = round_trip(json!([[], [[], [[]]]]));
        assert_eq!(nested.0[1].0[1].0.len(), 1);
        rejected::<Nested>(json!([[1]]));
        let dir: Directory = round_trip(json!({"usr": {"bin": {}, "lib": {}}}));
        assert_eq!(dir.0["usr"].0.len(), 2);
        rejected::<Directory>(json!({"usr": []}));
    }

    #[tokio::test]
    async fn a_parameter_referenced_through_a_percent_encoded_pointer_is_sent() {
        use wiremock::matchers::{method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/keys/k%201/copy"))
            .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": "n"})))
            .expect(1)
            .mount(&server)
            .await;
        let client = references::Client::with_base_url(&server.uri()).unwrap();
        let sent = client.copy_key("k 1".into()).send().await.unwrap();
        assert!(matches!(sent, references::types::CopyKeySuccess::Created(n) if n.id == "n"));
    }
}

mod discriminator_fixture {
    use super::*;
    use discriminator::types::*;

    #[test]
    fn the_tag_picks_the_branch_and_only_that_branch_decodes() {
        // The body fits `Cat`, the tag says `Dog`, which requires `goodBoy`.
        let e = rejected::<Pet>(json!({"petType": "dog", "name": "Tom", "livesLeft": 3}));
        assert!(e.contains("goodBoy"), "{e}");
        // The tag need not come first; each mapping form (full ref, bare name, a key that
        // is no identifier) selects its schema.
        let pet: Pet = round_trip(json!({"name": "Tom", "livesLeft": 3, "petType": "cat"}));
        assert!(matches!(&pet, Pet::Cat(c) if c.lives_left == 3));
        let pet: Pet = round_trip(json!({"name": "Rex", "goodBoy": true, "petType": "dog"}));
        assert!(matches!(pet, Pet::Dog(_)));
        let pet: Pet = round_trip(json!({"petType": "bearded-dragon", "name": "Liz"}));
        assert!(matches!(pet, Pet::Lizard(_)));
        // No tag at all: nothing says which branch it is.
        rejected::<Pet>(json!({"name": "Tom", "livesLeft": 3}));
    }

    #[test]
    fn a_tag_the_response_does_not_list_is_kept_as_it_came() {
        let doc = json!({"petType": "hamster", "name": "Hammy", "wheel": true});
        let pet: Pet = round_trip(doc.clone());
        assert_eq!(pet, Pet::Unknown(doc));
    }

    #[test]
    fn a_request_union_refuses_unlisted_tags() {
        let command: Command = round_trip(json!({"op": "stop", "force": true}));
        assert!(matches!(command, Command::Stop(ref s) if s.force));
        let e = rejected::<Command>(json!({"op": "restart"}));
        assert!(e.contains("op"), "{e}");
        // `stop` requires `force`: the tag decides, the body must fit.
        rejected::<Command>(json!({"op": "stop"}));
    }

    #[test]
    fn the_tag_is_written_whoever_builds_the_value() {
        // A variant type used on its own still carries its tag.
        let owner: Owner =
            round_trip(json!({"bestFriend": {"petType": "dog", "name": "Rex", "goodBoy": true}}));
        assert_eq!(owner.best_friend.pet_type, DogPetType::Dog);
        // The union writes the tag of the variant chosen, even where the body lacks it.
        let start = Start {
            op: "anything".into(),
            delay_seconds: Some(5),
        };
        let sent = serde_json::to_value(Command::Start(start)).unwrap();
        assert_eq!(sent, json!({"op": "start", "delaySeconds": 5}));
    }

    #[test]
    fn implicit_and_partial_mappings_use_the_schema_names() {
        let shape: Shape = round_trip(json!({"kind": "Circle", "radius": 1.5}));
        assert!(matches!(shape, Shape::Circle(_)));
        // `circle` is not `Circle`: in a response an unlisted tag is kept, not guessed.
        let shape: Shape = round_trip(json!({"kind": "circle", "radius": 1.5}));
        assert!(matches!(shape, Shape::Unknown(_)));
        let vehicle: Vehicle = round_trip(json!({"type": "car", "doors": 4}));
        assert!(matches!(vehicle, Vehicle::Car(_)));
        let vehicle: Vehicle = round_trip(json!({"type": "Bike", "gears": 21}));
        assert!(matches!(vehicle, Vehicle::Bike(_)));
        // Mapped away from its name, `Car` is no longer selected by `Car`.
        let vehicle: Vehicle = round_trip(json!({"type": "Car", "doors": 4}));
        assert!(matches!(vehicle, Vehicle::Unknown(_)));
    }

    #[test]
    fn a_base_with_a_discriminator_stands_for_its_subtypes() {
        let zoo: Zoo = round_trip(json!({
            "animals": [
                {"animalType": "wolf", "howls": true, "legs": 4},
                {"animalType": "Sheep", "wool": "fine"},
                {"animalType": "Lamb", "wool": "coarse", "ageDays": 12}
            ],
            "star": {"animalType": "Lamb", "wool": "fine", "ageDays": 3}
        }));
        assert!(matches!(&zoo.animals[0], Animal::Wolf(w) if w.howls && w.legs == Some(4)));
        assert!(matches!(&zoo.animals[1], Animal::Sheep(s) if s.wool == Wool::Fine));
        assert!(matches!(&zoo.animals[2], Animal::Lamb(l) if l.age_days == 12));
        assert!(matches!(zoo.star, Some(Animal::Lamb(_))));
        // A lamb's body under the sheep tag decodes as a sheep; a wolf's tag with a sheep's body is refused.
        let e = rejected::<Zoo>(json!({"animals": [{"animalType": "wolf", "wool": "fine"}]}));
        assert!(e.contains("howls"), "{e}");
    }

    #[test]
    fn discriminators_over_any_of_and_inline_branches() {
        let payment: Payment = round_trip(json!({"method": "card", "number": "4111"}));
        assert!(matches!(payment, Payment::Card(_)));
        // Valid as `Bank` too, but the tag says `card`, which requires `number`.
        rejected::<Payment>(json!({"method": "card", "iban": "DE00"}));
        let event: Event = round_trip(json!({"id": "e1", "type": "deleted", "reason": "spam"}));
        assert!(matches!(&event, Event::Deleted(d) if d.reason == "spam"));
        rejected::<Event>(json!({"id": "e1", "type": "deleted"}));
    }
}

mod any_of_fixture {
    use super::*;
    use any_of::types::*;

    #[test]
    fn a_document_valid_under_several_branches_keeps_every_property() {
        let doc = json!({"email": "bo@example.com", "phone": "+1 555 0100", "name": "Bo"});
        let contact: Contact = round_trip(doc);
        let email = contact.with_email.expect("valid as the email branch");
        let phone = contact.with_phone.expect("valid as the phone branch");
        assert_eq!(
            (email.name.as_deref(), phone.name.as_deref()),
            (Some("Bo"), Some("Bo"))
        );
        let only: Contact = round_trip(json!({"phone": "+1 555 0100"}));
        assert!(only.with_email.is_none() && only.with_phone.is_some());
    }

    #[test]
    fn a_document_valid_under_no_branch_is_refused_with_each_reason() {
        let e = rejected::<Contact>(json!({"name": "x"}));
        assert!(e.contains("email") && e.contains("phone"), "{e}");
        rejected::<Contact>(json!({"email": 1}));
        // Nothing set is nothing to send.
        let empty = Contact {
            with_email: None,
            with_phone: None,
        };
        assert!(serde_json::to_value(empty).is_err());
    }

    #[test]
    fn objects_of_an_any_of_beside_other_kinds() {
        let reach: Reach = round_trip(json!({"street": "Main St", "lat": 1.5, "lon": 2.0}));
        let Reach::Object(both) = reach else {
            panic!("an object")
        };
        assert!(both.postal.is_some() && both.geo.is_some());
        assert_eq!(round_trip::<Reach>(json!("@bo")), Reach::Text("@bo".into()));
        rejected::<Reach>(json!({"city": "Nowhere"}));
        rejected::<Reach>(json!(3));
    }

    #[test]
    fn integers_stay_exact_beyond_two_to_the_fifty_three() {
        let big = json!(9_007_199_254_740_993_i64);
        assert_eq!(
            round_trip::<Amount>(big),
            Amount::Integer(9_007_199_254_740_993)
        );
        assert_eq!(
            round_trip::<Amount>(json!(i64::MAX)),
            Amount::Integer(i64::MAX)
        );
        assert_eq!(round_trip::<Amount>(json!(2.5)), Amount::Number(2.5));
    }

    #[test]
    fn closed_branches_hold_one_at_a_time() {
        let l: Labelled = round_trip(json!({"label": "a"}));
        assert!(l.with_label.is_some() && l.with_code.is_none());
        rejected::<Labelled>(json!({"label": "a", "code": 1}));
    }
}

mod collisions_fixture {
    use apigen_check::round_trip;
    use apigen_fixtures::collisions::types::{
        Choice, Item, Labels, LabelsChange, LabelsChangeLabels, Mode, Offset, SelfValueBody,
        SelfValueSuccess,
    };
    use apigen_fixtures::collisions::{errors, Client};
    use serde_json::json;
    use wiremock::matchers::{body_string, header, method, path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    async fn client_for(server: &MockServer) -> Client {
        Client::with_base_url(&server.uri()).unwrap()
    }

    #[tokio::test]
    async fn renamed_identifiers_keep_their_wire_names() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/client/clone"))
            .and(query_param("clone", "c"))
            .and(query_param("send", "s"))
            .and(query_param("timeout", "5"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/client/new"))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
        let client = client_for(&server).await;
        // The client's own `clone` and `new` are untouched; the operations step aside.
        let copy = client.clone();
        copy.clone_op()
            .clone_param("c")
            .send_param("s")
            .timeout_param(5)
            .send()
            .await
            .unwrap();
        client.new_op().send().await.unwrap();
    }

    #[tokio::test]
    async fn operations_that_meet_once_cased_are_each_their_own() {
        let server = MockServer::start().await;
        for (route, status) in [("/item-a", 404), ("/item-b", 404), ("/item-c", 418)] {
            Mock::given(method("GET"))
                .and(path(route))
                .respond_with(
                    ResponseTemplate::new(status).set_body_json(json!({"message": route})),
                )
                .expect(1)
                .mount(&server)
                .await;
        }
        let client = client_for(&server).await;
        let a = client.get_item().send().await.unwrap_err();
        let Some(errors::GetItemError::NotFound(Some(problem))) = a.detail() else {
            panic!("{a}");
        };
        assert_eq!(problem.message.as_deref(), Some("/item-a"));
        let b = client.get_item_2().send().await.unwrap_err();
        assert!(
            matches!(b.detail(), Some(errors::GetItem2Error::NotFound)),
            "{b}"
        );
        let c = client.get_item_3().send().await.unwrap_err();
        assert!(
            matches!(c.detail(), Some(errors::GetItem3Error::ClientError)),
            "{c}"
        );
    }

    #[tokio::test]
    async fn self_as_an_operation_a_value_and_a_media_type() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path("/self"))
            .and(header("content-type", "application/self"))
            .and(body_string("raw"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!("self")))
            .expect(1)
            .mount(&server)
            .await;
        let client = client_for(&server).await;
        let got = client
            .self_(SelfValueBody::SelfValue(b"raw".to_vec()))
            .send()
            .await
            .unwrap();
        assert_eq!(got, SelfValueSuccess::Ok(Choice::SelfValue));
        for (wire, mode) in [
            ("self", Mode::SelfValue),
            ("SELF", Mode::SelfValue2),
            ("Self", Mode::SelfValue3),
            ("unknown", Mode::Unknown),
            ("Unknown", Mode::Unknown2),
        ] {
            assert_eq!(round_trip::<Mode>(json!(wire)), mode);
        }
        assert_eq!(
            round_trip::<Mode>(json!("other")),
            Mode::Other("other".into())
        );
        round_trip::<Item>(json!({"mode": "SELF"}));
    }

    #[test]
    fn values_whose_words_meet_read_their_signs_and_symbols() {
        for (wire, offset) in [
            ("Etc/GMT+1", Offset::EtcGmtPlus1),
            ("Etc/GMT-1", Offset::EtcGmtMinus1),
            ("Etc/GMT-13", Offset::EtcGmtMinus13),
            ("Etc/GMT0", Offset::EtcGmt0),
            ("Etc/GMT", Offset::EtcGmt),
            ("text-input", Offset::TextDashInput),
            ("textInput", Offset::TextInput),
        ] {
            assert_eq!(round_trip::<Offset>(json!(wire)), offset);
        }
        assert_eq!(
            round_trip::<Offset>(json!("Etc/GMT+13")),
            Offset::Unknown("Etc/GMT+13".into())
        );
    }

    #[test]
    fn branches_that_share_their_word_take_their_types_names() {
        let texts = round_trip::<LabelsChange>(json!({"labels": ["bug"]}));
        assert!(
            matches!(texts, LabelsChange::LabelsChangeLabels(LabelsChangeLabels { ref labels }) if labels == &["bug"])
        );
        let objects = round_trip::<LabelsChange>(json!({"labels": [{"name": "bug"}]}));
        assert!(
            matches!(objects, LabelsChange::Labels(Labels { ref labels }) if labels[0].name == "bug")
        );
    }
}

mod expandable_fixture {
    use apigen_check::round_trip;
    use apigen_fixtures::expandable::types::{Charge, ChargeStatus};
    use apigen_runtime::Expandable;
    use serde_json::json;

    #[test]
    fn an_id_or_the_object_decodes_to_what_it_is_and_re_encodes() {
        let by_id = json!({"id": "ch_1", "customer": "cus_1", "files": ["file_1", {"id": "file_2", "size": 3}]});
        let charge: Charge = round_trip(&by_id);
        assert_eq!(charge.customer.id(), Some("cus_1"));
        let files = charge.files.as_deref().unwrap();
        assert_eq!(files[0].id(), Some("file_1"));
        assert_eq!(files[1].object().map(|f| f.size), Some(3));

        // Expanded, with a cycle back through the customer's own expandable field.
        let expanded = json!({
            "id": "ch_1",
            "customer": {"id": "cus_1", "default_charge": "ch_1"},
            "receipt": null,
        });
        let charge: Charge = round_trip(&expanded);
        let Expandable::Object(customer) = &charge.customer else {
            panic!("expanded: {charge:?}")
        };
        assert_eq!(
            customer.default_charge.as_ref().and_then(|c| c.id()),
            Some("ch_1")
        );
        assert_eq!(charge.receipt, Some(None));

        // Neither an id nor an object.
        let e = serde_json::from_value::<Charge>(json!({"id": "ch_1", "customer": 3})).unwrap_err();
        assert!(
            e.to_string().contains("an id (a string) or an object"),
            "{e}"
        );
        // A reference to a string enum is no object: the field stays a union.
        let charge: Charge = round_trip(json!({"id": "c", "customer": "x", "status": "paid"}));
        let status: Option<ChargeStatus> = charge.status;
        assert!(status.is_some());
    }
}

mod idempotency_fixture {
    use apigen_fixtures::idempotency::types::CreateChargeRequest;
    use apigen_fixtures::idempotency::Client;
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn keys(received: &[wiremock::Request]) -> Vec<String> {
        received
            .iter()
            .map(|r| {
                r.headers
                    .get("idempotency-key")
                    .map(|v| v.to_str().unwrap().to_string())
                    .unwrap_or_default()
            })
            .collect()
    }

    /// A sleeper that does not wait, so the retries run at once.
    fn no_wait() -> apigen_runtime::client::Sleeper {
        std::sync::Arc::new(|_| Box::pin(async {}))
    }

    #[tokio::test]
    async fn a_post_with_a_key_is_retried_with_the_same_key() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503))
            .up_to_n_times(2)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(
                ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "ch_1"})),
            )
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri())
            .unwrap()
            .with_sleeper(no_wait());
        let charge = client
            .create_charge(CreateChargeRequest::new(100))
            .send()
            .await
            .unwrap();
        assert_eq!(charge.id.as_deref(), Some("ch_1"));
        let first = keys(&server.received_requests().await.unwrap());
        assert_eq!(
            first.len(),
            3,
            "two 503s, then the answer: a POST retried by default"
        );
        assert_eq!(first[0].len(), 32);
        assert!(
            first.iter().all(|k| *k == first[0]),
            "one key for every attempt: {first:?}"
        );
        // The next call has a key of its own; a key the caller gives is sent as given.
        client
            .create_charge(CreateChargeRequest::new(5))
            .send()
            .await
            .unwrap();
        client
            .create_charge(CreateChargeRequest::new(5))
            .idempotency_key("mine-1")
            .send()
            .await
            .unwrap();
        let all = keys(&server.received_requests().await.unwrap());
        assert_ne!(all[3], first[0]);
        assert_eq!(all[4], "mine-1");
    }

    #[tokio::test]
    async fn an_operation_without_the_header_is_not_retried_after_sending() {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(503))
            .mount(&server)
            .await;
        let client = Client::with_base_url(&server.uri())
            .unwrap()
            .with_sleeper(no_wait());
        client.create_refund().send().await.unwrap_err();
        let received = server.received_requests().await.unwrap();
        assert_eq!(received.len(), 1);
        assert!(received[0].headers.get("idempotency-key").is_none());
    }
}
