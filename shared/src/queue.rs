//! The specialists' queue: which cases a filter selects, in what order, and the
//! cursor that pages through them. Order is SLA urgency: the case whose next
//! deadline comes first is first; cases with no running clock (waiting on the
//! user, or all targets met) come last, oldest first.

use crate::case::slug;
use crate::clock::EpochMillis;
use crate::lifecycle::CaseStatus;
use crate::limits::{FILTER_LIST_MAX_ITEMS, PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX};
use crate::priority::Priority;
use crate::workspace::QueueView;
use crate::ValidationError;

/// The rank stored for a case with no running deadline; sorts after all times
/// and stays exact as a JavaScript number (below 2^53).
pub const NO_DEADLINE_RANK: EpochMillis = 9_000_000_000_000_000;

/// A case's place in the queue from its next SLA deadline.
pub fn queue_rank(next_due: Option<EpochMillis>) -> EpochMillis {
    next_due.unwrap_or(NO_DEADLINE_RANK)
}

/// Whose cases a queue view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    Anyone,
    Unassigned,
    Specialist(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueFilter {
    pub platform: Option<String>,
    pub priority: Option<Priority>,
    /// Empty means every open status.
    pub statuses: Vec<CaseStatus>,
    pub assignee: AssigneeFilter,
    /// The console's view the page is for (`AllOpen`: no further condition).
    pub view: QueueView,
    pub limit: usize,
    pub after: Option<QueueCursor>,
}

/// Where the previous page ended: its last case's rank and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueCursor {
    pub rank: EpochMillis,
    pub id: i64,
}

impl QueueCursor {
    pub fn encode(&self) -> String {
        format!("{}.{}", self.rank, self.id)
    }

    pub fn decode(value: &str) -> Option<Self> {
        let (rank, id) = value.split_once('.')?;
        Some(QueueCursor {
            rank: rank.parse().ok()?,
            id: id.parse().ok()?,
        })
    }
}

/// A page's `limit` parameter: how many cases a page holds.
pub fn page_size(value: &str) -> Result<usize, ValidationError> {
    value
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=PAGE_SIZE_MAX).contains(n))
        .ok_or(ValidationError::Invalid {
            field: "limit",
            reason: "use a number from 1 to 100",
        })
}

/// Reads a queue filter from query parameters; `me` is the caller's id (for
/// `assignee=me`). Unknown parameters are ignored; bad values name their field.
pub fn parse_filter<'a>(
    params: impl IntoIterator<Item = (&'a str, &'a str)>,
    me: i64,
) -> Result<QueueFilter, ValidationError> {
    let mut filter = QueueFilter {
        platform: None,
        priority: None,
        statuses: Vec::new(),
        assignee: AssigneeFilter::Anyone,
        view: QueueView::AllOpen,
        limit: PAGE_SIZE_DEFAULT,
        after: None,
    };
    let mut status_items = 0;
    for (key, value) in params {
        match key {
            "platform" => filter.platform = Some(slug("platform", value)?),
            "priority" => {
                filter.priority = Some(Priority::parse(value).ok_or(ValidationError::Invalid {
                    field: "priority",
                    reason: "use P1, P2, P3 or P4",
                })?)
            }
            "status" => {
                for part in value.split(',').filter(|p| !p.is_empty()) {
                    status_items += 1;
                    if status_items > FILTER_LIST_MAX_ITEMS {
                        return Err(ValidationError::Invalid {
                            field: "status",
                            reason: "name at most 12 statuses",
                        });
                    }
                    let status = CaseStatus::parse(part).ok_or(ValidationError::Invalid {
                        field: "status",
                        reason: "use queued, in_progress, waiting_on_user, escalated, resolved or closed",
                    })?;
                    // A set: a status named twice is asked for once.
                    if !filter.statuses.contains(&status) {
                        filter.statuses.push(status);
                    }
                }
            }
            "assignee" => {
                filter.assignee = match value {
                    "me" => AssigneeFilter::Specialist(me),
                    "none" => AssigneeFilter::Unassigned,
                    id => AssigneeFilter::Specialist(id.parse().map_err(|_| {
                        ValidationError::Invalid {
                            field: "assignee",
                            reason: "use me, none or a specialist id",
                        }
                    })?),
                }
            }
            "view" => filter.view = QueueView::parse(value).ok_or(ValidationError::Invalid {
                field: "view",
                reason:
                    "use all_open, unassigned, mine, breaching_soon, escalated or waiting_on_user",
            })?,
            "limit" => filter.limit = page_size(value)?,
            "cursor" => {
                filter.after = Some(QueueCursor::decode(value).ok_or(ValidationError::Invalid {
                    field: "cursor",
                    reason: "pass the next_cursor of a previous page",
                })?)
            }
            _ => {}
        }
    }
    if filter.statuses.is_empty() {
        filter.statuses = CaseStatus::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .collect();
    }
    Ok(filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_queue_is_every_open_status_fifty_at_a_time() {
        let f = parse_filter([], 1).unwrap();
        assert_eq!(f.statuses.len(), 4);
        assert!(f.statuses.iter().all(|s| s.is_open()));
        assert_eq!((f.limit, f.assignee), (50, AssigneeFilter::Anyone));
        assert_eq!(f.view, QueueView::AllOpen);
    }

    #[test]
    fn filters_parse_and_bad_values_name_their_field() {
        let f = parse_filter(
            [
                ("platform", "ads-console"),
                ("priority", "p1"),
                ("status", "queued,escalated"),
                ("assignee", "me"),
                ("view", "breaching_soon"),
                ("limit", "10"),
            ],
            7,
        )
        .unwrap();
        assert_eq!(f.view, QueueView::BreachingSoon);
        assert_eq!(f.priority, Some(Priority::P1));
        assert_eq!(f.statuses, vec![CaseStatus::Queued, CaseStatus::Escalated]);
        assert_eq!(f.assignee, AssigneeFilter::Specialist(7));
        for (key, value) in [
            ("priority", "P9"),
            ("status", "lost"),
            ("limit", "0"),
            ("limit", "500"),
            ("cursor", "x"),
            ("assignee", "bob"),
            ("view", "Mine"),
        ] {
            assert_eq!(parse_filter([(key, value)], 1).unwrap_err().field(), key);
        }
    }

    #[test]
    fn a_status_named_twice_is_one_status() {
        let f = parse_filter([("status", "queued,queued"), ("status", "queued")], 1).unwrap();
        assert_eq!(f.statuses, vec![CaseStatus::Queued]);
    }

    #[test]
    fn a_status_list_past_the_cap_names_its_field() {
        let at_cap = ["queued"; FILTER_LIST_MAX_ITEMS].join(",");
        assert_eq!(
            parse_filter([("status", at_cap.as_str())], 1)
                .unwrap()
                .statuses,
            vec![CaseStatus::Queued]
        );
        let long = vec!["queued"; 300].join(",");
        assert_eq!(
            parse_filter([("status", long.as_str())], 1)
                .unwrap_err()
                .field(),
            "status"
        );
        // Split over repeated parameters, the same cap holds.
        let half = ["queued"; 7].join(",");
        let err = parse_filter([("status", half.as_str()), ("status", half.as_str())], 1);
        assert_eq!(err.unwrap_err().field(), "status");
    }

    #[test]
    fn cursors_round_trip() {
        let c = QueueCursor {
            rank: NO_DEADLINE_RANK,
            id: 42,
        };
        assert_eq!(QueueCursor::decode(&c.encode()), Some(c));
    }

    #[test]
    fn cases_without_a_running_deadline_rank_last() {
        assert!(queue_rank(Some(1_795_600_000_000)) < queue_rank(None));
    }
}
