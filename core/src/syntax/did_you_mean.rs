//! "Did you mean": the candidate closest to a mistyped word, for the query
//! parsers' errors and the variable checks. ASCII words up to `MAX`
//! characters, what people mistype, are compared without allocating,
//! skipping candidates whose length or letters alone rule them out; any
//! others go to `any_words`, which gives the same answer.

/// Longest word (in characters) compared on the stack.
const MAX: usize = 40;

/// The candidate closest to `word` by edit distance, when it is close enough
/// to be what the user meant (at most a third of the word's length, min 1);
/// the first one on ties. ASCII letters compare without case.
pub fn did_you_mean<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let mut w = ['\0'; MAX];
    let mut n = 0;
    for c in word.chars() {
        if n == MAX {
            return any_words(word, candidates);
        }
        w[n] = c.to_ascii_lowercase();
        n += 1;
    }
    let w = &w[..n];
    // Letter counts of the word, by bucket.
    let mut counts = [0u8; 32];
    for &c in w {
        let k = if c.is_ascii() {
            usize::from(BUCKET[c as usize])
        } else {
            OTHER
        };
        counts[k] = counts[k].saturating_add(1);
    }
    let limit = (n / 3).max(1);
    let mut best: Option<(usize, &'c str)> = None;
    for &cand in candidates {
        if cand.len() > MAX || !cand.is_ascii() {
            return any_words(word, candidates);
        }
        // The distance is at least the difference in length.
        let bound = best.map_or(limit, |(d, _)| d.saturating_sub(1));
        if cand.len().abs_diff(n) > bound || letter_bound(counts, n, cand.as_bytes()) > bound {
            continue;
        }
        if let Some(d) = bounded_distance(w, cand.as_bytes(), bound) {
            best = Some((d, cand));
            if d == 0 {
                break;
            }
        }
    }
    best.map(|(_, c)| c)
}

/// The bucket of every byte for [`letter_bound`]: a letter's own (either
/// case), digits, `_`, and one for everything else.
const BUCKET: [u8; 256] = {
    let mut table = [OTHER as u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = (b as u8).to_ascii_lowercase();
        if c.is_ascii_lowercase() {
            table[b] = c - b'a';
        } else if c.is_ascii_digit() {
            table[b] = 26;
        } else if c == b'_' {
            table[b] = 27;
        }
        b += 1;
    }
    table
};
const OTHER: usize = 28;

/// A lower bound of the edit distance: letters of one word with no
/// counterpart in the other each need an edit. Sharing a bucket among
/// several characters only lowers the bound, so it stays a bound.
fn letter_bound(mut counts: [u8; 32], n: usize, b: &[u8]) -> usize {
    let mut matched = 0;
    for &c in b {
        let k = usize::from(BUCKET[usize::from(c)]);
        if counts[k] > 0 {
            counts[k] -= 1;
            matched += 1;
        }
    }
    (n - matched).max(b.len() - matched)
}

/// Levenshtein distance between `a` and the ASCII `b` (compared lowercase),
/// or `None` when it exceeds `bound`. Only the diagonal band `|i - j| <= bound`
/// is computed (cells outside it exceed the bound anyway), and the scan stops
/// once a whole row does.
fn bounded_distance(a: &[char], b: &[u8], bound: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    let inf = bound + 1;
    // row[j]: distance between a[..i] and b[..j], capped at `inf`.
    let mut row = [0usize; MAX + 1];
    for (j, r) in row.iter_mut().enumerate().take(m + 1) {
        *r = j.min(inf);
    }
    for i in 1..=n {
        let lo = i.saturating_sub(bound).max(1);
        let hi = (i + bound).min(m);
        if lo > hi {
            // The band left the table: b is too short (checked by the caller).
            return None;
        }
        let mut diag = row[lo - 1];
        row[lo - 1] = if lo == 1 { i.min(inf) } else { inf };
        let mut row_min = row[lo - 1];
        let ca = a[i - 1];
        for j in lo..=hi {
            let up = row[j];
            let cost = if ca == char::from(b[j - 1].to_ascii_lowercase()) {
                diag
            } else {
                1 + diag.min(up).min(row[j - 1])
            };
            row[j] = cost.min(inf);
            row_min = row_min.min(row[j]);
            diag = up;
        }
        if row_min > bound {
            return None;
        }
    }
    Some(row[m]).filter(|d| *d <= bound)
}

/// [`did_you_mean`] for words of any length and characters.
fn any_words<'c>(word: &str, candidates: &[&'c str]) -> Option<&'c str> {
    let word: Vec<char> = word.chars().map(|c| c.to_ascii_lowercase()).collect();
    let n = word.len();
    let limit = (n / 3).max(1);
    let mut row = vec![0; n + 1];
    let mut best: Option<(usize, &'c str)> = None;
    for &c in candidates {
        // Only a strictly closer candidate can replace the best so far.
        let Some(bound) = best.map_or(Some(limit), |(b, _)| b.checked_sub(1)) else {
            break;
        };
        // The distance is at least the difference in length.
        if c.chars().count().abs_diff(n) > bound {
            continue;
        }
        let candidate = c.chars().map(|c| c.to_ascii_lowercase());
        if let Some(d) = distance(&word, candidate, &mut row, bound) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let mut row = vec![0; a.len() + 1];
    distance(&a, b.chars(), &mut row, usize::MAX).unwrap_or(usize::MAX)
}

/// Levenshtein distance between `a` and the characters of `b`, when it is
/// at most `bound` (`None` as soon as every path exceeds it). `row` has
/// room for `a.len() + 1` entries.
fn distance(
    a: &[char],
    b: impl Iterator<Item = char>,
    row: &mut [usize],
    bound: usize,
) -> Option<usize> {
    for (j, slot) in row.iter_mut().enumerate() {
        *slot = j;
    }
    for (i, cb) in b.enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        let mut lowest = row[0];
        for (j, ca) in a.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if *ca == cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            lowest = lowest.min(row[j + 1]);
            prev = cur;
        }
        if lowest > bound {
            return None;
        }
    }
    let d = row[a.len()];
    (d <= bound).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_you_mean_picks_close_candidates_only() {
        let funcs = ["rate", "count_over_time", "bytes_rate"];
        assert_eq!(did_you_mean("rat", &funcs), Some("rate"));
        assert_eq!(
            did_you_mean("count_over_tim", &funcs),
            Some("count_over_time")
        );
        assert_eq!(did_you_mean("histogram", &funcs), None);
        // Case does not count; the first of equally close candidates wins.
        assert_eq!(did_you_mean("RATE", &funcs), Some("rate"));
        assert_eq!(did_you_mean("ab", &["ax", "ay", "ab"]), Some("ab"));
        assert_eq!(did_you_mean("ab", &["ax", "ay"]), Some("ax"));
        // A word just under the stack limit; then one over it and one beyond
        // ASCII, which take the general path.
        let long = "a_very_long_label_name_with_many_parts";
        let near = "a_very_long_label_name_with_many_part";
        assert_eq!(did_you_mean(near, &["rate", long]), Some(long));
        let longer = "a_very_long_label_name_with_many_parts_and_more_of_them";
        let nearer = "a_very_long_label_name_with_many_parts_and_more_of_thme";
        assert_eq!(did_you_mean(nearer, &["rate", longer]), Some(longer));
        assert_eq!(did_you_mean("éte", &["rate", "été"]), Some("été"));
        assert_eq!(did_you_mean("", &funcs), None);
    }

    #[test]
    fn edit_distance_is_levenshtein() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("héllo", "hello"), 1);
    }

    #[test]
    fn agrees_with_any_words() {
        let names = [
            "rate",
            "count_over_time",
            "sum",
            "sort",
            "sort_desc",
            "json",
            "logfmt",
            "line_format",
            "label_format",
            "quantile_over_time",
        ];
        for word in [
            "rat",
            "RATE",
            "rte",
            "cout_over_time",
            "count_over_tme",
            "sun",
            "srot",
            "sotr",
            "jsno",
            "Json",
            "logfnt",
            "line_fromat",
            "labelformat",
            "x",
            "",
            "é",
            "qunatile",
            "quantile_over_tiem",
            "sort_des",
            "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
            "count_over_time_count_over_time_count_over_time",
            "ééééé",
            "sumé",
            // Digits, `_` and other ASCII characters share buckets of the letter bound.
            "r4te",
            "count__over_time",
            "sort-desc",
            "line_f0rmat",
            "JSON!",
        ] {
            assert_eq!(
                did_you_mean(word, &names),
                any_words(word, &names),
                "{word}"
            );
        }
    }
}
