//! `cargo xtask screenshot`: the README's picture of the case workspace
//! (`docs/console-case.png`), taken in headless Chromium from a local Worker
//! with a case as a specialist meets it: captured context, an answer the
//! reporter already tried, matching SOPs, a reply and an internal note.

use helpline_tests::api::case_body;
use helpline_tests::console::{open_case, shows, signed_in};
use helpline_tests::Stack;
use serde_json::json;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let stack = Stack::start();
    stack.publish_csv_export_article().await;
    stack
        .reject_answer("u-88", "csv-export-timeout", "csv export times out")
        .await;
    let mut body = case_body(
        "u-88",
        "CSV export of the spend report times out after 30 s",
    );
    body["title"] = json!("CSV export times out");
    body["context"] = json!({
        "url": "https://ads.example.com/reports/spend?range=90d",
        "platform_version": "7.3.1",
        "locale": "en-GB", "time_zone": "Europe/London",
        "viewport": { "width": 1440, "height": 900 },
        "recent_errors": [{ "message": "TypeError: rows is undefined", "source": "https://ads.example.com/app.js:812" }],
        "failed_requests": [{ "method": "POST", "url": "https://ads.example.com/api/export", "status": 504 }],
        "attributes": { "plan": "enterprise", "account": "4411" }
    });
    let created = stack.create_case_from("u-88", body).await;
    let case = stack.claim_next(&stack.tokens.specialist).await;
    assert_eq!(case.id, created.id);
    stack
        .reply(&stack.tokens.specialist, case.id, "Looking into it now.")
        .await;
    stack
        .note(
            &stack.tokens.specialist,
            case.id,
            "Export service shows 504s since 09:00.",
        )
        .await;

    let browser = signed_in(&stack, &stack.tokens.specialist).await;
    let page = &browser.client;
    open_case(page, case.id).await;
    shows(page, "#sop-hits li").await;
    shows(page, "#case-context dt").await;
    let png = page.screenshot().await.expect("a screenshot");
    let out = xtask::paths::root().join("docs").join("console-case.png");
    std::fs::write(&out, png).expect("docs/console-case.png written");
    println!("wrote {}", out.display());
    browser.close().await;
}
