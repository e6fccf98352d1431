//! Attribute names after `.` or `scope.`: raw text up to a character that
//! ends it, with `"quoted parts"` that may hold any character.

use crate::syntax::ParseError;

use super::super::ast::AttributeScope;
use super::{Lexer, Tok};

/// ASCII bytes that end an attribute name: whitespace and the operators
/// and brackets Tempo stops at.
const ENDS_NAME: [bool; 128] = {
    let mut table = [false; 128];
    let ends = b" \t\n\r\x0b\x0c{}()=~!<>&|^,";
    let mut i = 0;
    while i < ends.len() {
        table[ends[i] as usize] = true;
        i += 1;
    }
    table
};

impl Lexer<'_> {
    /// Whether the name ends at byte `at` (the end of input ends it too).
    fn ends_name(&self, at: usize) -> bool {
        match self.bytes.get(at) {
            None => true,
            Some(&b) if b < 0x80 => ENDS_NAME[usize::from(b)],
            Some(_) => self.char_at(at).is_none_or(char::is_whitespace),
        }
    }

    /// After `.` or `scope.`: the raw name up to a character that ends it.
    pub(super) fn attribute(
        &mut self,
        start: usize,
        mut scope: AttributeScope,
        parent: bool,
    ) -> Result<(), ParseError> {
        if self.ends_name(self.pos) {
            self.push(Tok::Attr { scope, parent }, start, self.pos as u32);
            return Ok(());
        }
        let rest = &self.bytes[self.pos..];
        let nested = if rest.starts_with(b"resource.") {
            Some((AttributeScope::Resource, 9))
        } else if rest.starts_with(b"span.") {
            Some((AttributeScope::Span, 5))
        } else {
            None
        };
        if let Some((inner, len)) = nested {
            if self.parent_scope {
                if !parent || scope != AttributeScope::None {
                    // `.resource.x` after an earlier `parent.` attribute: Tempo's
                    // lexer still has the parent scope and emits `resource.`.
                    let at = self.pos;
                    let what = &self.src[at..at + len];
                    return Err(self
                        .error(at, at + len, format!("unexpected `{what}` here"))
                        .expected(&["attribute name"])
                        .help(
                            "Tempo reads this as a nested scope because an earlier attribute \
                             used `parent.`; quote the name: .\"resource.x\"",
                        ));
                }
                self.pos += len;
                self.parent_scope = false;
                scope = inner;
                if self.ends_name(self.pos) {
                    self.push(Tok::Attr { scope, parent }, start, self.pos as u32);
                    return Ok(());
                }
            }
        }
        let name_start = self.pos;
        while let Some(&b) = self.bytes.get(self.pos) {
            if b == b'"' {
                self.quoted_name_part()?;
            } else if b < 0x80 {
                if ENDS_NAME[usize::from(b)] {
                    break;
                }
                self.pos += 1;
            } else {
                match self.char_at(self.pos) {
                    Some(c) if !c.is_whitespace() => self.pos += c.len_utf8(),
                    _ => break,
                }
            }
        }
        self.push(Tok::Attr { scope, parent }, start, name_start as u32);
        Ok(())
    }

    /// A `"quoted part"` of a name, at its opening quote; only `\"` and `\\`
    /// may be escaped.
    fn quoted_name_part(&mut self) -> Result<(), ParseError> {
        let quote = self.pos;
        self.pos += 1;
        loop {
            match self.bytes.get(self.pos) {
                None => {
                    return Err(self
                        .error(quote, self.src.len(), "attribute name quote not closed")
                        .expected(&["\""])
                        .help("close the quoted part of the name with `\"`"));
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    let next = self.byte(self.pos + 1);
                    if next == b'"' || next == b'\\' {
                        self.pos += 2;
                    } else {
                        let bad = self.pos;
                        return Err(self
                            .error(bad, bad + 1, "invalid escape sequence in attribute name")
                            .help("only `\\\"` and `\\\\` may be escaped in a quoted name"));
                    }
                }
                // Bytes of a multi-byte character are never `"` or `\`.
                Some(_) => self.pos += 1,
            }
        }
    }
}
