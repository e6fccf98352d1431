//! Fuzz target: the traceql parser never panics, and a parse error's span
//! lies inside the input on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = dashstudio_core::traceql::parse(query) {
        let range = e.span.range();
        assert!(range.start <= range.end && range.end <= query.len());
        assert!(query.is_char_boundary(range.start) && query.is_char_boundary(range.end));
        assert!(!e.message.is_empty());
    }
});
