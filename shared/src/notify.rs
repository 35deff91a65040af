//! Notifications to the team's IM channel: what each kind says and whom it
//! alerts, and the one webhook body that Slack-compatible and Lark/Feishu-style
//! incoming webhooks both accept, with what people typed escaped for each
//! platform's markup so that it mentions and links nobody. The Worker enqueues
//! a [`Notification`]; the queue consumer posts [`Notification::webhook_body`]
//! and retries on failure.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::change::CaseChange;
use crate::clock::{iso, EpochMillis};
use crate::escalation::EscalationPolicy;
use crate::events::CaseEventKind;
#[cfg(feature = "openapi")]
use crate::openapi::format::{CaseRef, Timestamp};
use crate::priority::Priority;
use crate::text;

/// What a notification is about: `new_case` (an urgent case arrived), `page` (the lead on shift
/// is paged for an urgent case nobody has claimed), `sla_warning`, `sla_breached`, `escalated`,
/// `incident` (one opened, grew or was resolved), `reply` (a reporter got a reply),
/// `handed_over` (a case went to another specialist: nobody's work sits with someone gone home),
/// `shift_ended` (what a specialist handed over and released when their shift ended, in one),
/// `daily_report`, `digest` (notifications past the channel's messages a minute, counted in
/// one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// A new P1/P2 arrived.
    NewCase,
    /// An unclaimed urgent case: the lead on shift is paged.
    Page,
    SlaWarning,
    SlaBreached,
    Escalated,
    Incident,
    /// A specialist replied to a reporter.
    Reply,
    /// A case was handed to another specialist.
    HandedOver,
    /// A specialist's shift ended: what they handed over and released, in one message.
    ShiftEnded,
    DailyReport,
    /// Notifications held back by the channel's rate limit, counted.
    Digest,
}

impl NotificationKind {
    pub(crate) fn label(self) -> &'static str {
        match self {
            Self::NewCase => "New case",
            Self::Page => "PAGE",
            Self::SlaWarning => "SLA warning",
            Self::SlaBreached => "SLA breached",
            Self::Escalated => "Escalated",
            Self::Incident => "Incident",
            Self::Reply => "Replied",
            Self::HandedOver => "Handed over",
            Self::ShiftEnded => "Shift ended",
            Self::DailyReport => "Daily report",
            Self::Digest => "Digest",
        }
    }
}

/// What the case a notification is about looks like in one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct CaseLine {
    /// Row id.
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub id: i64,
    #[cfg_attr(feature = "openapi", schemars(with = "CaseRef"))]
    pub case_ref: String,
    #[cfg_attr(feature = "openapi", schemars(with = "crate::priority::Priority"))]
    pub priority: String,
    pub platform: String,
    pub title: String,
}

/// One message for the team channel: a queue message body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub struct Notification {
    pub kind: NotificationKind,
    /// The message, in plain text with light Markdown. Never IM markup: it
    /// quotes what people typed, and is escaped for each platform on sending.
    pub text: String,
    /// IM handles to alert (`@mei`), from the escalation policy: sent as
    /// written, so they may be platform markup (`<!subteam^S1>`, `<at ...>`).
    pub mentions: Vec<String>,
    /// When it is about one case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<CaseLine>,
    /// When it is about an incident.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schemars(range(min = 1)))]
    pub incident_id: Option<i64>,
    #[cfg_attr(feature = "openapi", schemars(with = "Timestamp"))]
    /// When it happened (RFC 3339).
    pub at: String,
}

/// The longest single-line title a notification quotes.
const TITLE_MAX_CHARS: usize = 120;

impl Notification {
    /// A notification about one case: `[SLA breached] HL-1042 P1 · billing — title: detail`.
    pub fn about_case(
        kind: NotificationKind,
        case: CaseLine,
        detail: &str,
        mentions: Vec<String>,
        at: String,
    ) -> Notification {
        // Titles were cleaned at intake, but a case stored before a rule
        // changed is quoted too: the one rule again, single-line.
        let title: String = text::clean(&case.title, false)
            .chars()
            .take(TITLE_MAX_CHARS)
            .collect();
        let mut text = format!(
            "[{}] {} {} · {} — {}",
            kind.label(),
            case.case_ref,
            case.priority,
            case.platform,
            title
        );
        if !detail.is_empty() {
            text.push_str(": ");
            text.push_str(detail);
        }
        Notification {
            kind,
            text,
            mentions,
            case: Some(case),
            incident_id: None,
            at,
        }
    }

    /// A notification with no single case (an incident, the daily report).
    pub fn general(
        kind: NotificationKind,
        text: String,
        mentions: Vec<String>,
        at: String,
    ) -> Notification {
        Notification {
            kind,
            text: format!("[{}] {}", kind.label(), text),
            mentions,
            case: None,
            incident_id: None,
            at,
        }
    }

    /// The message text with its mentions first, as a person reads it in IM
    /// (plain, for logs; the webhook sends [`Self::slack_text`] and
    /// [`Self::lark_text`]).
    pub fn message(&self) -> String {
        self.with_mentions(self.text.clone())
    }

    /// The message for a Slack-compatible hook: `text` escaped as Slack's
    /// mrkdwn asks, so what a reporter typed (`<!channel>`, `<https://x|y>`)
    /// shows as typed and alerts or links nobody; the mentions, which the
    /// escalation policy wrote, stay markup.
    pub fn slack_text(&self) -> String {
        self.with_mentions(escape_slack(&self.text))
    }

    /// The message for a Lark/Feishu hook: `text` neutralised for Lark's text
    /// message markup (see [`neutralise_lark`]); the mentions stay markup.
    pub fn lark_text(&self) -> String {
        self.with_mentions(neutralise_lark(&self.text))
    }

    fn with_mentions(&self, text: String) -> String {
        if self.mentions.is_empty() {
            text
        } else {
            format!("{} {}", self.mentions.join(" "), text)
        }
    }

    /// The webhook body: `text` for Slack-compatible hooks, `msg_type` +
    /// `content.text` for Lark/Feishu, and the structured notification under
    /// `helpline` for receivers that want fields. Each kind of hook ignores
    /// the keys it does not know. `helpline` keeps the text raw: it is JSON
    /// data, and a receiver that renders it escapes for its own markup.
    pub fn webhook_body(&self) -> Value {
        json!({
            "text": self.slack_text(),
            "msg_type": "text",
            "content": { "text": self.lark_text() },
            "helpline": self,
        })
    }
}

/// Slack's documented escaping for message text: `&`, `<` and `>` as HTML
/// entities. Nothing else in mrkdwn can mention or link anyone.
fn escape_slack(text: &str) -> String {
    crate::text::replace_chars(text, |c| match c {
        '&' => Some("&amp;"),
        '<' => Some("&lt;"),
        '>' => Some("&gt;"),
        _ => None,
    })
}

/// Text that Lark's text message shows as typed. Lark reads tags in
/// `content.text` (`<at user_id="all"></at>` alerts the whole group, `<b>`,
/// `<a>`-like styles) and Markdown-style links `[label](url)`, and documents
/// no escape for either. So the characters that open markup are made
/// characters no parser takes for markup: `<` and `>` become their
/// full-width look-alikes `＜` `＞` (a tag cannot open), a zero-width space
/// goes after `&` (no entity can decode into a `<`) and between `]` and `(`
/// (no link can form). A reader sees nearly what was typed.
fn neutralise_lark(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => out.push('\u{FF1C}'),
            '>' => out.push('\u{FF1E}'),
            '&' => out.push_str("&\u{200B}"),
            ']' if chars.peek() == Some(&'(') => out.push_str("]\u{200B}"),
            c => out.push(c),
        }
    }
    out
}

/// What a new case announces: urgent ones to the channel, and the most urgent
/// page the lead on shift, since nobody has claimed them yet.
pub fn for_new_case(
    policy: &EscalationPolicy,
    case: &CaseLine,
    priority: Priority,
    now: EpochMillis,
) -> Vec<Notification> {
    let mut out = Vec::new();
    if policy.pages_unclaimed(priority) {
        out.push(Notification::about_case(
            NotificationKind::Page,
            case.clone(),
            "new and unclaimed",
            policy.lead_handles(now),
            iso(now),
        ));
    } else if policy.announces(priority) {
        out.push(Notification::about_case(
            NotificationKind::NewCase,
            case.clone(),
            "",
            vec![],
            iso(now),
        ));
    }
    out
}

/// What a specialist's change to a case tells the channel: an escalation
/// alerts whoever the policy names for its team and level; a public reply
/// says the reporter has an answer; a handover says to whom, and why.
pub fn for_change(
    policy: &EscalationPolicy,
    case: &CaseLine,
    change: &CaseChange,
    by: &str,
    now: EpochMillis,
) -> Vec<Notification> {
    let mut out = Vec::new();
    for event in &change.events {
        let (kind, detail, mentions) = match event.kind {
            CaseEventKind::Escalated => match &change.state.escalation {
                Some(esc) => match policy.route(&esc.team, esc.level, now) {
                    Ok(route) => (
                        NotificationKind::Escalated,
                        format!(
                            "to {} level {} ({}): {}",
                            route.team_name, route.level, route.holder, esc.reason
                        ),
                        route.notify,
                    ),
                    Err(_) => continue,
                },
                None => continue,
            },
            CaseEventKind::Replied => (
                NotificationKind::Reply,
                "the reporter has a reply".to_string(),
                vec![],
            ),
            CaseEventKind::Assigned => (
                NotificationKind::HandedOver,
                format!(
                    "{by} handed it {}",
                    event.body.as_deref().unwrap_or_default()
                ),
                vec![],
            ),
            _ => continue,
        };
        out.push(Notification::about_case(
            kind,
            case.clone(),
            &detail,
            mentions,
            iso(now),
        ));
    }
    out
}

/// Seconds to wait before retrying a message first sent `age_ms` ago: as long
/// again as it has already waited (so the gaps double), at least 1 s and at
/// most 5 minutes. A receiver that is down briefly gets it soon; one that is
/// down long is not hammered. Age stands in for the attempt count, which the
/// queue does not hand the consumer.
pub fn retry_delay_seconds(age_ms: i64) -> u32 {
    (age_ms / 1000).clamp(1, 300) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case() -> CaseLine {
        CaseLine {
            id: 42,
            case_ref: "HL-1042".into(),
            priority: "P1".into(),
            platform: "billing".into(),
            title: "Invoices\nfail to load".into(),
        }
    }

    /// An incident notification of `detail`, mentioning nobody.
    fn incident(detail: &str) -> Notification {
        Notification::general(
            NotificationKind::Incident,
            detail.into(),
            vec![],
            "2026-11-26T00:00:00.000Z".into(),
        )
    }

    #[test]
    fn a_case_notification_reads_as_one_line_with_mentions_first() {
        let n = Notification::about_case(
            NotificationKind::SlaBreached,
            case(),
            "first response target missed",
            vec!["@mei".into()],
            "2026-11-26T00:00:00.000Z".into(),
        );
        assert_eq!(
            n.message(),
            "@mei [SLA breached] HL-1042 P1 · billing — Invoices fail to load: first response target missed"
        );
    }

    #[test]
    fn the_webhook_body_satisfies_slack_and_lark_hooks() {
        let n = incident("5 cases about billing in 15 min");
        let body = n.webhook_body();
        assert_eq!(body["text"], "[Incident] 5 cases about billing in 15 min");
        assert_eq!(body["msg_type"], "text");
        assert_eq!(body["content"]["text"], body["text"], "nothing to escape");
        assert_eq!(body["helpline"]["kind"], "incident");
        let back: Notification = serde_json::from_value(body["helpline"].clone()).unwrap();
        assert_eq!(back, n);
    }

    #[test]
    fn a_new_p1_pages_the_lead_a_p2_is_announced_a_p3_is_quiet() {
        let policy = EscalationPolicy::default();
        // 2026-11-26T10:00:00Z: Lars's shift.
        let now = 1_795_687_200_000;
        let p1 = for_new_case(&policy, &case(), Priority::P1, now);
        assert_eq!(p1.len(), 1);
        assert_eq!(p1[0].kind, NotificationKind::Page);
        assert_eq!(p1[0].mentions, vec!["@lars"]);
        let p2 = for_new_case(&policy, &case(), Priority::P2, now);
        assert_eq!(p2[0].kind, NotificationKind::NewCase);
        assert!(for_new_case(&policy, &case(), Priority::P3, now).is_empty());
    }

    #[test]
    fn an_escalation_alerts_the_level_the_policy_names_and_a_handover_says_to_whom() {
        use crate::change::{apply, Actor, CaseCommand, CaseState};
        use crate::claim::ClaimLease;
        use crate::lifecycle::{CaseStatus, Role};
        use crate::sla::SlaClock;
        let state = CaseState {
            status: CaseStatus::InProgress,
            priority: Priority::P2,
            sla: SlaClock::started(0),
            assignee_id: Some(1),
            lease_expires_at: Some(10),
            escalation: None,
            rating: None,
        };
        let actor = Actor::Specialist {
            id: 1,
            role: Role::Specialist,
        };
        let command = CaseCommand::Escalate {
            team: "data".into(),
            level: 2,
            reason: "export job stuck".into(),
        };
        let change = apply(&state, command, actor, 5, ClaimLease::default()).unwrap();
        let out = for_change(&EscalationPolicy::default(), &case(), &change, "Ana", 5);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, NotificationKind::Escalated);
        assert_eq!(out[0].mentions, vec!["@data-lead"]);
        assert!(out[0]
            .text
            .ends_with("to Data level 2 (Team lead): export job stuck"));

        // A handover tells the channel to whom, and why.
        let command = CaseCommand::Assign {
            to: Some(crate::change::Colleague {
                id: 2,
                name: "Ben".into(),
            }),
            note: Some("end of my shift; the user expects a call at 9".into()),
        };
        let change = apply(&state, command, actor, 5, ClaimLease::default()).unwrap();
        let out = for_change(&EscalationPolicy::default(), &case(), &change, "Ana", 5);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].kind, NotificationKind::HandedOver);
        assert!(
            out[0]
                .text
                .ends_with("Ana handed it to Ben: end of my shift; the user expects a call at 9"),
            "{}",
            out[0].text
        );
    }

    #[test]
    fn retries_back_off_and_cap() {
        assert_eq!(retry_delay_seconds(0), 1);
        assert_eq!(retry_delay_seconds(-5_000), 1);
        assert_eq!(retry_delay_seconds(8_500), 8);
        assert_eq!(retry_delay_seconds(86_400_000), 300);
    }

    const HOSTILE: &str =
        "<!channel> <https://evil.example|sso.corp> <at user_id=\"all\"></at> & co";

    fn hostile_page() -> Notification {
        let mut line = case();
        line.title = HOSTILE.into();
        Notification::about_case(
            NotificationKind::Page,
            line,
            "new and unclaimed",
            vec![
                "@mei".into(),
                "<!subteam^S1>".into(),
                "<at user_id=\"ou_1\">Mei</at>".into(),
            ],
            "2026-11-26T00:00:00.000Z".into(),
        )
    }

    #[test]
    fn a_title_in_slack_markup_shows_as_typed() {
        let body = hostile_page().webhook_body();
        let slack = body["text"].as_str().unwrap();
        assert!(
            slack.contains(
                "&lt;!channel&gt; &lt;https://evil.example|sso.corp&gt; &lt;at user_id=\"all\"&gt;&lt;/at&gt; &amp; co"
            ),
            "{slack}"
        );
        assert!(
            !slack.contains("<!channel>") && !slack.contains("<https"),
            "{slack}"
        );
    }

    #[test]
    fn a_title_in_lark_markup_shows_as_typed() {
        let body = hostile_page().webhook_body();
        let lark = body["content"]["text"].as_str().unwrap();
        assert!(
            lark.contains(
                "＜!channel＞ ＜https://evil.example|sso.corp＞ ＜at user_id=\"all\"＞＜/at＞ &\u{200B} co"
            ),
            "{lark}"
        );
        assert!(!lark.contains("<at user_id=\"all\">"), "{lark}");
    }

    #[test]
    fn a_markdown_style_link_cannot_form_in_lark() {
        let n = incident("see [sso.corp](https://evil.example) &lt;at&gt;");
        let lark = n.lark_text();
        assert!(!lark.contains("]("), "{lark}");
        assert!(!lark.contains("&lt;"), "{lark}");
    }

    #[test]
    fn the_policy_mentions_stay_markup_on_both_platforms() {
        let n = hostile_page();
        let mentions = "@mei <!subteam^S1> <at user_id=\"ou_1\">Mei</at> [PAGE]";
        assert!(n.slack_text().starts_with(mentions), "{}", n.slack_text());
        assert!(n.lark_text().starts_with(mentions), "{}", n.lark_text());
    }

    #[test]
    fn the_structured_part_keeps_the_raw_text() {
        let n = hostile_page();
        let body = n.webhook_body();
        assert_eq!(body["helpline"]["case"]["title"], HOSTILE);
        assert!(body["helpline"]["text"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{HOSTILE}: new and unclaimed")));
    }

    #[test]
    fn a_title_quoted_in_the_channel_gets_the_one_cleaning_rule() {
        let mut line = case();
        line.title = "Invoice\u{202E}fdp.exe\u{0}\r\nfails".into();
        let n = Notification::about_case(
            NotificationKind::NewCase,
            line,
            "",
            vec![],
            "2026-11-26T00:00:00.000Z".into(),
        );
        assert!(n.text.ends_with("— Invoicefdp.exe fails"), "{}", n.text);
    }
}
