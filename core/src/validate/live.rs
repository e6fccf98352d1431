//! What the browser's editor computes on every keystroke, with no server:
//! a query's parse problems (with byte spans into the text as typed) and the
//! React replacement of an Angular-era panel type.

use serde::{Deserialize, Serialize};

use super::checks;
use super::checks::queries::{parse, stand_in, STAND_INS};
use super::codes;
use super::finding::Severity;
use super::interpolate::{interpolate, values_of, Certainty};
use crate::model::{DashboardModel, Panel, QueryLanguage, Variable};

/// One problem of a query, located in the text as the user typed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryProblem {
    /// Byte offsets into the query (`start == end`: a position, e.g. the end
    /// of input; `None` when the parser does not say where).
    pub start: Option<usize>,
    pub end: Option<usize>,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
}

/// The problems of `query` in `language` after Grafana's interpolation of the
/// dashboard's `variables`. Empty when it parses, when it is blank, or when
/// its language is not one we parse. A failure that another value of a
/// run-time variable would avoid is an `Info`, not an error.
pub fn query_problems(
    language: QueryLanguage,
    query: &str,
    variables: &[Variable],
) -> Vec<QueryProblem> {
    if query.trim().is_empty() || language == QueryLanguage::Other {
        return Vec::new();
    }
    let first = interpolate(query, variables, &stand_in);
    let Err(failure) = parse(language, &first.text) else {
        return Vec::new();
    };
    let mut severity = Severity::Error;
    if first.first_unknowable.is_some() {
        let parses_with = |s: &str| {
            let again = interpolate(query, variables, &|_| s.to_owned());
            parse(language, &again.text).is_ok()
        };
        if STAND_INS.iter().any(|s| parses_with(s)) {
            return Vec::new();
        }
        let unknowable = variables
            .iter()
            .any(|v| values_of(v).1 == Certainty::Unknowable && query.contains(&v.name));
        if unknowable && failure.offset.is_none() {
            severity = Severity::Info;
        }
    }
    let map = |o: usize| first.original(o).min(query.len());
    let start = failure.offset.map(map);
    let end = failure
        .end
        .map(map)
        .zip(start)
        .map(|(e, s)| e.max(s))
        .or(start);
    vec![QueryProblem {
        start,
        end,
        severity,
        message: failure.message,
        help: failure.help,
    }]
}

/// The panel type Grafana migrates an Angular-era `panel_type` to, as the
/// `panel/deprecated-type` check names it; `None` for a current type.
pub fn panel_type_replacement(panel_type: &str) -> Option<String> {
    let model = DashboardModel {
        panels: vec![Panel {
            id: Some(1),
            r#type: panel_type.to_owned(),
            title: String::new(),
            grid_pos: None,
            datasource: None,
            targets: Vec::new(),
            panels: Vec::new(),
            collapsed: false,
            pointer: "/panels/0".to_owned(),
        }],
        ..DashboardModel::default()
    };
    let mut findings = Vec::new();
    checks::panels::run(&model, &mut findings);
    findings
        .into_iter()
        .find(|f| f.code == codes::PANEL_DEPRECATED_TYPE)
        .and_then(|f| f.fix)
        .and_then(|f| f.replacement)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variable(name: &str, kind: &str, current: Option<&str>) -> Variable {
        Variable {
            pointer: String::new(),
            name: name.to_owned(),
            r#type: kind.to_owned(),
            query: None,
            current: current.map(str::to_owned),
            multi: false,
            include_all: false,
            all_value: None,
            options: Vec::new(),
        }
    }

    #[test]
    fn valid_and_blank_queries_have_no_problems() {
        for (language, query) in [
            (
                QueryLanguage::PromQL,
                "sum(rate(http_requests_total[5m])) by (job)",
            ),
            (QueryLanguage::LogQL, r#"{app="api"} |= "error""#),
            (
                QueryLanguage::TraceQL,
                r#"{ span.http.status_code >= 500 }"#,
            ),
            (QueryLanguage::PromQL, "   "),
            (QueryLanguage::Other, "SELECT ("),
        ] {
            assert_eq!(query_problems(language, query, &[]), vec![], "{query}");
        }
    }

    #[test]
    fn broken_queries_report_an_error() {
        for (language, query) in [
            (QueryLanguage::PromQL, "sum(rate(http_requests_total[5m])"),
            (QueryLanguage::LogQL, r#"{app="api"} |== "error""#),
            (QueryLanguage::TraceQL, r#"{ span.http.status_code >= }"#),
        ] {
            let problems = query_problems(language, query, &[]);
            assert_eq!(problems.len(), 1, "{query}: {problems:?}");
            let p = &problems[0];
            assert_eq!(p.severity, Severity::Error, "{query}");
            assert!(!p.message.is_empty(), "{query}");
            if let (Some(s), Some(e)) = (p.start, p.end) {
                assert!(s <= e && e <= query.len(), "{query}: {s}..{e}");
            }
        }
    }

    #[test]
    fn promql_errors_are_located_in_the_text_as_typed() {
        // A variable before the error expands to something longer.
        let vars = [variable("job", "constant", Some("a-very-long-job-name"))];
        let query = r#"sum(rate(x{job="$job"}[5m]))) by (pod)"#;
        let problems = query_problems(QueryLanguage::PromQL, query, &vars);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let p = &problems[0];
        let stray = query.rfind(')').expect(")");
        let stray = query[..stray].rfind(')').expect(")");
        assert_eq!((p.start, p.end), (Some(stray), Some(stray + 1)), "{p:?}");
        // A grammar error: no position (promql-parser drops it).
        let problems = query_problems(QueryLanguage::PromQL, "sum(rate(x[5m])) by pod", &[]);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].start, None);
    }

    #[test]
    fn logql_spans_point_into_the_text_as_typed() {
        // The variable expands to something longer: the span still points at `|==`.
        let vars = [variable("ns", "constant", Some("a-very-long-namespace"))];
        let query = r#"{namespace="$ns"} |== "x""#;
        let problems = query_problems(QueryLanguage::LogQL, query, &vars);
        assert_eq!(problems.len(), 1, "{problems:?}");
        let start = problems[0].start.expect("LogQL errors have a span");
        assert!(
            query[start..].starts_with("|=") || query[start..].starts_with('='),
            "span starts at {:?}",
            &query[start..]
        );
    }

    #[test]
    fn runtime_variables_do_not_make_false_errors() {
        let vars = [variable("job", "query", None)];
        assert_eq!(
            query_problems(QueryLanguage::PromQL, r#"up{job="$job"}"#, &vars),
            vec![]
        );
        assert_eq!(
            query_problems(QueryLanguage::PromQL, "rate(x[$__rate_interval])", &[]),
            vec![]
        );
    }

    #[test]
    fn angular_types_name_their_replacement() {
        assert_eq!(
            panel_type_replacement("graph").as_deref(),
            Some("timeseries")
        );
        assert_eq!(
            panel_type_replacement("singlestat").as_deref(),
            Some("stat")
        );
        assert_eq!(panel_type_replacement("timeseries"), None);
    }
}
