//! What the specialists' console shows, as rules over the API's data: which
//! of the queue's views a case belongs to, what its filters ask the API for,
//! what SOP assist searches for, how near a case's next deadline is (the colour of its countdown), and how
//! a countdown reads.

use crate::api::{CaseSummary, QueueCounts};
use crate::clock::{parse_iso, EpochMillis};
use crate::lifecycle::CaseStatus;
use crate::limits::PAGE_SIZE_MAX;
use crate::priority::Priority;

/// A deadline this close is "breaching soon".
pub const SOON_MS: i64 = 30 * 60_000;

/// The queue's views, in the order the console lists them. Each asks the
/// API for itself (`view=`), so a view lists its own most urgent cases, not
/// its share of everyone's first page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum QueueView {
    #[default]
    AllOpen,
    Unassigned,
    Mine,
    BreachingSoon,
    Escalated,
    WaitingOnUser,
}

/// What a view holds, as one condition on an open case: the Worker renders
/// it as SQL for the view's page and its count (`backend/src/queue/store.rs`),
/// and [`ViewCondition::holds`] reads it for one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewCondition {
    /// Every open case the filters let through.
    Open,
    /// Nobody holds it.
    Unassigned,
    /// The caller holds it.
    HeldByCaller,
    /// Its next deadline is at most this far away, or already missed.
    DueWithin(i64),
    /// It is in this status.
    Status(CaseStatus),
}

impl QueueView {
    pub const ALL: [QueueView; 6] = [
        QueueView::AllOpen,
        QueueView::Unassigned,
        QueueView::Mine,
        QueueView::BreachingSoon,
        QueueView::Escalated,
        QueueView::WaitingOnUser,
    ];

    pub fn label(self) -> &'static str {
        match self {
            QueueView::AllOpen => "All open",
            QueueView::Unassigned => "Unassigned",
            QueueView::Mine => "Mine",
            QueueView::BreachingSoon => "Breaching soon",
            QueueView::Escalated => "Escalated",
            QueueView::WaitingOnUser => "Waiting on user",
        }
    }

    /// The view's name in `GET /v1/queue?view=` (and its count's in `counts`).
    pub fn as_str(self) -> &'static str {
        match self {
            QueueView::AllOpen => "all_open",
            QueueView::Unassigned => "unassigned",
            QueueView::Mine => "mine",
            QueueView::BreachingSoon => "breaching_soon",
            QueueView::Escalated => "escalated",
            QueueView::WaitingOnUser => "waiting_on_user",
        }
    }

    pub fn parse(value: &str) -> Option<QueueView> {
        QueueView::ALL.into_iter().find(|v| v.as_str() == value)
    }

    /// What this view holds.
    pub fn condition(self) -> ViewCondition {
        match self {
            QueueView::AllOpen => ViewCondition::Open,
            QueueView::Unassigned => ViewCondition::Unassigned,
            QueueView::Mine => ViewCondition::HeldByCaller,
            QueueView::BreachingSoon => ViewCondition::DueWithin(SOON_MS),
            QueueView::Escalated => ViewCondition::Status(CaseStatus::Escalated),
            QueueView::WaitingOnUser => ViewCondition::Status(CaseStatus::WaitingOnUser),
        }
    }

    /// How many cases this view holds in all, as the Worker counted them.
    pub fn counted(self, counts: &QueueCounts) -> i64 {
        match self {
            QueueView::AllOpen => counts.all_open,
            QueueView::Unassigned => counts.unassigned,
            QueueView::Mine => counts.mine,
            QueueView::BreachingSoon => counts.breaching_soon,
            QueueView::Escalated => counts.escalated,
            QueueView::WaitingOnUser => counts.waiting_on_user,
        }
    }
}

impl ViewCondition {
    /// Whether open `case` meets the condition for specialist `me` at `now`.
    pub fn holds(self, case: &CaseSummary, me: i64, now: EpochMillis) -> bool {
        case.status.is_open()
            && match self {
                ViewCondition::Open => true,
                ViewCondition::Unassigned => case.assignee.is_none(),
                ViewCondition::HeldByCaller => case.assignee.as_ref().is_some_and(|a| a.id == me),
                ViewCondition::DueWithin(ms) => case
                    .next_due
                    .as_deref()
                    .and_then(parse_iso)
                    .is_some_and(|due| due <= now + ms),
                ViewCondition::Status(status) => case.status == status,
            }
    }
}

/// What the console asks the queue for: a view, narrowed by a platform, a
/// priority, an open status — each or none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueFilters {
    pub view: QueueView,
    /// A platform slug, as the cases carry it.
    pub platform: Option<String>,
    pub priority: Option<Priority>,
    pub status: Option<CaseStatus>,
}

impl QueueFilters {
    /// The statuses the status filter offers: the open ones.
    pub fn statuses() -> impl Iterator<Item = CaseStatus> {
        CaseStatus::ALL.into_iter().filter(|s| s.is_open())
    }

    /// `GET /v1/queue` for the view with these filters, a whole page of cases.
    pub fn path(&self) -> String {
        let mut path = format!("/v1/queue?limit={PAGE_SIZE_MAX}");
        if self.view != QueueView::AllOpen {
            path.push_str(&format!("&view={}", self.view.as_str()));
        }
        // A slug, a priority and a status need no escaping in a query.
        if let Some(platform) = &self.platform {
            path.push_str(&format!("&platform={platform}"));
        }
        if let Some(priority) = self.priority {
            path.push_str(&format!("&priority={}", priority.as_str()));
        }
        if let Some(status) = self.status {
            path.push_str(&format!("&status={}", status.as_str()));
        }
        path
    }
}

/// Characters of a case that SOP assist searches the articles with: its
/// title and the start of its description, where people say what is wrong.
pub const ASSIST_QUERY_MAX_CHARS: usize = 300;

/// What SOP assist searches the SOPs for to help with a case.
pub fn assist_query(title: &str, description: &str) -> String {
    let mut query = format!("{title} {description}");
    if let Some((cut, _)) = query.char_indices().nth(ASSIST_QUERY_MAX_CHARS) {
        query.truncate(cut);
    }
    query
}

/// How near a case's next deadline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// No deadline runs: the case waits on the user, or every target is met.
    Paused,
    /// Due in more than [`SOON_MS`].
    Later { in_ms: i64 },
    /// Due within [`SOON_MS`].
    Soon { in_ms: i64 },
    /// Missed this long ago.
    Breached { ago_ms: i64 },
}

impl Deadline {
    /// The class the console colours a countdown by.
    pub fn class(self) -> &'static str {
        match self {
            Deadline::Paused => "due-paused",
            Deadline::Later { .. } => "due-later",
            Deadline::Soon { .. } => "due-soon",
            Deadline::Breached { .. } => "due-breached",
        }
    }

    /// The countdown as words: `in 1 h 05 min`, `in 4 min`, `12 min late`.
    pub fn words(self) -> String {
        match self {
            Deadline::Paused => "paused".into(),
            Deadline::Later { in_ms } | Deadline::Soon { in_ms } => format!("in {}", span(in_ms)),
            Deadline::Breached { ago_ms } => format!("{} late", span(ago_ms)),
        }
    }
}

/// The deadline `next_due` (RFC 3339, as the queue sends it) at `now`.
pub fn deadline(next_due: Option<&str>, now: EpochMillis) -> Deadline {
    match next_due.and_then(parse_iso) {
        None => Deadline::Paused,
        Some(due) if due < now => Deadline::Breached { ago_ms: now - due },
        Some(due) if due - now <= SOON_MS => Deadline::Soon { in_ms: due - now },
        Some(due) => Deadline::Later { in_ms: due - now },
    }
}

/// A span to the minute: `4 min`, `1 h 05 min`, `2 d 3 h`.
fn span(ms: i64) -> String {
    let minutes = ms / 60_000;
    match minutes {
        m if m < 60 => format!("{m} min"),
        m if m < 24 * 60 => format!("{} h {:02} min", m / 60, m % 60),
        m => format!("{} d {} h", m / (24 * 60), m % (24 * 60) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::SpecialistSummary;
    use crate::clock::iso;
    use crate::lifecycle::Role;

    const NOW: EpochMillis = 1_800_000_000_000;

    fn case(status: CaseStatus, holder: Option<i64>, due_in_ms: Option<i64>) -> CaseSummary {
        CaseSummary {
            id: 1,
            reference: "HL-1001".into(),
            title: "Export fails".into(),
            platform: "ads-console".into(),
            category: None,
            priority: Priority::P2,
            status,
            reporter_id: "u-1".into(),
            reporter_name: None,
            assignee: holder.map(|id| SpecialistSummary {
                id,
                name: "Sam".into(),
                role: Role::Specialist,
            }),
            next_due: due_in_ms.map(|ms| iso(NOW + ms)),
            created_at: iso(NOW),
            updated_at: iso(NOW),
        }
    }

    #[test]
    fn views_hold_the_cases_their_names_say() {
        let cases = [
            case(CaseStatus::Queued, None, Some(2 * 3_600_000)),
            case(CaseStatus::InProgress, Some(7), Some(10 * 60_000)),
            case(CaseStatus::WaitingOnUser, Some(8), None),
            case(CaseStatus::Escalated, Some(7), Some(-60_000)),
        ];
        let counts: Vec<_> = QueueView::ALL
            .iter()
            .map(|view| {
                let held = cases.iter().filter(|c| view.condition().holds(c, 7, NOW));
                (view.label(), held.count())
            })
            .collect();
        assert_eq!(
            counts,
            [
                ("All open", 4),
                ("Unassigned", 1),
                ("Mine", 2),
                ("Breaching soon", 2),
                ("Escalated", 1),
                ("Waiting on user", 1),
            ]
        );
    }

    #[test]
    fn each_view_reads_its_own_count() {
        let counts = QueueCounts {
            all_open: 1,
            unassigned: 2,
            mine: 3,
            breaching_soon: 4,
            escalated: 5,
            waiting_on_user: 6,
        };
        let read: Vec<i64> = QueueView::ALL.iter().map(|v| v.counted(&counts)).collect();
        assert_eq!(read, [1, 2, 3, 4, 5, 6]);
        // The names a view is asked for by are its count's names in the answer.
        let names = serde_json::to_value(counts).unwrap();
        for view in QueueView::ALL {
            assert_eq!(names[view.as_str()], view.counted(&counts), "{view:?}");
            assert_eq!(QueueView::parse(view.as_str()), Some(view));
        }
        assert_eq!(QueueView::parse("All open"), None);
    }

    #[test]
    fn filters_ask_the_api_for_what_they_name() {
        use crate::queue::{parse_filter, AssigneeFilter};
        assert_eq!(QueueFilters::default().path(), "/v1/queue?limit=100");
        let filters = QueueFilters {
            view: QueueView::Mine,
            platform: Some("ads-console".into()),
            priority: Some(Priority::P1),
            status: Some(CaseStatus::WaitingOnUser),
        };
        let path = filters.path();
        let query = path.split_once('?').unwrap().1;
        let asked = parse_filter(query.split('&').filter_map(|p| p.split_once('=')), 7).unwrap();
        assert_eq!(asked.view, QueueView::Mine);
        assert_eq!(asked.platform.as_deref(), Some("ads-console"));
        assert_eq!(asked.priority, Some(Priority::P1));
        assert_eq!(asked.statuses, vec![CaseStatus::WaitingOnUser]);
        assert_eq!((asked.limit, asked.assignee), (100, AssigneeFilter::Anyone));
        assert!(QueueFilters::statuses().all(|s| s.is_open()));
        assert_eq!(QueueFilters::statuses().count(), 4);
    }

    #[test]
    fn sop_assist_searches_with_the_title_and_the_start_of_the_description() {
        assert_eq!(
            assist_query("Export fails", "since 9"),
            "Export fails since 9"
        );
        let long = assist_query("预算", &"无法保存".repeat(200));
        assert_eq!(long.chars().count(), ASSIST_QUERY_MAX_CHARS);
        assert!(long.starts_with("预算 无法保存"));
    }

    #[test]
    fn a_deadline_turns_soon_within_half_an_hour_and_breached_once_missed() {
        let at = |ms: i64| deadline(Some(&iso(NOW + ms)), NOW);
        assert_eq!(at(SOON_MS + 60_000).class(), "due-later");
        assert_eq!(at(SOON_MS).class(), "due-soon");
        assert_eq!(at(-1).class(), "due-breached");
        assert_eq!(deadline(None, NOW), Deadline::Paused);
        assert_eq!(deadline(Some("not a time"), NOW), Deadline::Paused);
    }

    #[test]
    fn countdowns_read_in_minutes_hours_and_days() {
        let at = |ms: i64| deadline(Some(&iso(NOW + ms)), NOW).words();
        assert_eq!(at(4 * 60_000), "in 4 min");
        assert_eq!(at(65 * 60_000), "in 1 h 05 min");
        assert_eq!(at(-12 * 60_000), "12 min late");
        assert_eq!(at(51 * 3_600_000), "in 2 d 3 h");
        assert_eq!(deadline(None, NOW).words(), "paused");
    }
}
