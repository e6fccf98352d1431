//! Keywords and function names: one case-insensitive lookup per identifier,
//! through a perfect hash of the lower-cased word (no allocation).

use super::super::ast::{RangeOp as R, VectorOp as V};
use super::Tok;

/// How Loki reads a word: a keyword anywhere, or a function name only when
/// a `(` (or `by (` / `without (`) follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Word {
    Keyword(Tok),
    Function(Tok),
}

use Word::{Function as F, Keyword as K};

/// Every keyword and function name, lower-case.
const WORDS: &[(&str, Word)] = &[
    ("and", K(Tok::And)),
    ("avg_over_time", F(Tok::RangeFn(R::AvgOverTime))),
    ("absent_over_time", F(Tok::RangeFn(R::AbsentOverTime))),
    ("avg", F(Tok::VectorFn(V::Avg))),
    ("approx_topk", F(Tok::VectorFn(V::ApproxTopk))),
    ("by", K(Tok::By)),
    ("bool", K(Tok::Bool)),
    ("bytes_rate", F(Tok::RangeFn(R::BytesRate))),
    ("bytes_over_time", F(Tok::RangeFn(R::BytesOverTime))),
    ("bottomk", F(Tok::VectorFn(V::Bottomk))),
    ("bytes", F(Tok::BytesConv)),
    ("count_over_time", F(Tok::RangeFn(R::CountOverTime))),
    ("count", F(Tok::VectorFn(V::Count))),
    ("drop", K(Tok::Drop)),
    ("decolorize", K(Tok::Decolorize)),
    ("duration", F(Tok::DurationConv)),
    ("duration_seconds", F(Tok::DurationSecondsConv)),
    ("first_over_time", F(Tok::RangeFn(R::FirstOverTime))),
    ("group_left", K(Tok::GroupLeft)),
    ("group_right", K(Tok::GroupRight)),
    ("ignoring", K(Tok::Ignoring)),
    ("ip", F(Tok::Ip)),
    ("json", K(Tok::Json)),
    ("keep", K(Tok::Keep)),
    ("logfmt", K(Tok::Logfmt)),
    ("line_format", K(Tok::LineFormat)),
    ("label_format", K(Tok::LabelFormat)),
    ("last_over_time", F(Tok::RangeFn(R::LastOverTime))),
    ("label_replace", F(Tok::LabelReplace)),
    ("min_over_time", F(Tok::RangeFn(R::MinOverTime))),
    ("max_over_time", F(Tok::RangeFn(R::MaxOverTime))),
    ("max", F(Tok::VectorFn(V::Max))),
    ("min", F(Tok::VectorFn(V::Min))),
    ("on", K(Tok::On)),
    ("or", K(Tok::Or)),
    ("of", K(Tok::Of)),
    ("offset", K(Tok::Offset)),
    ("pattern", K(Tok::Pattern)),
    ("quantile_over_time", F(Tok::RangeFn(R::QuantileOverTime))),
    ("regexp", K(Tok::Regexp)),
    ("rate", F(Tok::RangeFn(R::Rate))),
    ("rate_counter", F(Tok::RangeFn(R::RateCounter))),
    ("sum_over_time", F(Tok::RangeFn(R::SumOverTime))),
    ("stdvar_over_time", F(Tok::RangeFn(R::StdvarOverTime))),
    ("stddev_over_time", F(Tok::RangeFn(R::StddevOverTime))),
    ("sum", F(Tok::VectorFn(V::Sum))),
    ("stddev", F(Tok::VectorFn(V::Stddev))),
    ("stdvar", F(Tok::VectorFn(V::Stdvar))),
    ("sort", F(Tok::VectorFn(V::Sort))),
    ("sort_desc", F(Tok::VectorFn(V::SortDesc))),
    ("topk", F(Tok::VectorFn(V::Topk))),
    ("unless", K(Tok::Unless)),
    ("unpack", K(Tok::Unpack)),
    ("unwrap", K(Tok::Unwrap)),
    ("variants", K(Tok::Variants)),
    ("vector", F(Tok::Vector)),
    ("without", K(Tok::Without)),
];

/// The longest name: "quantile_over_time".
const LONGEST: usize = 18;

/// Slot of a lower-case word in [`TABLE`]: its length and four of its
/// bytes, weighted so that no two names share a slot (checked when compiling).
const fn slot(word: &[u8]) -> usize {
    let n = word.len();
    let fourth = if n > 3 { word[3] as usize } else { 0 };
    (n + word[0] as usize + word[n - 1] as usize + 4 * word[1] as usize + 9 * fourth) & 0xff
}

/// Index + 1 into [`WORDS`] of the name in each slot (0: none).
const TABLE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < WORDS.len() {
        let name = WORDS[i].0.as_bytes();
        assert!(name.len() >= 2 && name.len() <= LONGEST);
        let slot = slot(name);
        assert!(table[slot] == 0, "two names share a slot");
        table[slot] = i as u8 + 1;
        i += 1;
    }
    table
};

/// What `word` is to Loki, matched case-insensitively as Loki does.
pub fn lookup(word: &str) -> Option<Word> {
    let bytes = word.as_bytes();
    if !(2..=LONGEST).contains(&bytes.len()) {
        return None;
    }
    let mut buf = [0u8; LONGEST];
    let lower = &mut buf[..bytes.len()];
    for (l, b) in lower.iter_mut().zip(bytes) {
        *l = b.to_ascii_lowercase();
    }
    let index = usize::from(TABLE[slot(lower)]).checked_sub(1)?;
    let (name, found) = WORDS[index];
    (name.as_bytes() == &*lower).then_some(found)
}

/// The function token `word` names, if it names one.
pub fn function(word: &str) -> Option<Tok> {
    match lookup(word)? {
        Word::Function(t) => Some(t),
        Word::Keyword(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_found_in_any_case() {
        for &(name, word) in WORDS {
            assert_eq!(lookup(name), Some(word), "{name}");
            assert_eq!(lookup(&name.to_ascii_uppercase()), Some(word), "{name}");
        }
        // Near misses (the hash slot of one name is not proof of a match):
        // each name with its last byte changed, cut short or lengthened is
        // found exactly when the list has it.
        let listed = |w: &str| WORDS.iter().find(|(n, _)| *n == w).map(|&(_, found)| found);
        for &(name, _) in WORDS {
            let mut changed = name.to_string();
            changed.pop();
            for word in [changed.clone() + "q", changed, name.to_string() + "s"] {
                assert_eq!(lookup(&word), listed(&word), "{word}");
            }
        }
        for op in R::ALL {
            assert_eq!(function(op.name()), Some(Tok::RangeFn(*op)));
        }
        for op in V::ALL {
            assert_eq!(function(op.name()), Some(Tok::VectorFn(*op)));
        }
        assert_eq!(lookup("app"), None);
        assert_eq!(lookup("ratex"), None);
        assert_eq!(lookup(""), None);
        assert_eq!(lookup("é"), None);
    }
}
