//! The widget on small screens: a 360 px wide phone, and a 1280 × 800 window
//! zoomed to 200% (which leaves the page 640 × 400 CSS pixels). The panel stays
//! inside the window (the launcher too), nothing in it is wider than the panel, the text keeps
//! its size, the send button can be scrolled to and is not under the
//! launcher, and the same holds on "My cases".

use serde_json::Value;

use helpline_tests::widget::{csv_export_article, describe, open_demo, shown};
use helpline_tests::{Browser, Stack};

/// Where the open panel and its parts are, measured in the page.
const MEASURE: &str = r#"
const root = document.getElementById('helpline-widget').shadowRoot;
const panel = root.querySelector('.hl-panel');
const p = panel.getBoundingClientRect();
const launcher = root.querySelector('.hl-launcher').getBoundingClientRect();
const send = root.querySelector(arguments[0]);
send.scrollIntoView({ block: 'nearest' });
const s = send.getBoundingClientRect();
const wider = [...panel.querySelectorAll('*')]
  .filter(e => e.getClientRects().length)
  .filter(e => { const r = e.getBoundingClientRect(); return r.left < p.left - 1 || r.right > p.right + 1; })
  .map(e => e.tagName + '.' + e.className);
return {
  width: innerWidth, height: innerHeight,
  panel: [p.left, p.top, p.right, p.bottom],
  launcher_top: launcher.top,
  send: [s.left, s.top, s.right, s.bottom],
  panel_scroll_width: panel.scrollWidth, panel_width: panel.clientWidth,
  widget_right: Math.max(...[...root.querySelectorAll('*')]
    .filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect().right)),
  text_px: parseFloat(getComputedStyle(root.querySelector('#hl-description')).fontSize),
  wider,
};
"#;

fn num(v: &Value) -> f64 {
    v.as_f64().expect("a number")
}

fn rect(v: &Value) -> [f64; 4] {
    let r = v.as_array().expect("a rect");
    [num(&r[0]), num(&r[1]), num(&r[2]), num(&r[3])]
}

/// The panel fits the window and `button` (scrolled to) is visible in it.
async fn assert_fits(browser: &Browser, screen: &str, button: &str) {
    let m = browser
        .client
        .execute(MEASURE, vec![button.into()])
        .await
        .expect("the measuring script runs");
    let (width, height) = (num(&m["width"]), num(&m["height"]));
    let [left, top, right, bottom] = rect(&m["panel"]);
    assert!(
        left >= 0.0 && top >= 0.0 && right <= width && bottom <= height,
        "{screen}: the panel {:?} is outside the {width}×{height} window",
        m["panel"]
    );
    assert!(
        bottom <= num(&m["launcher_top"]),
        "{screen}: the launcher covers the panel's bottom"
    );
    assert!(
        num(&m["panel_scroll_width"]) <= num(&m["panel_width"]),
        "{screen}: the panel scrolls sideways"
    );
    assert!(
        num(&m["widget_right"]) <= width,
        "{screen}: part of the widget is off the right edge"
    );
    assert_eq!(
        m["wider"],
        Value::Array(vec![]),
        "{screen}: parts wider than the panel"
    );
    assert!(num(&m["text_px"]) >= 14.0, "{screen}: text shrank");
    let [s_left, s_top, s_right, s_bottom] = rect(&m["send"]);
    assert!(
        s_left >= left && s_right <= right && s_top >= top && s_bottom <= bottom,
        "{screen}: {button} {:?} cannot be seen inside the panel {:?}",
        m["send"],
        m["panel"]
    );
}

#[tokio::test]
async fn a_phone_and_a_window_at_200_percent_zoom_show_the_whole_widget() {
    let stack = Stack::demo();
    let title = "CSV export stops halfway and the file is empty";
    stack.publish_article(csv_export_article(title)).await;
    stack
        .create_case("u-1001", "The audience size shows 0 after the import")
        .await;
    let browser = Browser::start().await;
    for (screen, width, height) in [
        ("a 360 px phone", 360, 640),
        ("1280×800 at 200% zoom", 640, 400),
    ] {
        browser
            .client
            .set_window_size(width, height)
            .await
            .expect("the window resizes");
        let (shadow, _) = open_demo(&browser, &stack).await;
        // Suggestions make the form as long as it gets.
        describe(&shadow, "my csv export stops halfway and the file is empty").await;
        shown(&shadow, ".hl-suggestion").await;
        assert_fits(&browser, screen, ".hl-send").await;

        shown(&shadow, ".hl-tab-mine").await.click().await.unwrap();
        shown(&shadow, ".hl-case-line").await.click().await.unwrap();
        shown(&shadow, ".hl-case").await;
        assert_fits(&browser, screen, ".hl-send-reply").await;
    }
    browser.close().await;
}
