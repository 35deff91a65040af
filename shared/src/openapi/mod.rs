//! The API document, `docs/openapi.json`, made from the code rather than
//! beside it: the schemas from the Rust types the Worker answers with and the
//! widget sends (`schemars`), the paths and methods from `routes::ROUTES`, and
//! each operation's prose, parameters and answers from `operations`, a match
//! over `routes::Operation` that the compiler keeps complete. Only with the
//! `openapi` feature: `cargo xtask openapi` writes the file and a test fails
//! when the committed one is not what this makes.

mod components;
pub mod format;
mod operations;

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::transform::transform_subschemas;
use schemars::{JsonSchema, Schema};
use serde_json::{json, Map, Value};

use crate::lifecycle::Role;
use crate::routes::{Route, ROUTES};

use components::{Component, Refusal, Shared, SharedParameter};

/// How a request body's or an answer's schema is made: a `$ref` to the named
/// schema of a Rust type.
type SchemaFor = fn(&mut SchemaGenerator) -> Schema;

fn schema<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// Who may call an operation (each is one way in the document's `security`).
#[derive(Clone, Copy)]
enum Caller {
    /// A specialist's bearer token with at least this role.
    Specialist(Role),
    /// A reporter, by identity token or by signed user id.
    Reporter,
}

/// One parameter of an operation beyond its path's.
enum Parameter {
    Shared(SharedParameter),
    Query {
        name: &'static str,
        required: bool,
        description: &'static str,
        schema: fn() -> Value,
    },
}

/// One answer an operation gives.
enum Answer {
    /// A JSON body of this schema.
    Json(u16, &'static str, SchemaFor),
    /// No body, no header.
    Empty(u16, &'static str),
    /// One of the successful answers in `components.responses`.
    Shared(u16, Shared),
    /// Anything else (other media types, headers), written out.
    Custom(u16, fn(&mut SchemaGenerator) -> Value),
}

/// What the document says of one operation beyond its path and method.
struct OperationDoc {
    tags: &'static [&'static str],
    summary: &'static str,
    description: &'static str,
    callers: &'static [Caller],
    parameters: &'static [Parameter],
    body: Option<SchemaFor>,
    answers: &'static [Answer],
    /// What it refuses with beyond what follows from its callers and its body
    /// (see `refusals`).
    refusals: &'static [Refusal],
}

/// The whole document.
pub fn document() -> Value {
    // What the Worker answers is described as it serializes (a field it always
    // writes is required), what it takes as it deserializes (a field with a
    // default may be left out).
    let mut generators = Generators {
        answers: settings().for_serialize().into_generator(),
        requests: settings().for_deserialize().into_generator(),
    };
    let paths: Map<String, Value> = ROUTES
        .iter()
        .map(|route| (route.path.to_owned(), path_item(route, &mut generators)))
        .collect();
    let mut components = components::components(&mut generators.answers);
    components["schemas"] = Value::Object(generators.schemas());
    let mut document = components::info();
    document["paths"] = Value::Object(paths);
    document["components"] = components;
    document
}

fn settings() -> SchemaSettings {
    SchemaSettings::draft2020_12()
        .with(|settings| {
            settings.definitions_path = "/components/schemas".into();
            settings.meta_schema = None;
        })
        .with_transform(closed_objects)
}

struct Generators {
    answers: SchemaGenerator,
    requests: SchemaGenerator,
}

impl Generators {
    /// Every named schema. A type that is both sent and answered (the issue's
    /// context, the enums) is described as it is sent: what a client may
    /// leave out is the weaker promise.
    fn schemas(&mut self) -> Map<String, Value> {
        let mut schemas = self.answers.take_definitions(true);
        schemas.extend(self.requests.take_definitions(true));
        let mut by_name: Vec<_> = schemas.into_iter().collect();
        by_name.sort_by(|(a, _), (b, _)| a.cmp(b));
        by_name.into_iter().collect()
    }
}

/// The document as `docs/openapi.json` holds it.
pub fn document_text() -> String {
    let mut text = serde_json::to_string_pretty(&document()).expect("a document serializes");
    text.push('\n');
    text
}

/// Every object schema lists all of its properties: anything else in an
/// answer is a difference between the Worker and the document.
fn closed_objects(schema: &mut Schema) {
    if let Some(object) = schema.as_object_mut() {
        if object.contains_key("properties") && !object.contains_key("additionalProperties") {
            object.insert("additionalProperties".into(), false.into());
        }
    }
    transform_subschemas(&mut closed_objects, schema);
}

fn path_item(route: &Route, generators: &mut Generators) -> Value {
    let mut item = Map::new();
    if let Some(parameter) = SharedParameter::of_path(route.path) {
        item.insert("parameters".into(), json!([parameter.reference()]));
    }
    for (method, op) in route.operations {
        let doc = operations::describe(*op);
        let mut operation = json!({
            "operationId": op.id(),
            "summary": doc.summary,
        });
        if !doc.description.is_empty() {
            operation["description"] = doc.description.into();
        }
        operation["tags"] = json!(doc.tags);
        operation["security"] = doc.callers.iter().flat_map(security).collect();
        if !doc.parameters.is_empty() {
            operation["parameters"] = doc.parameters.iter().map(parameter).collect();
        }
        if let Some(body) = doc.body {
            operation["requestBody"] = json!({
                "required": true,
                "content": {"application/json": {"schema": body(&mut generators.requests)}},
            });
        }
        let mut answers: Vec<(u16, Value)> = doc
            .answers
            .iter()
            .map(|answer| answer_object(answer, &mut generators.answers))
            .collect();
        answers.extend(
            refusals(&doc)
                .into_iter()
                .map(|refusal| (refusal.status(), refusal.reference())),
        );
        answers.sort_by_key(|(status, _)| *status);
        operation["responses"] = answers
            .into_iter()
            .map(|(status, answer)| (status.to_string(), answer))
            .collect::<Map<_, _>>()
            .into();
        item.insert(method.as_str().to_ascii_lowercase(), operation);
    }
    Value::Object(item)
}

/// Every refusal of an operation: its own, and those every operation of its
/// kind gives because the Worker checks callers and reads bodies in one place
/// (`Ctx`, the body decoder) — a bad token, a role too low, a body that is not
/// JSON or too large — and `500`, which any operation may answer.
fn refusals(doc: &OperationDoc) -> Vec<Refusal> {
    let specialists = doc
        .callers
        .iter()
        .any(|caller| matches!(caller, Caller::Specialist(_)));
    let reporters = doc
        .callers
        .iter()
        .any(|caller| matches!(caller, Caller::Reporter));
    let mut refusals = doc.refusals.to_vec();
    refusals.extend(match (specialists, reporters) {
        (true, true) => &[Refusal::Unauthenticated, Refusal::Forbidden][..],
        (true, false) => &[Refusal::InvalidToken, Refusal::Forbidden],
        (false, true) => &[Refusal::UnsignedUser],
        (false, false) => &[],
    });
    if doc.body.is_some() {
        refusals.extend([Refusal::BadRequest, Refusal::PayloadTooLarge]);
    }
    refusals.push(Refusal::InternalError);
    refusals
}

fn security(caller: &Caller) -> Vec<Value> {
    match caller {
        Caller::Specialist(role) => vec![json!({"specialistToken": [role.as_str()]})],
        Caller::Reporter => vec![
            json!({"reporterToken": []}),
            json!({"reporterUser": [], "reporterSignature": []}),
        ],
    }
}

fn parameter(parameter: &Parameter) -> Value {
    match parameter {
        Parameter::Shared(shared) => shared.reference(),
        Parameter::Query {
            name,
            required,
            description,
            schema,
        } => json!({
            "name": name,
            "in": "query",
            "required": required,
            "description": description,
            "schema": schema(),
        }),
    }
}

fn answer_object(answer: &Answer, generator: &mut SchemaGenerator) -> (u16, Value) {
    match answer {
        Answer::Json(status, description, schema) => (
            *status,
            json!({
                "description": description,
                "content": {"application/json": {"schema": schema(generator)}},
            }),
        ),
        Answer::Empty(status, description) => (*status, json!({ "description": description })),
        Answer::Shared(status, shared) => (*status, shared.reference()),
        Answer::Custom(status, write) => (*status, write(generator)),
    }
}
