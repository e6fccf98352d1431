//! Files of the demo GitOps repository that Dashboard Studio creates when started without `--repo`.
//! All CRD YAML and dashboard JSON is generated here by our own code (serde_json), so it stays consistent.

use serde_json::{json, Value};

/// One file of the demo repository, with a path relative to the repository root.
pub struct DemoFile {
    pub path: String,
    pub content: String,
}

const API_VERSION: &str = "grafana.integreatly.org/v1beta1";
const NAMESPACE: &str = "grafana";
const INSTANCE_SELECTOR: &str =
    "  instanceSelector:\n    matchLabels:\n      dashboards: grafana\n";

/// A folder tier. `folder_ref` names a GrafanaFolder CRD used instead of `spec.folder`.
struct Tier {
    slug: &'static str,
    title: &'static str,
    folder_ref: Option<&'static str>,
    enabled: bool,
}

const TIERS: &[Tier] = &[
    Tier {
        slug: "executive",
        title: "Executive",
        folder_ref: None,
        enabled: true,
    },
    Tier {
        slug: "kubernetes",
        title: "Kubernetes",
        folder_ref: None,
        enabled: true,
    },
    Tier {
        slug: "prometheus",
        title: "Prometheus",
        folder_ref: None,
        enabled: true,
    },
    Tier {
        slug: "loki",
        title: "Loki",
        folder_ref: None,
        enabled: true,
    },
    Tier {
        slug: "tempo",
        title: "Tempo",
        folder_ref: None,
        enabled: true,
    },
    Tier {
        slug: "platform",
        title: "Platform",
        folder_ref: Some("platform"),
        enabled: true,
    },
    Tier {
        slug: "experimental",
        title: "Experimental",
        folder_ref: None,
        enabled: false,
    },
];

/// (metadata name, type/uid, display name, in-cluster URL)
const DATASOURCES: &[(&str, &str, &str, &str)] = &[
    (
        "prometheus",
        "prometheus",
        "Prometheus",
        "http://prometheus-operated.monitoring.svc:9090",
    ),
    (
        "loki",
        "loki",
        "Loki",
        "http://loki-gateway.loki.svc.cluster.local",
    ),
    (
        "tempo",
        "tempo",
        "Tempo",
        "http://tempo-query-frontend.tempo.svc.cluster.local:3100",
    ),
];

struct Dash {
    tier: &'static str,
    name: &'static str,
    json: Value,
}

// ---------- targets ----------

fn ds(kind: &str) -> Value {
    json!({ "type": kind, "uid": kind })
}

fn prom(expr: &str, legend: &str) -> Value {
    let mut t =
        json!({ "refId": "A", "datasource": ds("prometheus"), "expr": expr, "range": true });
    if !legend.is_empty() {
        t["legendFormat"] = json!(legend);
    }
    t
}

fn prom_table(expr: &str) -> Value {
    json!({ "refId": "A", "datasource": ds("prometheus"), "expr": expr, "format": "table", "instant": true, "range": false })
}

fn loki(expr: &str, legend: &str) -> Value {
    let mut t =
        json!({ "refId": "A", "datasource": ds("loki"), "expr": expr, "queryType": "range" });
    if !legend.is_empty() {
        t["legendFormat"] = json!(legend);
    }
    t
}

fn loki_instant(expr: &str) -> Value {
    json!({ "refId": "A", "datasource": ds("loki"), "expr": expr, "queryType": "instant" })
}

fn traceql(query: &str) -> Value {
    json!({ "refId": "A", "datasource": ds("tempo"), "queryType": "traceql", "query": query, "limit": 20, "tableType": "traces" })
}

fn traceql_metrics(query: &str) -> Value {
    json!({ "refId": "A", "datasource": ds("tempo"), "queryType": "traceql", "query": query, "metricsQueryType": "range" })
}

// ---------- panels ----------

type Grid = (u32, u32, u32, u32);

fn panel(
    kind: &str,
    title: &str,
    (x, y, w, h): Grid,
    targets: Vec<Value>,
    options: Value,
) -> Value {
    let mut p = json!({
        "type": kind, "title": title, "gridPos": { "x": x, "y": y, "w": w, "h": h },
        "options": options, "fieldConfig": { "defaults": {}, "overrides": [] },
    });
    if let Some(first) = targets.first() {
        p["datasource"] = first["datasource"].clone();
        let targets: Vec<Value> = targets
            .into_iter()
            .zip(b'A'..=b'Z')
            .map(|(mut t, r)| {
                t["refId"] = json!(char::from(r).to_string());
                t
            })
            .collect();
        p["targets"] = Value::Array(targets);
    }
    p
}

fn reduce() -> Value {
    json!({ "calcs": ["lastNotNull"], "fields": "", "values": false })
}

fn ts(title: &str, g: Grid, targets: Vec<Value>) -> Value {
    let legend = json!({ "displayMode": "list", "placement": "bottom", "showLegend": true });
    panel(
        "timeseries",
        title,
        g,
        targets,
        json!({ "legend": legend, "tooltip": { "mode": "multi", "sort": "desc" } }),
    )
}

fn stat(title: &str, g: Grid, t: Value) -> Value {
    panel(
        "stat",
        title,
        g,
        vec![t],
        json!({ "reduceOptions": reduce(), "colorMode": "value", "graphMode": "area" }),
    )
}

fn gauge(title: &str, g: Grid, t: Value) -> Value {
    panel(
        "gauge",
        title,
        g,
        vec![t],
        json!({ "reduceOptions": reduce(), "showThresholdMarkers": true }),
    )
}

fn bargauge(title: &str, g: Grid, t: Value) -> Value {
    panel(
        "bargauge",
        title,
        g,
        vec![t],
        json!({ "reduceOptions": reduce(), "displayMode": "gradient", "orientation": "horizontal" }),
    )
}

fn table(title: &str, g: Grid, t: Value) -> Value {
    panel(
        "table",
        title,
        g,
        vec![t],
        json!({ "showHeader": true, "cellHeight": "sm" }),
    )
}

fn logs(title: &str, g: Grid, t: Value) -> Value {
    let opts = json!({ "showTime": true, "wrapLogMessage": true, "sortOrder": "Descending", "enableLogDetails": true });
    panel("logs", title, g, vec![t], opts)
}

fn text(title: &str, g: Grid, markdown: &str) -> Value {
    panel(
        "text",
        title,
        g,
        vec![],
        json!({ "mode": "markdown", "content": markdown }),
    )
}

/// A full-width row at `y`; collapsed (children stored inside it) when `children` is non-empty.
fn row(title: &str, y: u32, children: Vec<Value>) -> Value {
    let collapsed = !children.is_empty();
    json!({ "type": "row", "title": title, "gridPos": { "x": 0, "y": y, "w": 24, "h": 1 }, "collapsed": collapsed, "panels": children })
}

fn unit(mut p: Value, unit: &str) -> Value {
    p["fieldConfig"]["defaults"]["unit"] = json!(unit);
    p
}

/// Percent-unit panel with red/yellow/green thresholds (higher is worse unless `higher_is_better`).
fn pct(mut p: Value, higher_is_better: bool) -> Value {
    let steps = if higher_is_better {
        json!([{ "color": "red", "value": null }, { "color": "yellow", "value": 0.99 }, { "color": "green", "value": 0.999 }])
    } else {
        json!([{ "color": "green", "value": null }, { "color": "yellow", "value": 0.7 }, { "color": "red", "value": 0.9 }])
    };
    p["fieldConfig"]["defaults"] = json!({ "unit": "percentunit", "min": 0, "max": 1, "thresholds": { "mode": "absolute", "steps": steps } });
    p
}

// ---------- variables & dashboard ----------

fn var_current(multi: bool, first: &str) -> Value {
    if multi {
        json!({ "text": "All", "value": "$__all" })
    } else {
        json!({ "text": first, "value": first })
    }
}

fn custom_var(name: &str, label: &str, values: &[&str], multi: bool) -> Value {
    let first = values.first().copied().unwrap_or_default();
    let options: Vec<Value> = values
        .iter()
        .map(|v| json!({ "text": v, "value": v, "selected": !multi && *v == first }))
        .collect();
    json!({
        "type": "custom", "name": name, "label": label, "query": values.join(","), "options": options,
        "current": var_current(multi, first), "multi": multi, "includeAll": multi, "hide": 0,
    })
}

fn prom_var(name: &str, label: &str, query: &str, multi: bool) -> Value {
    json!({
        "type": "query", "name": name, "label": label, "datasource": ds("prometheus"), "definition": query,
        "query": { "query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery" },
        "refresh": 2, "sort": 1, "multi": multi, "includeAll": multi, "current": var_current(multi, ""), "hide": 0,
    })
}

fn loki_var(name: &str, label: &str, loki_label: &str) -> Value {
    json!({
        "type": "query", "name": name, "label": label, "datasource": ds("loki"),
        "definition": format!("label_values({loki_label})"),
        "query": { "type": 1, "label": loki_label, "refId": "LokiVariableQueryEditor-VariableQuery" },
        "refresh": 2, "sort": 1, "multi": false, "includeAll": false, "current": {}, "hide": 0,
    })
}

fn dashboard(uid: &str, title: &str, tags: &[&str], vars: Vec<Value>, panels: Vec<Value>) -> Value {
    let mut next = 1u32;
    let mut id = || {
        next += 1;
        json!(next - 1)
    };
    let panels: Vec<Value> = panels
        .into_iter()
        .map(|mut p| {
            p["id"] = id();
            if let Some(children) = p.get_mut("panels").and_then(Value::as_array_mut) {
                for c in children.iter_mut() {
                    c["id"] = id();
                }
            }
            p
        })
        .collect();
    json!({
        "uid": uid, "title": title, "tags": tags, "schemaVersion": 39, "editable": true, "graphTooltip": 1,
        "timezone": "browser", "time": { "from": "now-6h", "to": "now" }, "refresh": "30s",
        "templating": { "list": vars }, "annotations": { "list": [] }, "panels": panels,
    })
}

// ---------- the dashboards ----------

fn dashboards() -> Vec<Dash> {
    let mut d = Vec::new();
    let svc = || {
        custom_var(
            "service",
            "Service",
            &["checkout", "payments", "api", "frontend"],
            false,
        )
    };
    let job = || custom_var("job", "Job", &["api", "checkout", "payments"], false);

    d.push(Dash { tier: "executive", name: "service-overview", json: dashboard("exec-service-overview", "Service Overview", &["executive", "red", "logs", "traces"], vec![svc()], vec![
        text("About", (0, 0, 24, 3), "Golden signals for **$service** from metrics (Prometheus), logs (Loki) and traces (Tempo). Generated by Dashboard Studio."),
        pct(stat("Availability", (0, 3, 6, 4), prom(r#"sum(rate(http_requests_total{service="$service", code!~"5.."}[$__rate_interval])) / sum(rate(http_requests_total{service="$service"}[$__rate_interval]))"#, "")), true),
        unit(stat("p99 latency", (6, 3, 6, 4), prom(r#"histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{service="$service"}[$__rate_interval])))"#, "")), "s"),
        stat("Error log lines", (12, 3, 6, 4), loki(r#"sum(count_over_time({namespace="production", app="$service"} | logfmt | level="error" [$__range]))"#, "")),
        unit(stat("Error spans / s", (18, 3, 6, 4), traceql_metrics(r#"{ resource.service.name = "$service" && status = error } | rate()"#)), "reqps"),
        unit(ts("Requests by status code", (0, 7, 12, 8), vec![prom(r#"sum by (code) (rate(http_requests_total{service="$service"}[$__rate_interval]))"#, "{{code}}")]), "reqps"),
        table("Slow traces (> 500ms)", (12, 7, 12, 8), traceql(r#"{ resource.service.name = "$service" && duration > 500ms }"#)),
        logs("Recent errors", (0, 15, 24, 8), loki(r#"{namespace="production", app="$service"} |= "error" | logfmt | line_format "{{.msg}}""#, "")),
    ]) });

    let avail = |window: &str| {
        format!(
            r#"sum(increase(http_requests_total{{service="$service", code!~"5.."}}[{window}])) / sum(increase(http_requests_total{{service="$service"}}[{window}]))"#
        )
    };
    let burn = |window: &str| {
        format!(
            r#"(sum(rate(http_requests_total{{service="$service", code=~"5.."}}[{window}])) / sum(rate(http_requests_total{{service="$service"}}[{window}]))) / (1 - 0.999)"#
        )
    };
    d.push(Dash { tier: "executive", name: "slo-summary", json: dashboard("exec-slo-summary", "SLO Summary", &["executive", "slo"], vec![svc()], vec![
        pct(gauge("Availability (30d)", (0, 0, 8, 6), prom(&avail("30d"), "")), true),
        pct(gauge("Error budget remaining", (8, 0, 8, 6), prom(&format!("1 - (1 - {}) / (1 - 0.999)", avail("30d")), "")), true),
        stat("Burn rate (1h)", (16, 0, 8, 6), prom(&burn("1h"), "")),
        pct(bargauge("Availability by service", (0, 6, 12, 8), prom(r#"sum by (service) (rate(http_requests_total{code!~"5.."}[$__range])) / sum by (service) (rate(http_requests_total[$__range]))"#, "{{service}}")), true),
        ts("Burn rate windows", (12, 6, 12, 8), vec![prom(&burn("1h"), "1h"), prom(&burn("6h"), "6h")]),
    ]) });

    d.push(Dash { tier: "kubernetes", name: "cluster-overview", json: dashboard("k8s-cluster-overview", "Cluster Overview", &["kubernetes", "capacity"], vec![], vec![
        row("Capacity", 0, vec![]),
        stat("Nodes", (0, 1, 6, 4), prom("count(kube_node_info)", "")),
        stat("Running pods", (6, 1, 6, 4), prom(r#"sum(kube_pod_status_phase{phase="Running"})"#, "")),
        pct(gauge("CPU utilisation", (12, 1, 6, 4), prom(r#"sum(rate(container_cpu_usage_seconds_total{container!=""}[$__rate_interval])) / sum(kube_node_status_allocatable{resource="cpu"})"#, "")), false),
        pct(gauge("Memory utilisation", (18, 1, 6, 4), prom(r#"sum(container_memory_working_set_bytes{container!=""}) / sum(kube_node_status_allocatable{resource="memory"})"#, "")), false),
        ts("CPU by namespace", (0, 5, 24, 8), vec![prom(r#"sum by (namespace) (rate(container_cpu_usage_seconds_total{container!=""}[$__rate_interval]))"#, "{{namespace}}")]),
        row("Network", 13, vec![
            unit(ts("Received by namespace", (0, 14, 12, 8), vec![prom("sum by (namespace) (rate(container_network_receive_bytes_total[$__rate_interval]))", "{{namespace}}")]), "Bps"),
            unit(ts("Transmitted by namespace", (12, 14, 12, 8), vec![prom("sum by (namespace) (rate(container_network_transmit_bytes_total[$__rate_interval]))", "{{namespace}}")]), "Bps"),
        ]),
    ]) });

    d.push(Dash { tier: "kubernetes", name: "namespace-workloads", json: dashboard("k8s-namespace-workloads", "Namespace Workloads", &["kubernetes", "workloads"], vec![prom_var("namespace", "Namespace", "label_values(kube_namespace_status_phase, namespace)", false)], vec![
        stat("Pods", (0, 0, 6, 4), prom(r#"count(kube_pod_info{namespace="$namespace"})"#, "")),
        stat("Restarts (1h)", (6, 0, 6, 4), prom(r#"sum(increase(kube_pod_container_status_restarts_total{namespace="$namespace"}[1h]))"#, "")),
        stat("Pods not ready", (12, 0, 6, 4), prom(r#"sum(kube_pod_status_ready{namespace="$namespace", condition="false"})"#, "")),
        stat("Unavailable replicas", (18, 0, 6, 4), prom(r#"sum(kube_deployment_status_replicas_unavailable{namespace="$namespace"})"#, "")),
        ts("CPU by pod", (0, 4, 12, 8), vec![prom(r#"sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="$namespace", container!=""}[$__rate_interval]))"#, "{{pod}}")]),
        unit(bargauge("Memory by pod (top 10)", (12, 4, 12, 8), prom(r#"topk(10, sum by (pod) (container_memory_working_set_bytes{namespace="$namespace", container!=""}))"#, "{{pod}}")), "bytes"),
        table("Pods", (0, 12, 24, 8), prom_table(r#"kube_pod_info{namespace="$namespace"}"#)),
    ]) });

    let load = |n: &str| {
        prom(
            &format!(r#"node_load{n}{{instance=~"$instance"}}"#),
            &format!("{{{{instance}}}} {n}m"),
        )
    };
    d.push(Dash { tier: "kubernetes", name: "node-health", json: dashboard("k8s-node-health", "Node Health", &["kubernetes", "nodes"], vec![prom_var("instance", "Node", "label_values(node_uname_info, instance)", true)], vec![
        pct(gauge("CPU busy", (0, 0, 8, 6), prom(r#"1 - avg(rate(node_cpu_seconds_total{mode="idle", instance=~"$instance"}[$__rate_interval]))"#, "")), false),
        pct(gauge("Memory used", (8, 0, 8, 6), prom(r#"1 - avg(node_memory_MemAvailable_bytes{instance=~"$instance"} / node_memory_MemTotal_bytes{instance=~"$instance"})"#, "")), false),
        pct(gauge("Fullest filesystem", (16, 0, 8, 6), prom(r#"max(1 - node_filesystem_avail_bytes{instance=~"$instance", fstype!~"tmpfs|overlay"} / node_filesystem_size_bytes{instance=~"$instance", fstype!~"tmpfs|overlay"})"#, "")), false),
        ts("Load average", (0, 6, 12, 8), vec![load("1"), load("5"), load("15")]),
        unit(ts("Network received", (12, 6, 12, 8), vec![prom(r#"sum by (instance) (rate(node_network_receive_bytes_total{instance=~"$instance", device!="lo"}[$__rate_interval]))"#, "{{instance}}")]), "Bps"),
    ]) });

    d.push(Dash { tier: "prometheus", name: "prometheus-health", json: dashboard("prom-health", "Prometheus Health", &["prometheus", "meta-monitoring"], vec![prom_var("job", "Job", "label_values(prometheus_build_info, job)", false)], vec![
        stat("Head series", (0, 0, 6, 4), prom(r#"sum(prometheus_tsdb_head_series{job="$job"})"#, "")),
        unit(stat("Samples appended", (6, 0, 6, 4), prom(r#"sum(rate(prometheus_tsdb_head_samples_appended_total{job="$job"}[$__rate_interval]))"#, "")), "cps"),
        stat("Targets down", (12, 0, 6, 4), prom("count(up == 0) or vector(0)", "")),
        stat("Rule evaluation failures", (18, 0, 6, 4), prom(r#"sum(rate(prometheus_rule_evaluation_failures_total{job="$job"}[$__rate_interval]))"#, "")),
        unit(ts("Slowest scrapes (top 10 jobs)", (0, 4, 12, 8), vec![prom("topk(10, max by (job) (scrape_duration_seconds))", "{{job}}")]), "s"),
        unit(ts("Query latency p99", (12, 4, 12, 8), vec![prom(r#"max by (slice) (prometheus_engine_query_duration_seconds{job="$job", quantile="0.99"})"#, "{{slice}}")]), "s"),
    ]) });

    let q = |p: &str| {
        prom(
            &format!(
                r#"histogram_quantile({p}, sum by (le) (rate(http_request_duration_seconds_bucket{{job="$job"}}[$__rate_interval])))"#
            ),
            &format!("p{}", p.trim_start_matches("0.")),
        )
    };
    d.push(Dash { tier: "prometheus", name: "http-red-metrics", json: dashboard("prom-http-red", "HTTP RED Metrics", &["prometheus", "red", "http"], vec![job()], vec![
        unit(ts("Requests by status code", (0, 0, 12, 8), vec![prom(r#"sum(rate(http_requests_total{job="$job"}[$__rate_interval])) by (code)"#, "{{code}}")]), "reqps"),
        unit(ts("Error ratio", (12, 0, 12, 8), vec![prom(r#"sum(rate(http_requests_total{job="$job", code=~"5.."}[$__rate_interval])) / sum(rate(http_requests_total{job="$job"}[$__rate_interval]))"#, "5xx ratio")]), "percentunit"),
        unit(ts("Latency percentiles", (0, 8, 16, 8), vec![q("0.50"), q("0.90"), q("0.99")]), "s"),
        unit(stat("Request rate", (16, 8, 8, 4), prom(r#"sum(rate(http_requests_total{job="$job"}[$__rate_interval]))"#, "")), "reqps"),
        unit(stat("p99 latency", (16, 12, 8, 4), prom(r#"histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="$job"}[$__rate_interval])))"#, "")), "s"),
    ]) });

    d.push(Dash { tier: "prometheus", name: "alertmanager", json: dashboard("prom-alertmanager", "Alertmanager", &["prometheus", "alerting"], vec![custom_var("severity", "Severity", &["critical", "warning", "info"], true)], vec![
        stat("Firing alerts", (0, 0, 8, 4), prom(r#"count(ALERTS{alertstate="firing", severity=~"$severity"}) or vector(0)"#, "")),
        stat("Active silences", (8, 0, 8, 4), prom(r#"sum(alertmanager_silences{state="active"})"#, "")),
        stat("Failed notifications (1h)", (16, 0, 8, 4), prom("sum(increase(alertmanager_notifications_failed_total[1h]))", "")),
        table("Firing alerts", (0, 4, 24, 8), prom_table(r#"ALERTS{alertstate="firing", severity=~"$severity"}"#)),
        ts("Notifications by integration", (0, 12, 24, 8), vec![prom("sum by (integration) (rate(alertmanager_notifications_total[$__rate_interval]))", "{{integration}}")]),
    ]) });

    d.push(Dash { tier: "loki", name: "application-logs", json: dashboard("loki-application-logs", "Application Logs", &["loki", "logs"], vec![loki_var("namespace", "Namespace", "namespace")], vec![
        ts("Errors and warnings", (0, 0, 24, 8), vec![loki(r#"sum by (level) (count_over_time({namespace="$namespace"} | json | level=~"error|warn" [$__auto]))"#, "{{level}}")]),
        stat("Log lines / s", (0, 8, 8, 4), loki(r#"sum(rate({namespace="$namespace"} [$__auto]))"#, "")),
        unit(stat("Bytes ingested", (8, 8, 8, 4), loki(r#"sum(bytes_over_time({namespace="$namespace"} [$__range]))"#, "")), "bytes"),
        stat("Lines containing \"error\"", (16, 8, 8, 4), loki(r#"sum(count_over_time({namespace="$namespace"} |= "error" [$__range]))"#, "")),
        table("Top error messages", (0, 12, 12, 8), loki_instant(r#"topk(10, sum by (msg) (count_over_time({namespace="$namespace"} | json | level="error" [$__range])))"#)),
        logs("API errors", (12, 12, 12, 8), loki(r#"{namespace="$namespace", app="api"} |= "error" | logfmt | line_format "{{.msg}}""#, "")),
    ]) });

    d.push(Dash { tier: "loki", name: "ingress-access-logs", json: dashboard("loki-ingress-access", "Ingress Access Logs", &["loki", "ingress", "nginx"], vec![custom_var("host", "Host", &["shop.example.com", "api.example.com"], false)], vec![
        ts("Requests by status", (0, 0, 12, 8), vec![loki(r#"sum by (status) (count_over_time({namespace="ingress-nginx"} | json | host="$host" | __error__="" [$__auto]))"#, "{{status}}")]),
        unit(ts("Request time p95 by method", (12, 0, 12, 8), vec![loki(r#"quantile_over_time(0.95, {namespace="ingress-nginx"} | json | host="$host" | unwrap request_time | __error__="" [$__auto]) by (method)"#, "{{method}}")]), "s"),
        bargauge("Top paths", (0, 8, 12, 8), loki_instant(r#"topk(10, sum by (path) (count_over_time({namespace="ingress-nginx"} | json | host="$host" [$__range])))"#)),
        logs("5xx responses", (12, 8, 12, 8), loki(r#"{namespace="ingress-nginx"} | json | host="$host" | status >= 500"#, "")),
    ]) });

    d.push(Dash { tier: "loki", name: "loki-ingestion", json: dashboard("loki-ingestion", "Loki Ingestion", &["loki", "meta-monitoring"], vec![], vec![
        unit(ts("Bytes received by tenant", (0, 0, 12, 8), vec![prom("sum by (tenant) (rate(loki_distributor_bytes_received_total[$__rate_interval]))", "{{tenant}}")]), "Bps"),
        ts("Lines received", (12, 0, 12, 8), vec![prom("sum(rate(loki_distributor_lines_received_total[$__rate_interval]))", "lines/s")]),
        ts("Discarded samples by reason", (0, 8, 12, 8), vec![prom("sum by (reason) (rate(loki_discarded_samples_total[$__rate_interval]))", "{{reason}}")]),
        logs("Loki component errors", (12, 8, 12, 8), loki(r#"{namespace="loki"} | logfmt | level="error""#, "")),
    ]) });

    d.push(Dash { tier: "tempo", name: "trace-explorer", json: dashboard("tempo-trace-explorer", "Trace Explorer", &["tempo", "traces"], vec![svc()], vec![
        ts("5xx span rate by service", (0, 0, 12, 8), vec![traceql_metrics("{ span.http.status_code >= 500 } | rate() by (resource.service.name)")]),
        unit(ts("p99 span duration by route", (12, 0, 12, 8), vec![traceql_metrics(r#"{ resource.service.name = "$service" } | quantile_over_time(duration, 0.99) by (span.http.route)"#)]), "s"),
        table("Slow traces (> 500ms)", (0, 8, 12, 10), traceql(r#"{ resource.service.name = "$service" && duration > 500ms }"#)),
        table("Traces with repeated errors", (12, 8, 12, 10), traceql("{ status = error } | count() > 2")),
        table("Traces with downstream errors", (0, 18, 24, 8), traceql(r#"{ resource.service.name = "$service" } >> { status = error }"#)),
    ]) });

    d.push(Dash { tier: "tempo", name: "tempo-ingestion", json: dashboard("tempo-ingestion", "Tempo Ingestion", &["tempo", "meta-monitoring"], vec![], vec![
        ts("Spans received by tenant", (0, 0, 12, 8), vec![prom("sum by (tenant) (rate(tempo_distributor_spans_received_total[$__rate_interval]))", "{{tenant}}")]),
        ts("Discarded spans by reason", (12, 0, 12, 8), vec![prom("sum by (reason) (rate(tempo_discarded_spans_total[$__rate_interval]))", "{{reason}}")]),
        unit(stat("Query p99", (0, 8, 8, 4), prom(r#"histogram_quantile(0.99, sum by (le) (rate(tempo_request_duration_seconds_bucket{route=~"api_.*"}[$__rate_interval])))"#, "")), "s"),
        stat("Live traces", (0, 12, 8, 4), prom("sum(tempo_ingester_live_traces)", "")),
        table("Slow PostgreSQL spans (> 100ms)", (8, 8, 16, 8), traceql(r#"{ span.db.system = "postgresql" && duration > 100ms }"#)),
    ]) });

    d.push(Dash { tier: "platform", name: "certificates", json: dashboard("platform-certificates", "Certificates", &["platform", "cert-manager"], vec![], vec![
        stat("Certificates", (0, 0, 8, 4), prom("count(certmanager_certificate_expiration_timestamp_seconds)", "")),
        stat("Not ready", (8, 0, 8, 4), prom(r#"count(certmanager_certificate_ready_status{condition="False"} == 1) or vector(0)"#, "")),
        stat("Expiring within 14 days", (16, 0, 8, 4), prom("count((certmanager_certificate_expiration_timestamp_seconds - time()) < 14 * 86400) or vector(0)", "")),
        table("Days until expiry", (0, 4, 24, 8), prom_table("sort((certmanager_certificate_expiration_timestamp_seconds - time()) / 86400)")),
    ]) });

    d.push(Dash { tier: "platform", name: "argocd-applications", json: dashboard("platform-argocd-apps", "Argo CD Applications", &["platform", "argocd", "gitops"], vec![prom_var("project", "Project", "label_values(argocd_app_info, project)", true)], vec![
        bargauge("Apps by sync status", (0, 0, 12, 6), prom(r#"sum by (sync_status) (argocd_app_info{project=~"$project"})"#, "{{sync_status}}")),
        bargauge("Apps by health", (12, 0, 12, 6), prom(r#"sum by (health_status) (argocd_app_info{project=~"$project"})"#, "{{health_status}}")),
        table("Out-of-sync applications", (0, 6, 24, 8), prom_table(r#"argocd_app_info{project=~"$project", sync_status!="Synced"}"#)),
        ts("Failed syncs (1h)", (0, 14, 24, 8), vec![prom(r#"sum by (name) (increase(argocd_app_sync_total{project=~"$project", phase!="Succeeded"}[1h]))"#, "{{name}}")]),
    ]) });

    d.push(Dash { tier: "experimental", name: "cost-explorer", json: dashboard("exp-cost-explorer", "Cost Explorer", &["experimental", "cost"], vec![], vec![
        text("Work in progress", (0, 0, 24, 3), "Prices are placeholders. This dashboard is **disabled** in `kustomization.yaml` until the pricing model is agreed."),
        unit(ts("Estimated CPU cost by namespace", (0, 3, 12, 8), vec![prom(r#"sum by (namespace) (rate(container_cpu_usage_seconds_total{container!=""}[1h])) * 0.031"#, "{{namespace}}")]), "currencyUSD"),
        unit(ts("Estimated memory cost by namespace", (12, 3, 12, 8), vec![prom(r#"sum by (namespace) (container_memory_working_set_bytes{container!=""}) / 1024 ^ 3 * 0.004"#, "{{namespace}}")]), "currencyUSD"),
    ]) });
    d
}

// ---------- rendering ----------

fn dashboard_path(d: &Dash) -> String {
    format!("dashboards/{}/{}.yaml", d.tier, d.name)
}

fn dashboard_crd(name: &str, tier: &Tier, json: &Value) -> String {
    let folder = match tier.folder_ref {
        Some(r) => format!("  folderRef: {r}\n"),
        None => format!("  folder: \"{}\"\n", tier.title),
    };
    let body = serde_json::to_string_pretty(json)
        .expect("dashboard JSON built with json! always serialises");
    let indented: String = body.lines().map(|l| format!("    {l}\n")).collect();
    format!(
        "apiVersion: {API_VERSION}\nkind: GrafanaDashboard\nmetadata:\n  name: {name}\n  namespace: {NAMESPACE}\n  labels:\n    dashboard-tier: {}\nspec:\n{folder}{INSTANCE_SELECTOR}  json: |\n{indented}",
        tier.slug
    )
}

fn datasource_crd(name: &str, kind: &str, display: &str, url: &str) -> String {
    format!(
        "apiVersion: {API_VERSION}\nkind: GrafanaDatasource\nmetadata:\n  name: {name}\n  namespace: {NAMESPACE}\nspec:\n{INSTANCE_SELECTOR}  datasource:\n    name: {display}\n    type: {kind}\n    uid: {kind}\n    access: proxy\n    url: {url}\n    isDefault: {}\n",
        kind == "prometheus"
    )
}

fn folder_crd(name: &str, title: &str) -> String {
    format!("apiVersion: {API_VERSION}\nkind: GrafanaFolder\nmetadata:\n  name: {name}\n  namespace: {NAMESPACE}\nspec:\n  title: \"{title}\"\n{INSTANCE_SELECTOR}")
}

const README: &str = "# Dashboard Studio demo repository

This repository was generated by **Dashboard Studio** because it was started without `--repo`.
It is a small GitOps layout for the [grafana-operator](https://grafana.github.io/grafana-operator/):

- `datasources/` – GrafanaDatasource CRDs for Prometheus, Loki and Tempo
- `folders/` – a GrafanaFolder CRD referenced by the Platform dashboards (`folderRef`)
- `dashboards/<tier>/` – GrafanaDashboard CRDs with the dashboard JSON embedded in `spec.json`
- `kustomization.yaml` – lists every resource, grouped by tier; one experimental dashboard is disabled

Edit dashboards in the studio and commit, or point the studio at your own repository with `--repo`.
";

pub fn demo_files() -> Vec<DemoFile> {
    let dashes = dashboards();
    let mut files = vec![DemoFile {
        path: "README.md".into(),
        content: README.into(),
    }];
    let mut kust = String::from("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  # Datasources\n");
    for (name, kind, display, url) in DATASOURCES {
        let path = format!("datasources/{name}.yaml");
        kust.push_str(&format!("  - {path}\n"));
        files.push(DemoFile {
            path,
            content: datasource_crd(name, kind, display, url),
        });
    }
    kust.push_str("  # Folders\n");
    for t in TIERS.iter().filter(|t| t.enabled) {
        if let Some(r) = t.folder_ref {
            let path = format!("folders/{r}.yaml");
            kust.push_str(&format!("  - {path}\n"));
            files.push(DemoFile {
                path,
                content: folder_crd(r, t.title),
            });
        }
    }
    for t in TIERS {
        let disabled = if t.enabled { "" } else { " (disabled)" };
        kust.push_str(&format!("  # Tier: {}{disabled}\n", t.title));
        for d in dashes.iter().filter(|d| d.tier == t.slug) {
            let path = dashboard_path(d);
            if t.enabled {
                kust.push_str(&format!("  - {path}\n"));
            } else {
                kust.push_str(&format!("  # - {path}  # disabled: work in progress\n"));
            }
            files.push(DemoFile {
                path,
                content: dashboard_crd(d.name, t, &d.json),
            });
        }
    }
    files.insert(
        1,
        DemoFile {
            path: "kustomization.yaml".into(),
            content: kust,
        },
    );
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    fn embedded_json(content: &str) -> Value {
        let lines = content.lines().skip_while(|l| *l != "  json: |").skip(1);
        let body: Vec<&str> = lines
            .map(|l| l.strip_prefix("    ").expect("block scalar indented by 4"))
            .collect();
        serde_json::from_str(&body.join("\n")).expect("embedded dashboard JSON parses")
    }

    fn value_of<'a>(content: &'a str, key: &str) -> Option<&'a str> {
        content
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .map(|v| v.trim().trim_matches('"'))
    }

    /// (path, folder title, dashboard JSON) for every GrafanaDashboard file.
    fn dashboards() -> Vec<(String, String, Value)> {
        let files = demo_files();
        let folder_title = |name: &str| {
            let f = files.iter().find(|f| {
                f.content.contains("kind: GrafanaFolder")
                    && value_of(&f.content, "  name: ") == Some(name)
            });
            value_of(
                &f.expect("folderRef points at a GrafanaFolder").content,
                "  title: ",
            )
            .map(str::to_owned)
        };
        files
            .iter()
            .filter(|f| f.content.contains("\nkind: GrafanaDashboard\n"))
            .map(|f| {
                let folder = match value_of(&f.content, "  folderRef: ") {
                    Some(r) => folder_title(r),
                    None => value_of(&f.content, "  folder: ").map(str::to_owned),
                };
                (
                    f.path.clone(),
                    folder.expect("dashboard has a folder"),
                    embedded_json(&f.content),
                )
            })
            .collect()
    }

    fn all_panels(dash: &Value) -> Vec<&Value> {
        let top = dash["panels"].as_array().expect("panels array");
        top.iter()
            .flat_map(|p| std::iter::once(p).chain(p["panels"].as_array().into_iter().flatten()))
            .collect()
    }

    fn grid(p: &Value) -> (u64, u64, u64, u64) {
        let g = &p["gridPos"];
        let n = |k: &str| g[k].as_u64().expect("gridPos field");
        (n("x"), n("y"), n("w"), n("h"))
    }

    fn assert_no_overlap(name: &str, panels: &[&Value]) {
        for (i, a) in panels.iter().enumerate() {
            let (ax, ay, aw, ah) = grid(a);
            assert!(
                aw > 0 && ah > 0 && ax + aw <= 24,
                "{name}: bad gridPos for {}",
                a["title"]
            );
            for b in &panels[i + 1..] {
                let (bx, by, bw, bh) = grid(b);
                let overlap = ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah;
                assert!(!overlap, "{name}: {} overlaps {}", a["title"], b["title"]);
            }
        }
    }

    #[test]
    fn embedded_json_parses_with_unique_uids_and_titles() {
        let mut uids = BTreeSet::new();
        let mut titles = BTreeSet::new();
        for (path, folder, d) in dashboards() {
            let uid = d["uid"].as_str().expect("uid");
            assert!(
                uid.len() <= 40
                    && uid
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
                "{path}: uid {uid}"
            );
            assert!(uids.insert(uid.to_owned()), "duplicate uid {uid}");
            let title = d["title"].as_str().expect("title").to_owned();
            assert!(
                titles.insert((folder, title)),
                "{path}: duplicate title in folder"
            );
            assert_eq!(d["schemaVersion"], 39, "{path}");
            assert!(
                d["templating"]["list"].is_array()
                    && d["time"]["from"].is_string()
                    && d["refresh"].is_string(),
                "{path}"
            );
        }
    }

    #[test]
    fn enough_dashboards_and_folders() {
        let dashes = dashboards();
        assert!(dashes.len() >= 12, "only {} dashboards", dashes.len());
        let folders: BTreeSet<&str> = dashes.iter().map(|(_, f, _)| f.as_str()).collect();
        assert!(folders.len() >= 5, "folders: {folders:?}");
        for (path, _, _) in &dashes {
            assert!(
                path.starts_with("dashboards/") && path.ends_with(".yaml"),
                "{path}"
            );
        }
    }

    #[test]
    fn kustomization_lists_every_crd() {
        let files = demo_files();
        let kust = &files
            .iter()
            .find(|f| f.path == "kustomization.yaml")
            .expect("kustomization.yaml")
            .content;
        assert!(kust.starts_with(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n"
        ));
        let listed: BTreeSet<&str> = kust
            .lines()
            .filter_map(|l| l.strip_prefix("  - "))
            .collect();
        let disabled: BTreeSet<&str> = kust
            .lines()
            .filter_map(|l| l.strip_prefix("  # - "))
            .map(|l| {
                l.split_once("  # disabled:")
                    .expect("disabled entries give a reason")
                    .0
            })
            .collect();
        assert!(!disabled.is_empty() && listed.is_disjoint(&disabled));
        let crds: BTreeSet<&str> = files
            .iter()
            .filter(|f| {
                f.content
                    .starts_with("apiVersion: grafana.integreatly.org/")
            })
            .map(|f| f.path.as_str())
            .collect();
        for path in &crds {
            assert!(
                listed.contains(path) || disabled.contains(path),
                "{path} not in kustomization.yaml"
            );
        }
        for path in listed.iter().chain(&disabled) {
            assert!(
                crds.contains(path),
                "kustomization lists missing file {path}"
            );
        }
        assert!(kust.lines().any(|l| l.starts_with("  # Tier: ")));
        let defaults: Vec<&str> = files
            .iter()
            .filter(|f| f.content.contains("isDefault: true"))
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(defaults, ["datasources/prometheus.yaml"]);
        assert!(
            files.iter().all(|f| !f.content.contains('\t')),
            "tabs are not valid YAML indentation"
        );
    }

    #[test]
    fn panels_fit_the_grid_without_overlap() {
        let (mut expanded_rows, mut collapsed_rows) = (0, 0);
        for (path, _, d) in dashboards() {
            let top: Vec<&Value> = d["panels"].as_array().expect("panels").iter().collect();
            assert_no_overlap(&path, &top);
            let all = all_panels(&d);
            let visual = all.iter().filter(|p| p["type"] != "row").count();
            assert!((3..=8).contains(&visual), "{path}: {visual} non-row panels");
            let ids: BTreeSet<u64> = all.iter().map(|p| p["id"].as_u64().expect("id")).collect();
            assert_eq!(ids.len(), all.len(), "{path}: duplicate panel ids");
            for r in top.iter().filter(|p| p["type"] == "row") {
                let (x, y, w, h) = grid(r);
                assert_eq!((x, w, h), (0, 24, 1), "{path}: row gridPos");
                let children: Vec<&Value> =
                    r["panels"].as_array().expect("row panels").iter().collect();
                if r["collapsed"] == true {
                    collapsed_rows += 1;
                    assert!(
                        !children.is_empty(),
                        "{path}: collapsed row without children"
                    );
                    assert!(
                        children.iter().all(|c| grid(c).1 > y && c["type"] != "row"),
                        "{path}: child above its row"
                    );
                    assert_no_overlap(&path, &children);
                } else {
                    expanded_rows += 1;
                    assert!(
                        children.is_empty(),
                        "{path}: expanded row keeps its panels at top level"
                    );
                }
            }
        }
        assert!(expanded_rows >= 1 && collapsed_rows >= 1);
    }

    #[test]
    fn every_query_language_is_used() {
        let mut langs: BTreeMap<String, usize> = BTreeMap::new();
        let mut exec_mixed = false;
        for (path, folder, d) in dashboards() {
            let mut here = BTreeSet::new();
            for p in all_panels(&d) {
                let Some(targets) = p["targets"].as_array() else {
                    continue;
                };
                assert_eq!(
                    p["datasource"], targets[0]["datasource"],
                    "{path}: panel datasource"
                );
                for t in targets {
                    let kind = t["datasource"]["type"].as_str().expect("target datasource");
                    let key = if kind == "tempo" { "query" } else { "expr" };
                    assert!(
                        t[key].as_str().is_some_and(|q| !q.is_empty()),
                        "{path}: empty {kind} query"
                    );
                    assert_eq!(t["datasource"]["uid"], kind, "{path}");
                    if kind == "tempo" {
                        assert_eq!(t["queryType"], "traceql", "{path}");
                    }
                    *langs.entry(kind.to_owned()).or_default() += 1;
                    here.insert(kind);
                }
            }
            match folder.as_str() {
                "Loki" => assert!(here.contains("loki"), "{path}: Loki tier without LogQL"),
                "Tempo" => assert!(here.contains("tempo"), "{path}: Tempo tier without TraceQL"),
                "Executive" => exec_mixed |= here.len() == 3,
                _ => {}
            }
        }
        for lang in ["prometheus", "loki", "tempo"] {
            assert!(
                langs.get(lang).copied().unwrap_or(0) > 0,
                "no {lang} targets"
            );
        }
        assert!(
            exec_mixed,
            "no Executive dashboard mixes PromQL, LogQL and TraceQL"
        );
    }

    #[test]
    fn every_variable_is_defined() {
        for (path, _, d) in dashboards() {
            let defined: BTreeSet<&str> = d["templating"]["list"]
                .as_array()
                .expect("templating")
                .iter()
                .filter_map(|v| v["name"].as_str())
                .collect();
            for p in all_panels(&d) {
                for t in p["targets"].as_array().into_iter().flatten() {
                    let q = t["expr"]
                        .as_str()
                        .or(t["query"].as_str())
                        .unwrap_or_default();
                    for part in q.split('$').skip(1) {
                        let part = part.strip_prefix('{').unwrap_or(part);
                        let name: String = part
                            .chars()
                            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                            .collect();
                        assert!(
                            name.starts_with("__") || defined.contains(name.as_str()),
                            "{path}: undefined ${name} in {q}"
                        );
                    }
                }
            }
        }
    }
}
