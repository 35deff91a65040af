//! The checker the conformance scenarios share: the document, a validator
//! per schema, and `Api`, which sends each request, checks the answer against
//! the operation (status listed, body of its schema, required headers) and the
//! accepted request against what the document allows, and records what was
//! called. Also the people and cases the scenarios use.

use std::collections::{BTreeMap, BTreeSet};

use jsonschema::Validator;
use reqwest::header::{HeaderMap, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};

use helpline_tests::webhook::WebhookReceiver;
use helpline_tests::{Stack, StackOptions};

pub(super) const DOC: &str = include_str!("../../../../docs/openapi.json");

pub(super) fn doc() -> Value {
    serde_json::from_str(DOC).expect("docs/openapi.json is JSON")
}

/// What a local `$ref` (`#/components/...`) points at; anything else as is.
pub(super) fn resolve<'a>(doc: &'a Value, node: &'a Value) -> &'a Value {
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
pub(super) fn validator(doc: &Value, schema: &Value) -> Validator {
    let mut root = schema.clone();
    root["components"] = doc["components"].clone();
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&root)
        .unwrap_or_else(|e| panic!("not a valid schema ({e}): {schema}"))
}

pub(super) fn assert_valid(doc: &Value, schema: &Value, instance: &Value, what: &str) {
    let validator = validator(doc, schema);
    let errors = validator.iter_errors(instance).into_errors();
    assert!(
        errors.is_empty(),
        "{what} does not match the document:\n{errors}\n{}",
        serde_json::to_string_pretty(instance).unwrap_or_default()
    );
}

/// Checks the text of a header or parameter against its declaration in the
/// document (`declared`: its `schema`, and whether it is `required`): of its
/// schema (read as a number where that is an integer) when there, absent only
/// when optional. `what` names the value, `lacking` the message when a
/// required one is absent.
fn check_declared(doc: &Value, declared: &Value, value: Option<&str>, what: &str, lacking: &str) {
    match value {
        Some(value) => {
            let schema = &declared["schema"];
            let typed = match schema["type"].as_str() {
                Some("integer") => value.parse::<i64>().map_or(json!(value), |n| json!(n)),
                _ => json!(value),
            };
            assert_valid(doc, schema, &typed, what);
        }
        None => assert!(declared["required"] != json!(true), "{lacking}"),
    }
}

/// The document's operation for `method` on `template` (e.g. `/v1/cases/{id}`).
pub(super) fn operation<'a>(doc: &'a Value, method: &Method, template: &str) -> &'a Value {
    let key = method.as_str().to_ascii_lowercase();
    doc["paths"][template]
        .get(&key)
        .unwrap_or_else(|| panic!("the document has no {method} {template}"))
}

/// Checks one answer of `method template` against the document: (a) `status`
/// is one the operation lists, (b) the body validates against the schema for
/// that status (or is empty where none is documented), (c) the documented
/// required headers are there and valid. Returns the body as JSON.
pub(super) fn check(
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
pub(super) fn check_response(
    doc: &Value,
    response: &Value,
    headers: &HeaderMap,
    body: &[u8],
    what: &str,
) -> Value {
    for (name, header) in response["headers"].as_object().into_iter().flatten() {
        let header = resolve(doc, header);
        check_declared(
            doc,
            header,
            headers.get(name).map(|v| v.to_str().expect("ASCII header")),
            &format!("header {name} of {what}"),
            &format!("{what} lacks the required header {name}"),
        );
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
pub(super) fn fits(template: &str, path: &str) -> bool {
    let (t, p): (Vec<_>, Vec<_>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}') && !p.is_empty()))
}

/// One answer as the test reads it: `body` is the JSON (`Null` when there is
/// none or it is not JSON), `bytes` what came.
pub(super) struct Answer {
    pub(super) status: u16,
    pub(super) headers: HeaderMap,
    pub(super) body: Value,
    pub(super) bytes: Vec<u8>,
}

impl Answer {
    pub(super) fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or_default()
    }

    pub(super) fn field(&self) -> &str {
        self.body["error"]["field"].as_str().unwrap_or_default()
    }

    /// The entries of the body's list `list` (none when it is absent).
    pub(super) fn items(&self, list: &str) -> impl Iterator<Item = &Value> {
        self.body[list].as_array().into_iter().flatten()
    }

    /// The text `field` of each entry of the body's list `list`.
    pub(super) fn texts(&self, list: &str, field: &str) -> Vec<&str> {
        self.items(list).filter_map(|e| e[field].as_str()).collect()
    }

    pub(super) fn etag(&self) -> &str {
        self.headers
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }
}

/// What the test sent, as far as the document describes requests.
pub(super) struct Sent {
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Value>,
}

/// Calls the Worker and checks every answer against the document, keeping
/// track of which operations answered with which statuses.
pub(super) struct Api<'s> {
    stack: &'s Stack,
    doc: Value,
    seen: BTreeMap<(String, String), BTreeSet<u16>>,
    /// The role of each bearer token the test uses.
    roles: BTreeMap<String, &'static str>,
}

impl<'s> Api<'s> {
    pub(super) fn new(stack: &'s Stack) -> Self {
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
    pub(super) async fn expect(
        &mut self,
        status: u16,
        template: &str,
        request: RequestBuilder,
    ) -> Answer {
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
    pub(super) fn check_accepted_request(&self, method: &Method, template: &str, sent: &Sent) {
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
            check_declared(
                doc,
                p,
                value.as_deref(),
                &format!("the accepted {what}"),
                &format!("an accepted request lacks the required {what}"),
            );
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
    pub(super) fn meets(&self, scheme: &str, scopes: &Value, headers: &HeaderMap) -> bool {
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

    /// Every operation of the document whose first tag is one of `areas`
    /// answered at least once with a 2xx.
    pub(super) fn assert_every_operation_succeeded(&self, areas: &[&str]) {
        for (method, template) in operations_of(&self.doc, areas) {
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
pub(super) fn offers(doc: &Value, op: &Value, accept: &str) -> bool {
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
pub(super) fn operations(doc: &Value) -> BTreeSet<(String, String)> {
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

/// The (METHOD, template) of every operation whose first tag is in `areas`.
pub(super) fn operations_of(doc: &Value, areas: &[&str]) -> BTreeSet<(String, String)> {
    operations(doc)
        .into_iter()
        .filter(|(method, template)| {
            let op = &doc["paths"][template.as_str()][method.to_ascii_lowercase().as_str()];
            op["tags"][0]
                .as_str()
                .is_some_and(|tag| areas.contains(&tag))
        })
        .collect()
}

/// A stack for a scenario: a team channel that refuses every notification
/// (so that some end up as dead letters to read), and two look-alike cases
/// are enough for an incident.
pub(super) async fn conformance_stack() -> (Stack, WebhookReceiver) {
    let channel = WebhookReceiver::start(500).await;
    let mut options = StackOptions::default();
    options.vars.extend([
        (
            "MALFUNCTION_RULE".to_owned(),
            json!({ "threshold": 2, "window_minutes": 15 }).to_string(),
        ),
        ("IM_WEBHOOK_URL".to_owned(), channel.url.clone()),
    ]);
    (Stack::start_with(options), channel)
}

/// `POST /v1/cases` as `user`, with an Idempotency-Key if given.
pub(super) fn new_case(
    stack: &Stack,
    user: &str,
    key: Option<&str>,
    body: &Value,
) -> RequestBuilder {
    let request = stack.new_case(user, body);
    match key {
        Some(key) => request.header("Idempotency-Key", key),
        None => request,
    }
}

/// A P3 case with only what is required (so the answers carry their nulls).
pub(super) fn minimal_case() -> Value {
    json!({
        "description": "How do I share a dashboard?",
        "platform": "ads-console",
        "reporter": { "id": DANA }
    })
}

impl Api<'_> {
    /// Creates `body` as Dana's case (a 201 the document allows): its id.
    pub(super) async fn created(&mut self, body: &Value) -> i64 {
        let request = new_case(self.stack, DANA, None, body);
        self.expect(201, "/v1/cases", request).await.body["id"]
            .as_i64()
            .expect("an id")
    }
}

/// The path of case `id`, or of one of its actions.
pub(super) fn case_path(id: i64, action: &str) -> String {
    match action {
        "" => format!("/v1/cases/{id}"),
        _ => format!("/v1/cases/{id}/{action}"),
    }
}

pub(super) const DANA: &str = "u-dana";
pub(super) const ERIK: &str = "u-erik";

/// A case using every field of `CreateCaseRequest`; organization × blocked is P1.
pub(super) fn full_case() -> Value {
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
