//! The tokens of TraceQL: punctuation, literals, attribute and scope
//! tokens, and the reserved words (looked up through a perfect hash).

use crate::syntax::Span;

use super::super::ast::{AttributeScope, Intrinsic};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Eof,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Pipe,
    Eq,
    Neq,
    Re,
    Nre,
    Gt,
    Gte,
    Lt,
    Lte,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Not,
    And,
    Or,
    Desc,
    Anc,
    Tilde,
    NotChild,
    NotParent,
    NotDesc,
    NotAnc,
    UnionChild,
    UnionParent,
    UnionDesc,
    UnionAnc,
    UnionSibl,
    /// A string literal; `escaped` when it needs unquoting.
    Str,
    Int,
    Float,
    Duration,
    Kw(Kw),
    /// `scope.name`: `scope` and whether `parent.` came first; the name
    /// (possibly empty) starts at `name_start`.
    Attr {
        scope: AttributeScope,
        parent: bool,
    },
    /// `span:`, `trace:`, `event:`, `link:`, `instrumentation:`.
    ScopeColon(ColonScope),
    /// An unknown word or character (Tempo's IDENTIFIER).
    Ident,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColonScope {
    Trace,
    Span,
    Event,
    Link,
    Instrumentation,
}

impl ColonScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ColonScope::Trace => "trace:",
            ColonScope::Span => "span:",
            ColonScope::Event => "event:",
            ColonScope::Link => "link:",
            ColonScope::Instrumentation => "instrumentation:",
        }
    }

    /// The intrinsics that may follow, as written.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            ColonScope::Trace => &["duration", "rootName", "rootService", "id"],
            ColonScope::Span => &[
                "duration",
                "name",
                "kind",
                "status",
                "statusMessage",
                "id",
                "parentID",
                "childCount",
            ],
            ColonScope::Event => &["name", "timeSinceStart"],
            ColonScope::Link => &["traceID", "spanID"],
            ColonScope::Instrumentation => &["name", "version"],
        }
    }

    pub fn intrinsic(self, kw: Kw) -> Option<Intrinsic> {
        use ColonScope as C;
        use Kw as K;
        Some(match (self, kw) {
            (C::Trace, K::Duration) => Intrinsic::TraceDuration,
            (C::Trace, K::RootName) => Intrinsic::RootName,
            (C::Trace, K::RootService) => Intrinsic::RootServiceName,
            (C::Trace, K::Id) => Intrinsic::TraceId,
            (C::Span, K::Duration) => Intrinsic::Duration,
            (C::Span, K::Name) => Intrinsic::Name,
            (C::Span, K::Kind) => Intrinsic::Kind,
            (C::Span, K::Status) => Intrinsic::Status,
            (C::Span, K::StatusMessage) => Intrinsic::StatusMessage,
            (C::Span, K::Id) => Intrinsic::SpanId,
            (C::Span, K::ParentId) => Intrinsic::ParentId,
            (C::Span, K::ChildCount) => Intrinsic::ChildCount,
            (C::Event, K::Name) => Intrinsic::EventName,
            (C::Event, K::TimeSinceStart) => Intrinsic::EventTimeSinceStart,
            (C::Link, K::TraceId) => Intrinsic::LinkTraceId,
            (C::Link, K::SpanId) => Intrinsic::LinkSpanId,
            (C::Instrumentation, K::Name) => Intrinsic::InstrumentationName,
            (C::Instrumentation, K::Version) => Intrinsic::InstrumentationVersion,
            _ => return None,
        })
    }
}

macro_rules! keywords {
    ($($variant:ident = $text:literal,)*) => {
        /// Reserved words of Tempo's lexer.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Kw { $($variant,)* }

        impl Kw {
            /// Every keyword, in the order of [`KEYWORDS`].
            const ALL: &[Kw] = &[$(Kw::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(Kw::$variant => $text,)* }
            }
        }

        /// Every keyword, for "did you mean" suggestions.
        pub const KEYWORDS: &[&str] = &[$($text,)*];
    };
}

/// Slot of a word in [`KEYWORD_TABLE`]: its length and three of its bytes,
/// chosen so that no two keywords share a slot (checked when compiling).
const fn keyword_slot(word: &[u8]) -> usize {
    let n = word.len();
    (n * 2 + word[0] as usize * 27 + word[n - 1] as usize * 20 + word[1] as usize) & 0xff
}

/// Index + 1 into [`KEYWORDS`] of the keyword in each slot (0: none).
const KEYWORD_TABLE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < KEYWORDS.len() {
        let slot = keyword_slot(KEYWORDS[i].as_bytes());
        assert!(table[slot] == 0, "two keywords share a slot");
        table[slot] = i as u8 + 1;
        i += 1;
    }
    table
};

impl Kw {
    /// The keyword spelled `word` (case-sensitive), in a few instructions.
    pub fn from_word(word: &str) -> Option<Kw> {
        let bytes = word.as_bytes();
        if bytes.len() < 2 {
            return None;
        }
        let index = usize::from(KEYWORD_TABLE[keyword_slot(bytes)]).checked_sub(1)?;
        (KEYWORDS[index] == word).then(|| Kw::ALL[index])
    }
}

keywords! {
    True = "true",
    False = "false",
    Nil = "nil",
    Ok = "ok",
    Error = "error",
    Unset = "unset",
    Unspecified = "unspecified",
    Internal = "internal",
    Server = "server",
    Client = "client",
    Producer = "producer",
    Consumer = "consumer",
    Duration = "duration",
    ChildCount = "childCount",
    Name = "name",
    Status = "status",
    StatusMessage = "statusMessage",
    Kind = "kind",
    RootName = "rootName",
    RootServiceName = "rootServiceName",
    RootService = "rootService",
    TraceDuration = "traceDuration",
    NestedSetLeft = "nestedSetLeft",
    NestedSetRight = "nestedSetRight",
    NestedSetParent = "nestedSetParent",
    Id = "id",
    TraceId = "traceID",
    SpanId = "spanID",
    ParentId = "parentID",
    TimeSinceStart = "timeSinceStart",
    Version = "version",
    Parent = "parent",
    Count = "count",
    Avg = "avg",
    Max = "max",
    Min = "min",
    Sum = "sum",
    By = "by",
    Coalesce = "coalesce",
    Select = "select",
    Rate = "rate",
    CountOverTime = "count_over_time",
    MinOverTime = "min_over_time",
    MaxOverTime = "max_over_time",
    AvgOverTime = "avg_over_time",
    SumOverTime = "sum_over_time",
    QuantileOverTime = "quantile_over_time",
    HistogramOverTime = "histogram_over_time",
    Compare = "compare",
    Topk = "topk",
    Bottomk = "bottomk",
    With = "with",
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
    /// For `Attr`: where the name starts. For `Str`: whether it has escapes.
    pub aux: u32,
}

impl Token {
    pub fn start(&self) -> usize {
        self.span.start as usize
    }

    pub fn end(&self) -> usize {
        self.span.end as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_lookup_finds_every_keyword_and_only_those() {
        for (i, word) in KEYWORDS.iter().enumerate() {
            assert_eq!(Kw::from_word(word), Some(Kw::ALL[i]), "{word}");
            assert_eq!(Kw::ALL[i].as_str(), *word);
        }
        for word in [
            "", "a", "Count", "counts", "rat", "spanID_", "truee", "ok1", "µs",
        ] {
            assert_eq!(Kw::from_word(word), None, "{word}");
        }
    }
}
