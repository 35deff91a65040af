//! The daily report as one self-contained HTML page with SVG charts: the
//! sections `markdown` defines, laid out as tables, with the charts under the
//! section they illustrate. The page fetches nothing and runs nothing, so it
//! can be mailed, saved or served as it is; every piece of report text goes
//! through `escape`, because titles and queries are written by end users.

use chrono::Timelike;

use super::markdown::{self, cases, heading, percent, sections, Block, Column, ColumnKind};
use super::{DailyReport, DayWindow, Tally};
use crate::clock::utc;
use crate::markdown::escape_html as escape;

const HOUR_MS: i64 = 3_600_000;

const STYLE: &str = "
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #e4e7eb; --bar: #4a7fb5; }
* { box-sizing: border-box; }
body { margin: 0; background: #f5f7fa; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.35rem; line-height: 1.3; margin: 0 0 16px; }
h2 { font-size: 1.1rem; margin: 0 0 8px; }
h3 { font-size: 1rem; margin: 16px 0 8px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 16px; margin: 0 0 16px; }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px;
  border-bottom: 1px solid var(--line); overflow-wrap: break-word; }
th { color: var(--muted); font-weight: 600; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.token { white-space: nowrap; }
.note { color: var(--muted); margin: 0; }
.table + .note { margin-top: 8px; }
.charts { display: grid; gap: 16px; margin-top: 16px;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 260px), 1fr)); }
figure { margin: 0; min-width: 0; }
figure.wide { grid-column: 1 / -1; }
figcaption { font-size: 0.85rem; color: var(--muted); margin-bottom: 4px; }
.chart { display: block; width: 100%; height: auto; }
figure.wide .chart { max-width: 640px; }
.chart text { font-size: 12px; fill: var(--muted); }
.chart .empty { font-size: 14px; }
.chart .bar { fill: var(--bar); }
.chart .axis { stroke: #cbd2d9; }
@media (max-width: 480px) { main { padding: 8px; } section { padding: 12px; } }
";

/// The report as one HTML5 document.
pub fn render(report: &DailyReport) -> String {
    let title = escape(&heading(report));
    let mut out = String::with_capacity(24 * 1024);
    out.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{title}</title>\n<style>{STYLE}</style>\n"));
    out.push_str(&format!("</head>\n<body>\n<main>\n<h1>{title}</h1>\n"));
    for section in sections(report) {
        out.push_str(&format!(
            "<section id=\"{}\">\n<h2>{}</h2>\n",
            escape(section.id),
            escape(section.title)
        ));
        for block in &section.blocks {
            match block {
                Block::Subheading(text) => out.push_str(&format!("<h3>{}</h3>\n", escape(text))),
                Block::Note(text) => {
                    out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(text)))
                }
                Block::Table { columns, rows } => out.push_str(&table(columns, rows)),
            }
        }
        out.push_str(&charts(report, section.id));
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn table(columns: &[Column], rows: &[Vec<String>]) -> String {
    let class = |c: &Column| match c.kind {
        ColumnKind::Text => "",
        ColumnKind::Token => " class=\"token\"",
        ColumnKind::Number => " class=\"num\"",
    };
    let mut out = String::from("<div class=\"table\"><table>\n<thead><tr>");
    for c in columns {
        out.push_str(&format!(
            "<th scope=\"col\"{}>{}</th>",
            class(c),
            escape(c.title)
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for cells in rows {
        out.push_str("<tr>");
        for (c, cell) in columns.iter().zip(cells) {
            out.push_str(&format!("<td{}>{}</td>", class(c), escape(cell)));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
    out
}

/// The charts that illustrate the section `id`, if any.
fn charts(report: &DailyReport, id: &str) -> String {
    let figures = match id {
        markdown::SUMMARY => vec![
            figure(
                true,
                "Cases received per local hour",
                per_hour_chart(report),
            ),
            tally_figure("platform", "Cases by platform", &report.by_platform),
            tally_figure("category", "Cases by category", &report.by_category),
            tally_figure("priority", "Cases by priority", &report.by_priority),
        ],
        markdown::SLA => vec![figure(
            false,
            "SLA compliance per priority",
            sla_chart(report),
        )],
        _ => return String::new(),
    };
    format!("<div class=\"charts\">\n{}</div>\n", figures.concat())
}

fn figure(wide: bool, caption: &str, svg: String) -> String {
    let class = if wide { " class=\"wide\"" } else { "" };
    format!(
        "<figure{class}><figcaption>{}</figcaption>\n{svg}</figure>\n",
        escape(caption)
    )
}

/// An `<svg>` start tag and its accessible name; `label` is unescaped.
fn open_chart(kind: &str, width: f64, height: f64, label: &str) -> String {
    let label = escape(label);
    format!(
        "<svg class=\"chart\" data-chart=\"{}\" role=\"img\" aria-label=\"{label}\" \
         viewBox=\"0 0 {width} {height}\"><title>{label}</title>\n",
        escape(kind)
    )
}

fn empty_chart(kind: &str, width: f64, label: &str, message: &str) -> String {
    format!(
        "{}<text class=\"empty\" x=\"{}\" y=\"34\" text-anchor=\"middle\">{}</text>\n</svg>\n",
        open_chart(kind, width, 56.0, &format!("{label}: {message}.")),
        width / 2.0,
        escape(message)
    )
}

/// Each entry's local clock hour. Clock changes skip or repeat an hour, so
/// the hours are read from the day's start in its zone rather than counted;
/// for a day this crate cannot place, positions stand in for hours.
fn local_hours(report: &DailyReport) -> Vec<u32> {
    let window = DayWindow::parse(&report.date, &report.time_zone).ok();
    (0..report.per_hour.len())
        .map(|i| match window {
            Some(w) => utc(w.start_ms + i as i64 * HOUR_MS)
                .with_timezone(&w.zone)
                .hour(),
            None => (i % 24) as u32,
        })
        .collect()
}

fn per_hour_chart(report: &DailyReport) -> String {
    const KIND: &str = "per-hour";
    const LABEL: &str = "Cases received per local hour";
    const WIDTH: f64 = 400.0;
    let (left, right, top, base) = (28.0, 396.0, 14.0, 140.0);
    let counts: Vec<i64> = report.per_hour.iter().map(|&n| n.max(0)).collect();
    let max = counts.iter().copied().max().unwrap_or(0);
    if max == 0 {
        return empty_chart(KIND, WIDTH, LABEL, "No cases received");
    }
    let hours = local_hours(report);
    let busiest = counts.iter().position(|&n| n == max).unwrap_or(0);
    let total: i64 = counts.iter().sum();
    let label = format!(
        "{LABEL}: {total} in total, the most ({max}) at {:02}:00",
        hours[busiest]
    );
    let mut svg = open_chart(KIND, WIDTH, 170.0, &label);
    svg.push_str(&format!(
        "<line class=\"axis\" x1=\"{left}\" y1=\"{top}\" x2=\"{right}\" y2=\"{top}\"/>\
         <line class=\"axis\" x1=\"{left}\" y1=\"{base}\" x2=\"{right}\" y2=\"{base}\"/>\
         <text x=\"{}\" y=\"{}\" text-anchor=\"end\">{max}</text>\
         <text x=\"{}\" y=\"{base}\" text-anchor=\"end\">0</text>\n",
        left - 4.0,
        top + 4.0,
        left - 4.0,
    ));
    let slot = (right - left) / counts.len() as f64;
    let mut labelled = None;
    for (i, (&n, &hour)) in counts.iter().zip(&hours).enumerate() {
        let x = left + i as f64 * slot;
        let height = n as f64 / max as f64 * (base - top);
        svg.push_str(&format!(
            "<rect class=\"bar\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\">\
             <title>{hour:02}:00 · {}</title></rect>",
            x + slot * 0.14,
            base - height,
            slot * 0.72,
            cases(n),
        ));
        // Every third hour keeps labels legible on a phone; a repeated hour
        // (clocks going back) is labelled once.
        if hour % 3 == 0 && labelled != Some(hour) {
            svg.push_str(&format!(
                "<text x=\"{:.1}\" y=\"158\" text-anchor=\"middle\">{hour:02}</text>",
                x + slot / 2.0
            ));
            labelled = Some(hour);
        }
        svg.push('\n');
    }
    svg.push_str("</svg>\n");
    svg
}

/// One horizontal bar: `value` is on the chart's scale, `shown` what it reads.
struct Bar {
    label: String,
    value: Option<f64>,
    shown: String,
}

fn tally_figure(kind: &str, label: &str, tallies: &[Tally]) -> String {
    let max = tallies.iter().map(|t| t.count).max().unwrap_or(0);
    let bars: Vec<Bar> = if max <= 0 {
        Vec::new()
    } else {
        tallies
            .iter()
            .map(|t| Bar {
                label: t.key.clone(),
                value: Some(t.count.max(0) as f64),
                shown: t.count.to_string(),
            })
            .collect()
    };
    let svg = bar_chart(kind, label, &bars, max as f64, "No cases");
    figure(false, label, svg)
}

fn sla_chart(report: &DailyReport) -> String {
    let bars: Vec<Bar> = report
        .sla
        .iter()
        .map(|s| Bar {
            label: s.priority.clone(),
            value: s
                .compliance
                .filter(|c| c.is_finite())
                .map(|c| (c * 100.0).clamp(0.0, 100.0)),
            shown: percent(s.compliance),
        })
        .collect();
    bar_chart(
        "sla",
        "SLA compliance per priority",
        &bars,
        100.0,
        "No cases to measure",
    )
}

/// Horizontal bars from zero to `scale`; a bar without a value shows only
/// what it reads ("—").
fn bar_chart(kind: &str, label: &str, bars: &[Bar], scale: f64, empty: &str) -> String {
    const WIDTH: f64 = 320.0;
    const ROW: f64 = 22.0;
    let (bar_x, bar_max) = (104.0, 170.0);
    if scale <= 0.0 || bars.iter().all(|b| b.value.is_none()) {
        return empty_chart(kind, WIDTH, label, empty);
    }
    let described: Vec<String> = bars
        .iter()
        .map(|b| format!("{} {}", b.label, b.shown))
        .collect();
    let mut svg = open_chart(
        kind,
        WIDTH,
        8.0 + ROW * bars.len() as f64,
        &format!("{label}: {}", described.join(", ")),
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 4.0 + i as f64 * ROW;
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{:.1}\">{}</text>",
            y + 15.0,
            escape(&shorten(&bar.label, 14))
        ));
        let width = bar.value.map_or(0.0, |v| v / scale * bar_max);
        if bar.value.is_some() {
            svg.push_str(&format!(
                "<rect class=\"bar\" x=\"{bar_x}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"14\">\
                 <title>{}: {}</title></rect>",
                y + 4.0,
                escape(&bar.label),
                escape(&bar.shown)
            ));
        }
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\">{}</text>\n",
            bar_x + width + 4.0,
            y + 15.0,
            escape(&bar.shown)
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

/// SVG text does not wrap, so a long label is cut; the bar's tooltip and the
/// chart's accessible name keep it whole.
fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max_chars - 1).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::markdown::tests::{assert_holds, fixture};
    use crate::report::{BreachLine, IncidentLine, KeyTicket, SlaCompliance};

    const SCRIPT: &str = "<script>alert(1)</script>";
    const BREAKOUT: &str = "\"><img src=x onerror=alert(1)>";

    /// The `<svg>` element whose data-chart is `kind`.
    fn chart<'a>(html: &'a str, kind: &str) -> &'a str {
        let at = html
            .find(&format!("data-chart=\"{kind}\""))
            .unwrap_or_else(|| panic!("no {kind} chart in\n{html}"));
        let start = html[..at].rfind("<svg").unwrap();
        let end = at + html[at..].find("</svg>").unwrap() + "</svg>".len();
        &html[start..end]
    }

    /// Every tag's text between `<` and `>`. Escaped text has no `<`, so
    /// each one found starts markup this file wrote.
    fn tags(html: &str) -> Vec<&str> {
        html.split('<')
            .skip(1)
            .map(|rest| &rest[..rest.find('>').expect("an unclosed tag")])
            .collect()
    }

    fn tag_name(tag: &str) -> &str {
        let tag = tag.trim_start_matches('/');
        tag.split([' ', '/', '\n']).next().unwrap()
    }

    /// A tag's attribute names. Every value this file writes is double-quoted
    /// and escaped, so a value ends at the next `"`; text that broke out of
    /// one would show up here as a name.
    fn attribute_names(tag: &str) -> Vec<&str> {
        let tag = tag.trim_start_matches('/');
        let mut rest = tag[tag_name(tag).len()..].trim_end_matches('/');
        let mut names = Vec::new();
        while let Some(at) = rest.find('=') {
            names.push(rest[..at].trim());
            let value = rest[at + 1..].strip_prefix('"').expect("a quoted value");
            rest = &value[value.find('"').expect("a closed value") + 1..];
        }
        assert!(rest.trim().is_empty(), "stray text {rest:?} in <{tag}>");
        names
    }

    const ATTRIBUTES: [&str; 20] = [
        "lang",
        "charset",
        "name",
        "content",
        "id",
        "class",
        "scope",
        "data-chart",
        "role",
        "aria-label",
        "viewBox",
        "x",
        "y",
        "width",
        "height",
        "x1",
        "y1",
        "x2",
        "y2",
        "text-anchor",
    ];

    fn day(date: &str, zone: &str, per_hour: Vec<i64>) -> DailyReport {
        let mut report = fixture();
        report.date = date.to_owned();
        report.time_zone = zone.to_owned();
        report.per_hour = per_hour;
        report
    }

    #[test]
    fn escape_covers_the_five_characters() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
        assert_eq!(escape("plain — text"), "plain — text");
    }

    #[test]
    fn it_is_one_self_contained_document() {
        let html = render(&fixture());
        assert!(html
            .starts_with("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"));
        assert!(html.ends_with("</html>\n"));
        assert!(html.contains("<title>Helpline daily report — 2026-11-25 (Asia/Shanghai)</title>"));
        assert!(html.contains("<h1>Helpline daily report — 2026-11-25 (Asia/Shanghai)</h1>"));
        assert_eq!(html.matches("<style>").count(), 1);
        assert_eq!(html.matches("<title>").count(), 1 + 5 + 24 + 9 + 3);
        for banned in [
            "<script", "<link", "<img", "<iframe", "http", "url(", "@import", "src=",
        ] {
            assert!(!html.contains(banned), "{banned} in\n{html}");
        }
        for tag in tags(&html).into_iter().skip(1) {
            for name in attribute_names(tag) {
                assert!(ATTRIBUTES.contains(&name), "{name} in <{tag}>");
            }
        }
    }

    #[test]
    fn the_sections_come_in_order_with_their_charts() {
        let html = render(&fixture());
        let ids = [
            "summary",
            "sla",
            "breaches",
            "key-tickets",
            "incidents",
            "self-serve",
            "csat",
        ];
        let at: Vec<usize> = ids
            .iter()
            .map(|id| html.find(&format!("<section id=\"{id}\">")).expect(id))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{at:?}");
        assert_eq!(html.matches("<svg").count(), 5);
        for (kind, after, before) in [
            ("per-hour", at[0], at[1]),
            ("platform", at[0], at[1]),
            ("category", at[0], at[1]),
            ("priority", at[0], at[1]),
            ("sla", at[1], at[2]),
        ] {
            let attribute = format!("data-chart=\"{kind}\"");
            assert_eq!(html.matches(&attribute).count(), 1, "{kind}");
            let found = html.find(&attribute).unwrap();
            assert!(after < found && found < before, "{kind} is out of place");
            let svg = chart(&html, kind);
            assert!(svg.starts_with("<svg class=\"chart\" data-chart="), "{svg}");
            assert!(svg.contains(" role=\"img\" aria-label=\""), "{svg}");
        }
    }

    #[test]
    fn the_tables_carry_the_figures() {
        let html = render(&fixture());
        assert_holds(
            &html,
            &[
                "<tr><td>Received</td><td class=\"num\">12</td></tr>",
                "<tr><td>First response p90</td><td class=\"num\">3 h 05 min</td></tr>",
                "<tr><td>Resolution p90</td><td class=\"num\">—</td></tr>",
                "<tr><td class=\"token\">P2</td><td class=\"num\">3</td><td class=\"num\">0</td>\
             <td class=\"num\">1</td><td class=\"num\">67%</td></tr>",
                "<td class=\"num\">—</td></tr>",
                "<td class=\"token\">HL-0998</td><td class=\"token\">P2</td>\
             <td>Refund | still pending</td><td>resolution</td>\
             <td class=\"token\">2026-11-24 23:30</td>",
                "<td>P1, breached</td>",
                "<td>escalated, reopened</td>",
                "<tr><td>Average</td><td class=\"num\">4.3</td></tr>",
                "<tr><td>Deflection rate</td><td class=\"num\">40%</td></tr>",
                "<h3>Top gaps</h3>",
            ],
        );
        for case_ref in ["HL-1042", "HL-1043", "HL-0998", "HL-0871", "HL-1050"] {
            assert!(
                html.contains(&format!("<td class=\"token\">{case_ref}</td>")),
                "{case_ref}"
            );
        }
    }

    #[test]
    fn the_charts_draw_the_figures() {
        let html = render(&fixture());
        let per_hour = chart(&html, "per-hour");
        assert!(per_hour.contains(
            "aria-label=\"Cases received per local hour: 12 in total, the most (4) at 10:00\""
        ));
        assert!(per_hour.contains("<title>10:00 · 4 cases</title>"));
        assert!(per_hour.contains("<title>09:00 · 2 cases</title>"));
        // The busiest hour is full height, a quiet one has none.
        assert!(
            per_hour.contains("height=\"126.0\"><title>10:00"),
            "{per_hour}"
        );
        assert!(
            per_hour.contains("height=\"0.0\"><title>00:00 · 0 cases"),
            "{per_hour}"
        );
        let hours: Vec<&str> = ["00", "03", "06", "09", "12", "15", "18", "21"]
            .into_iter()
            .filter(|h| per_hour.contains(&format!("text-anchor=\"middle\">{h}</text>")))
            .collect();
        assert_eq!(hours.len(), 8, "{per_hour}");

        let platform = chart(&html, "platform");
        assert!(platform.contains("aria-label=\"Cases by platform: web 6, ios 4, android 2\""));
        assert!(platform.contains("width=\"170.0\" height=\"14\"><title>web: 6</title>"));
        assert!(platform.contains("width=\"113.3\" height=\"14\"><title>ios: 4</title>"));
        assert!(platform.contains("width=\"56.7\" height=\"14\"><title>android: 2</title>"));
        assert!(chart(&html, "category").contains("billing 5, login 4, bug 3"));
        assert!(chart(&html, "priority").contains("P1 1, P2 3, P3 8"));

        let sla = chart(&html, "sla");
        assert!(sla
            .contains("aria-label=\"SLA compliance per priority: P1 0%, P2 67%, P3 100%, P4 —\""));
        // No bar for a priority without cases, only its "—".
        assert_eq!(sla.matches("<rect").count(), 3, "{sla}");
        assert!(sla.contains("width=\"0.0\" height=\"14\"><title>P1: 0%</title>"));
        assert!(sla.contains("width=\"113.3\" height=\"14\"><title>P2: 67%</title>"));
        assert!(sla.contains("width=\"170.0\" height=\"14\"><title>P3: 100%</title>"));
        assert!(sla.contains(">—</text>"));
    }

    #[test]
    fn one_bar_per_local_hour_across_clock_changes() {
        let hours = |report: &DailyReport| -> Vec<String> {
            let html = render(report);
            let svg = chart(&html, "per-hour").to_owned();
            assert_eq!(svg.matches("<rect").count(), report.per_hour.len());
            svg.split("<title>")
                .skip(2)
                .map(|t| t[..5].to_owned())
                .collect()
        };
        let long = hours(&day("2026-10-25", "Europe/Berlin", vec![1; 25]));
        assert_eq!(long.len(), 25);
        assert_eq!(&long[..5], ["00:00", "01:00", "02:00", "02:00", "03:00"]);
        assert_eq!(long[24], "23:00");

        let short = hours(&day("2026-03-29", "Europe/Berlin", vec![1; 23]));
        assert_eq!(short.len(), 23);
        assert_eq!(&short[..3], ["00:00", "01:00", "03:00"]);

        let unknown = hours(&day("2026-11-25", "Mars/Olympus", vec![2; 24]));
        assert_eq!(unknown[23], "23:00");
    }

    #[test]
    fn user_text_is_only_ever_escaped() {
        let mut report = fixture();
        let hostile = [SCRIPT, BREAKOUT];
        for (i, text) in hostile.iter().enumerate() {
            let text = (*text).to_owned();
            report.breaches.push(BreachLine {
                case_ref: text.clone(),
                case_id: i as i64,
                priority: text.clone(),
                title: text.clone(),
                what: text.clone(),
                at: text.clone(),
            });
            report.key_tickets.push(KeyTicket {
                case_ref: text.clone(),
                case_id: i as i64,
                priority: text.clone(),
                status: text.clone(),
                platform: text.clone(),
                title: text.clone(),
                reasons: vec![text.clone(), text.clone()],
                created_at: text.clone(),
            });
            report.incidents.push(IncidentLine {
                id: i as i64,
                title: text.clone(),
                platform: text.clone(),
                status: text.clone(),
                cases: 1,
                opened_at: text.clone(),
            });
            report.sla.push(SlaCompliance {
                priority: text.clone(),
                cases: 1,
                first_response_breached: 0,
                resolution_breached: 0,
                compliance: Some(1.0),
            });
            let tally = Tally {
                key: text.clone(),
                count: 1,
            };
            report.by_platform.push(tally.clone());
            report.by_category.push(tally.clone());
            report.by_priority.push(tally.clone());
            report.self_serve.top_gaps.push(tally);
        }
        report.time_zone = SCRIPT.to_owned();
        report.date = BREAKOUT.to_owned();
        let html = render(&report);

        assert!(
            !html.contains(SCRIPT) && !html.contains("<script"),
            "{html}"
        );
        assert!(!html.contains(BREAKOUT) && !html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        // In the charts' names and tooltips too, not only in the tables.
        for kind in ["platform", "category", "priority", "sla"] {
            let svg = chart(&html, kind);
            assert!(
                svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{svg}"
            );
            assert!(
                svg.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
                "{svg}"
            );
        }
        assert_eq!(html.matches("<svg").count(), 5);
        // Only the markup this file writes.
        let allowed = [
            "!doctype",
            "html",
            "head",
            "meta",
            "title",
            "style",
            "body",
            "main",
            "h1",
            "h2",
            "h3",
            "section",
            "p",
            "div",
            "table",
            "thead",
            "tbody",
            "tr",
            "th",
            "td",
            "figure",
            "figcaption",
            "svg",
            "rect",
            "line",
            "text",
        ];
        for tag in tags(&html) {
            assert!(allowed.contains(&tag_name(tag)), "<{tag}>");
        }
        for tag in tags(&html).into_iter().skip(1) {
            for name in attribute_names(tag) {
                assert!(ATTRIBUTES.contains(&name), "{name} in <{tag}>");
            }
        }
    }

    #[test]
    fn an_empty_day_renders_every_chart_empty() {
        let html = render(&DailyReport::default());
        assert_eq!(html.matches("<svg").count(), 5);
        assert!(!html.contains("<rect"), "{html}");
        assert!(!html.contains("NaN") && !html.contains("inf"), "{html}");
        assert!(chart(&html, "per-hour").contains(">No cases received</text>"));
        for kind in ["platform", "category", "priority"] {
            assert!(chart(&html, kind).contains(">No cases</text>"), "{kind}");
        }
        let sla = chart(&html, "sla");
        assert!(sla.contains("aria-label=\"SLA compliance per priority: No cases to measure.\""));
        assert_holds(
            &html,
            &[
                "<p class=\"note\">No cases received.</p>",
                "<p class=\"note\">No breaches.</p>",
                "<p class=\"note\">No key tickets.</p>",
                "<p class=\"note\">No incidents.</p>",
                "<p class=\"note\">No ratings.</p>",
                "<tr><td>First response p50</td><td class=\"num\">—</td></tr>",
            ],
        );
    }

    #[test]
    fn all_zero_charts_are_empty_not_divided_by_zero() {
        let mut report = fixture();
        report.per_hour = vec![0; 24];
        for tally in &mut report.by_platform {
            tally.count = 0;
        }
        for row in &mut report.sla {
            row.cases = 0;
            row.compliance = None;
        }
        let html = render(&report);
        assert!(chart(&html, "per-hour").contains(">No cases received</text>"));
        assert!(!chart(&html, "per-hour").contains("<rect"));
        assert!(chart(&html, "platform").contains(">No cases</text>"));
        assert!(chart(&html, "sla").contains(">No cases to measure</text>"));
        assert!(chart(&html, "category").contains("<rect"));
        assert!(!html.contains("NaN") && !html.contains("inf"));
    }

    #[test]
    fn long_labels_are_shortened_in_the_chart_only() {
        assert_eq!(shorten("billing", 14), "billing");
        assert_eq!(shorten("ünïcödé-category-name", 8), "ünïcödé…");
        let mut report = fixture();
        report.by_category[0].key = "a very long category name".to_owned();
        let html = render(&report);
        let svg = chart(&html, "category");
        assert!(svg.contains(">a very long c…</text>"), "{svg}");
        assert!(
            svg.contains("<title>a very long category name: 5</title>"),
            "{svg}"
        );
    }
}
