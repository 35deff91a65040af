//! Who else has a case open in the console, and whether they are writing to
//! it: so two specialists do not answer the same reporter at once.
//!
//! Each open case workspace beats (`POST /v1/cases/{id}/presence`) every time
//! the console polls; a beat says whether its specialist typed in the reply or
//! note box within the last [`TYPING_MS`]. A specialist counts as present while their last beat is
//! younger than [`PRESENCE_TTL_MS`], so closing the tab, losing the network or
//! signing out ends it without a goodbye.
//!
//! Why beats in D1 rather than a Durable Object holding WebSockets: the
//! console already asks every 2 seconds whether the queue and the open case
//! changed, so a beat rides the same rhythm with no second connection to keep
//! alive through proxies and sleeping laptops, and a row per case and
//! specialist that lives 10 seconds is nothing for D1. Pushed updates
//! would show typing a second or two sooner; if that ever matters, a case's
//! Durable Object can take over this module's rules unchanged.

use crate::api::PresentSpecialist;
use crate::clock::EpochMillis;

/// How long one beat keeps its specialist present: a few of the console's
/// 2-second polls, so one slow or lost beat does not make them flicker out.
pub const PRESENCE_TTL_MS: EpochMillis = 10_000;

/// How long after their last keystroke in the reply or note box a specialist
/// still counts as typing: a pause to think is not leaving.
pub const TYPING_MS: EpochMillis = 5_000;

/// Whether a specialist whose last keystroke was at `last_input` (if ever)
/// is typing at `now`.
pub fn typing(last_input: Option<EpochMillis>, now: EpochMillis) -> bool {
    last_input.is_some_and(|at| now - at < TYPING_MS)
}

/// One specialist's last beat on a case, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Beat {
    pub specialist_id: i64,
    pub name: String,
    pub typing: bool,
    pub at: EpochMillis,
}

/// Whether a beat made at `at` still counts at `now`.
pub fn fresh(at: EpochMillis, now: EpochMillis) -> bool {
    now - at < PRESENCE_TTL_MS
}

/// Before when a beat no longer counts at `now` (stored beats older than this
/// can go).
pub fn stale_before(now: EpochMillis) -> EpochMillis {
    now - PRESENCE_TTL_MS
}

/// The others present on a case at `now`, as the console shows them to
/// specialist `me`: those typing first, then by name.
pub fn others(beats: Vec<Beat>, me: i64, now: EpochMillis) -> Vec<PresentSpecialist> {
    let mut present: Vec<PresentSpecialist> = beats
        .into_iter()
        .filter(|b| b.specialist_id != me && fresh(b.at, now))
        .map(|b| PresentSpecialist {
            id: b.specialist_id,
            name: b.name,
            typing: b.typing,
        })
        .collect();
    present.sort_by(|a, b| b.typing.cmp(&a.typing).then_with(|| a.name.cmp(&b.name)));
    present
}

/// What the case header says of them ("Ana is typing · Bo is viewing").
pub fn describe(present: &[PresentSpecialist]) -> String {
    present
        .iter()
        .map(|v| {
            let doing = if v.typing { "is typing" } else { "is viewing" };
            format!("{} {doing}", v.name)
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beat(id: i64, name: &str, typing: bool, at: EpochMillis) -> Beat {
        Beat {
            specialist_id: id,
            name: name.into(),
            typing,
            at,
        }
    }

    #[test]
    fn others_are_the_fresh_beats_but_mine_typing_first() {
        let now = 100_000;
        let beats = vec![
            beat(1, "Me", true, now),
            beat(2, "Zoe", false, now - 1_000),
            beat(3, "Ana", false, now - 9_999),
            beat(4, "Bo", true, now - 2_000),
            beat(5, "Gone", true, now - PRESENCE_TTL_MS),
        ];
        let names: Vec<(String, bool)> = others(beats, 1, now)
            .into_iter()
            .map(|v| (v.name, v.typing))
            .collect();
        assert_eq!(
            names,
            [
                ("Bo".to_string(), true),
                ("Ana".to_string(), false),
                ("Zoe".to_string(), false)
            ]
        );
    }

    #[test]
    fn a_pause_to_think_is_still_typing() {
        assert!(!typing(None, 1_000));
        assert!(typing(Some(1_000), 1_000 + TYPING_MS - 1));
        assert!(!typing(Some(1_000), 1_000 + TYPING_MS));
    }

    #[test]
    fn a_beat_counts_until_its_time_is_up() {
        assert!(fresh(0, PRESENCE_TTL_MS - 1));
        assert!(!fresh(0, PRESENCE_TTL_MS));
        assert_eq!(stale_before(PRESENCE_TTL_MS + 5), 5);
    }

    #[test]
    fn the_header_names_each_and_what_they_do() {
        let present = others(vec![beat(2, "Ana", true, 0), beat(3, "Bo", false, 0)], 1, 1);
        assert_eq!(describe(&present), "Ana is typing · Bo is viewing");
        assert_eq!(describe(&[]), "");
    }
}
