//! The daily report as Markdown, to paste into IM or email. This file also
//! owns what the report says, for both text forms: its sections in order, as
//! tables of plain (unescaped) text, and how figures read (minutes,
//! percentages, local times). The HTML form lays out the same sections and
//! adds its charts, so the two forms cannot drift apart.

use chrono::DateTime;
use chrono_tz::Tz;

use super::{reason_words, share, status_words, DailyReport};

/// The section the HTML form puts the per-hour and breakdown charts under.
pub(crate) const SUMMARY: &str = "summary";
/// The section the HTML form puts the SLA chart under.
pub(crate) const SLA: &str = "sla";

pub(crate) struct Section {
    /// A stable anchor, also how the HTML form places its charts.
    pub id: &'static str,
    pub title: &'static str,
    pub blocks: Vec<Block>,
}

pub(crate) enum Block {
    Subheading(&'static str),
    Note(&'static str),
    /// Cells are plain text, much of it written by end users: each form
    /// escapes every cell its own way when it writes the table.
    Table {
        columns: &'static [Column],
        rows: Vec<Vec<String>>,
    },
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Column {
    pub title: &'static str,
    pub kind: ColumnKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColumnKind {
    /// Prose that may wrap (titles, reasons).
    Text,
    /// A short token that reads wrongly when split (`HL-1042`, `23:30`).
    Token,
    /// Right-aligned, so digits line up.
    Number,
}

const fn text(title: &'static str) -> Column {
    Column {
        title,
        kind: ColumnKind::Text,
    }
}

const fn token(title: &'static str) -> Column {
    Column {
        title,
        kind: ColumnKind::Token,
    }
}

const fn num(title: &'static str) -> Column {
    Column {
        title,
        kind: ColumnKind::Number,
    }
}

const FIGURES: &[Column] = &[text("Figure"), num("Value")];

/// The report's title line, unescaped.
pub(crate) fn heading(report: &DailyReport) -> String {
    format!(
        "Helpline daily report — {} ({})",
        report.date, report.time_zone
    )
}

/// A duration for a reader who thinks in minutes, hours and days.
pub(crate) fn minutes(value: Option<f64>) -> String {
    let Some(m) = value.filter(|m| m.is_finite() && *m >= 0.0) else {
        return "—".to_owned();
    };
    let m = m.round() as i64;
    match m {
        0..=59 => format!("{m} min"),
        60..=1439 => format!("{} h {:02} min", m / 60, m % 60),
        _ => {
            // Minutes are noise once a figure runs to days.
            let hours = (m + 30) / 60;
            format!("{} d {:02} h", hours / 24, hours % 24)
        }
    }
}

/// A ratio as a whole percentage. "100%" claims nothing was missed and "0%"
/// that nothing was met, so a ratio that is neither never rounds to them.
pub(crate) fn percent(ratio: Option<f64>) -> String {
    let Some(r) = ratio.filter(|r| r.is_finite()) else {
        return "—".to_owned();
    };
    let p = (r * 100.0).clamp(0.0, 100.0);
    if p > 0.0 && p < 0.5 {
        "<1%".to_owned()
    } else if (99.5..100.0).contains(&p) {
        ">99%".to_owned()
    } else {
        format!("{p:.0}%")
    }
}

pub(crate) fn cases(n: i64) -> String {
    if n == 1 {
        "1 case".to_owned()
    } else {
        format!("{n} cases")
    }
}

/// The zone readers think in; None for a name this crate cannot read.
fn zone(report: &DailyReport) -> Option<Tz> {
    report.time_zone.trim().parse().ok()
}

/// An RFC 3339 instant as a local clock time, with the date only when it is
/// not the report's day. Text that is not an instant is shown as it is.
fn local_time(at: &str, zone: Option<Tz>, date: &str) -> String {
    let (Some(zone), Ok(instant)) = (zone, DateTime::parse_from_rfc3339(at.trim())) else {
        return at.to_owned();
    };
    let local = instant.with_timezone(&zone);
    if local.format("%Y-%m-%d").to_string() == date {
        local.format("%H:%M").to_string()
    } else {
        local.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// What the report says, in order.
pub(crate) fn sections(report: &DailyReport) -> Vec<Section> {
    let zone = zone(report);
    let at = |instant: &str| local_time(instant, zone, &report.date);
    vec![
        summary(report),
        sla(report),
        breaches(report, &at),
        key_tickets(report),
        incidents(report, &at),
        self_serve(report),
        csat(report),
    ]
}

fn summary(report: &DailyReport) -> Section {
    let t = &report.totals;
    let r = &report.response_times;
    let rows = [
        ("Received", t.received.to_string()),
        ("Resolved", t.resolved.to_string()),
        ("Backlog", t.backlog.to_string()),
        ("Escalated", t.escalated.to_string()),
        ("Reopened", t.reopened.to_string()),
        ("SLA breaches", t.breaches.to_string()),
        ("First response p50", minutes(r.first_response_p50_minutes)),
        ("First response p90", minutes(r.first_response_p90_minutes)),
        ("Resolution p50", minutes(r.resolution_p50_minutes)),
        ("Resolution p90", minutes(r.resolution_p90_minutes)),
    ];
    let mut blocks = vec![Block::Table {
        columns: FIGURES,
        rows: rows
            .into_iter()
            .map(|(name, value)| vec![name.to_owned(), value])
            .collect(),
    }];
    if t.received == 0 {
        blocks.push(Block::Note("No cases received."));
    }
    Section {
        id: SUMMARY,
        title: "Summary",
        blocks,
    }
}

fn sla(report: &DailyReport) -> Section {
    const COLUMNS: &[Column] = &[
        token("Priority"),
        num("Cases"),
        num("First response breached"),
        num("Resolution breached"),
        num("Compliance"),
    ];
    let rows = report
        .sla
        .iter()
        .map(|s| {
            vec![
                s.priority.clone(),
                s.cases.to_string(),
                s.first_response_breached.to_string(),
                s.resolution_breached.to_string(),
                percent(s.compliance),
            ]
        })
        .collect();
    Section {
        id: SLA,
        title: "SLA compliance",
        blocks: vec![table_or(COLUMNS, rows, "No cases to measure.")],
    }
}

fn breaches(report: &DailyReport, at: &dyn Fn(&str) -> String) -> Section {
    const COLUMNS: &[Column] = &[
        token("Case"),
        token("Priority"),
        text("Title"),
        text("What"),
        token("At"),
    ];
    let rows = report
        .breaches
        .iter()
        .map(|b| {
            vec![
                b.case_ref.clone(),
                b.priority.clone(),
                b.title.clone(),
                b.what.clone(),
                at(&b.at),
            ]
        })
        .collect();
    Section {
        id: "breaches",
        title: "Breaches",
        blocks: vec![table_or(COLUMNS, rows, "No breaches.")],
    }
}

fn key_tickets(report: &DailyReport) -> Section {
    const COLUMNS: &[Column] = &[
        token("Case"),
        token("Priority"),
        text("Status"),
        text("Platform"),
        text("Title"),
        text("Why"),
    ];
    let rows = report
        .key_tickets
        .iter()
        .map(|k| {
            vec![
                k.case_ref.clone(),
                k.priority.clone(),
                status_words(&k.status),
                k.platform.clone(),
                k.title.clone(),
                k.reasons
                    .iter()
                    .map(|r| reason_words(r))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    Section {
        id: "key-tickets",
        title: "Key tickets",
        blocks: vec![table_or(COLUMNS, rows, "No key tickets.")],
    }
}

fn incidents(report: &DailyReport, at: &dyn Fn(&str) -> String) -> Section {
    const COLUMNS: &[Column] = &[
        text("Incident"),
        text("Platform"),
        text("Status"),
        num("Cases"),
        token("Opened"),
    ];
    let rows = report
        .incidents
        .iter()
        .map(|i| {
            vec![
                i.title.clone(),
                i.platform.clone(),
                i.status.clone(),
                i.cases.to_string(),
                at(&i.opened_at),
            ]
        })
        .collect();
    Section {
        id: "incidents",
        title: "Incidents",
        blocks: vec![table_or(COLUMNS, rows, "No incidents.")],
    }
}

fn self_serve(report: &DailyReport) -> Section {
    const GAPS: &[Column] = &[text("Question"), num("Times")];
    let s = &report.self_serve;
    let figures = [
        ("Solved by an answer", s.solved.to_string()),
        ("Still needed help", s.not_solved.to_string()),
        ("Deflection rate", percent(s.deflection_rate)),
    ];
    let gaps = s
        .top_gaps
        .iter()
        .map(|g| vec![g.key.clone(), g.count.to_string()])
        .collect();
    Section {
        id: "self-serve",
        title: "Self-serve",
        blocks: vec![
            Block::Table {
                columns: FIGURES,
                rows: figures
                    .into_iter()
                    .map(|(name, value)| vec![name.to_owned(), value])
                    .collect(),
            },
            Block::Subheading("Top gaps"),
            table_or(GAPS, gaps, "No unanswered questions."),
        ],
    }
}

fn csat(report: &DailyReport) -> Section {
    const DISTRIBUTION: &[Column] = &[num("Score"), num("Ratings"), num("Share")];
    let c = &report.csat;
    let blocks = if c.ratings <= 0 {
        vec![Block::Note("No ratings.")]
    } else {
        let average = c
            .average
            .filter(|a| a.is_finite())
            .map_or_else(|| "—".to_owned(), |a| format!("{a:.1}"));
        vec![
            Block::Table {
                columns: FIGURES,
                rows: vec![
                    vec!["Ratings".to_owned(), c.ratings.to_string()],
                    vec!["Average".to_owned(), average],
                ],
            },
            Block::Subheading("Distribution"),
            Block::Table {
                columns: DISTRIBUTION,
                rows: (1..)
                    .zip(c.distribution)
                    .map(|(score, n)| {
                        vec![
                            score.to_string(),
                            n.to_string(),
                            percent(share(n, c.ratings)),
                        ]
                    })
                    .collect(),
            },
        ]
    };
    Section {
        id: "csat",
        title: "CSAT",
        blocks,
    }
}

fn table_or(columns: &'static [Column], rows: Vec<Vec<String>>, empty: &'static str) -> Block {
    if rows.is_empty() {
        Block::Note(empty)
    } else {
        Block::Table { columns, rows }
    }
}

/// Text made safe for one line of a pipe table: a line break would end the
/// row and a `|` would split the cell. Backslashes are escaped too, or a
/// title ending in `\` would escape the `\|` written for its own pipe.
fn inline(text: &str) -> String {
    let one_line = text
        .split(['\r', '\n'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::with_capacity(one_line.len());
    for c in one_line.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            c => out.push(c),
        }
    }
    out
}

fn table(lines: &mut Vec<String>, columns: &[Column], rows: &[Vec<String>]) {
    let row = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    lines.push(row(columns.iter().map(|c| inline(c.title)).collect()));
    lines.push(row(columns
        .iter()
        .map(|c| {
            if c.kind == ColumnKind::Number {
                "---:"
            } else {
                "---"
            }
            .to_owned()
        })
        .collect()));
    for cells in rows {
        lines.push(row(cells.iter().map(|cell| inline(cell)).collect()));
    }
}

/// The report as Markdown: `#` title, `##` sections, GitHub-style tables.
/// The most a report message to the team channel holds. IM platforms refuse
/// far longer texts (and the notification queue refuses messages over
/// 128 KB): a busy day is cut at a line and points to the whole report.
pub const CHANNEL_MESSAGE_MAX_CHARS: usize = 8_000;

/// The report as the team channel gets it: the whole Markdown when it fits in
/// [`CHANNEL_MESSAGE_MAX_CHARS`], else its head cut at a line, with where
/// to read the rest.
pub fn channel_message(report: &DailyReport) -> String {
    let whole = render(report);
    if whole.chars().count() <= CHANNEL_MESSAGE_MAX_CHARS {
        return whole;
    }
    let link = format!(
        "\n\n… cut for the channel; the whole report: GET /v1/reports/daily?date={}&tz={}&format=html",
        report.date, report.time_zone
    );
    let room = CHANNEL_MESSAGE_MAX_CHARS - link.chars().count();
    let head: String = whole.chars().take(room).collect();
    let head = match head.rfind('\n') {
        Some(at) => &head[..at],
        None => head.as_str(),
    };
    format!("{head}{link}")
}

pub fn render(report: &DailyReport) -> String {
    let mut lines = vec![format!("# {}", inline(&heading(report)))];
    for section in sections(report) {
        lines.push(String::new());
        lines.push(format!("## {}", section.title));
        for block in &section.blocks {
            lines.push(String::new());
            match block {
                Block::Subheading(title) => lines.push(format!("### {title}")),
                Block::Note(note) => lines.push((*note).to_owned()),
                Block::Table { columns, rows } => table(&mut lines, columns, rows),
            }
        }
    }
    lines.push(String::new());
    lines.join("\n")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::report::{
        BreachLine, Csat, IncidentLine, KeyTicket, ReportTotals, ResponseTimes, SelfServe,
        SlaCompliance, Tally,
    };
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    /// Fails naming the first of `parts` that `rendered` (a report as
    /// Markdown or HTML) lacks.
    pub(crate) fn assert_holds(rendered: &str, parts: &[&str]) {
        for part in parts {
            assert!(rendered.contains(part), "missing {part:?} in\n{rendered}");
        }
    }

    fn tally(key: &str, count: i64) -> Tally {
        Tally {
            key: key.to_owned(),
            count,
        }
    }

    fn breach(case_ref: &str, priority: &str, title: &str, what: &str, at: &str) -> BreachLine {
        BreachLine {
            case_ref: case_ref.to_owned(),
            case_id: 1,
            priority: priority.to_owned(),
            title: title.to_owned(),
            what: what.to_owned(),
            at: at.to_owned(),
        }
    }

    fn ticket(
        case_ref: &str,
        priority: &str,
        status: &str,
        title: &str,
        why: &[&str],
    ) -> KeyTicket {
        KeyTicket {
            case_ref: case_ref.to_owned(),
            case_id: 1,
            priority: priority.to_owned(),
            status: status.to_owned(),
            platform: "ios".to_owned(),
            title: title.to_owned(),
            reasons: why.iter().map(|r| (*r).to_owned()).collect(),
            created_at: "2026-11-20T08:00:00.000Z".to_owned(),
        }
    }

    fn sla_row(priority: &str, cases: i64, first: i64, resolution: i64) -> SlaCompliance {
        let met = cases - first.max(resolution);
        SlaCompliance {
            priority: priority.to_owned(),
            cases,
            first_response_breached: first,
            resolution_breached: resolution,
            compliance: share(met, cases),
        }
    }

    /// A day in Shanghai with known figures; both forms' tests read it.
    pub(crate) fn fixture() -> DailyReport {
        DailyReport {
            date: "2026-11-25".to_owned(),
            time_zone: "Asia/Shanghai".to_owned(),
            from: "2026-11-24T16:00:00.000Z".to_owned(),
            to: "2026-11-25T16:00:00.000Z".to_owned(),
            generated_at: "2026-11-26T06:00:00.000Z".to_owned(),
            totals: ReportTotals {
                received: 12,
                resolved: 9,
                backlog: 31,
                escalated: 2,
                reopened: 1,
                breaches: 3,
            },
            response_times: ResponseTimes {
                first_response_p50_minutes: Some(12.4),
                first_response_p90_minutes: Some(185.0),
                resolution_p50_minutes: Some(242.0),
                resolution_p90_minutes: None,
            },
            per_hour: vec![
                0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 1, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0,
            ],
            by_platform: vec![tally("web", 6), tally("ios", 4), tally("android", 2)],
            by_category: vec![tally("billing", 5), tally("login", 4), tally("bug", 3)],
            by_priority: vec![tally("P1", 1), tally("P2", 3), tally("P3", 8)],
            sla: vec![
                sla_row("P1", 1, 1, 0),
                sla_row("P2", 3, 0, 1),
                sla_row("P3", 8, 0, 0),
                sla_row("P4", 0, 0, 0),
            ],
            breaches: vec![
                breach(
                    "HL-1042",
                    "P1",
                    "Checkout fails on iOS",
                    "first response",
                    "2026-11-25T02:15:00.000Z",
                ),
                breach(
                    "HL-1043",
                    "P2",
                    "Password reset email never arrives",
                    "resolution",
                    "2026-11-25T09:40:00.000Z",
                ),
                breach(
                    "HL-0998",
                    "P2",
                    "Refund | still pending",
                    "resolution",
                    "2026-11-24T15:30:00.000Z",
                ),
            ],
            key_tickets: vec![
                ticket(
                    "HL-1042",
                    "P1",
                    "open",
                    "Checkout fails on iOS",
                    &["p1", "breached"],
                ),
                ticket(
                    "HL-0871",
                    "P3",
                    "waiting",
                    "Export to CSV times out",
                    &["oldest_open"],
                ),
                ticket(
                    "HL-1050",
                    "P2",
                    "escalated",
                    "App crashes on launch",
                    &["escalated", "reopened"],
                ),
            ],
            incidents: vec![IncidentLine {
                id: 7,
                title: "Payments provider outage".to_owned(),
                platform: "all".to_owned(),
                status: "resolved".to_owned(),
                cases: 4,
                opened_at: "2026-11-25T01:50:00.000Z".to_owned(),
            }],
            self_serve: SelfServe {
                solved: 8,
                not_solved: 5,
                deflection_rate: share(8, 8 + 12),
                top_gaps: vec![tally("change billing email", 3), tally("delete account", 2)],
            },
            csat: Csat {
                ratings: 7,
                average: Some(30.0 / 7.0),
                distribution: [0, 1, 0, 2, 4],
            },
        }
    }

    /// The text of every table cell, in document order.
    fn cells(markdown: &str) -> Vec<String> {
        let mut cells = Vec::new();
        let mut current: Option<String> = None;
        for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
            match event {
                Event::Start(Tag::TableCell) => current = Some(String::new()),
                Event::End(TagEnd::TableCell) => cells.extend(current.take()),
                Event::Text(t) | Event::Code(t) => {
                    if let Some(cell) = current.as_mut() {
                        cell.push_str(&t);
                    }
                }
                _ => {}
            }
        }
        cells
    }

    #[test]
    fn a_busy_days_channel_message_is_cut_at_a_line_and_links_the_whole() {
        let quiet = fixture();
        assert_eq!(
            channel_message(&quiet),
            render(&quiet),
            "a quiet day fits whole"
        );
        let mut busy = fixture();
        let ticket = busy.key_tickets[0].clone();
        busy.key_tickets = (0..2_000)
            .map(|n| KeyTicket {
                case_ref: format!("HL-{}", 10_000 + n),
                title: format!("A long title for a busy day's ticket number {n}"),
                ..ticket.clone()
            })
            .collect();
        assert!(render(&busy).chars().count() > 100_000);
        let message = channel_message(&busy);
        assert!(message.chars().count() <= CHANNEL_MESSAGE_MAX_CHARS);
        assert!(message.ends_with(&format!(
            "GET /v1/reports/daily?date={}&tz={}&format=html",
            busy.date, busy.time_zone
        )));
        let head = message.split("\n\n… cut").next().unwrap();
        assert!(
            render(&busy).starts_with(head),
            "the head is whole lines of the report"
        );
    }

    #[test]
    fn minutes_read_as_minutes_hours_and_days() {
        assert_eq!(minutes(None), "—");
        assert_eq!(minutes(Some(f64::NAN)), "—");
        assert_eq!(minutes(Some(-3.0)), "—");
        assert_eq!(minutes(Some(0.0)), "0 min");
        assert_eq!(minutes(Some(12.4)), "12 min");
        assert_eq!(minutes(Some(59.6)), "1 h 00 min");
        assert_eq!(minutes(Some(185.0)), "3 h 05 min");
        assert_eq!(minutes(Some(1439.6)), "1 d 00 h");
        assert_eq!(minutes(Some(3000.0)), "2 d 02 h");
    }

    #[test]
    fn percentages_are_whole_and_never_round_to_the_extremes() {
        assert_eq!(percent(None), "—");
        assert_eq!(percent(Some(f64::INFINITY)), "—");
        assert_eq!(percent(Some(0.0)), "0%");
        assert_eq!(percent(Some(1.0)), "100%");
        assert_eq!(percent(Some(2.0 / 3.0)), "67%");
        assert_eq!(percent(Some(0.4)), "40%");
        assert_eq!(percent(Some(0.996)), ">99%");
        assert_eq!(percent(Some(0.004)), "<1%");
    }

    #[test]
    fn the_sections_come_in_order_under_the_title() {
        let md = render(&fixture());
        assert!(md.starts_with("# Helpline daily report — 2026-11-25 (Asia/Shanghai)\n"));
        let order = [
            "## Summary",
            "## SLA compliance",
            "## Breaches",
            "## Key tickets",
            "## Incidents",
            "## Self-serve",
            "## CSAT",
        ];
        let at: Vec<usize> = order.iter().map(|h| md.find(h).expect(h)).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}\n{md}");
    }

    #[test]
    fn the_summary_has_every_figure() {
        let md = render(&fixture());
        assert_holds(
            &md,
            &[
                "| Figure | Value |\n| --- | ---: |",
                "| Received | 12 |",
                "| Resolved | 9 |",
                "| Backlog | 31 |",
                "| Escalated | 2 |",
                "| Reopened | 1 |",
                "| SLA breaches | 3 |",
                "| First response p50 | 12 min |",
                "| First response p90 | 3 h 05 min |",
                "| Resolution p50 | 4 h 02 min |",
                "| Resolution p90 | — |",
            ],
        );
        assert!(!md.contains("No cases received."));
    }

    #[test]
    fn sla_compliance_per_priority() {
        let md = render(&fixture());
        assert_holds(
            &md,
            &[
                "| Priority | Cases | First response breached | Resolution breached | Compliance |",
                "| P1 | 1 | 1 | 0 | 0% |",
                "| P2 | 3 | 0 | 1 | 67% |",
                "| P3 | 8 | 0 | 0 | 100% |",
                "| P4 | 0 | 0 | 0 | — |",
            ],
        );
    }

    #[test]
    fn breaches_tickets_incidents_self_serve_and_csat() {
        let md = render(&fixture());
        assert_holds(
            &md,
            &[
                // Local times; the date only for another day.
                "| HL-1042 | P1 | Checkout fails on iOS | first response | 10:15 |",
                "| HL-1043 | P2 | Password reset email never arrives | resolution | 17:40 |",
                "| HL-0998 | P2 | Refund \\| still pending | resolution | 2026-11-24 23:30 |",
                "| HL-1042 | P1 | open | ios | Checkout fails on iOS | P1, breached |",
                "| HL-0871 | P3 | waiting | ios | Export to CSV times out | oldest open |",
                "| HL-1050 | P2 | escalated | ios | App crashes on launch | escalated, reopened |",
                "| Payments provider outage | all | resolved | 4 | 09:50 |",
                "| Solved by an answer | 8 |",
                "| Still needed help | 5 |",
                "| Deflection rate | 40% |",
                "### Top gaps",
                "| change billing email | 3 |",
                "| delete account | 2 |",
                "| Ratings | 7 |",
                "| Average | 4.3 |",
                "| 1 | 0 | 0% |",
                "| 2 | 1 | 14% |",
                "| 5 | 4 | 57% |",
            ],
        );
    }

    #[test]
    fn user_text_cannot_break_a_table() {
        let mut report = fixture();
        let hostile = "a | b\r\n## Injected\nc \\| d \\";
        report.breaches[0].title = hostile.to_owned();
        report.key_tickets[1].platform = "|".to_owned();
        report.self_serve.top_gaps[0].key = "x\n| y |".to_owned();
        let md = render(&report);
        assert!(!md.lines().any(|l| l.starts_with("## Injected")), "{md}");
        let cells = cells(&md);
        // Each survives whole, in one cell, in its own row.
        assert!(
            cells.contains(&"a | b ## Injected c \\| d \\".to_owned()),
            "{cells:?}"
        );
        assert!(cells.contains(&"|".to_owned()), "{cells:?}");
        assert!(cells.contains(&"x | y |".to_owned()), "{cells:?}");
        let row = cells.iter().position(|c| c.starts_with("a | b")).unwrap();
        assert_eq!(cells[row - 2], "HL-1042");
        assert_eq!(cells[row + 1], "first response");
        assert_eq!(cells[row + 2], "10:15");
    }

    #[test]
    fn an_empty_day_reads_as_empty() {
        let md = render(&DailyReport::default());
        assert_holds(
            &md,
            &[
                "| Received | 0 |",
                "No cases received.",
                "| First response p50 | — |",
                "| Resolution p90 | — |",
                "No cases to measure.",
                "No breaches.",
                "No key tickets.",
                "No incidents.",
                "| Deflection rate | — |",
                "No unanswered questions.",
                "No ratings.",
            ],
        );
        assert!(!md.contains("NaN") && !md.contains("inf"), "{md}");
    }

    #[test]
    fn times_that_are_not_instants_are_shown_as_written() {
        let mut report = fixture();
        report.breaches[0].at = "yesterday".to_owned();
        report.time_zone = "Mars/Olympus".to_owned();
        let md = render(&report);
        assert!(md.contains("| first response | yesterday |"), "{md}");
        assert!(
            md.contains("| resolution | 2026-11-25T09:40:00.000Z |"),
            "{md}"
        );
    }
}
