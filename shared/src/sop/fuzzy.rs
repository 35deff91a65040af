//! Typo tolerance: which vocabulary terms are within a small edit distance of a
//! typed word. Runs per keystroke, so it is built to reject cheaply: candidates are
//! taken only from the length buckets that can match, a 32-bit letter mask throws
//! out most of those in one instruction, and only the survivors pay for a bounded
//! Damerau–Levenshtein (optimal string alignment) computation.

use super::tokens::MAX_WORD_CHARS;

/// How many typos a word of `chars` characters may carry and still match: none for
/// short words (where one edit makes another real word), one from 5 characters,
/// two from 9.
pub(crate) fn allowed_typos(chars: usize) -> u8 {
    match chars {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// A set of the letters in `s`, one bit each (digits share four bits, everything
/// else two). One edit changes at most two bits (a substitution), so terms whose
/// masks differ in more than `2 × typos` bits cannot match.
pub(crate) fn letter_mask(s: &str) -> u32 {
    s.chars().fold(0, |mask, c| {
        let bit = match c {
            'a'..='z' => c as u32 - 'a' as u32,
            '0'..='9' => 26 + (c as u32 - '0' as u32) % 4,
            _ => 30 + (c as u32 & 1),
        };
        mask | (1 << bit)
    })
}

/// Whether two masks allow a match within `typos` edits.
pub(crate) fn masks_compatible(a: u32, b: u32, typos: u8) -> bool {
    (a ^ b).count_ones() <= 2 * u32::from(typos)
}

/// The optimal-string-alignment distance between `a` and `b` if it is at most
/// `max`, else `None`. Transpositions count as one edit ("dashbaord"), which is the
/// commonest typing slip. Both inputs are at most [`MAX_WORD_CHARS`] long.
pub(crate) fn bounded_distance(a: &[char], b: &[char], max: u8) -> Option<u8> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > usize::from(max) || n > MAX_WORD_CHARS || m > MAX_WORD_CHARS {
        return None;
    }
    const W: usize = MAX_WORD_CHARS + 1;
    // Three rolling rows: the row before last (for transpositions), last, current.
    let mut before = [0u8; W];
    let mut last = [0u8; W];
    let mut row = [0u8; W];
    for (j, cell) in last.iter_mut().enumerate().take(m + 1) {
        *cell = j as u8;
    }
    for i in 1..=n {
        row[0] = i as u8;
        let mut row_min = row[0];
        for j in 1..=m {
            let cost = u8::from(a[i - 1] != b[j - 1]);
            let mut v = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(before[j - 2] + 1);
            }
            row[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        before = last;
        last = row;
    }
    (last[m] <= max).then_some(last[m])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(a: &str, b: &str, max: u8) -> Option<u8> {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        bounded_distance(&a, &b, max)
    }

    #[test]
    fn a_transposition_is_one_typo() {
        assert_eq!(dist("dashbaord", "dashboard", 1), Some(1));
        assert_eq!(dist("loign", "login", 1), Some(1));
    }

    #[test]
    fn insertions_deletions_and_substitutions_each_cost_one() {
        assert_eq!(dist("pasword", "password", 1), Some(1));
        assert_eq!(dist("passsword", "password", 1), Some(1));
        assert_eq!(dist("passwird", "password", 1), Some(1));
        assert_eq!(dist("pesswird", "password", 2), Some(2));
    }

    #[test]
    fn words_further_apart_than_allowed_do_not_match() {
        assert_eq!(dist("pesswird", "password", 1), None);
        assert_eq!(dist("export", "import", 1), None);
        assert_eq!(dist("ab", "abcd", 1), None);
    }

    #[test]
    fn short_words_allow_no_typos_long_words_two() {
        assert_eq!(allowed_typos(4), 0);
        assert_eq!(allowed_typos(5), 1);
        assert_eq!(allowed_typos(8), 1);
        assert_eq!(allowed_typos(9), 2);
    }

    #[test]
    fn letter_masks_never_reject_a_real_match() {
        for (a, b, typos) in [
            ("pasword", "password", 1),
            ("passwird", "password", 1),
            ("dashbaord", "dashboard", 1),
            ("permisions", "permission", 2),
            ("pesswird", "password", 2),
        ] {
            assert!(
                masks_compatible(letter_mask(a), letter_mask(b), typos),
                "{a} {b}"
            );
        }
        assert!(!masks_compatible(
            letter_mask("export"),
            letter_mask("billing"),
            1
        ));
    }
}
