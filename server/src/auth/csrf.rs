//! CSRF protection for requests a browser could be tricked into sending:
//! every state-changing request (not GET/HEAD/OPTIONS) that does not carry
//! an `Authorization: Bearer` token must prove it comes from our own pages.
//!
//! Proof, in order: `Sec-Fetch-Site: same-origin` (or `none`, typed by the
//! user), which every current browser sends; without it, an `Origin` whose
//! host is this server's `Host`; without either (non-browser clients using a
//! cookie), the header `X-Dashstudio-Csrf: 1`, which a cross-site page cannot
//! set without a CORS preflight this server never grants. The hydrated app's
//! server functions are same-origin `fetch`es, so they pass unchanged.

use axum::http::{header, HeaderMap, Method};

/// The header non-browser clients send with a session cookie.
pub const CSRF_HEADER: &str = "x-dashstudio-csrf";

/// Whether the request may change state; `Err` says why not.
pub fn check(method: &Method, headers: &HeaderMap) -> Result<(), String> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if text(header::AUTHORIZATION.as_str()).is_some_and(|a| a.starts_with("Bearer ")) {
        return Ok(());
    }
    if let Some(site) = text("sec-fetch-site") {
        return match site {
            "same-origin" | "none" => Ok(()),
            other => Err(format!(
                "cross-site request refused (Sec-Fetch-Site: {other}): state-changing requests must come from the studio's own pages"
            )),
        };
    }
    if let Some(origin) = text(header::ORIGIN.as_str()) {
        let host = text(header::HOST.as_str()).unwrap_or_default();
        let origin_host = origin
            .split_once("://")
            .map_or("", |(_, rest)| rest.trim_end_matches('/'));
        return if !host.is_empty() && origin_host.eq_ignore_ascii_case(host) {
            Ok(())
        } else {
            Err(format!(
                "cross-origin request refused (Origin {origin} is not this server)"
            ))
        };
    }
    if text(CSRF_HEADER) == Some("1") {
        return Ok(());
    }
    Err(format!(
        "request refused: a state-changing request with a session needs a same-origin `Origin` or `Sec-Fetch-Site` header, or `{CSRF_HEADER}: 1` (API clients: use a bearer token instead)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_same_origin_browser_requests_and_bearer_tokens_pass() {
        let post = Method::POST;
        assert!(check(&Method::GET, &headers(&[])).is_ok());
        assert!(check(&post, &headers(&[])).is_err());
        assert!(check(&post, &headers(&[("authorization", "Bearer x")])).is_ok());
        assert!(check(&post, &headers(&[("sec-fetch-site", "same-origin")])).is_ok());
        assert!(check(&post, &headers(&[("sec-fetch-site", "cross-site")])).is_err());
        assert!(check(&post, &headers(&[("sec-fetch-site", "same-site")])).is_err());
        let same = [("host", "studio:3000"), ("origin", "http://studio:3000")];
        assert!(check(&post, &headers(&same)).is_ok());
        let other = [("host", "studio:3000"), ("origin", "https://evil.example")];
        assert!(check(&Method::DELETE, &headers(&other)).is_err());
        assert!(check(&post, &headers(&[("origin", "null")])).is_err());
        assert!(check(&post, &headers(&[(CSRF_HEADER, "1")])).is_ok());
    }
}
