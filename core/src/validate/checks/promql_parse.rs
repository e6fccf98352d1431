//! PromQL parsing without compiling the regular expressions of label
//! matchers, with the same verdict as `promql_parser::parser::parse`.
//!
//! `promql-parser` builds a full `regex::Regex` for every `=~` / `!~`
//! matcher, and a corpus of dashboards has thousands of them: compiling them
//! was an eighth of the whole validation. The parser uses a compiled regex for
//! two things only: refusing a pattern that does not compile, and the rule
//! that a selector must have a matcher that does not match the empty string.
//! So before parsing, each regex matcher whose pattern we can decide exactly
//! with `regex-syntax` (the parser the `regex` crate itself uses) is rewritten,
//! in place and at the same length, as an equality matcher with the same
//! verdict on the empty string:
//!
//! - `l=~"p"` → `l= "p"` when `p` cannot match "" (both then refuse ""), or
//!   `l= ""` padded with spaces when it can (both accept "");
//! - `l!~"p"` → `l!="p"` or `l!=""` padded, by the same reasoning.
//!
//! Patterns it cannot decide exactly are left for the parser to compile:
//! those that do not parse (the parser reports them), those with counted
//! repetitions `{…}` (the parser retries them escaped, as Go would read them,
//! and a large count can exceed the compiled size limit), those with
//! assertions other than the text anchors, and strings with escapes other
//! than `\\`, `\"` and `\'`.
//!
//! The returned AST is for the semantic checks of [`super::promql`], which
//! read metric names and functions, never matcher values.

use promql_parser::parser::Expr;
use regex_syntax::hir::{Look, LookSet};

/// Parses PromQL as `promql_parser::parser::parse` would, faster.
pub fn parse(query: &str) -> Result<Expr, String> {
    match elide_regexes(query) {
        Some(rewritten) => promql_parser::parser::parse(&rewritten),
        None => promql_parser::parser::parse(query),
    }
}

/// promql-parser's message for any error of its grammar (its parser drops
/// the grammar's errors and their positions).
const GRAMMAR_ERROR: &str = "invalid promql query";

/// Queries longer than this are not searched for their error's position.
const LOCATE_MAX_LEN: usize = 4096;

/// Where the error `message` of `query` is, as byte offsets `(start, end)`:
/// promql-parser's messages carry no position. The offending text ends
/// where the shortest prefix of the query first fails with the same message
/// (the lexer's errors are checked by lexing alone); it is a name the
/// message quotes, found before there, else the word ending there, or the
/// one character. `None` for the grammar's message, which any
/// unfinished prefix gives too, and for very long queries.
pub fn locate(query: &str, message: &str) -> Option<(usize, usize)> {
    if message == GRAMMAR_ERROR || query.len() > LOCATE_MAX_LEN {
        return None;
    }
    let lex_error = |text: &str| promql_parser::parser::lex::lexer(text).err();
    let in_lexer = lex_error(query).is_some_and(|m| m == message);
    let fails_the_same = |prefix: &str| {
        let error = if in_lexer {
            lex_error(prefix)
        } else {
            parse(prefix).err()
        };
        error.is_some_and(|m| m == message)
    };
    let end = query
        .char_indices()
        .map(|(i, c)| i + c.len_utf8())
        .find(|&k| fails_the_same(&query[..k]))?;
    let word = |c: char| c.is_alphanumeric() || c == '_';
    // A name the message quotes ("unknown function with name 'rte'", "in call
    // to function 'rate'"): its last whole-word occurrence before the end.
    let quoted = message
        .split('\'')
        .skip(1)
        .step_by(2)
        .filter(|n| n.chars().count() > 1 && n.chars().all(word));
    for name in quoted {
        let before = &query[..end];
        let whole_word = |i: &usize| {
            let after = i + name.len();
            !before[..*i].chars().next_back().is_some_and(word)
                && !query[after..].chars().next().is_some_and(word)
        };
        if let Some(i) = before.rmatch_indices(name).map(|(i, _)| i).find(whole_word) {
            return Some((i, i + name.len()));
        }
    }
    let last = query[..end].chars().next_back()?;
    let start = if word(last) {
        query[..end]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| word(c))
            .last()
            .map_or(end, |(i, _)| i)
    } else {
        end - last.len_utf8()
    };
    Some((start, end))
}

/// The query with every decidable regex matcher rewritten (see the module
/// documentation), or `None` when there is none.
fn elide_regexes(query: &str) -> Option<String> {
    let bytes = query.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                // A comment runs to the end of the line.
                i = bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |n| i + n);
            }
            q @ (b'"' | b'\'' | b'`') => i = literal_end(bytes, i, q)?,
            b'=' | b'!' if bytes.get(i + 1) == Some(&b'~') => {
                let negated = bytes[i] == b'!';
                let mut open = i + 2;
                while bytes.get(open).is_some_and(u8::is_ascii_whitespace) {
                    open += 1;
                }
                let Some(&quote @ (b'"' | b'\'' | b'`')) = bytes.get(open) else {
                    i += 2;
                    continue;
                };
                let close = literal_end(bytes, open, quote)? - 1;
                let Some(empty) =
                    pattern_at(&query[open + 1..close], quote).and_then(matches_empty)
                else {
                    i = close + 1;
                    continue;
                };
                let out = out.get_or_insert_with(|| bytes.to_vec());
                // `=~` becomes `= ` and `!~` becomes `!=`: same length.
                out[i + 1] = if negated { b'=' } else { b' ' };
                if empty {
                    // `"pattern"` becomes `""` and spaces.
                    out[open + 1] = quote;
                    for b in &mut out[open + 2..=close] {
                        *b = b' ';
                    }
                }
                i = close + 1;
            }
            _ => i += 1,
        }
    }
    // Only ASCII bytes were written over whole literals: still UTF-8.
    out.and_then(|o| String::from_utf8(o).ok())
}

/// Offset just past the string literal opened by `quote` at `open`; `None`
/// when it is not closed (the parser will say so).
fn literal_end(bytes: &[u8], open: usize, quote: u8) -> Option<usize> {
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote != b'`' => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The pattern a literal's content spells, when its escapes are only `\\`,
/// `\"`, `\'` (raw backquoted content is taken as it is).
fn pattern_at(content: &str, quote: u8) -> Option<String> {
    if quote == b'`' || !content.contains('\\') {
        return Some(content.to_owned());
    }
    let mut pattern = String::with_capacity(content.len());
    let mut chars = content.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                e @ ('\\' | '"' | '\'') => pattern.push(e),
                _ => return None,
            }
        } else {
            pattern.push(c);
        }
    }
    Some(pattern)
}

/// Whether the fully anchored pattern matches "", when that can be decided
/// without compiling it; `None` leaves the matcher to the parser.
fn matches_empty(pattern: String) -> Option<bool> {
    // Most patterns are plain words (a variable's value, a stand-in).
    const SPECIAL: &[char] = &[
        '\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$', '#', ' ',
    ];
    if !pattern.contains(SPECIAL) {
        return Some(pattern.is_empty());
    }
    if pattern.contains('{') {
        return None;
    }
    let anchored = format!("^(?:{pattern})$");
    let hir = regex_syntax::Parser::new().parse(&anchored).ok()?;
    let anchors = LookSet::empty().insert(Look::Start).insert(Look::End);
    let props = hir.properties();
    if !props.look_set().subtract(anchors).is_empty() {
        return None;
    }
    // Start and end of text both hold in "": it matches iff some match is empty.
    Some(props.minimum_len() == Some(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The span `locate` gives for the query's own error.
    fn located(query: &str) -> Option<&str> {
        let message = parse(query).expect_err("a broken query");
        locate(query, &message).map(|(s, e)| &query[s..e])
    }

    #[test]
    fn locates_lexer_and_semantic_errors() {
        // A stray closing parenthesis, not the last one.
        let query = "sum(rate(x[5m]))) by (job)";
        assert_eq!(locate(query, &parse(query).unwrap_err()), Some((16, 17)));
        assert_eq!(located("up{job:\"a\"}"), Some(":"));
        assert_eq!(located("sum(rate(http_requests_total[5m])"), Some("("));
        assert_eq!(located("up{job=\"a}"), Some("\""));
        // The lexer objects to the character after the dot.
        assert_eq!(located("1 + .x"), Some("x"));
        // A function that needs a range vector: its name, which the message quotes.
        assert_eq!(located("rate(http_requests_total) > 0"), Some("rate"));
        // An unknown function: its name.
        assert_eq!(located("sum(rte(x[5m]))"), Some("rte"));
        // Characters before the error count in bytes, not characters.
        let query = "up{job=\"é\"} )";
        let (s, e) = locate(query, &parse(query).unwrap_err()).expect("located");
        assert_eq!(&query[s..e], ")");
    }

    #[test]
    fn the_grammar_error_has_no_position() {
        // Any unfinished prefix gives the same message: no way to tell where.
        assert_eq!(parse("sum by").unwrap_err(), GRAMMAR_ERROR);
        assert_eq!(located("sum(rate(x[5m])) by job"), None);
    }

    /// The parser's verdict, with and without the rewrite, is the same.
    fn same_verdict(query: &str) {
        let fast = parse(query).map(|_| ());
        let slow = promql_parser::parser::parse(query).map(|_| ());
        assert_eq!(fast, slow, "{query}");
    }

    #[test]
    fn rewrites_decidable_matchers_in_place() {
        for (query, rewritten) in [
            (r#"up{job=~"api"}"#, r#"up{job= "api"}"#),
            (r#"up{job!~"api|web"}"#, r#"up{job!="api|web"}"#),
            (r#"{job=~".*"}"#, r#"{job= ""  }"#),
            (r#"{job!~".*",x="y"}"#, r#"{job!=""  ,x="y"}"#),
            (r#"{job =~ 'a\\.b'}"#, r#"{job =  'a\\.b'}"#),
            ("{job=~`a|bc?`}", "{job= `a|bc?`}"),
            ("{job=~`a|b?`}", "{job= ``    }"),
        ] {
            assert_eq!(elide_regexes(query).as_deref(), Some(rewritten), "{query}");
        }
    }

    #[test]
    fn leaves_what_it_cannot_decide_to_the_parser() {
        for query in [
            r#"up{job=~"a{2}"}"#,
            r#"up{job=~"\\bword"}"#,
            r#"up{job=~"(?m)^a"}"#,
            r#"up{job=~"a\n"}"#,
            r#"up{job=~"(unclosed"}"#,
            r#"up{job="a=~b"}"#,
            "up # {job=~\"x\"}",
            "up",
        ] {
            assert_eq!(elide_regexes(query), None, "{query}");
        }
    }

    #[test]
    fn keeps_the_parsers_verdict() {
        for query in [
            r#"up{job=~"api"}"#,
            r#"{job=~".*"}"#,
            r#"{job=~".+"}"#,
            r#"{job=~"a|"}"#,
            r#"{job!~".*"}"#,
            r#"{job!~"x"}"#,
            r#"{job=~"", x=~".*"}"#,
            r#"{job=~"(unclosed"}"#,
            r#"{job=~"a{2}"}"#,
            r#"{job=~"a{b}"}"#,
            r#"{__name__=~"x_total", job=~"y"}"#,
            r#"sum by (pod) (rate(c_total{ns=~"$ns|kube-system", pod!~"a.*"}[5m]))"#,
            r#"x{a=~"\\d+"}"#,
            r#"x{a=~'[[:alpha:]]+'}"#,
            r#"x{a=~"é|ü"} or y{b=~"^$"}"#,
            r#"label_replace(up, "d", "$1", "job", "(.*)=~x")"#,
            r#"up{job=~"unterminated}"#,
            r#"{a=~"\p{Greek}"}"#,
        ] {
            same_verdict(query);
        }
    }
}
