//! Small formatting helpers shared by the pages: URL paths and byte sizes.

/// Percent-encode one URL path segment (everything but unreserved characters).
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The page of a folder tier.
pub fn folder_href(title: &str) -> String {
    format!("/folders/{}", encode_segment(title))
}

/// The page of a dashboard.
pub fn dashboard_href(namespace: &str, name: &str) -> String {
    format!(
        "/dashboards/{}/{}",
        encode_segment(namespace),
        encode_segment(name)
    )
}

/// A panel's title as shown; Grafana allows empty ones.
pub fn panel_title(title: &str) -> String {
    if title.is_empty() {
        "(untitled)".to_owned()
    } else {
        title.to_owned()
    }
}

/// `1.2 KB`-style sizes.
pub fn bytes(n: u64) -> String {
    match n {
        0..=1023 => format!("{n} B"),
        1024..=1_048_575 => format!("{:.1} KB", n as f64 / 1024.0),
        _ => format!("{:.1} MB", n as f64 / 1_048_576.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_segments() {
        assert_eq!(encode_segment("Executive Overview"), "Executive%20Overview");
        assert_eq!(encode_segment("a/b?c"), "a%2Fb%3Fc");
        assert_eq!(encode_segment("Zürich"), "Z%C3%BCrich");
        assert_eq!(
            dashboard_href("grafana", "k8s-etcd"),
            "/dashboards/grafana/k8s-etcd"
        );
    }

    #[test]
    fn formats_sizes() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(2048), "2.0 KB");
        assert_eq!(bytes(3 * 1_048_576), "3.0 MB");
    }
}
