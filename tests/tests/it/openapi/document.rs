//! The document on its own: its paths and operation ids are the Worker's
//! route table, every schema compiles, every error is the one error body, and
//! the scenarios together cover every area of it.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::Value;

use helpline_shared::routes::ROUTES;

use super::checker::{doc, operation, operations, resolve, validator, DOC};
use super::AREAS;

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
fn the_committed_document_is_the_one_the_code_makes() {
    let made = helpline_shared::openapi::document_text();
    if DOC != made {
        let first = DOC
            .lines()
            .zip(made.lines())
            .position(|(committed, made)| committed != made)
            .map_or(DOC.lines().count().min(made.lines().count()), |line| line);
        panic!(
            "docs/openapi.json is not what the code makes (first difference at line {}): \
             run `cargo xtask openapi` and commit it",
            first + 1
        );
    }
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

#[test]
fn the_scenarios_cover_every_area_of_the_document() {
    let doc = doc();
    let uncovered: Vec<_> = operations(&doc)
        .into_iter()
        .filter(|(method, template)| {
            let op = &doc["paths"][template.as_str()][method.to_ascii_lowercase().as_str()];
            !op["tags"][0]
                .as_str()
                .is_some_and(|tag| AREAS.contains(&tag))
        })
        .collect();
    assert!(uncovered.is_empty(), "no scenario covers {uncovered:?}");
}
