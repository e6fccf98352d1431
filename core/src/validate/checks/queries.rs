//! Every PromQL, LogQL and TraceQL query, parsed after interpolating its
//! variables as Grafana would. A failure that only an unknowable variable
//! value could cause is `query/unverifiable` (info), never an error.

use std::borrow::Cow;

use crate::model::{DashboardModel, QueryLanguage, Target};
use crate::validate::checks::variables::Broken;
use crate::validate::codes;
use crate::validate::finding::{pointer_token, Finding, Fix, Severity};
use crate::validate::interpolate::{interpolate, references, Certainty, Interpolated, Reference};

/// A parse failure: where (byte offset in the parsed text, when the parser
/// says), what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub offset: Option<usize>,
    /// End of the offending text (byte offset), when known.
    pub end: Option<usize>,
    pub message: String,
    pub help: Option<String>,
}

/// Parses one query in a language.
pub fn parse(language: QueryLanguage, query: &str) -> Result<(), Failure> {
    match language {
        QueryLanguage::PromQL => super::promql_parse::parse(query)
            .map(|_| ())
            .map_err(|message| promql_failure(query, message)),
        QueryLanguage::LogQL => crate::logql::parse(query)
            .map(|_| ())
            .map_err(Failure::from),
        QueryLanguage::TraceQL => crate::traceql::parse(query)
            .map(|_| ())
            .map_err(Failure::from),
        QueryLanguage::Other => Ok(()),
    }
}

/// A PromQL failure, with the position `promql_parse::locate` finds.
fn promql_failure(query: &str, message: String) -> Failure {
    let span = super::promql_parse::locate(query, &message);
    Failure {
        offset: span.map(|s| s.0),
        end: span.map(|s| s.1),
        message,
        help: None,
    }
}

impl From<crate::syntax::ParseError> for Failure {
    fn from(e: crate::syntax::ParseError) -> Self {
        Self {
            offset: Some(e.span.start as usize),
            end: Some(e.span.end as usize),
            message: e.message.into_owned(),
            help: e.help.map(Cow::into_owned),
        }
    }
}

/// Stand-ins tried, in order, for values only known at run time (here and
/// in the editor's live check).
pub(crate) const STAND_INS: [&str; 3] = ["placeholder", "1", "5m"];

/// The stand-in that fits where a reference sits: a duration inside a range
/// `[...]`, a word elsewhere (a metric name, a label value inside quotes).
pub(crate) fn stand_in(before: &str) -> String {
    let open_range = before
        .rfind('[')
        .is_some_and(|i| !before[i..].contains(']'));
    if open_range { "5m" } else { "placeholder" }.to_owned()
}

/// Returns how many queries the dashboard has (those in other languages
/// are counted and skipped).
pub fn run(model: &DashboardModel, broken: &Broken, out: &mut Vec<Finding>) -> usize {
    let mut checked = 0;
    for (_, target) in model.all_targets() {
        let (Some(query), Some(field)) = (&target.query, &target.query_field) else {
            continue;
        };
        if query.trim().is_empty() {
            continue;
        }
        checked += 1;
        if target.language == QueryLanguage::Other {
            continue;
        }
        // A variable already reported as the root cause: no cascade.
        let refs = references(query);
        if refs
            .iter()
            .any(|r| broken.import_inputs.contains(r.name) || broken.undefined.contains(r.name))
        {
            continue;
        }
        if let Some(finding) = check(model, target, query, &refs, field, out) {
            out.push(finding);
        }
    }
    checked
}

fn check(
    model: &DashboardModel,
    target: &Target,
    query: &str,
    refs: &[Reference<'_>],
    field: &str,
    out: &mut Vec<Finding>,
) -> Option<Finding> {
    let pointer = format!("{}/{}", target.pointer, pointer_token(field));
    let first = interpolate(query, &model.variables, &stand_in);
    // PromQL that parses also gets its semantic checks, from the same parse.
    let failure = match target.language {
        QueryLanguage::PromQL => match super::promql_parse::parse(&first.text) {
            Ok(ast) => {
                super::promql::check(model, &pointer, query, &ast, out);
                return None;
            }
            Err(message) => promql_failure(&first.text, message),
        },
        language => parse(language, &first.text).err()?,
    };
    if let Some(unknowable) = first.first_unknowable {
        // Other stand-ins for the unknowable values: any that parses clears it.
        for stand_in in STAND_INS {
            let again = interpolate(query, &model.variables, &|_| stand_in.to_owned());
            if parse(target.language, &again.text).is_ok() {
                return None;
            }
        }
        let before_variables = failure
            .offset
            .is_some_and(|o| first.original(o) < unknowable);
        // No stand-in parses, and every unknowable value sits where any
        // value parses the same (a quoted string, a range): the query itself is broken.
        let contained = refs
            .iter()
            .filter(|r| is_unknowable(model, r.name))
            .all(|r| inert_context(&query[..r.start]));
        if !before_variables && !contained {
            return Some(unverifiable(target, refs, pointer, failure));
        }
    }
    Some(syntax_error(target, pointer, &first, failure))
}

fn is_unknowable(model: &DashboardModel, name: &str) -> bool {
    model.variables.iter().any(|v| {
        v.name == name && crate::validate::interpolate::values_of(v).1 == Certainty::Unknowable
    })
}

/// Whether a value inserted after `before` stays inside a string literal or
/// a range `[...]`, where its content cannot change how the query parses.
fn inert_context(before: &str) -> bool {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    let mut bracket = false;
    for c in before.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q != '`' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' | '`' => quote = Some(c),
                '[' => bracket = true,
                ']' => bracket = false,
                _ => {}
            },
        }
    }
    quote.is_some() || bracket
}

fn code(language: QueryLanguage) -> &'static str {
    match language {
        QueryLanguage::PromQL => codes::PROMQL_SYNTAX,
        QueryLanguage::LogQL => codes::LOGQL_SYNTAX,
        _ => codes::TRACEQL_SYNTAX,
    }
}

fn syntax_error(
    target: &Target,
    pointer: String,
    interpolated: &Interpolated,
    failure: Failure,
) -> Finding {
    let language = target.language.label();
    let offset = failure.offset.map(|o| interpolated.original(o));
    let at = match offset {
        Some(o) => format!(" at character {}", o + 1),
        None => String::new(),
    };
    let mut finding =
        Finding::dashboard(
            code(target.language),
            Severity::Error,
            pointer,
            format!(
            "{language} query{} does not parse{at}: {}; the panel shows an error instead of data",
            target.ref_id.as_deref().map(|r| format!(" {r}")).unwrap_or_default(),
            failure.message
        ),
        );
    if let Some(o) = offset {
        finding = finding.with_offset(o);
    }
    if let Some(help) = failure.help {
        finding = finding.with_fix(Fix::describe(help));
    }
    finding
}

fn unverifiable(
    target: &Target,
    refs: &[Reference<'_>],
    pointer: String,
    failure: Failure,
) -> Finding {
    let names: Vec<String> = refs
        .iter()
        .map(|r| format!("${}", r.name))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    Finding::dashboard(
        codes::QUERY_UNVERIFIABLE,
        Severity::Info,
        pointer,
        format!(
            "{} query could not be checked: it parses only for some values of {} (with the values \
             tried: {})",
            target.language.label(),
            names.join(", "),
            failure.message
        ),
    )
}
