//! Keywords and function names: one case-insensitive lookup per identifier,
//! bucketed by first letter and compared with `eq_ignore_ascii_case` (no copy).

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

const A: &[(&str, Word)] = &[
    ("and", K(Tok::And)),
    ("avg_over_time", F(Tok::RangeFn(R::AvgOverTime))),
    ("absent_over_time", F(Tok::RangeFn(R::AbsentOverTime))),
    ("avg", F(Tok::VectorFn(V::Avg))),
    ("approx_topk", F(Tok::VectorFn(V::ApproxTopk))),
];
const B: &[(&str, Word)] = &[
    ("by", K(Tok::By)),
    ("bool", K(Tok::Bool)),
    ("bytes_rate", F(Tok::RangeFn(R::BytesRate))),
    ("bytes_over_time", F(Tok::RangeFn(R::BytesOverTime))),
    ("bottomk", F(Tok::VectorFn(V::Bottomk))),
    ("bytes", F(Tok::BytesConv)),
];
const C: &[(&str, Word)] = &[
    ("count_over_time", F(Tok::RangeFn(R::CountOverTime))),
    ("count", F(Tok::VectorFn(V::Count))),
];
const D: &[(&str, Word)] = &[
    ("drop", K(Tok::Drop)),
    ("decolorize", K(Tok::Decolorize)),
    ("duration", F(Tok::DurationConv)),
    ("duration_seconds", F(Tok::DurationSecondsConv)),
];
const FW: &[(&str, Word)] = &[("first_over_time", F(Tok::RangeFn(R::FirstOverTime)))];
const G: &[(&str, Word)] = &[
    ("group_left", K(Tok::GroupLeft)),
    ("group_right", K(Tok::GroupRight)),
];
const I: &[(&str, Word)] = &[("ignoring", K(Tok::Ignoring)), ("ip", F(Tok::Ip))];
const J: &[(&str, Word)] = &[("json", K(Tok::Json))];
const KW: &[(&str, Word)] = &[("keep", K(Tok::Keep))];
const L: &[(&str, Word)] = &[
    ("logfmt", K(Tok::Logfmt)),
    ("line_format", K(Tok::LineFormat)),
    ("label_format", K(Tok::LabelFormat)),
    ("last_over_time", F(Tok::RangeFn(R::LastOverTime))),
    ("label_replace", F(Tok::LabelReplace)),
];
const M: &[(&str, Word)] = &[
    ("min_over_time", F(Tok::RangeFn(R::MinOverTime))),
    ("max_over_time", F(Tok::RangeFn(R::MaxOverTime))),
    ("max", F(Tok::VectorFn(V::Max))),
    ("min", F(Tok::VectorFn(V::Min))),
];
const O: &[(&str, Word)] = &[
    ("on", K(Tok::On)),
    ("or", K(Tok::Or)),
    ("of", K(Tok::Of)),
    ("offset", K(Tok::Offset)),
];
const P: &[(&str, Word)] = &[("pattern", K(Tok::Pattern))];
const Q: &[(&str, Word)] = &[("quantile_over_time", F(Tok::RangeFn(R::QuantileOverTime)))];
const RW: &[(&str, Word)] = &[
    ("regexp", K(Tok::Regexp)),
    ("rate", F(Tok::RangeFn(R::Rate))),
    ("rate_counter", F(Tok::RangeFn(R::RateCounter))),
];
const S: &[(&str, Word)] = &[
    ("sum_over_time", F(Tok::RangeFn(R::SumOverTime))),
    ("stdvar_over_time", F(Tok::RangeFn(R::StdvarOverTime))),
    ("stddev_over_time", F(Tok::RangeFn(R::StddevOverTime))),
    ("sum", F(Tok::VectorFn(V::Sum))),
    ("stddev", F(Tok::VectorFn(V::Stddev))),
    ("stdvar", F(Tok::VectorFn(V::Stdvar))),
    ("sort", F(Tok::VectorFn(V::Sort))),
    ("sort_desc", F(Tok::VectorFn(V::SortDesc))),
];
const T: &[(&str, Word)] = &[("topk", F(Tok::VectorFn(V::Topk)))];
const U: &[(&str, Word)] = &[
    ("unless", K(Tok::Unless)),
    ("unpack", K(Tok::Unpack)),
    ("unwrap", K(Tok::Unwrap)),
];
const VW: &[(&str, Word)] = &[("variants", K(Tok::Variants)), ("vector", F(Tok::Vector))];
const W: &[(&str, Word)] = &[("without", K(Tok::Without))];

/// What `word` is to Loki, matched case-insensitively as Loki does.
pub fn lookup(word: &str) -> Option<Word> {
    // The names are 2 ("by") to 18 ("quantile_over_time") bytes long.
    if !(2..=18).contains(&word.len()) {
        return None;
    }
    let bucket = match word.as_bytes().first()?.to_ascii_lowercase() {
        b'a' => A,
        b'b' => B,
        b'c' => C,
        b'd' => D,
        b'f' => FW,
        b'g' => G,
        b'i' => I,
        b'j' => J,
        b'k' => KW,
        b'l' => L,
        b'm' => M,
        b'o' => O,
        b'p' => P,
        b'q' => Q,
        b'r' => RW,
        b's' => S,
        b't' => T,
        b'u' => U,
        b'v' => VW,
        b'w' => W,
        _ => return None,
    };
    bucket
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))
        .map(|&(_, w)| w)
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
        for bucket in [
            A, B, C, D, FW, G, I, J, KW, L, M, O, P, Q, RW, S, T, U, VW, W,
        ] {
            for &(name, word) in bucket {
                assert_eq!(lookup(name), Some(word), "{name}");
                assert_eq!(lookup(&name.to_ascii_uppercase()), Some(word), "{name}");
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
