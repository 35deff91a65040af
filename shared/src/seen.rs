//! What a reporter has not seen yet: which of their cases changed since they
//! last looked (a reply, a status change), for the badge on the launcher. The
//! widget keeps, per case, the `updated_at` it last showed.

use std::collections::BTreeMap;

/// Case id (as text: it is kept as a JSON object) → the `updated_at` the
/// reporter last saw.
pub type Seen = BTreeMap<String, String>;

/// The cases that changed since they were last seen. A case never seen at all
/// is not news when nothing was ever seen (a first visit, a new device): the
/// reporter has not missed anything they knew of.
/// `cases` are (id, `updated_at`) pairs.
pub fn unread<'a>(cases: impl IntoIterator<Item = (i64, &'a str)>, seen: &Seen) -> Vec<i64> {
    if seen.is_empty() {
        return Vec::new();
    }
    cases
        .into_iter()
        .filter(|(id, updated_at)| seen.get(&id.to_string()).is_none_or(|at| at != updated_at))
        .map(|(id, _)| id)
        .collect()
}

/// Marks `cases`, (id, `updated_at`) pairs, as seen as they are now.
pub fn mark_seen<'a>(seen: &mut Seen, cases: impl IntoIterator<Item = (i64, &'a str)>) {
    for (id, updated_at) in cases {
        seen.insert(id.to_string(), updated_at.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_or_new_case_is_unread_once_something_was_seen() {
        let before = [(1, "09:00"), (2, "09:05")];
        let mut seen = Seen::new();
        assert!(
            unread(before, &seen).is_empty(),
            "first visit: nothing is news"
        );
        mark_seen(&mut seen, before);
        assert!(unread(before, &seen).is_empty());
        let after = [(1, "09:00"), (2, "09:30"), (3, "09:31")];
        assert_eq!(unread(after, &seen), vec![2, 3]);
        mark_seen(&mut seen, [after[1]]);
        assert_eq!(unread(after, &seen), vec![3]);
    }
}
