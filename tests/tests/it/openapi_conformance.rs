//! docs/openapi.json against the real Worker: every route the Worker serves is
//! in the document and every operation in the document is a route; every
//! operation is called at least once, and each answer has a status the
//! document lists for it, a body that validates against the documented schema
//! for that status, and the headers it documents as required. A request the
//! Worker accepted must also be one the document allows: its parameters, its
//! body and the credentials its security asks for (with the least role).

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use jsonschema::Validator;
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};

use helpline_shared::routes::ROUTES;
use helpline_shared::sop::SopIndex;
use helpline_tests::api::case_body;
use helpline_tests::webhook::WebhookReceiver;
use helpline_tests::{Stack, StackOptions};

const DOC: &str = include_str!("../../../docs/openapi.json");

fn doc() -> Value {
    serde_json::from_str(DOC).expect("docs/openapi.json is JSON")
}

/// What a local `$ref` (`#/components/...`) points at; anything else as is.
fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(target) => {
            let pointer = target.strip_prefix('#').expect("only local $refs");
            doc.pointer(pointer)
                .unwrap_or_else(|| panic!("dangling $ref {target}"))
        }
        None => node,
    }
}

/// A validator for `schema`, a schema object taken from the document: its
/// `$ref`s to `#/components/schemas/...` resolve against the document's own
/// components.
fn validator(doc: &Value, schema: &Value) -> Validator {
    let mut root = schema.clone();
    root["components"] = doc["components"].clone();
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("not a valid schema ({e}): {schema}"))
}

fn assert_valid(doc: &Value, schema: &Value, instance: &Value, what: &str) {
    let validator = validator(doc, schema);
    let errors = validator.iter_errors(instance).into_errors();
    assert!(
        errors.is_empty(),
        "{what} does not match the document:\n{errors}\n{}",
        serde_json::to_string_pretty(instance).unwrap_or_default()
    );
}

/// The document's operation for `method` on `template` (e.g. `/v1/cases/{id}`).
fn operation<'a>(doc: &'a Value, method: &Method, template: &str) -> &'a Value {
    let key = method.as_str().to_ascii_lowercase();
    doc["paths"][template]
        .get(&key)
        .unwrap_or_else(|| panic!("the document has no {method} {template}"))
}

/// Checks one answer of `method template` against the document: (a) `status`
/// is one the operation lists, (b) the body validates against the schema for
/// that status (or is empty where none is documented), (c) the documented
/// required headers are there and valid. Returns the body as JSON.
fn check(
    doc: &Value,
    method: &Method,
    template: &str,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> Value {
    let responses = &operation(doc, method, template)["responses"];
    let Some(response) = responses.get(status.to_string()) else {
        let listed: Vec<_> = responses
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
            .collect();
        let body = String::from_utf8_lossy(body);
        panic!("{method} {template} answered {status}, the document lists {listed:?}: {body}");
    };
    check_response(
        doc,
        resolve(doc, response),
        headers,
        body,
        &format!("{method} {template} {status}"),
    )
}

/// Checks an answer against one documented response object: its headers, and
/// a body of one of the documented media types (validated when JSON or text,
/// present when binary), or no body where none is documented.
fn check_response(
    doc: &Value,
    response: &Value,
    headers: &HeaderMap,
    body: &[u8],
    what: &str,
) -> Value {
    for (name, header) in response["headers"].as_object().into_iter().flatten() {
        let header = resolve(doc, header);
        match headers.get(name).map(|v| v.to_str().expect("ASCII header")) {
            Some(value) => {
                let schema = &header["schema"];
                let typed = match schema["type"].as_str() {
                    Some("integer") => value.parse::<i64>().map_or(json!(value), |n| json!(n)),
                    _ => json!(value),
                };
                assert_valid(doc, schema, &typed, &format!("header {name} of {what}"));
            }
            None => assert!(
                header["required"] != json!(true),
                "{what} lacks the required header {name}"
            ),
        }
    }
    let text = String::from_utf8_lossy(body);
    let Some(content) = response["content"].as_object() else {
        assert!(
            body.is_empty(),
            "{what} documents no body but has one: {text}"
        );
        return Value::Null;
    };
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let media_type = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let documented: Vec<_> = content.keys().collect();
    let Some(media) = content.get(&media_type) else {
        panic!("{what} has Content-Type {content_type:?}, the document lists {documented:?}");
    };
    if media_type == "application/octet-stream" {
        // Opaque bytes (the SOP index): there must be some.
        assert!(
            !body.is_empty(),
            "{what} is documented as {media_type} but is empty"
        );
        return Value::Null;
    }
    let schema = media
        .get("schema")
        .unwrap_or_else(|| panic!("{what}: {media_type} without a schema in the document"));
    if media_type != "application/json" {
        // Text (the daily report as Markdown or HTML): UTF-8, valid as a string.
        let utf8 = std::str::from_utf8(body).unwrap_or_else(|e| {
            panic!("{what} is documented as {media_type} but is not UTF-8 ({e})")
        });
        assert_valid(doc, schema, &json!(utf8), &format!("the body of {what}"));
        return Value::Null;
    }
    let value: Value =
        serde_json::from_slice(body).unwrap_or_else(|e| panic!("{what} is not JSON ({e}): {text}"));
    assert_valid(doc, schema, &value, &format!("the body of {what}"));
    value
}

/// Whether a concrete path such as `/v1/cases/7/reply` fits `template`.
fn fits(template: &str, path: &str) -> bool {
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}') && !p.is_empty()))
}

/// One answer as the test reads it: `body` is the JSON (`Null` when there is
/// none or it is not JSON), `bytes` what came.
struct Answer {
    status: u16,
    headers: HeaderMap,
    body: Value,
    bytes: Vec<u8>,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }

    fn field(&self) -> &str {
        self.body["error"]["field"].as_str().unwrap_or_default()
    }

    fn etag(&self) -> &str {
        self.headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// What the test sent, as far as the document describes requests.
struct Sent {
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Value>,
}

/// Calls the Worker and checks every answer against the document, keeping
/// track of which operations answered with which statuses.
struct Api<'s> {
    stack: &'s Stack,
    doc: Value,
    seen: BTreeMap<(String, String), BTreeSet<u16>>,
    /// The role of each bearer token the test uses.
    roles: BTreeMap<String, &'static str>,
}

impl<'s> Api<'s> {
    fn new(stack: &'s Stack) -> Self {
        let t = &stack.tokens;
        let roles = [
            (&t.specialist, "specialist"),
            (&t.other_specialist, "specialist"),
            (&t.lead, "lead"),
            (&t.admin, "admin"),
        ]
        .into_iter()
        .map(|(token, role)| (token.clone(), role))
        .collect();
        Api {
            stack,
            doc: doc(),
            seen: BTreeMap::new(),
            roles,
        }
    }

    /// Sends `request` (to a path that fits `template`), checks the answer and
    /// asserts it has `status`.
    async fn expect(&mut self, status: u16, template: &str, request: RequestBuilder) -> Answer {
        let request = request.build().expect("a well-formed request");
        let method = request.method().clone();
        let path = request.url().path().to_owned();
        assert!(fits(template, &path), "{path} does not fit {template}");
        let sent = Sent {
            path: path.clone(),
            query: request
                .url()
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
            headers: request.headers().clone(),
            body: request
                .body()
                .and_then(|b| b.as_bytes())
                .map(|b| serde_json::from_slice(b).unwrap_or(Value::Null)),
        };

        let response = self
            .stack
            .http
            .execute(request)
            .await
            .expect("the Worker answers");
        let got = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("a body").to_vec();
        let body = check(&self.doc, &method, template, got, &headers, &bytes);
        assert_eq!(
            got,
            status,
            "{method} {path}: {}",
            String::from_utf8_lossy(&bytes)
        );
        if (200..400).contains(&got) {
            self.check_accepted_request(&method, template, &sent);
        }
        self.seen
            .entry((method.to_string(), template.to_owned()))
            .or_default()
            .insert(got);
        Answer {
            status: got,
            headers,
            body,
            bytes,
        }
    }

    /// A request the Worker accepted (2xx, or a 304) must be one the document
    /// describes: only documented query parameters, every required parameter,
    /// each parameter's value of its schema, a body of the documented schema,
    /// and the credentials one of its security requirements asks for.
    fn check_accepted_request(&self, method: &Method, template: &str, sent: &Sent) {
        let doc = &self.doc;
        let op = operation(doc, method, template);
        // Path-level parameters, overridden by the operation's own (by in and name).
        let mut parameters: BTreeMap<(String, String), &Value> = BTreeMap::new();
        for list in [&doc["paths"][template]["parameters"], &op["parameters"]] {
            for p in list.as_array().into_iter().flatten() {
                let p = resolve(doc, p);
                let (Some(place), Some(name)) = (p["in"].as_str(), p["name"].as_str()) else {
                    panic!("{method} {template}: a parameter without in and name: {p}");
                };
                parameters.insert((place.to_owned(), name.to_ascii_lowercase()), p);
            }
        }
        for (name, _) in &sent.query {
            assert!(
                parameters.contains_key(&("query".to_owned(), name.to_ascii_lowercase())),
                "{method} {template}: query parameter {name} is not documented"
            );
        }
        for ((place, _), p) in &parameters {
            let name = p["name"].as_str().unwrap_or_default();
            let value = match place.as_str() {
                "query" => sent
                    .query
                    .iter()
                    .find(|(k, _)| k == name)
                    .map(|(_, v)| v.clone()),
                "header" => sent
                    .headers
                    .get(name)
                    .map(|v| v.to_str().expect("ASCII header").to_owned()),
                "path" => template
                    .split('/')
                    .zip(sent.path.split('/'))
                    .find(|(t, _)| *t == format!("{{{name}}}"))
                    .map(|(_, v)| v.to_owned()),
                other => panic!("{method} {template}: parameters in {other} are not checked"),
            };
            let what = format!("{place} parameter {name} of {method} {template}");
            match value {
                Some(value) => {
                    let schema = &p["schema"];
                    let typed = match schema["type"].as_str() {
                        Some("integer") => value.parse::<i64>().map_or(json!(value), |n| json!(n)),
                        _ => json!(value),
                    };
                    assert_valid(doc, schema, &typed, &format!("the accepted {what}"));
                }
                None => assert!(
                    p["required"] != json!(true),
                    "an accepted request lacks the required {what}"
                ),
            }
        }
        if let Some(schema) = op.pointer("/requestBody/content/application~1json/schema") {
            let body = sent
                .body
                .as_ref()
                .unwrap_or_else(|| panic!("{method} {template} needs a body"));
            assert_valid(
                doc,
                schema,
                body,
                &format!("the accepted request body of {method} {template}"),
            );
        }
        let requirements = op
            .get("security")
            .or_else(|| doc.get("security"))
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        // Each header the test set is a documented parameter, the credentials of
        // the operation's security, the body's Content-Type, or an Accept that
        // asks for media types the operation answers with.
        let schemes = &doc["components"]["securitySchemes"];
        let credentials: BTreeSet<String> = requirements
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|requirement| requirement.keys())
            .map(|scheme| match schemes[scheme]["in"].as_str() {
                Some("header") => schemes[scheme]["name"].as_str().unwrap_or_default(),
                _ => AUTHORIZATION.as_str(),
            })
            .map(str::to_ascii_lowercase)
            .collect();
        for (name, value) in &sent.headers {
            let name = name.as_str();
            let documented = parameters.contains_key(&("header".to_owned(), name.to_owned()))
                || credentials.contains(name)
                || (name == CONTENT_TYPE.as_str() && op.get("requestBody").is_some())
                || (name == ACCEPT.as_str()
                    && offers(doc, op, value.to_str().expect("ASCII header")));
            assert!(
                documented,
                "{method} {template}: header {name} is not documented"
            );
        }
        let met = requirements.is_empty()
            || requirements.iter().any(|requirement| {
                requirement
                    .as_object()
                    .into_iter()
                    .flatten()
                    .all(|(scheme, scopes)| self.meets(scheme, scopes, &sent.headers))
            });
        assert!(
            met,
            "{method} {template} was accepted without what its security asks for: {requirements:?}"
        );
    }

    /// Whether `headers` satisfy the security scheme named `scheme` with
    /// `scopes`, which for the bearer token are the least role needed.
    fn meets(&self, scheme: &str, scopes: &Value, headers: &HeaderMap) -> bool {
        let doc = &self.doc;
        let definition = &doc["components"]["securitySchemes"][scheme];
        match (definition["type"].as_str(), definition["in"].as_str()) {
            (Some("http"), _) if definition["scheme"] == "bearer" => {
                let token = headers
                    .get(AUTHORIZATION)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.strip_prefix("Bearer "));
                let roles = doc["components"]["schemas"]["Role"]["enum"]
                    .as_array()
                    .expect("roles");
                let rank = |role: &str| roles.iter().position(|r| r == role);
                let held = token.and_then(|t| self.roles.get(t)).and_then(|r| rank(r));
                token.is_some()
                    && scopes
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .all(|least| {
                            let least = rank(least).unwrap_or_else(|| panic!("no role {least}"));
                            held.is_some_and(|held| held >= least)
                        })
            }
            (Some("apiKey"), Some("header")) => {
                let name = definition["name"].as_str().expect("a header name");
                headers.contains_key(name)
            }
            _ => panic!("the test does not know the security scheme {scheme}: {definition}"),
        }
    }

    /// Every operation of the document answered at least once with a 2xx.
    fn assert_every_operation_succeeded(&self) {
        for (method, template) in operations(&self.doc) {
            let statuses = self.seen.get(&(method.clone(), template.clone()));
            eprintln!("{method:6} {template:36} {statuses:?}");
            assert!(
                statuses.is_some_and(|s| s.iter().any(|c| (200..300).contains(c))),
                "{method} {template} was never called successfully"
            );
        }
    }
}

/// Whether `op` answers with every media type `accept` names (`*/*` aside).
/// OpenAPI describes `Accept` by the responses' content, never as a parameter.
fn offers(doc: &Value, op: &Value, accept: &str) -> bool {
    let offered: BTreeSet<&str> = op["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(_, response)| resolve(doc, response)["content"].as_object())
        .flat_map(|content| content.keys().map(String::as_str))
        .collect();
    accept
        .split(',')
        .filter_map(|range| range.split(';').next())
        .map(str::trim)
        .all(|media_type| media_type == "*/*" || offered.contains(media_type))
}

/// Every (METHOD, path template) in the document.
fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let methods = [
        "get", "put", "post", "delete", "patch", "head", "options", "trace",
    ];
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            methods
                .iter()
                .filter(|m| item.get(**m).is_some())
                .map(move |m| (m.to_ascii_uppercase(), path.clone()))
        })
        .collect()
}

/// Every (METHOD, path template) the Worker routes, from its table.
fn worker_routes() -> BTreeSet<(String, String)> {
    ROUTES
        .iter()
        .flat_map(|route| {
            route
                .operations
                .iter()
                .map(|(method, _)| (method.as_str().to_owned(), route.path.to_owned()))
        })
        .collect()
}

#[test]
fn the_document_has_exactly_the_workers_routes_and_operation_ids() {
    let documented = operations(&doc());
    let served = worker_routes();
    let undocumented: Vec<_> = served.difference(&documented).collect();
    let not_served: Vec<_> = documented.difference(&served).collect();
    assert!(
        undocumented.is_empty() && not_served.is_empty(),
        "served but not documented: {undocumented:?}; documented but not served: {not_served:?}"
    );
    let doc = doc();
    for route in ROUTES {
        for (method, op) in route.operations {
            let method = Method::from_bytes(method.as_str().as_bytes()).expect("a method");
            assert_eq!(
                operation(&doc, &method, route.path)["operationId"],
                op.id(),
                "{method} {}",
                route.path
            );
        }
    }
}

#[test]
fn every_documented_schema_compiles_and_every_error_is_the_one_error_body() {
    let doc = doc();
    assert_eq!(doc["openapi"], "3.1.0");
    for schema in doc["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .values()
    {
        validator(&doc, schema);
    }
    for (method, template) in operations(&doc) {
        let method = Method::from_bytes(method.as_bytes()).expect("a method");
        let op = operation(&doc, &method, &template);
        assert!(
            op["operationId"].is_string(),
            "{method} {template} has no operationId"
        );
        for (status, response) in op["responses"].as_object().expect("responses") {
            let response = resolve(&doc, response);
            // The test checks JSON against its schema, text as a string of its
            // schema and binary for presence.
            for (media_type, media) in response["content"].as_object().into_iter().flatten() {
                let text = media_type.starts_with("text/") && media["schema"]["type"] == "string";
                assert!(
                    (media_type == "application/json" && media["schema"].is_object())
                        || text
                        || media_type == "application/octet-stream",
                    "{method} {template} {status}: {media_type} is not checked"
                );
                if text {
                    validator(&doc, &media["schema"]);
                }
            }
            let schema = response.pointer("/content/application~1json/schema");
            if let Some(schema) = schema {
                validator(&doc, schema);
            }
            // /healthz answers 503 with its Health body when D1 is down.
            let is_error = status.starts_with('4') || (status.starts_with('5') && status != "503");
            if is_error {
                let text = schema.map(Value::to_string).unwrap_or_default();
                assert!(
                    text.contains("\"#/components/schemas/ErrorBody\""),
                    "{method} {template} {status} is not an ErrorBody"
                );
            }
        }
    }
}

const DANA: &str = "u-dana";
const ERIK: &str = "u-erik";

/// A case using every field of `CreateCaseRequest`; organization × blocked is P1.
fn full_case() -> Value {
    json!({
        "title": "Campaign export fails",
        "description": "Export CSV fails with 502 since 09:00.\nSteps: Campaigns → Export.",
        "platform": "ads-console",
        "category": "exports",
        "impact": "organization",
        "urgency": "blocked",
        "reporter": { "id": DANA, "name": "Dana Wu", "email": "dana.wu@example.com" },
        "context": {
            "url": "https://ads.example.com/campaigns?id=4",
            "referrer": "https://ads.example.com/",
            "platform_version": "2026.11.3",
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
            "locale": "en-GB",
            "time_zone": "Europe/London",
            "viewport": { "width": 1280, "height": 800 },
            "recent_errors": [{ "message": "TypeError: x is undefined", "source": "https://ads.example.com/app.js", "at": "2026-11-26T09:01:00Z" }],
            "failed_requests": [{ "method": "get", "url": "https://ads.example.com/api/export", "status": 502 }],
            "attributes": { "plan": "pro", "account": "4411" }
        }
    })
}

#[tokio::test]
async fn the_worker_answers_as_the_document_says() {
    use Method as M;
    // A team channel that refuses every notification, so that some end up as
    // dead letters to read; and two look-alike cases are enough for an incident.
    let channel = WebhookReceiver::start(500).await;
    let mut options = StackOptions::default();
    options.vars.extend([
        (
            "MALFUNCTION_RULE".to_owned(),
            json!({ "threshold": 2, "window_minutes": 15 }).to_string(),
        ),
        ("IM_WEBHOOK_URL".to_owned(), channel.url.clone()),
    ]);
    let stack = Stack::start_with(options);
    let tokens = &stack.tokens;
    let mut api = Api::new(&stack);
    let case_path = |id: i64, action: &str| match action {
        "" => format!("/v1/cases/{id}"),
        _ => format!("/v1/cases/{id}/{action}"),
    };

    // Health, and an empty queue: nothing to claim.
    let health = api
        .expect(200, "/healthz", stack.http.get(stack.url("/healthz")))
        .await;
    assert_eq!(health.body, json!({ "ok": true, "database": true }));
    let claim = || stack.with_token(&tokens.specialist, M::POST, "/v1/queue/claim");
    api.expect(204, "/v1/queue/claim", claim()).await;

    // Intake: new, replayed, conflicting, unsigned, malformed, oversized, invalid.
    let create = |user: &str, key: Option<&str>, body: &Value| {
        let request = stack.as_reporter(user, M::POST, "/v1/cases").json(body);
        match key {
            Some(key) => request.header("Idempotency-Key", key),
            None => request,
        }
    };
    let created = api
        .expect(201, "/v1/cases", create(DANA, Some("oa-1"), &full_case()))
        .await;
    assert_eq!(created.body["priority"], "P1");
    let case = created.body["id"].as_i64().expect("an id");
    let reference = created.body["ref"].as_str().expect("a ref").to_owned();
    let replayed = api
        .expect(200, "/v1/cases", create(DANA, Some("oa-1"), &full_case()))
        .await;
    assert_eq!(replayed.body, created.body);
    let mut changed = full_case();
    changed["description"] = json!("Something else entirely");
    let reused = api
        .expect(409, "/v1/cases", create(DANA, Some("oa-1"), &changed))
        .await;
    assert_eq!(reused.code(), "idempotency_conflict");
    let unsigned = stack.http.post(stack.url("/v1/cases")).json(&full_case());
    assert_eq!(
        api.expect(401, "/v1/cases", unsigned).await.code(),
        "unsigned_user"
    );
    let not_json = stack
        .as_reporter(DANA, M::POST, "/v1/cases")
        .header(CONTENT_TYPE, "application/json")
        .body("{\"description\": ");
    assert_eq!(
        api.expect(400, "/v1/cases", not_json).await.code(),
        "invalid_json"
    );
    let mut wrong_type = case_body(DANA, "x");
    wrong_type["reporter"]["id"] = json!(7);
    let wrong_type = api
        .expect(400, "/v1/cases", create(DANA, None, &wrong_type))
        .await;
    assert_eq!(
        (wrong_type.code(), wrong_type.field()),
        ("invalid_body", "reporter.id")
    );
    let huge = case_body(DANA, &"x".repeat(70 * 1024));
    assert_eq!(
        api.expect(413, "/v1/cases", create(DANA, None, &huge))
            .await
            .code(),
        "too_large"
    );
    let blank = api
        .expect(
            422,
            "/v1/cases",
            create(DANA, None, &case_body(DANA, "   ")),
        )
        .await;
    assert_eq!((blank.code(), blank.field()), ("required", "description"));
    let someone_else = api
        .expect(422, "/v1/cases", create(DANA, None, &case_body(ERIK, "x")))
        .await;
    assert_eq!(someone_else.field(), "reporter.id");
    let bad_key = api
        .expect(
            422,
            "/v1/cases",
            create(DANA, Some("has space"), &full_case()),
        )
        .await;
    assert_eq!(bad_key.field(), "Idempotency-Key");
    // A second case, P3, with only what is required (so the answers carry
    // their nulls), to page the queue and to release.
    let minimal = json!({
        "description": "How do I share a dashboard?",
        "platform": "ads-console",
        "reporter": { "id": DANA }
    });
    let second = api
        .expect(201, "/v1/cases", create(DANA, None, &minimal))
        .await;
    let second = second.body["id"].as_i64().expect("an id");

    // What the reporter sees.
    let mine = api
        .expect(
            200,
            "/v1/cases/mine",
            stack.as_reporter(DANA, M::GET, "/v1/cases/mine"),
        )
        .await;
    assert_eq!(mine.body["cases"].as_array().map(Vec::len), Some(2));
    let forged = stack
        .http
        .get(stack.url("/v1/cases/mine"))
        .header("X-Helpline-User", DANA)
        .header("X-Helpline-User-Hash", "00".repeat(32));
    assert_eq!(
        api.expect(401, "/v1/cases/mine", forged).await.code(),
        "unsigned_user"
    );
    let own = api
        .expect(
            200,
            "/v1/cases/{id}",
            stack.as_reporter(DANA, M::GET, &case_path(case, "")),
        )
        .await;
    assert!(
        own.body.get("sla").is_none(),
        "the team's internals stay with the team"
    );
    assert_eq!(
        own.headers["etag"].to_str().ok(),
        Some(format!("\"{}\"", own.body["version"]).as_str())
    );
    let by_ref = format!("/v1/cases/{reference}");
    api.expect(
        200,
        "/v1/cases/{id}",
        stack.as_reporter(DANA, M::GET, &by_ref),
    )
    .await;
    api.expect(
        404,
        "/v1/cases/{id}",
        stack.as_reporter(ERIK, M::GET, &case_path(case, "")),
    )
    .await;
    api.expect(
        404,
        "/v1/cases/{id}",
        stack.as_specialist(M::GET, "/v1/cases/999999"),
    )
    .await;
    api.expect(
        404,
        "/v1/cases/{id}",
        stack.as_specialist(M::GET, "/v1/cases/nope"),
    )
    .await;
    let bad_token = stack.with_token("hl_not-a-token", M::GET, &case_path(case, ""));
    assert_eq!(
        api.expect(401, "/v1/cases/{id}", bad_token).await.code(),
        "unauthorized"
    );
    let nobody = stack.http.get(stack.url(&case_path(case, "")));
    assert_eq!(
        api.expect(401, "/v1/cases/{id}", nobody).await.code(),
        "unsigned_user"
    );

    // The queue: pages, filters, bad filters.
    let queue = |query: &str| stack.as_specialist(M::GET, &format!("/v1/queue{query}"));
    let page = api.expect(200, "/v1/queue", queue("?limit=1")).await;
    let cursor = page.body["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();
    let last = api
        .expect(
            200,
            "/v1/queue",
            queue(&format!("?limit=1&cursor={cursor}")),
        )
        .await;
    assert_eq!(last.body["cases"][0]["id"], second);
    let filters = "?platform=ads-console&priority=P3&status=queued,in_progress&assignee=none";
    api.expect(200, "/v1/queue", queue(filters)).await;
    let bad_limit = api.expect(422, "/v1/queue", queue("?limit=0")).await;
    assert_eq!(bad_limit.field(), "limit");
    api.expect(401, "/v1/queue", stack.http.get(stack.url("/v1/queue")))
        .await;

    // A specialist works the P1 case from claim to close.
    let claimed = api.expect(200, "/v1/queue/claim", claim()).await;
    assert_eq!(claimed.body["id"], case);
    assert!(claimed.body["sla"].is_object() && claimed.body["assignee"].is_object());
    let version = claimed.body["version"].to_string();
    let act = |token: &str, action: &str, body: Value| {
        stack
            .with_token(token, M::POST, &case_path(case, action))
            .json(&body)
    };
    let reply = json!({ "body": "Looking into it now." });
    let replied = api
        .expect(
            200,
            "/v1/cases/{id}/reply",
            act(&tokens.specialist, "reply", reply.clone())
                .header("If-Match", format!("\"{version}\"")),
        )
        .await;
    assert!(replied.body["sla"]["first_response_at"].is_string());
    let stale = act(&tokens.specialist, "reply", reply.clone())
        .header("If-Match", format!("\"{version}\""));
    assert_eq!(
        api.expect(409, "/v1/cases/{id}/reply", stale).await.code(),
        "stale_version"
    );
    let garbled = act(&tokens.specialist, "reply", reply.clone()).header("If-Match", "yesterday");
    assert_eq!(
        api.expect(422, "/v1/cases/{id}/reply", garbled)
            .await
            .field(),
        "If-Match"
    );
    let not_holder = api
        .expect(
            403,
            "/v1/cases/{id}/reply",
            act(&tokens.other_specialist, "reply", reply.clone()),
        )
        .await;
    assert_eq!(not_holder.code(), "forbidden");
    let empty = api
        .expect(
            422,
            "/v1/cases/{id}/reply",
            act(&tokens.specialist, "reply", json!({ "body": "" })),
        )
        .await;
    assert_eq!(empty.field(), "body");
    let misnamed = act(&tokens.specialist, "reply", json!({ "text": "hi" }));
    assert_eq!(
        api.expect(400, "/v1/cases/{id}/reply", misnamed)
            .await
            .field(),
        "body"
    );
    let long = act(
        &tokens.specialist,
        "reply",
        json!({ "body": "x".repeat(70 * 1024) }),
    );
    api.expect(413, "/v1/cases/{id}/reply", long).await;
    let anonymous = stack
        .http
        .post(stack.url(&case_path(case, "reply")))
        .json(&reply);
    api.expect(401, "/v1/cases/{id}/reply", anonymous).await;
    let missing = stack
        .with_token(&tokens.specialist, M::POST, "/v1/cases/999999/reply")
        .json(&reply);
    api.expect(404, "/v1/cases/{id}/reply", missing).await;
    // Any specialist may leave a note.
    let noted = api
        .expect(
            200,
            "/v1/cases/{id}/note",
            act(
                &tokens.other_specialist,
                "note",
                json!({ "body": "Seen this before: CDN." }),
            ),
        )
        .await;
    assert!(noted.body["events"]
        .as_array()
        .is_some_and(|e| e.iter().any(|e| e["kind"] == "noted")));
    let waiting = act(
        &tokens.specialist,
        "status",
        json!({ "status": "waiting_on_user" }),
    );
    api.expect(200, "/v1/cases/{id}/status", waiting).await;
    let unknown_status = act(&tokens.specialist, "status", json!({ "status": "lost" }));
    api.expect(400, "/v1/cases/{id}/status", unknown_status)
        .await;
    let to_queue = act(&tokens.specialist, "status", json!({ "status": "queued" }));
    assert_eq!(
        api.expect(409, "/v1/cases/{id}/status", to_queue)
            .await
            .code(),
        "illegal_transition"
    );

    // The reporter answers, which puts the case back in progress.
    let say = |user: &str, id: i64, body: Value| {
        stack
            .as_reporter(user, M::POST, &case_path(id, "messages"))
            .json(&body)
    };
    let message = json!({ "body": "It still fails, screenshot attached." });
    let answered = api
        .expect(
            200,
            "/v1/cases/{id}/messages",
            say(DANA, case, message.clone()),
        )
        .await;
    assert_eq!(answered.body["status"], "in_progress");
    assert!(
        answered.body.get("assignee").is_none(),
        "reporters do not see the assignee"
    );
    api.expect(
        404,
        "/v1/cases/{id}/messages",
        say(ERIK, case, message.clone()),
    )
    .await;
    api.expect(
        422,
        "/v1/cases/{id}/messages",
        say(DANA, case, json!({ "body": " " })),
    )
    .await;
    api.expect(
        400,
        "/v1/cases/{id}/messages",
        say(DANA, case, json!({ "body": 1 })),
    )
    .await;
    api.expect(
        413,
        "/v1/cases/{id}/messages",
        say(DANA, case, json!({ "body": "x".repeat(70 * 1024) })),
    )
    .await;
    let unsigned = stack
        .http
        .post(stack.url(&case_path(case, "messages")))
        .json(&message);
    api.expect(401, "/v1/cases/{id}/messages", unsigned).await;
    let stale = say(DANA, case, message.clone()).header("If-Match", "\"1\"");
    assert_eq!(
        api.expect(409, "/v1/cases/{id}/messages", stale)
            .await
            .code(),
        "stale_version"
    );

    // Escalated to a team and level of the policy, resolved, rated and so closed.
    let policy_path = "/v1/escalation/policy";
    let policy = api
        .expect(200, policy_path, stack.as_specialist(M::GET, policy_path))
        .await;
    let data = policy.body["teams"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|team| team["key"] == "data")
        .expect("the data team in the default policy");
    assert_eq!(data["levels"][1]["holder"], "Team lead");
    api.expect(
        401,
        policy_path,
        stack.as_reporter(DANA, M::GET, policy_path),
    )
    .await;
    let escalation = json!({ "team": "data", "level": 2, "reason": "502 from the export service" });
    let escalated = api
        .expect(
            200,
            "/v1/cases/{id}/escalate",
            act(&tokens.specialist, "escalate", escalation.clone()),
        )
        .await;
    let landed = &escalated.body["escalation"];
    assert_eq!(
        (&landed["level"], &landed["team_name"], &landed["holder"]),
        (&json!(2), &json!("Data"), &json!("Team lead"))
    );
    for (team, level, field) in [("data", 9, "level"), ("sales", 1, "team")] {
        let outside = act(
            &tokens.specialist,
            "escalate",
            json!({ "team": team, "level": level, "reason": "r" }),
        );
        assert_eq!(
            api.expect(422, "/v1/cases/{id}/escalate", outside)
                .await
                .field(),
            field
        );
    }
    api.expect(
        400,
        "/v1/cases/{id}/escalate",
        act(&tokens.specialist, "escalate", json!({ "team": "exports" })),
    )
    .await;
    api.expect(
        403,
        "/v1/cases/{id}/escalate",
        act(&tokens.other_specialist, "escalate", escalation),
    )
    .await;
    let resolved = act(
        &tokens.specialist,
        "status",
        json!({ "status": "resolved" }),
    );
    api.expect(200, "/v1/cases/{id}/status", resolved).await;
    let rate = |user: &str, id: i64, body: Value| {
        stack
            .as_reporter(user, M::POST, &case_path(id, "feedback"))
            .json(&body)
    };
    let rating = json!({ "rating": 5, "comment": "Quick and clear, thanks!" });
    let closed = api
        .expect(
            200,
            "/v1/cases/{id}/feedback",
            rate(DANA, case, rating.clone()),
        )
        .await;
    assert_eq!(
        (
            closed.body["status"].as_str(),
            closed.body["rating"].as_u64()
        ),
        (Some("closed"), Some(5))
    );
    assert_eq!(
        api.expect(
            409,
            "/v1/cases/{id}/feedback",
            rate(DANA, case, rating.clone())
        )
        .await
        .code(),
        "conflict"
    );
    let after_close = api
        .expect(409, "/v1/cases/{id}/messages", say(DANA, case, message))
        .await;
    assert_eq!(after_close.code(), "illegal_transition");
    assert_eq!(
        api.expect(
            422,
            "/v1/cases/{id}/feedback",
            rate(DANA, second, json!({ "rating": 9 }))
        )
        .await
        .field(),
        "rating"
    );
    assert_eq!(
        api.expect(
            409,
            "/v1/cases/{id}/feedback",
            rate(DANA, second, json!({ "rating": 4 }))
        )
        .await
        .code(),
        "illegal_transition"
    );
    api.expect(
        400,
        "/v1/cases/{id}/feedback",
        rate(DANA, second, json!({ "rating": 300 })),
    )
    .await;
    api.expect(
        404,
        "/v1/cases/{id}/feedback",
        rate(ERIK, second, json!({ "rating": 4 })),
    )
    .await;
    let unsigned = stack
        .http
        .post(stack.url(&case_path(second, "feedback")))
        .json(&rating);
    api.expect(401, "/v1/cases/{id}/feedback", unsigned).await;
    api.expect(
        413,
        "/v1/cases/{id}/feedback",
        rate(
            DANA,
            second,
            json!({ "rating": 4, "comment": "x".repeat(70 * 1024) }),
        ),
    )
    .await;
    let whole = api
        .expect(
            200,
            "/v1/cases/{id}",
            stack.as_specialist(M::GET, &case_path(case, "")),
        )
        .await;
    let kinds: BTreeSet<&str> = whole.body["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    assert!(
        kinds.is_superset(&BTreeSet::from([
            "created",
            "claimed",
            "replied",
            "noted",
            "escalated",
            "feedback"
        ])),
        "{kinds:?}"
    );

    // Claim and release the second case.
    let release = |token: &str| stack.with_token(token, M::POST, &case_path(second, "release"));
    let claimed = api.expect(200, "/v1/queue/claim", claim()).await;
    assert_eq!(claimed.body["id"], second);
    api.expect(
        403,
        "/v1/cases/{id}/release",
        release(&tokens.other_specialist),
    )
    .await;
    api.expect(
        422,
        "/v1/cases/{id}/release",
        release(&tokens.specialist).header("If-Match", "v1"),
    )
    .await;
    let released = api
        .expect(200, "/v1/cases/{id}/release", release(&tokens.specialist))
        .await;
    assert_eq!(released.body["status"], "queued");
    let again = api
        .expect(409, "/v1/cases/{id}/release", release(&tokens.specialist))
        .await;
    assert_eq!(again.code(), "illegal_transition");
    api.expect(
        404,
        "/v1/cases/{id}/release",
        stack.as_specialist(M::POST, "/v1/cases/999999/release"),
    )
    .await;
    api.expect(
        401,
        "/v1/cases/{id}/release",
        stack.http.post(stack.url(&case_path(second, "release"))),
    )
    .await;
    api.expect(
        409,
        "/v1/cases/{id}/reply",
        stack
            .as_specialist(M::POST, &case_path(second, "reply"))
            .json(&reply),
    )
    .await;
    api.expect(
        401,
        "/v1/cases/{id}/note",
        stack
            .http
            .post(stack.url(&case_path(second, "note")))
            .json(&reply),
    )
    .await;
    api.expect(
        404,
        "/v1/cases/{id}/status",
        stack
            .as_specialist(M::POST, "/v1/cases/999999/status")
            .json(&json!({ "status": "resolved" })),
    )
    .await;

    // Managing specialists: admins only.
    let admin = |method: Method, path: &str| stack.with_token(&tokens.admin, method, path);
    let listed = api
        .expect(200, "/v1/specialists", admin(M::GET, "/v1/specialists"))
        .await;
    assert_eq!(listed.body["specialists"].as_array().map(Vec::len), Some(4));
    api.expect(
        403,
        "/v1/specialists",
        stack.with_token(&tokens.lead, M::GET, "/v1/specialists"),
    )
    .await;
    api.expect(
        401,
        "/v1/specialists",
        stack.http.get(stack.url("/v1/specialists")),
    )
    .await;
    let hire = json!({ "name": "Nia New", "role": "lead" });
    let hired = api
        .expect(
            201,
            "/v1/specialists",
            admin(M::POST, "/v1/specialists").json(&hire),
        )
        .await;
    let hired_id = hired.body["specialist"]["id"].as_i64().expect("an id");
    let hired_token = hired.body["token"].as_str().expect("a token").to_owned();
    let nameless = admin(M::POST, "/v1/specialists").json(&json!({ "name": " ", "role": "lead" }));
    assert_eq!(
        api.expect(422, "/v1/specialists", nameless).await.field(),
        "name"
    );
    let no_such_role =
        admin(M::POST, "/v1/specialists").json(&json!({ "name": "Bo", "role": "boss" }));
    assert_eq!(
        api.expect(400, "/v1/specialists", no_such_role)
            .await
            .field(),
        "role"
    );
    let by_specialist = stack.as_specialist(M::POST, "/v1/specialists").json(&hire);
    api.expect(403, "/v1/specialists", by_specialist).await;
    let revoke_path = format!("/v1/specialists/{hired_id}/revoke");
    api.expect(
        403,
        "/v1/specialists/{id}/revoke",
        stack.as_specialist(M::POST, &revoke_path),
    )
    .await;
    let revoked = api
        .expect(
            200,
            "/v1/specialists/{id}/revoke",
            admin(M::POST, &revoke_path),
        )
        .await;
    assert_eq!(revoked.body, hired.body["specialist"]);
    api.expect(
        404,
        "/v1/specialists/{id}/revoke",
        admin(M::POST, &revoke_path),
    )
    .await;
    api.expect(
        404,
        "/v1/specialists/{id}/revoke",
        admin(M::POST, "/v1/specialists/abc/revoke"),
    )
    .await;
    api.expect(
        401,
        "/v1/specialists/{id}/revoke",
        stack.http.post(stack.url(&revoke_path)),
    )
    .await;
    // A revoked token is no token: 401 with WWW-Authenticate.
    let revoked_token = stack.with_token(&hired_token, M::POST, "/v1/queue/claim");
    let refused = api.expect(401, "/v1/queue/claim", revoked_token).await;
    assert!(refused.headers.contains_key("www-authenticate"));
    assert_eq!(refused.status, 401);

    // The SOP knowledge base. Before anything is published the index is empty.
    let first = api
        .expect(
            200,
            "/v1/sop/index",
            stack.as_reporter(DANA, M::GET, "/v1/sop/index"),
        )
        .await;
    let empty = SopIndex::from_bytes(&first.bytes).expect("the index decodes");
    assert!(empty.search("export", 8).is_empty());
    let first_etag = first.etag().to_owned();

    // Specialists write articles; publishing needs a lead.
    let articles = "/v1/sop/articles";
    let write = |token: &str, body: &Value| stack.with_token(token, M::POST, articles).json(body);
    let article = |slug: &str| format!("/v1/sop/articles/{slug}");
    // Every field of SopArticleInput.
    let full_article = json!({
        "slug": "csv-export-timeout",
        "title": "CSV export times out",
        "body_markdown": "1. Narrow the **date range**\n2. Retry the [export](https://ads.example.com/help)",
        "tags": ["exports", "导出"],
        "category": "exports",
        "platforms": ["ads-console"],
        "language": "en",
        "published": false
    });
    let draft = api
        .expect(201, articles, write(&tokens.specialist, &full_article))
        .await;
    assert_eq!(
        (
            &draft.body["version"],
            &draft.body["published"],
            draft.etag()
        ),
        (&json!(1), &json!(false), "\"1\"")
    );
    assert!(draft.body["body_html"]
        .as_str()
        .is_some_and(|h| h.contains("<ol>")));
    // Only what is required: the defaults come back.
    let minimal_article = json!({
        "slug": "share-dashboard",
        "title": "Share a dashboard",
        "body_markdown": "Open the dashboard and use **Share**.",
        "category": "dashboards"
    });
    let minimal = api
        .expect(201, articles, write(&tokens.specialist, &minimal_article))
        .await;
    assert_eq!(
        (
            &minimal.body["tags"],
            &minimal.body["platforms"],
            &minimal.body["language"]
        ),
        (&json!([]), &json!([]), &json!("en"))
    );
    let mfa_article = json!({
        "slug": "reset-mfa",
        "title": "重置 MFA 设备",
        "body_markdown": "1. 核实身份\n2. 重置 MFA device",
        "tags": ["mfa"],
        "category": "sso-and-mfa",
        "language": "zh-CN",
        "published": true
    });
    let live = api
        .expect(201, articles, write(&tokens.lead, &mfa_article))
        .await;
    assert_eq!(live.body["published"], true);
    let mut publish_at_once = minimal_article.clone();
    publish_at_once["slug"] = json!("publish-at-once");
    publish_at_once["published"] = json!(true);
    assert_eq!(
        api.expect(403, articles, write(&tokens.specialist, &publish_at_once))
            .await
            .code(),
        "forbidden"
    );
    assert_eq!(
        api.expect(409, articles, write(&tokens.specialist, &minimal_article))
            .await
            .code(),
        "conflict"
    );
    type Spoil = fn(&mut Value);
    let spoilt: [(&str, Spoil); 9] = [
        ("slug", |a| a["slug"] = json!("Bad Slug")),
        ("slug", |a| a["slug"] = json!("ab")),
        ("slug", |a| {
            if let Some(a) = a.as_object_mut() {
                a.remove("slug");
            }
        }),
        ("title", |a| a["title"] = json!("  ")),
        ("body_markdown", |a| {
            a["body_markdown"] = json!("x".repeat(50_001))
        }),
        ("category", |a| a["category"] = json!("Access & SSO")),
        ("tags", |a| a["tags"] = json!(vec!["t"; 21])),
        ("platforms", |a| a["platforms"] = json!(["Ads Console"])),
        ("language", |a| a["language"] = json!("english")),
    ];
    for (field, spoil) in spoilt {
        let mut bad = full_article.clone();
        bad["slug"] = json!("never-written");
        spoil(&mut bad);
        let refused = api
            .expect(422, articles, write(&tokens.specialist, &bad))
            .await;
        assert_eq!(refused.field(), field, "{bad}");
    }
    let mut wrong_type = full_article.clone();
    wrong_type["tags"] = json!("exports");
    assert_eq!(
        api.expect(400, articles, write(&tokens.specialist, &wrong_type))
            .await
            .code(),
        "invalid_body"
    );
    let mut huge = full_article.clone();
    huge["body_markdown"] = json!("x".repeat(70 * 1024));
    api.expect(413, articles, write(&tokens.specialist, &huge))
        .await;
    api.expect(
        401,
        articles,
        stack.http.post(stack.url(articles)).json(&full_article),
    )
    .await;

    // The team's list has drafts too; reporters have no list.
    let list = api
        .expect(200, articles, stack.as_specialist(M::GET, articles))
        .await;
    let slugs: Vec<_> = list.body["articles"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["slug"].as_str())
        .collect();
    assert_eq!(
        slugs,
        ["csv-export-timeout", "reset-mfa", "share-dashboard"]
    );
    let as_reporter = api
        .expect(401, articles, stack.as_reporter(DANA, M::GET, articles))
        .await;
    assert_eq!(as_reporter.code(), "unauthorized");

    // Reading one: reporters only what is published, and only its current version.
    let one = "/v1/sop/articles/{slug}";
    let read = |who: &str, path: &str| stack.as_reporter(who, M::GET, path);
    api.expect(404, one, read(DANA, &article("csv-export-timeout")))
        .await;
    let seen = api
        .expect(200, one, read(DANA, &article("reset-mfa")))
        .await;
    assert_eq!(
        (seen.body["language"].as_str(), seen.etag()),
        (Some("zh-CN"), "\"1\"")
    );
    api.expect(
        404,
        one,
        read(DANA, &format!("{}?version=1", article("reset-mfa"))),
    )
    .await;
    assert_eq!(
        api.expect(
            422,
            one,
            read(DANA, &format!("{}?version=first", article("reset-mfa")))
        )
        .await
        .field(),
        "version"
    );
    assert_eq!(
        api.expect(401, one, stack.http.get(stack.url(&article("reset-mfa"))))
            .await
            .code(),
        "unsigned_user"
    );
    let bad_token = stack.with_token("hl_not-a-token", M::GET, &article("reset-mfa"));
    assert_eq!(api.expect(401, one, bad_token).await.code(), "unauthorized");
    let team_view = api
        .expect(
            200,
            one,
            stack.as_specialist(M::GET, &article("csv-export-timeout")),
        )
        .await;
    assert_eq!(team_view.body, draft.body);
    api.expect(
        404,
        one,
        stack.as_specialist(M::GET, &article("no-such-article")),
    )
    .await;

    // Editing: If-Match names the version edited; the path's slug wins.
    let edit = |token: &str, slug: &str, if_match: Option<&str>, body: &Value| {
        let request = stack.with_token(token, M::PUT, &article(slug)).json(body);
        match if_match {
            Some(version) => request.header("If-Match", version),
            None => request,
        }
    };
    let mut edited = full_article.clone();
    if let Some(fields) = edited.as_object_mut() {
        fields.remove("slug");
    }
    edited["body_markdown"] = json!("1. Narrow the date range\n2. Export per campaign");
    let second = api
        .expect(
            200,
            one,
            edit(
                &tokens.other_specialist,
                "csv-export-timeout",
                Some("\"1\""),
                &edited,
            ),
        )
        .await;
    assert_eq!(
        (&second.body["version"], second.etag()),
        (&json!(2), "\"2\"")
    );
    assert_eq!(second.body["updated_by"], "Kim Specialist");
    let stale = edit(
        &tokens.specialist,
        "csv-export-timeout",
        Some("\"1\""),
        &edited,
    );
    assert_eq!(api.expect(409, one, stale).await.code(), "stale_version");
    for if_match in [None, Some("yesterday")] {
        let unversioned = edit(&tokens.specialist, "csv-export-timeout", if_match, &edited);
        assert_eq!(api.expect(422, one, unversioned).await.field(), "If-Match");
    }
    let mut bad_language = edited.clone();
    bad_language["language"] = json!("EN");
    let refused = edit(
        &tokens.specialist,
        "csv-export-timeout",
        Some("2"),
        &bad_language,
    );
    assert_eq!(api.expect(422, one, refused).await.field(), "language");
    api.expect(
        404,
        one,
        edit(&tokens.specialist, "no-such-article", Some("1"), &edited),
    )
    .await;
    let not_json = stack
        .as_specialist(M::PUT, &article("csv-export-timeout"))
        .header("If-Match", "2")
        .header(CONTENT_TYPE, "application/json")
        .body("{\"title\": ");
    assert_eq!(api.expect(400, one, not_json).await.code(), "invalid_json");
    let mut huge = edited.clone();
    huge["body_markdown"] = json!("x".repeat(70 * 1024));
    api.expect(
        413,
        one,
        edit(&tokens.specialist, "csv-export-timeout", Some("2"), &huge),
    )
    .await;
    let anonymous = stack
        .http
        .put(stack.url(&article("csv-export-timeout")))
        .header("If-Match", "2")
        .json(&edited);
    api.expect(401, one, anonymous).await;

    // Versions: the list, and an older one to read.
    let versions = "/v1/sop/articles/{slug}/versions";
    let history = api
        .expect(
            200,
            versions,
            stack.as_specialist(
                M::GET,
                &format!("{}/versions", article("csv-export-timeout")),
            ),
        )
        .await;
    let numbers: Vec<_> = history.body["versions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| &v["version"])
        .collect();
    assert_eq!(numbers, [&json!(2), &json!(1)]);
    api.expect(
        404,
        versions,
        stack.as_specialist(M::GET, &format!("{}/versions", article("no-such-article"))),
    )
    .await;
    api.expect(
        401,
        versions,
        read(DANA, &format!("{}/versions", article("csv-export-timeout"))),
    )
    .await;
    let older = api
        .expect(
            200,
            one,
            stack.as_specialist(
                M::GET,
                &format!("{}?version=1", article("csv-export-timeout")),
            ),
        )
        .await;
    assert_eq!(
        (&older.body["body_markdown"], older.etag()),
        (&full_article["body_markdown"], "\"1\"")
    );
    api.expect(
        404,
        one,
        stack.as_specialist(
            M::GET,
            &format!("{}?version=9", article("csv-export-timeout")),
        ),
    )
    .await;

    // Publishing and unpublishing: leads only.
    let publish = "/v1/sop/articles/{slug}/publish";
    let unpublish = "/v1/sop/articles/{slug}/unpublish";
    let act_on = |token: &str, slug: &str, action: &str| {
        stack.with_token(token, M::POST, &format!("{}/{action}", article(slug)))
    };
    assert_eq!(
        api.expect(
            403,
            publish,
            act_on(&tokens.specialist, "csv-export-timeout", "publish")
        )
        .await
        .code(),
        "forbidden"
    );
    let published = api
        .expect(
            200,
            publish,
            act_on(&tokens.lead, "csv-export-timeout", "publish"),
        )
        .await;
    assert_eq!(
        (&published.body["published"], &published.body["version"]),
        (&json!(true), &json!(2))
    );
    api.expect(
        404,
        publish,
        act_on(&tokens.lead, "no-such-article", "publish"),
    )
    .await;
    api.expect(
        401,
        publish,
        stack
            .http
            .post(stack.url(&format!("{}/publish", article("share-dashboard")))),
    )
    .await;
    api.expect(
        403,
        unpublish,
        act_on(&tokens.specialist, "reset-mfa", "unpublish"),
    )
    .await;
    let withdrawn = api
        .expect(
            200,
            unpublish,
            act_on(&tokens.admin, "reset-mfa", "unpublish"),
        )
        .await;
    assert_eq!(withdrawn.body["published"], false);
    api.expect(404, one, read(DANA, &article("reset-mfa")))
        .await;
    api.expect(
        404,
        unpublish,
        act_on(&tokens.lead, "no-such-article", "unpublish"),
    )
    .await;
    api.expect(
        401,
        unpublish,
        stack
            .http
            .post(stack.url(&format!("{}/unpublish", article("reset-mfa")))),
    )
    .await;
    api.expect(200, one, read(DANA, &article("csv-export-timeout")))
        .await;

    // The index now holds the published article; unchanged, it is a 304.
    let current = api
        .expect(
            200,
            "/v1/sop/index",
            stack.as_reporter(ERIK, M::GET, "/v1/sop/index"),
        )
        .await;
    assert_ne!(current.etag(), first_etag);
    let decoded = SopIndex::from_bytes(&current.bytes).expect("the index decodes");
    let hits = decoded.search("exprot", 8);
    assert_eq!(
        hits.iter().map(|h| h.slug.as_str()).collect::<Vec<_>>(),
        ["csv-export-timeout"]
    );
    let etag = current.etag().to_owned();
    let unchanged = api
        .expect(
            304,
            "/v1/sop/index",
            stack
                .as_reporter(ERIK, M::GET, "/v1/sop/index")
                .header("If-None-Match", &etag),
        )
        .await;
    assert_eq!(
        (unchanged.etag(), unchanged.bytes.len()),
        (etag.as_str(), 0)
    );
    // A stale tag gets the new index; a weakened or listed current tag is
    // still current (If-None-Match compares weakly).
    let changed = stack
        .as_reporter(ERIK, M::GET, "/v1/sop/index")
        .header("If-None-Match", first_etag.clone());
    api.expect(200, "/v1/sop/index", changed).await;
    for held in [format!("W/{etag}"), format!("{first_etag}, {etag}")] {
        let still = stack
            .as_reporter(ERIK, M::GET, "/v1/sop/index")
            .header("If-None-Match", held);
        api.expect(304, "/v1/sop/index", still).await;
    }
    api.expect(
        200,
        "/v1/sop/index",
        stack.as_specialist(M::GET, "/v1/sop/index"),
    )
    .await;
    api.expect(
        401,
        "/v1/sop/index",
        stack.http.get(stack.url("/v1/sop/index")),
    )
    .await;

    // Server-side search: the same engine, published articles only.
    let found = api
        .expect(
            200,
            "/v1/sop/search",
            stack.as_reporter(DANA, M::GET, "/v1/sop/search?q=csv%20exprot"),
        )
        .await;
    assert_eq!(found.body["query"], "csv exprot");
    assert_eq!(found.body["hits"][0]["slug"], "csv-export-timeout");
    let drafts = api
        .expect(
            200,
            "/v1/sop/search",
            stack.as_specialist(M::GET, "/v1/sop/search?q=dashboard"),
        )
        .await;
    assert_eq!(drafts.body["hits"], json!([]));
    for (query, code) in [
        ("?q=%20%20", "required"),
        ("", "required"),
        (&*format!("?q={}", "x".repeat(501)), "too_long"),
    ] {
        let refused = api
            .expect(
                422,
                "/v1/sop/search",
                stack.as_reporter(DANA, M::GET, &format!("/v1/sop/search{query}")),
            )
            .await;
        assert_eq!((refused.code(), refused.field()), (code, "q"));
    }
    api.expect(
        401,
        "/v1/sop/search",
        stack.http.get(stack.url("/v1/sop/search?q=csv")),
    )
    .await;

    // Deflections: what the answers did for reporters; the unsolved ones are gaps.
    let deflect = |user: &str, body: Value| {
        stack
            .as_reporter(user, M::POST, "/v1/deflections")
            .json(&body)
    };
    let solved = json!({
        "query": "csv export timeout",
        "article_slug": "csv-export-timeout",
        "solved": true,
        "platform": "ads-console"
    });
    let recorded = api
        .expect(201, "/v1/deflections", deflect(DANA, solved.clone()))
        .await;
    assert!(recorded.body["id"].as_i64().is_some_and(|id| id > 0));
    api.expect(
        201,
        "/v1/deflections",
        deflect(
            DANA,
            json!({ "query": "Share a dashboard", "solved": false }),
        ),
    )
    .await;
    api.expect(
        201,
        "/v1/deflections",
        deflect(
            ERIK,
            json!({ "query": "share a  DASHBOARD", "article_slug": "share-dashboard", "solved": false }),
        ),
    )
    .await;
    for (field, bad) in [
        ("query", json!({ "query": " ", "solved": false })),
        (
            "article_slug",
            json!({ "query": "q", "article_slug": "Bad Slug", "solved": false }),
        ),
        (
            "platform",
            json!({ "query": "q", "platform": "Ads Console", "solved": true }),
        ),
    ] {
        let refused = api.expect(422, "/v1/deflections", deflect(DANA, bad)).await;
        assert_eq!(refused.field(), field);
    }
    let no_outcome = api
        .expect(
            400,
            "/v1/deflections",
            deflect(DANA, json!({ "query": "csv" })),
        )
        .await;
    assert_eq!(no_outcome.code(), "invalid_body");
    api.expect(
        413,
        "/v1/deflections",
        deflect(
            DANA,
            json!({ "query": "x".repeat(70 * 1024), "solved": false }),
        ),
    )
    .await;
    let by_specialist = stack
        .as_specialist(M::POST, "/v1/deflections")
        .json(&solved);
    assert_eq!(
        api.expect(401, "/v1/deflections", by_specialist)
            .await
            .code(),
        "unsigned_user"
    );

    // Gaps: one query (case and spacing aside), asked twice, once with no article.
    let gaps = api
        .expect(
            200,
            "/v1/sop/gaps",
            stack.as_specialist(M::GET, "/v1/sop/gaps"),
        )
        .await;
    let gap = &gaps.body["gaps"];
    assert_eq!(gap.as_array().map(Vec::len), Some(1), "{gap}");
    assert_eq!(
        (&gap[0]["unanswered"], &gap[0]["no_article"]),
        (&json!(2), &json!(1))
    );
    api.expect(
        401,
        "/v1/sop/gaps",
        stack.as_reporter(DANA, M::GET, "/v1/sop/gaps"),
    )
    .await;

    // The SLA sweep, run by hand: leads only.
    let swept = api
        .expect(
            200,
            "/v1/sla/sweep",
            stack.with_token(&stack.tokens.lead, M::POST, "/v1/sla/sweep"),
        )
        .await;
    assert!(swept.body["warnings"].is_u64() && swept.body["breaches"].is_u64());
    api.expect(
        403,
        "/v1/sla/sweep",
        stack.as_specialist(M::POST, "/v1/sla/sweep"),
    )
    .await;
    api.expect(
        401,
        "/v1/sla/sweep",
        stack.http.post(stack.url("/v1/sla/sweep")),
    )
    .await;

    // Incidents: two look-alike cases (one platform and category) open one.
    let look_alike = |user: &str| {
        json!({
            "description": "Invoices do not load",
            "platform": "billing",
            "category": "invoices",
            "reporter": { "id": user }
        })
    };
    for user in [DANA, ERIK] {
        api.expect(201, "/v1/cases", create(user, None, &look_alike(user)))
            .await;
    }
    let incidents = "/v1/incidents";
    let list = |query: &str| stack.as_specialist(M::GET, &format!("{incidents}{query}"));
    let open = api.expect(200, incidents, list("?status=open")).await;
    let listed = &open.body["incidents"];
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(
        (&listed[0]["signature"], &listed[0]["cases"]),
        (&json!("billing|category:invoices"), &json!(2))
    );
    let incident = listed[0]["id"].as_i64().expect("an id");
    api.expect(200, incidents, list("")).await;
    let bad_status = api.expect(422, incidents, list("?status=maybe")).await;
    assert_eq!(bad_status.field(), "status");
    assert_eq!(
        api.expect(401, incidents, stack.as_reporter(DANA, M::GET, incidents))
            .await
            .code(),
        "unauthorized"
    );
    let one_incident = "/v1/incidents/{id}";
    let detail = api
        .expect(
            200,
            one_incident,
            stack.as_specialist(M::GET, &format!("{incidents}/{incident}")),
        )
        .await;
    assert_eq!(detail.body["cases"].as_array().map(Vec::len), Some(2));
    for missing in ["999999", "abc"] {
        api.expect(
            404,
            one_incident,
            stack.as_specialist(M::GET, &format!("{incidents}/{missing}")),
        )
        .await;
    }
    api.expect(
        401,
        one_incident,
        stack
            .http
            .get(stack.url(&format!("{incidents}/{incident}"))),
    )
    .await;

    // One reply to all its cases, by any specialist; then resolved, once.
    let on_incident = |token: &str, id: &str, action: &str, body: Value| {
        stack
            .with_token(token, M::POST, &format!("{incidents}/{id}/{action}"))
            .json(&body)
    };
    let id = incident.to_string();
    let reply_all = "/v1/incidents/{id}/reply";
    let to_all = json!({ "body": "Invoices are failing for everyone; we are on it." });
    let answered = api
        .expect(
            200,
            reply_all,
            on_incident(&tokens.other_specialist, &id, "reply", to_all.clone()),
        )
        .await;
    assert_eq!(answered.body, json!({ "replied": 2, "skipped": 0 }));
    let blank = on_incident(&tokens.specialist, &id, "reply", json!({ "body": "  " }));
    assert_eq!(api.expect(422, reply_all, blank).await.field(), "body");
    let misnamed = on_incident(&tokens.specialist, &id, "reply", json!({ "text": "hi" }));
    api.expect(400, reply_all, misnamed).await;
    let elsewhere = on_incident(&tokens.specialist, "999999", "reply", to_all.clone());
    api.expect(404, reply_all, elsewhere).await;
    let anonymous = stack
        .http
        .post(stack.url(&format!("{incidents}/{id}/reply")))
        .json(&to_all);
    api.expect(401, reply_all, anonymous).await;
    let resolve = "/v1/incidents/{id}/resolve";
    let resolved = api
        .expect(
            200,
            resolve,
            on_incident(
                &tokens.specialist,
                &id,
                "resolve",
                json!({ "resolution": "Invoice service restarted" }),
            ),
        )
        .await;
    assert_eq!(
        (&resolved.body["status"], &resolved.body["resolved_by"]),
        (&json!("resolved"), &json!("Sam Specialist"))
    );
    let again = on_incident(
        &tokens.specialist,
        &id,
        "resolve",
        json!({ "resolution": null }),
    );
    assert_eq!(api.expect(409, resolve, again).await.code(), "conflict");
    let long = on_incident(
        &tokens.specialist,
        &id,
        "resolve",
        json!({ "resolution": "x".repeat(2001) }),
    );
    assert_eq!(api.expect(422, resolve, long).await.field(), "resolution");
    let elsewhere = on_incident(&tokens.specialist, "999999", "resolve", json!({}));
    api.expect(404, resolve, elsewhere).await;
    let anonymous = stack
        .http
        .post(stack.url(&format!("{incidents}/{id}/resolve")))
        .json(&json!({}));
    api.expect(401, resolve, anonymous).await;
    let closed = api.expect(200, incidents, list("?status=resolved")).await;
    assert_eq!(closed.body["incidents"][0]["id"], incident);

    // The daily report: JSON, Markdown or HTML; `format` wins over `Accept`.
    let daily = "/v1/reports/daily";
    let report = |query: &str| stack.as_specialist(M::GET, &format!("{daily}{query}"));
    let today = api.expect(200, daily, report("")).await;
    assert_eq!(
        (
            today.body["time_zone"].as_str(),
            today.body["per_hour"].as_array().map(Vec::len)
        ),
        (Some("UTC"), Some(24))
    );
    let shanghai = api
        .expect(200, daily, report("?date=2026-11-25&tz=Asia/Shanghai"))
        .await;
    assert_eq!(
        (&shanghai.body["from"], &shanghai.body["to"]),
        (
            &json!("2026-11-24T16:00:00.000Z"),
            &json!("2026-11-25T16:00:00.000Z")
        )
    );
    for (query, accept, content_type) in [
        ("?format=markdown", None, "text/markdown; charset=utf-8"),
        (
            "?format=md",
            Some("text/html"),
            "text/markdown; charset=utf-8",
        ),
        ("", Some("text/markdown"), "text/markdown; charset=utf-8"),
        ("?format=html", None, "text/html; charset=utf-8"),
        ("", Some("text/html"), "text/html; charset=utf-8"),
        ("?format=json", Some("text/html"), "application/json"),
    ] {
        let request = match accept {
            Some(accept) => report(query).header(ACCEPT, accept),
            None => report(query),
        };
        let form = api.expect(200, daily, request).await;
        let header = |name: &str| {
            form.headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
        };
        assert!(
            header("content-type").starts_with(content_type),
            "{query} {accept:?}: {}",
            header("content-type")
        );
        if content_type.starts_with("text/html") {
            let csp = header("content-security-policy");
            assert!(
                csp.contains("default-src 'none'") && !csp.contains("script-src"),
                "{csp}"
            );
        }
    }
    for (query, field) in [
        ("?date=2026-13-40", "date"),
        ("?tz=Mars/Olympus", "tz"),
        ("?format=pdf", "format"),
    ] {
        assert_eq!(api.expect(422, daily, report(query)).await.field(), field);
    }
    api.expect(401, daily, stack.http.get(stack.url(daily)))
        .await;
    // Written now and sent to the channel: leads only.
    let write = |token: &str, body: Value| stack.with_token(token, M::POST, daily).json(&body);
    let written = api
        .expect(
            200,
            daily,
            write(
                &tokens.lead,
                json!({ "date": "2026-11-25", "tz": "Asia/Shanghai" }),
            ),
        )
        .await;
    assert_eq!(written.body["totals"], shanghai.body["totals"]);
    api.expect(200, daily, write(&tokens.admin, json!({})))
        .await;
    assert_eq!(
        api.expect(403, daily, write(&tokens.specialist, json!({})))
            .await
            .code(),
        "forbidden"
    );
    for (body, field) in [
        (json!({ "date": "yesterday" }), "date"),
        (json!({ "tz": "Mars/Olympus" }), "tz"),
    ] {
        assert_eq!(
            api.expect(422, daily, write(&tokens.lead, body))
                .await
                .field(),
            field
        );
    }
    api.expect(400, daily, write(&tokens.lead, json!({ "date": 20261125 })))
        .await;
    api.expect(
        401,
        daily,
        stack.http.post(stack.url(daily)).json(&json!({})),
    )
    .await;

    // Dead letters: the channel refused everything, so after the queue's
    // retries the first notification (the P1's page) is kept for the leads.
    let dead = "/v1/notifications/dead";
    assert_eq!(
        api.expect(403, dead, stack.as_specialist(M::GET, dead))
            .await
            .code(),
        "forbidden"
    );
    api.expect(401, dead, stack.http.get(stack.url(dead))).await;
    let waiting = Instant::now();
    let page = loop {
        let kept = api
            .expect(200, dead, stack.with_token(&tokens.lead, M::GET, dead))
            .await;
        let page = kept.body["notifications"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|n| n["notification"]["kind"] == "page")
            .cloned();
        if let Some(page) = page {
            break page;
        }
        assert!(
            waiting.elapsed() < Duration::from_secs(90),
            "no dead letter yet: {}",
            kept.body
        );
        tokio::time::sleep(Duration::from_secs(1)).await;
    };
    assert_eq!(page["notification"]["case"]["id"], case);
    assert!(!channel.received().is_empty(), "the channel was tried");

    // Outside the operations: a wrong method and an unknown path answer with
    // the documented error responses too.
    let doc = doc();
    for (method, path, status, response) in [
        (M::DELETE, "/v1/cases", 405, "MethodNotAllowed"),
        (M::GET, "/v1/queue/claim", 405, "MethodNotAllowed"),
        (
            M::DELETE,
            "/v1/sop/articles/sso-loop",
            405,
            "MethodNotAllowed",
        ),
        (M::PUT, "/v1/sop/index", 405, "MethodNotAllowed"),
        (M::GET, "/v1/nothing-here", 404, "NotFound"),
    ] {
        let answer = stack
            .as_specialist(method.clone(), path)
            .send()
            .await
            .expect("an answer");
        assert_eq!(answer.status().as_u16(), status, "{method} {path}");
        let headers = answer.headers().clone();
        let bytes = answer.bytes().await.expect("a body");
        let documented = &doc["components"]["responses"][response];
        check_response(
            &doc,
            documented,
            &headers,
            &bytes,
            &format!("{method} {path}"),
        );
    }

    api.assert_every_operation_succeeded();
}
