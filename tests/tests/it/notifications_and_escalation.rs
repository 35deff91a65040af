//! Notifications through the Cloudflare Queue to a real local webhook
//! receiver, the escalation policy, and the SLA sweep's own escalations.
//! Each message arrives once; a receiver that keeps failing gets retries and
//! then the message lands in the dead-letter queue; the API request that
//! caused it succeeded regardless.

use std::time::{Duration, Instant};

use helpline_shared::api::{CaseCreated, DeadNotifications, SweepReport};
use helpline_shared::escalation::EscalationPolicy;
use helpline_shared::events::CaseEventKind;
use helpline_shared::notify::{Notification, NotificationKind};
use helpline_shared::rate_limit::{window_start, WINDOW_MS};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use xtask::local_worker::now_millis;

use helpline_tests::api::{
    count_events, expect_json, expect_refusal_naming, expect_status, sla_policy,
};
use helpline_tests::webhook::WebhookReceiver;
use helpline_tests::{eventually, fresh_minute, Stack, StackOptions};

/// A channel that takes every message, and a stack telling it whose SLA
/// targets are `first_response_ms` and `resolution_ms`, warned at `warn_at`.
async fn sla_watched(
    first_response_ms: i64,
    resolution_ms: i64,
    warn_at: &str,
) -> (Stack, WebhookReceiver) {
    let policy = sla_policy(first_response_ms, resolution_ms);
    Stack::with_channel(
        200,
        [("SLA_POLICY", policy), ("SLA_WARN_AT", warn_at.into())],
    )
    .await
}

/// A case by u-1 (of the priority `description` makes it) and a P3 by u-2,
/// and what the sweep finds once `wait_ms` have passed (a second sweep finds
/// nothing new).
async fn cases_swept(
    stack: &Stack,
    description: &str,
    wait_ms: u64,
) -> (CaseCreated, CaseCreated, SweepReport) {
    let first = stack.create_case("u-1", description).await;
    let p3 = stack.create_case("u-2", "The chart colours look odd").await;
    tokio::time::sleep(Duration::from_millis(wait_ms)).await;
    (first, p3, stack.sweep_exactly_once().await)
}

/// The dead letters the leads read, once there are any.
async fn dead_letters(stack: &Stack, what: &str, limit: Duration) -> DeadNotifications {
    eventually(what, limit, || async {
        let dead = stack.with_token(&stack.tokens.lead, Method::GET, "/v1/notifications/dead");
        let list: DeadNotifications = expect_json(dead, StatusCode::OK).await;
        (!list.notifications.is_empty()).then_some(list)
    })
    .await
}

fn lead_on_shift_now() -> String {
    EscalationPolicy::default().lead_handles(now_millis())[0].clone()
}

#[tokio::test]
async fn new_urgent_cases_escalations_and_replies_reach_the_channel_once_each() {
    let (stack, receiver) = Stack::with_channel(200, []).await;
    let p1 = stack
        .create_case("u-1", "Outage: the whole ads console is down for all users")
        .await;
    let p2 = stack
        .create_case("u-2", "I am locked out of my account")
        .await;
    stack
        .create_case("u-3", "How do I change the report colour?")
        .await;

    let page = receiver.exactly("page", 1).await;
    assert_eq!(page[0]["helpline"]["case"]["id"], p1.id);
    assert_eq!(
        page[0]["helpline"]["mentions"],
        json!([lead_on_shift_now()])
    );
    // Slack-compatible and Lark/Feishu-style hooks read these two.
    assert!(page[0]["text"].as_str().unwrap().contains(&p1.reference));
    assert_eq!(page[0]["content"]["text"], page[0]["text"]);
    let announced = receiver.exactly("new_case", 1).await;
    assert_eq!(announced[0]["helpline"]["case"]["id"], p2.id);

    let token = stack.tokens.specialist.clone();
    let claimed = stack.claim(&token).await.unwrap();
    assert_eq!(claimed.id, p1.id);
    stack.reply(&token, p1.id, "Looking into it").await;
    let escalated = stack
        .escalate(&token, p1.id, "data", 2, "export job stuck")
        .await;
    let escalation = escalated.escalation.unwrap();
    assert_eq!(escalation.holder.as_deref(), Some("Team lead"));
    assert_eq!(escalation.team_name.as_deref(), Some("Data"));
    // The escalated case keeps its SLA clock.
    assert!(escalated.sla.unwrap().first_response_at.is_some());

    let refused = stack
        .act(
            &token,
            p1.id,
            "escalate",
            json!({ "team": "sales", "level": 1, "reason": "x" }),
        )
        .await;
    expect_refusal_naming(refused, StatusCode::UNPROCESSABLE_ENTITY, "team").await;

    let note = receiver.exactly("escalated", 1).await;
    assert_eq!(note[0]["helpline"]["mentions"], json!(["@data-lead"]));
    receiver.exactly("reply", 1).await;
    assert_eq!(receiver.received().len(), 4, "nothing else was sent");

    let policy: EscalationPolicy = stack.read_as_team("/v1/escalation/policy").await;
    assert!(policy.teams.iter().any(|t| t.key == "platform-engineering"));
}

/// A batch holding a message no version of Helpline can read between two
/// it can: the two are delivered, the third is kept as a dead letter. (The
/// front Worker in `tests/fixtures/queue-injector` puts raw bodies on the
/// Queue, as an older or newer deploy sharing it would.)
#[tokio::test]
async fn one_undecodable_message_does_not_drop_the_valid_ones_beside_it() {
    let receiver = WebhookReceiver::start(200).await;
    let (name, url) = receiver.channel_var();
    let mut options = StackOptions {
        front: Some("queue-injector"),
        ..StackOptions::default()
    };
    options.vars.push((name.into(), url));
    let stack = Stack::start_with(options);
    let told = |text: &str| {
        serde_json::to_value(Notification {
            kind: NotificationKind::NewCase,
            text: text.into(),
            mentions: vec![],
            case: None,
            incident_id: None,
            at: "2026-12-01T09:00:00Z".into(),
        })
        .unwrap()
    };
    let batch = json!([told("first"), { "kind": "from_the_future", "text": 7 }, told("last")]);
    let sent = stack.anonymous(Method::POST, "/__enqueue").json(&batch);
    expect_status(sent, StatusCode::NO_CONTENT).await;

    let delivered = receiver.exactly("new_case", 2).await;
    let texts: Vec<&str> = delivered
        .iter()
        .map(|body| body["helpline"]["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["first", "last"]);
    let dead = dead_letters(&stack, "the dead letter", Duration::from_secs(20)).await;
    assert_eq!(dead.notifications.len(), 1, "{dead:?}");
    assert_eq!(dead.notifications[0].notification, None);
    assert_eq!(stack.count_rows("dead_notifications"), 1);
}

/// The channel's bucket for this minute, filled: the drain after a write
/// sends nothing, as if the Worker had stopped between the write and the
/// send. Called early in a minute, so the bucket holds for the test's steps.
async fn hold_the_channel(stack: &Stack) {
    let now = now_millis();
    let into_minute = now - window_start(now);
    if into_minute > 45_000 {
        let to_next = WINDOW_MS - into_minute + 200;
        tokio::time::sleep(Duration::from_millis(to_next as u64)).await;
    }
    let window = window_start(now_millis());
    stack.execute_sql(&format!(
        "INSERT OR REPLACE INTO rate_limits (bucket, window_ms, count) VALUES ('channel', {window}, 1000000);"
    ));
}

fn release_the_channel(stack: &Stack) {
    stack.execute_sql("DELETE FROM rate_limits WHERE bucket = 'channel';");
}

/// An SLA alert and what it owes the channel are one write: when nothing is
/// sent after the sweep (a crash, a spent channel), the breach is recorded,
/// its message stays owed, and the next tick tells it once.
#[tokio::test]
async fn a_breach_recorded_when_nothing_could_be_sent_is_told_at_the_next_tick() {
    let (stack, receiver) =
        Stack::with_channel(200, [("SLA_POLICY", sla_policy(2_000, 600_000))]).await;
    let case = stack
        .create_case("u-1", "How do I change the report colour?")
        .await;
    hold_the_channel(&stack).await;
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    assert_eq!(stack.sweep().await.breaches, 1);
    let told = stack.case_for_team(case.id).await;
    assert!(told.sla.unwrap().first_response_breached);
    assert_eq!(
        stack.count_rows(&format!(
            "pending_notifications WHERE case_id = {}",
            case.id
        )),
        1,
        "the breach's message is owed"
    );
    assert!(receiver.of_kind("sla_breached").is_empty());

    release_the_channel(&stack);
    stack.tick().await;
    let breached = receiver.exactly("sla_breached", 1).await;
    assert_eq!(breached[0]["helpline"]["case"]["id"], case.id);
    assert_eq!(stack.count_rows("pending_notifications"), 0);
    stack.tick().await;
    receiver.exactly("sla_breached", 1).await;
}

/// A busy day's report is kept together with what it owes the channel: a
/// bounded summary. When it cannot be sent at once, it is sent at the next
/// tick, once.
#[tokio::test]
async fn a_report_that_could_not_be_sent_is_sent_at_the_next_tick() {
    let (stack, receiver) = Stack::with_channel(200, []).await;
    hold_the_channel(&stack).await;
    let report = stack
        .with_token(&stack.tokens.lead, Method::POST, "/v1/reports/daily")
        .json(&json!({}));
    let report: Value = expect_json(report, StatusCode::OK).await;
    let date = report["date"].as_str().unwrap().to_owned();
    let this_report = |receiver: &WebhookReceiver| -> Vec<Value> {
        receiver
            .of_kind("daily_report")
            .into_iter()
            .filter(|body| body["helpline"]["text"].as_str().unwrap().contains(&date))
            .collect()
    };
    assert_eq!(
        stack.count_rows("pending_notifications WHERE body LIKE '%daily_report%'"),
        1,
        "the report's message is owed"
    );
    assert!(this_report(&receiver).is_empty());

    release_the_channel(&stack);
    stack.tick().await;
    eventually("the report's message", Duration::from_secs(20), || async {
        (!this_report(&receiver).is_empty()).then_some(())
    })
    .await;
    stack.tick().await;
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let sent = this_report(&receiver);
    assert_eq!(sent.len(), 1, "sent once");
    assert!(sent[0]["text"].as_str().unwrap().chars().count() <= 8_000);
}

#[tokio::test]
async fn a_failing_webhook_gets_retries_then_the_dead_letter_queue() {
    let (stack, receiver) = Stack::with_channel(500, []).await;
    let started = Instant::now();
    // The request that causes the notification succeeds whatever the hook does.
    let p1 = stack
        .create_case("u-1", "Outage for all users of the ads console")
        .await;
    let dead = dead_letters(&stack, "a dead letter", Duration::from_secs(60)).await;
    eprintln!("dead-lettered after {:?}", started.elapsed());
    assert_eq!(dead.notifications.len(), 1);
    let buried = dead.notifications[0].notification.as_ref().unwrap();
    assert_eq!(buried.case.as_ref().unwrap().id, p1.id);
    // The first delivery and every retry reached the receiver (max_retries = 4).
    assert_eq!(receiver.of_kind("page").len(), 5);
    let by_specialist = stack.as_specialist(Method::GET, "/v1/notifications/dead");
    expect_status(by_specialist, StatusCode::FORBIDDEN).await;
}

#[tokio::test]
async fn a_breached_p2_is_escalated_to_the_lead_on_shift_once() {
    let (stack, receiver) = sla_watched(3_000, 60_000, "0.99").await;
    let (p2, p3, swept) = cases_swept(&stack, "I am locked out of my account", 3_500).await;
    assert_eq!(swept.breaches, 2);

    let escalated = stack.case_for_team(p2.id).await;
    let escalation = escalated.escalation.unwrap();
    assert_eq!(escalation.team, "support-leads");
    assert_eq!(escalation.holder.as_deref(), Some("Lead on shift"));
    assert_eq!(
        count_events(&stack.case_for_team(p2.id).await, CaseEventKind::Escalated),
        1
    );
    // A P3 breach is recorded but escalates nobody.
    let quiet = stack.case_for_team(p3.id).await;
    assert!(quiet.escalation.is_none());
    assert_eq!(count_events(&quiet, CaseEventKind::SlaBreached), 1);

    let breaches = receiver.exactly("sla_breached", 2).await;
    let to_lead = breaches
        .iter()
        .find(|b| b["helpline"]["case"]["id"] == p2.id)
        .unwrap();
    assert_eq!(
        to_lead["helpline"]["mentions"],
        json!([lead_on_shift_now()])
    );
    assert!(to_lead["text"]
        .as_str()
        .unwrap()
        .contains("escalated to Support leads"));
}

#[tokio::test]
async fn a_warning_is_told_once_and_an_unclaimed_p1_pages_again_at_its_warning() {
    // Warnings from 3 s, breaches at 10 s: room for a slow machine.
    let (stack, receiver) = sla_watched(10_000, 600_000, "0.3").await;
    let (p1, p3, swept) = cases_swept(&stack, "Outage: nothing loads for all users", 4_000).await;
    assert_eq!(swept.warnings, 2);

    let warned = receiver.exactly("sla_warning", 1).await;
    assert_eq!(warned[0]["helpline"]["case"]["id"], p3.id);
    assert!(warned[0]["text"]
        .as_str()
        .unwrap()
        .contains("first response due soon"));
    // The P1 paged when it arrived, and again at its warning, nobody having claimed it.
    let pages = receiver.exactly("page", 2).await;
    assert!(pages.iter().all(|p| p["helpline"]["case"]["id"] == p1.id));
    assert_eq!(
        pages[1]["helpline"]["mentions"],
        json!([lead_on_shift_now()])
    );
}

/// A P1 case (the text says so) on `platform`, in `category`.
fn urgent(user: &str, platform: &str, category: &str) -> serde_json::Value {
    json!({
        "description": "Outage: nothing loads for all users",
        "platform": platform,
        "category": category,
        "reporter": { "id": user },
    })
}

/// Once 2,107 look-alike P1s paged the lead 2,107 times. Now the cases that
/// make or join an incident are told through it: one message when it opens.
#[tokio::test]
async fn a_burst_of_look_alike_p1s_is_told_through_its_incident() {
    let rule = json!({ "threshold": 5, "window_minutes": 15 });
    let (stack, receiver) =
        Stack::with_channel(200, [("MALFUNCTION_RULE", rule.to_string())]).await;
    let users: Vec<String> = (0..60).map(|n| format!("u-{n}")).collect();
    for chunk in users.chunks(20) {
        let sends = chunk.iter().map(|u| {
            stack
                .new_case(u, &urgent(u, "ads-console", "exports"))
                .send()
        });
        for sent in helpline_tests::join_all(sends).await {
            assert_eq!(sent.unwrap().status(), StatusCode::CREATED);
        }
    }
    receiver.exactly("incident", 1).await;
    // The four before the fifth opened the incident paged, as any P1 does.
    let pages: Vec<_> = receiver
        .of_kind("page")
        .iter()
        .map(|p| p["helpline"]["case"]["id"].clone())
        .collect();
    assert_eq!(
        pages.len(),
        4,
        "{pages:?} {:#?}",
        receiver.of_kind("incident")
    );
    assert_eq!(receiver.received().len(), 5, "nothing else was sent");
}

/// Past the channel's messages a minute, notifications wait for the next
/// minute, and what is more than that minute takes goes as one digest that
/// counts it: nothing is dropped, nothing buries the channel.
#[tokio::test]
async fn past_the_channels_pace_notifications_wait_then_fold_into_a_digest() {
    let (stack, receiver) =
        Stack::with_channel(200, [("IM_MESSAGES_PER_MINUTE", "3".into())]).await;
    fresh_minute().await;
    let started = now_millis() as u64;
    for n in 0..8 {
        let user = format!("u-{n}");
        // Each on its own platform: eight unrelated P1s, no incident.
        stack
            .create_case_from(&user, urgent(&user, &format!("platform-{n}"), "exports"))
            .await;
    }
    receiver.exactly("page", 3).await;
    // The next minute: three more messages, the last a digest of the rest.
    let next_minute = 60_000 - started % 60_000 + 500;
    tokio::time::sleep(Duration::from_millis(next_minute)).await;
    stack.sweep().await;
    let digest = receiver.exactly("digest", 1).await;
    assert_eq!(receiver.of_kind("page").len(), 5);
    let text = digest[0]["text"].as_str().unwrap();
    assert!(text.contains("3 notifications"), "{text}");
    assert!(text.contains("3 pages"), "{text}");
    assert_eq!(
        digest[0]["helpline"]["mentions"],
        json!([lead_on_shift_now()]),
        "the lead is mentioned once"
    );
}

/// Once a P1 titled with Slack and Lark markup reached the team channel
/// verbatim, mentions and disguised links intact. Now what the user typed is
/// escaped for each platform and shows as typed, mentioning nobody.
#[tokio::test]
async fn markup_a_user_typed_reaches_the_channel_as_text() {
    let (stack, receiver) = Stack::with_channel(200, []).await;
    let hostile =
        "Outage for all users <!channel> <https://evil.example|sso.corp> <at user_id=\"all\"></at>";
    stack.create_case("u-1", hostile).await;
    let page = &receiver.exactly("page", 1).await[0];
    let slack = page["text"].as_str().unwrap();
    assert!(
        !slack.contains("<!channel>") && !slack.contains("<https://"),
        "{slack}"
    );
    assert!(slack.contains("&lt;!channel&gt;"), "{slack}");
    let lark = page["content"]["text"].as_str().unwrap();
    assert!(!lark.contains("<at") && !lark.contains("</at>"), "{lark}");
    // The lead the policy pages is still mentioned on both.
    let lead = lead_on_shift_now();
    assert!(
        slack.starts_with(&lead) && lark.starts_with(&lead),
        "{slack} / {lark}"
    );
    // The structured part keeps what the user wrote, as data.
    assert!(page["helpline"]["case"]["title"]
        .as_str()
        .unwrap()
        .contains("<!channel>"));
}
