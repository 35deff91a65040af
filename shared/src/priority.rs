//! How urgent a case is: the reporter's impact × urgency, looked up in a table,
//! then raised by strong signals in the text ("outage", "data loss"); and the
//! impact and urgency the text suggests when the reporter chose none. Every
//! table is data a lead can read and change here.

use serde::{Deserialize, Serialize};

/// How many people the problem touches, in the reporter's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Just me.
    Individual,
    /// My team.
    Team,
    /// Many users, or everyone on the platform.
    Organization,
}

/// How badly the reporter is held up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// I cannot work, no workaround.
    Blocked,
    /// Slowed down; a workaround exists.
    Degraded,
    /// A question or how-to.
    Question,
}

impl Impact {
    pub const ALL: [Impact; 3] = [Impact::Individual, Impact::Team, Impact::Organization];

    /// The wire name (`individual`, `team`, `organization`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Individual => "individual",
            Self::Team => "team",
            Self::Organization => "organization",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.as_str() == value)
    }
}

impl Urgency {
    pub const ALL: [Urgency; 3] = [Urgency::Blocked, Urgency::Degraded, Urgency::Question];

    /// The wire name (`blocked`, `degraded`, `question`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Blocked => "blocked",
            Self::Degraded => "degraded",
            Self::Question => "question",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.as_str() == value)
    }
}

/// P1 (platform down) to P4 (a question). Orders most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
pub enum Priority {
    P1,
    P2,
    P3,
    P4,
}

impl Priority {
    pub const ALL: [Priority; 4] = [Priority::P1, Priority::P2, Priority::P3, Priority::P4];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::P1 => "P1",
            Self::P2 => "P2",
            Self::P3 => "P3",
            Self::P4 => "P4",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(value))
    }
}

/// Impact × urgency → priority (the design's SLA table: one user blocked with no
/// workaround is P2; a platform down for many is P1).
pub const PRIORITY_MATRIX: [(Impact, Urgency, Priority); 9] = [
    (Impact::Organization, Urgency::Blocked, Priority::P1),
    (Impact::Organization, Urgency::Degraded, Priority::P2),
    (Impact::Organization, Urgency::Question, Priority::P3),
    (Impact::Team, Urgency::Blocked, Priority::P2),
    (Impact::Team, Urgency::Degraded, Priority::P3),
    (Impact::Team, Urgency::Question, Priority::P4),
    (Impact::Individual, Urgency::Blocked, Priority::P2),
    (Impact::Individual, Urgency::Degraded, Priority::P3),
    (Impact::Individual, Urgency::Question, Priority::P4),
];

/// Phrases that, found in the title or description, raise a case to at least
/// the given priority. Matched as whole words, ignoring case and spacing (see
/// [`mentions`]): "leak" is not found in "bleak".
///
/// Bare "everyone" is not a signal: "everyone else is fine" says the opposite.
/// The phrases name everyone as the ones affected, and "for everyone else"
/// does not count (see [`NEGATING_WORDS_AFTER`]).
pub const TEXT_SIGNALS: [(&str, Priority); 25] = [
    ("outage", Priority::P1),
    ("outages", Priority::P1),
    ("all users", Priority::P1),
    ("for everyone", Priority::P1),
    ("affects everyone", Priority::P1),
    ("everyone is affected", Priority::P1),
    ("everyone is blocked", Priority::P1),
    ("data loss", Priority::P1),
    ("security", Priority::P1),
    ("breach", Priority::P1),
    ("breached", Priority::P1),
    ("leak", Priority::P1),
    ("leaks", Priority::P1),
    ("leaked", Priority::P1),
    ("leaking", Priority::P1),
    ("platform down", Priority::P1),
    ("所有用户", Priority::P1),
    ("宕机", Priority::P1),
    ("数据丢失", Priority::P1),
    ("安全", Priority::P1),
    ("cannot log in", Priority::P2),
    ("can't log in", Priority::P2),
    ("locked out", Priority::P2),
    ("无法登录", Priority::P2),
    ("登录不了", Priority::P2),
];

/// A Latin-script phrase right after one of these words does not count: "no
/// outage", "not blocked", "isn't a security issue".
pub const NEGATING_WORDS_BEFORE: [&str; 7] =
    ["no", "not", "never", "isn't", "aren't", "wasn't", "weren't"];

/// A phrase right before one of these words does not count: "works for
/// everyone else" is about the others.
pub const NEGATING_WORDS_AFTER: [&str; 1] = ["else"];

/// Phrases that suggest how many people a problem touches, when the reporter
/// left impact unchosen. The widest impact found wins.
pub const IMPACT_SIGNALS: [(&str, Impact); 8] = [
    ("my team", Impact::Team),
    ("our team", Impact::Team),
    ("whole team", Impact::Team),
    ("entire team", Impact::Team),
    ("整个团队", Impact::Team),
    ("我们团队", Impact::Team),
    ("all users", Impact::Organization),
    ("所有用户", Impact::Organization),
];

/// Phrases that suggest how badly the reporter is held up, when urgency was
/// left unchosen. The most urgent found wins.
pub const URGENCY_SIGNALS: [(&str, Urgency); 7] = [
    ("blocked", Urgency::Blocked),
    ("cannot work", Urgency::Blocked),
    ("can't work", Urgency::Blocked),
    ("unable to work", Urgency::Blocked),
    ("无法工作", Urgency::Blocked),
    ("不能工作", Urgency::Blocked),
    ("阻塞", Urgency::Blocked),
];

/// Text as the signal tables are matched against: lowercase, every run of
/// white space one space, and a typographic apostrophe (`can’t`, as phones
/// type it) the ASCII one.
fn normalise(text: &str) -> String {
    // ASCII folding is enough: the signal tables are English (ASCII) and
    // Chinese (no case), and the widget, which runs this on every keystroke,
    // does not carry the Unicode case tables for it. Written as one pass over
    // the characters for the same reason (no splitting and joining).
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else if c == '\u{2019}' {
            out.push('\'');
        } else {
            out.push(c.to_ascii_lowercase());
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// A letter or digit of a Latin-script word: where such a character meets the
/// phrase, the phrase is part of a longer word. Chinese has no spaces between
/// words, so next to anything else (a CJK character too) a phrase stands alone.
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Whether normalised `text` mentions `phrase` (normalised too) as whole words
/// and not negated by the word before or after it. Compared as bytes: UTF-8
/// never matches part of a character with a whole one, and the word tests look
/// at ASCII only.
fn mentions(text: &str, phrase: &str) -> bool {
    let (text, phrase) = (text.as_bytes(), phrase.as_bytes());
    let (Some(&first), Some(&last)) = (phrase.first(), phrase.last()) else {
        return false;
    };
    let negating = |word: &[u8], words: &[&str]| words.iter().any(|w| w.as_bytes() == word);
    (0..=text.len().saturating_sub(phrase.len()))
        .filter(|&at| text[at..].starts_with(phrase))
        .any(|at| {
            let (before, after) = (&text[..at], &text[at + phrase.len()..]);
            let starts_word =
                !is_word_byte(first) || !before.last().is_some_and(|b| is_word_byte(*b));
            let ends_word = !is_word_byte(last) || !after.first().is_some_and(|b| is_word_byte(*b));
            let before = before.strip_suffix(b" ").unwrap_or(before);
            let word_before = before.rsplit(|b| *b == b' ').next().unwrap_or_default();
            let after = after.strip_prefix(b" ").unwrap_or(after);
            let word_after = after.split(|b| *b == b' ').next().unwrap_or_default();
            let kept = word_after
                .iter()
                .rposition(|b| is_word_byte(*b))
                .map_or(0, |i| i + 1);
            starts_word
                && ends_word
                && !(is_word_byte(first) && negating(word_before, &NEGATING_WORDS_BEFORE))
                && !negating(&word_after[..kept], &NEGATING_WORDS_AFTER)
        })
}

/// The values of the signals in `table` that `text` (normalised) mentions.
fn found<'t, T: Copy>(text: &'t str, table: &'t [(&str, T)]) -> impl Iterator<Item = T> + 't {
    table
        .iter()
        .filter(move |(phrase, _)| mentions(text, phrase))
        .map(|(_, value)| *value)
}

/// The priority of a case from what the reporter chose and what they wrote.
pub fn priority_for(impact: Impact, urgency: Urgency, text: &str) -> Priority {
    let from_matrix = PRIORITY_MATRIX
        .iter()
        .find(|(i, u, _)| *i == impact && *u == urgency)
        .map_or(Priority::P3, |(_, _, p)| *p);
    found(&normalise(text), &TEXT_SIGNALS).fold(from_matrix, Ord::min)
}

/// Impact and urgency as the text suggests them; `None` where it says nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SuggestedChoices {
    pub impact: Option<Impact>,
    pub urgency: Option<Urgency>,
}

/// What impact and urgency the text suggests, for a reporter who chose none:
/// "our whole team is blocked" is a team blocked. The widget shows it before
/// sending; intake uses it for a value left unchosen.
pub fn suggest_choices(text: &str) -> SuggestedChoices {
    let text = normalise(text);
    SuggestedChoices {
        impact: found(&text, &IMPACT_SIGNALS).max_by_key(|i| impact_width(*i)),
        urgency: found(&text, &URGENCY_SIGNALS).min_by_key(|u| urgency_rank(*u)),
    }
}

fn impact_width(impact: Impact) -> u8 {
    match impact {
        Impact::Individual => 0,
        Impact::Team => 1,
        Impact::Organization => 2,
    }
}

fn urgency_rank(urgency: Urgency) -> u8 {
    match urgency {
        Urgency::Blocked => 0,
        Urgency::Degraded => 1,
        Urgency::Question => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each text, as a P3 description, ends at its priority.
    fn assert_raised(cases: &[(&str, Priority)]) {
        for &(text, expected) in cases {
            assert_eq!(p3_unless_raised(text), expected, "{text:?}");
        }
    }

    /// Each `(impact, urgency, text)` gets its priority.
    fn assert_priorities(cases: &[(Impact, Urgency, &str, Priority)]) {
        for &(impact, urgency, text, expected) in cases {
            assert_eq!(
                priority_for(impact, urgency, text),
                expected,
                "{impact:?} × {urgency:?}, {text:?}"
            );
        }
    }

    #[test]
    fn one_user_blocked_without_workaround_is_p2() {
        assert_priorities(&[(
            Impact::Individual,
            Urgency::Blocked,
            "cannot export",
            Priority::P2,
        )]);
    }

    #[test]
    fn many_users_blocked_is_p1_and_a_question_is_p4() {
        assert_priorities(&[
            (Impact::Organization, Urgency::Blocked, "", Priority::P1),
            (
                Impact::Individual,
                Urgency::Question,
                "how do I",
                Priority::P4,
            ),
        ]);
    }

    #[test]
    fn strong_signals_raise_but_never_lower() {
        assert_priorities(&[
            (
                Impact::Individual,
                Urgency::Question,
                "Possible DATA LOSS in exports",
                Priority::P1,
            ),
            (Impact::Team, Urgency::Degraded, "我无法登录", Priority::P2),
            (
                Impact::Organization,
                Urgency::Blocked,
                "locked out",
                Priority::P1,
            ),
        ]);
    }

    #[test]
    fn every_impact_and_urgency_pair_is_in_the_matrix() {
        for i in [Impact::Individual, Impact::Team, Impact::Organization] {
            for u in [Urgency::Blocked, Urgency::Degraded, Urgency::Question] {
                assert_eq!(
                    PRIORITY_MATRIX
                        .iter()
                        .filter(|(a, b, _)| *a == i && *b == u)
                        .count(),
                    1
                );
            }
        }
    }

    #[test]
    fn priority_parses_its_own_names() {
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.as_str()), Some(p));
        }
        assert_eq!(Priority::parse("P5"), None);
    }

    #[test]
    fn impact_and_urgency_names_are_the_wire_names() {
        for impact in Impact::ALL {
            let wire = serde_json::to_value(impact).unwrap();
            assert_eq!(wire, impact.as_str());
            assert_eq!(Impact::parse(impact.as_str()), Some(impact));
        }
        for urgency in Urgency::ALL {
            let wire = serde_json::to_value(urgency).unwrap();
            assert_eq!(wire, urgency.as_str());
            assert_eq!(Urgency::parse(urgency.as_str()), Some(urgency));
        }
        assert_eq!(Impact::parse("everyone"), None);
    }

    fn p3_unless_raised(text: &str) -> Priority {
        priority_for(Impact::Individual, Urgency::Degraded, text)
    }

    #[test]
    fn a_signal_raises_only_as_meant() {
        assert_raised(&[
            // Whole words: "leak" is not in "bleak".
            ("A bleak outlook for exports", Priority::P3),
            ("Insecurityblanket theme", Priority::P3),
            ("Memory LEAK!", Priority::P1),
            // "everyone else is fine" is not a P1.
            ("Export fails for me, everyone else is fine", Priority::P3),
            ("It works for everyone else.", Priority::P3),
            ("Export is broken for everyone.", Priority::P1),
            // A negated signal does not raise.
            ("No outage, but I can't log in", Priority::P2),
            ("No security impact, just a typo", Priority::P3),
            // Across line breaks and typographic apostrophes.
            ("possible data\nloss", Priority::P1),
            ("I can\u{2019}t log in", Priority::P2),
            // Chinese signals match as phrases inside a sentence.
            ("系统宕机了", Priority::P1),
            ("所有用户都无法登录", Priority::P1),
            ("出现leak", Priority::P1),
            ("导出很慢", Priority::P3),
        ]);
    }

    #[test]
    fn a_whole_team_blocked_suggests_team_and_blocked() {
        assert_eq!(
            suggest_choices("Export fails since this morning, our whole team is blocked"),
            SuggestedChoices {
                impact: Some(Impact::Team),
                urgency: Some(Urgency::Blocked),
            }
        );
        assert_eq!(
            suggest_choices("整个团队无法工作"),
            SuggestedChoices {
                impact: Some(Impact::Team),
                urgency: Some(Urgency::Blocked),
            }
        );
        assert_eq!(
            suggest_choices("My team can't work; 导出阻塞").urgency,
            Some(Urgency::Blocked)
        );
    }

    #[test]
    fn text_that_says_nothing_suggests_nothing() {
        assert_eq!(
            suggest_choices("Export is slow, the teammate said we are not blocked"),
            SuggestedChoices::default()
        );
        assert_eq!(
            suggest_choices("Blocked pop-ups for all users").impact,
            Some(Impact::Organization)
        );
    }
}
