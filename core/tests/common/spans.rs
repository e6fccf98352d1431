//! The invariant every parse error keeps, whatever the input: a non-empty
//! message and a span inside the query, on character boundaries.

use dashstudio_core::syntax::ParseError;

pub fn assert_well_formed<T>(q: &str, result: Result<T, ParseError>) {
    if let Err(e) = result {
        let r = e.span.range();
        assert!(r.start <= r.end && r.end <= q.len(), "{q:?}: span {r:?}");
        assert!(
            q.is_char_boundary(r.start) && q.is_char_boundary(r.end),
            "{q:?}: span {r:?}"
        );
        assert!(!e.message.is_empty());
    }
}
