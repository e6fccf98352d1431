//! Warnings for queries that parse but that Tempo rejects when it validates
//! them or that rarely mean what was written, each with a fix.

use crate::syntax::ParseError;

use super::ast::*;

/// Problems in a parsed query that are not syntax errors.
pub fn lint(query: &Query) -> Vec<ParseError> {
    let mut out = Vec::new();
    match &query.body {
        Body::Pipeline(p) => pipeline(p, &mut out),
        Body::ScalarPipelineFilter(_) => {}
        Body::Metrics(m) => {
            pipeline(&m.pipeline, &mut out);
            if let Some(s) = &m.function.selection {
                filter(s, &mut out);
            }
        }
    }
    out
}

fn pipeline(p: &Pipeline, out: &mut Vec<ParseError>) {
    for stage in &p.stages {
        if let Stage::Spansets(e) = stage {
            spansets(e, out);
        }
    }
}

fn spansets(e: &SpansetExpr, out: &mut Vec<ParseError>) {
    match e {
        SpansetExpr::Filter(f) => filter(f, out),
        SpansetExpr::Group { pipeline: p, .. } => pipeline(p, out),
        SpansetExpr::Binary { operands, .. } => {
            for e in operands.iter() {
                spansets(e, out);
            }
        }
        SpansetExpr::Chain { first, rest, .. } => {
            spansets(first, out);
            for (_, _, e) in rest {
                spansets(e, out);
            }
        }
    }
}

fn filter(f: &SpansetFilter, out: &mut Vec<ParseError>) {
    if let Some(c) = &f.condition {
        field(c, out);
    }
}

/// `op` applied to `left` and `right`, then what `right` holds.
fn operator(left: &FieldExpr, op: BinaryOp, right: &FieldExpr, out: &mut Vec<ParseError>) {
    if matches!(
        op,
        BinaryOp::Eq | BinaryOp::Neq | BinaryOp::Lt | BinaryOp::Lte | BinaryOp::Gt | BinaryOp::Gte
    ) {
        compare(left, right, out);
        compare(right, left, out);
    }
    field(right, out);
}

fn field(e: &FieldExpr, out: &mut Vec<ParseError>) {
    match e {
        FieldExpr::Binary { op, operands, .. } => {
            let [left, right] = &**operands;
            field(left, out);
            operator(left, *op, right, out);
        }
        FieldExpr::Chain { first, rest, .. } => {
            let mut left: &FieldExpr = first;
            field(first, out);
            for (op, _, right) in rest {
                operator(left, *op, right, out);
                left = right;
            }
        }
        FieldExpr::Paren { inner, .. } => field(inner, out),
        FieldExpr::Unary { operand, .. } | FieldExpr::Existence { operand, .. } => {
            field(operand, out)
        }
        _ => {}
    }
}

/// `status = "error"`: intrinsics with enum values compared to strings;
/// `duration > 100`: a duration compared to a number without a unit.
fn compare(intrinsic: &FieldExpr, value: &FieldExpr, out: &mut Vec<ParseError>) {
    let FieldExpr::Field(Field::Intrinsic { intrinsic, .. }) = intrinsic else {
        return;
    };
    if let FieldExpr::Static(Static {
        value: Value::Int(_) | Value::Float(_),
        span,
    }) = value
    {
        if matches!(
            intrinsic,
            Intrinsic::Duration | Intrinsic::TraceDuration | Intrinsic::EventTimeSinceStart
        ) {
            out.push(
                ParseError::new(*span, "a duration compared with a number without a unit")
                    .expected(&["duration"])
                    .help("Tempo reads a bare number as nanoseconds; write a unit: `100ms`, `1s`"),
            );
        }
        return;
    }
    let FieldExpr::Static(Static {
        value: Value::String(text),
        span,
    }) = value
    else {
        return;
    };
    let (what, values): (&str, &[&str]) = match intrinsic {
        Intrinsic::Status => ("status", &["ok", "error", "unset"]),
        Intrinsic::Kind => (
            "kind",
            &[
                "unspecified",
                "internal",
                "server",
                "client",
                "producer",
                "consumer",
            ],
        ),
        _ => return,
    };
    let mut e = ParseError::new(
        *span,
        format!("`{what}` is compared with a string, but its values are keywords"),
    )
    .expected(values);
    let lower = text.to_ascii_lowercase();
    if values.contains(&lower.as_str()) {
        e = e.help(format!("remove the quotes: `{what} = {lower}`"));
    } else {
        e = e.help(format!("use one of: {}", values.join(", ")));
    }
    out.push(e);
}
