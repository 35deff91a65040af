//! What browser tests (and the README's screenshot) do with the specialist
//! console again and again: open it and sign in.

use std::time::Duration;

use fantoccini::{Client, Locator};

use crate::page::{click, present, type_into};
use crate::Stack;

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
    click(page, Locator::Css("#signin button")).await;
    present(
        page,
        "the queue",
        Locator::Css("#queue tbody tr"),
        CONSOLE_WAIT,
    )
    .await;
}
