//! What browser tests (and the README's screenshot) do with the specialist
//! console again and again: open it, sign in, click and wait for what shows.

use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, Locator};

use crate::page::{click, present, text_of, type_into};
use crate::{Browser, Stack};

/// How long a step waits for the console to show something.
pub const CONSOLE_WAIT: Duration = Duration::from_secs(20);

/// Opens the console; returns once its sign-in form shows (once its wasm has
/// loaded).
pub async fn open_console(page: &Client, stack: &Stack) {
    page.goto(&stack.url("/console/")).await.unwrap();
    sign_in_form_shows(page).await;
}

async fn sign_in_form_shows(page: &Client) {
    present(
        page,
        "the sign-in form",
        Locator::Css("#signin:not([hidden]) #token"),
        CONSOLE_WAIT,
    )
    .await;
}

/// Signs in with `token` (opening the console first unless it is open);
/// returns once the queue shows a case.
pub async fn sign_in(page: &Client, stack: &Stack, token: &str) {
    let on_console = page
        .current_url()
        .await
        .is_ok_and(|u| u.path().starts_with("/console/"));
    if on_console {
        sign_in_form_shows(page).await;
    } else {
        open_console(page, stack).await;
    }
    type_into(page, Locator::Id("token"), token).await;
    let queue = Locator::Css("#queue tbody tr");
    click_until(page, Locator::Css("#signin button"), "the queue", queue).await;
}

/// Waits until the part `css` names is on the page; returns it.
pub async fn shows(page: &Client, css: &str) -> Element {
    present(page, css, Locator::Css(css), CONSOLE_WAIT).await
}

/// The queue's row of case `id`, as CSS.
pub fn queue_row(id: i64) -> String {
    format!("#queue tr[data-id=\"{id}\"]")
}

/// Opens case `id` from the queue; returns once its page shows.
pub async fn open_case(page: &Client, id: i64) {
    let row = queue_row(id);
    present(
        page,
        "the case in the queue",
        Locator::Css(&row),
        CONSOLE_WAIT,
    )
    .await;
    click(page, Locator::Css(&row)).await;
    present(page, "the case", Locator::Id("case-title"), CONSOLE_WAIT).await;
}

/// A browser on the console, signed in with `token`.
pub async fn signed_in(stack: &Stack, token: &str) -> Browser {
    let browser = Browser::start().await;
    sign_in(&browser.client, stack, token).await;
    browser
}

/// Clicks `button`, waits for `what` to show, and returns what the status
/// line says then.
pub async fn click_until(
    page: &Client,
    button: Locator<'_>,
    what: &str,
    shown: Locator<'_>,
) -> String {
    click(page, button).await;
    present(page, what, shown, CONSOLE_WAIT).await;
    text_of(page, Locator::Id("status")).await
}
