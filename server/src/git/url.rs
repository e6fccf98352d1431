//! Where a repository comes from: a local path or a remote URL, and the
//! redaction that keeps credentials out of logs, errors and API responses.

use std::fmt;
use std::path::{Path, PathBuf};

use super::GitError;

/// How the server reaches `origin`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// A directory on this machine, cloned through `file://`.
    Local,
    /// `http://` or `https://` (a token goes in as the Basic password).
    Http,
    /// `ssh://` or `user@host:path` (a key file or the agent).
    Ssh,
    /// `git://` (no authentication).
    Git,
}

/// The repository given with `--repo`: a local path or a URL.
///
/// Display and Debug show the redacted form; a password found in the URL is
/// kept apart and only ever handed to the credentials callback.
#[derive(Clone)]
pub struct Source {
    transport: Transport,
    /// What libgit2 connects to: no password, no query string.
    url: String,
    password: Option<String>,
}

impl Source {
    /// Parse `--repo`. A local path must exist; it becomes a `file://` URL.
    pub fn parse(input: &str) -> Result<Source, GitError> {
        let input = input.trim();
        let invalid = |reason: &str| GitError::InvalidSource {
            source_url: redact(input),
            reason: reason.to_string(),
        };
        if input.is_empty() {
            return Err(invalid("it is empty"));
        }
        if let Some((scheme, rest)) = input.split_once("://") {
            let transport = match scheme.to_ascii_lowercase().as_str() {
                "https" | "http" => Transport::Http,
                "ssh" => Transport::Ssh,
                "git" => Transport::Git,
                "file" => {
                    if !rest.starts_with('/') {
                        return Err(invalid("a file:// URL needs an absolute path"));
                    }
                    return Source::local(Path::new(rest))
                        .map_err(|_| invalid("no such directory"));
                }
                _ => return Err(invalid("the scheme is not https, http, ssh, git or file")),
            };
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let (userinfo, host) = match authority.rsplit_once('@') {
                Some((userinfo, host)) => (Some(userinfo), host),
                None => (None, authority),
            };
            if host.is_empty() {
                return Err(invalid("the URL names no host"));
            }
            let (user, password) = match userinfo {
                Some(info) => match info.split_once(':') {
                    Some((user, password)) => (Some(user), Some(percent_decode(password))),
                    None => (Some(info), None),
                },
                None => (None, None),
            };
            let path = strip_query(path);
            let url = match user.filter(|u| !u.is_empty()) {
                Some(user) => format!("{scheme}://{user}@{host}{path}"),
                None => format!("{scheme}://{host}{path}"),
            };
            return Ok(Source {
                transport,
                url,
                password: password.filter(|p| !p.is_empty()),
            });
        }
        if is_scp_like(input) {
            return Ok(Source {
                transport: Transport::Ssh,
                url: input.to_string(),
                password: None,
            });
        }
        Source::local(Path::new(input)).map_err(|_| invalid("no such directory"))
    }

    fn local(path: &Path) -> Result<Source, std::io::Error> {
        let path: PathBuf = path.canonicalize()?;
        if !path.is_dir() {
            return Err(std::io::Error::from(std::io::ErrorKind::NotADirectory));
        }
        Ok(Source {
            transport: Transport::Local,
            url: format!("file://{}", path.display()),
            password: None,
        })
    }

    /// How `origin` is reached.
    pub fn transport(&self) -> Transport {
        self.transport
    }

    /// The URL `origin` is set to: no password, safe to store in `.git/config`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A password that was written into the URL (used when no token is given).
    pub(super) fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.url))
    }
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Source")
            .field("transport", &self.transport)
            .field("url", &redact(&self.url))
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// `user@host:path`, the scp-like form of an SSH URL (not `C:\…`, not `./a:b`).
fn is_scp_like(input: &str) -> bool {
    let Some((before, _)) = input.split_once(':') else {
        return false;
    };
    let host = before.rsplit_once('@').map_or(before, |(_, host)| host);
    !before.contains('/') && host.len() > 1 && !input.starts_with('.')
}

fn strip_query(path: &str) -> &str {
    let end = path.find(['?', '#']).unwrap_or(path.len());
    &path[..end]
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A URL fit for logs, errors and API responses: no user, no password, no
/// query string. Anything that is not a URL comes back unchanged.
pub fn redact(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://") {
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let host = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        let path = strip_query(path);
        let query = if path.len() < rest.len() - authority.len() {
            "?…"
        } else {
            ""
        };
        return format!("{scheme}://{host}{path}{query}");
    }
    if is_scp_like(url) {
        if let Some((_, host_path)) = url.split_once('@') {
            return host_path.to_string();
        }
    }
    url.to_string()
}

/// A message from libgit2 or the OS made safe to show: every URL in it is
/// redacted and every secret is replaced by `***`.
pub(crate) fn scrub(message: &str, secrets: &[&str]) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("://") {
        let start = rest[..at]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.'))
            .map_or(0, |i| i + 1);
        let end = rest[at..]
            .find(|c: char| c.is_whitespace() || matches!(c, '\'' | '"' | '<' | '>' | '`'))
            .map_or(rest.len(), |i| at + i);
        out.push_str(&rest[..start]);
        out.push_str(&redact(&rest[start..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        out = out.replace(secret, "***");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_every_kind_of_url() {
        let cases = [
            (
                "https://x-access-token:ghp_secret@github.com/org/repo.git",
                "https://github.com/org/repo.git",
            ),
            (
                "https://ghp_secret@github.com/org/repo",
                "https://github.com/org/repo",
            ),
            (
                "http://user:p%40ss@127.0.0.1:8080/r.git?token=abc",
                "http://127.0.0.1:8080/r.git?…",
            ),
            (
                "ssh://git@example.com:2222/org/repo.git",
                "ssh://example.com:2222/org/repo.git",
            ),
            ("git@github.com:org/repo.git", "github.com:org/repo.git"),
            ("file:///srv/git/repo.git", "file:///srv/git/repo.git"),
            ("/srv/git/repo", "/srv/git/repo"),
            ("https://github.com", "https://github.com"),
        ];
        for (input, want) in cases {
            assert_eq!(redact(input), want, "{input}");
        }
    }

    #[test]
    fn scrubs_urls_and_secrets_inside_messages() {
        let msg = "failed to connect to 'https://u:tok123@host/r.git': token tok123 refused";
        assert_eq!(
            scrub(msg, &["tok123"]),
            "failed to connect to 'https://host/r.git': token *** refused"
        );
        assert_eq!(scrub("plain message", &[""]), "plain message");
    }

    #[test]
    fn parses_sources() {
        let s = Source::parse("https://bot:tok%2Fen@git.example.com/org/dash.git").expect("https");
        assert_eq!(s.transport(), Transport::Http);
        assert_eq!(s.url(), "https://bot@git.example.com/org/dash.git");
        assert_eq!(s.password(), Some("tok/en"));
        assert!(!format!("{s:?} {s}").contains("tok"));

        let s = Source::parse("git@github.com:org/repo.git").expect("scp");
        assert_eq!(s.transport(), Transport::Ssh);
        assert_eq!(s.url(), "git@github.com:org/repo.git");

        let s = Source::parse("ssh://git@host/x").expect("ssh");
        assert_eq!(s.transport(), Transport::Ssh);

        let dir = tempfile::tempdir().expect("tempdir");
        let s = Source::parse(&dir.path().display().to_string()).expect("local");
        assert_eq!(s.transport(), Transport::Local);
        assert!(s.url().starts_with("file:///"));

        for bad in [
            "",
            "ftp://host/x",
            "https://",
            "/no/such/dir/anywhere",
            "file://relative",
        ] {
            assert!(Source::parse(bad).is_err(), "{bad}");
        }
    }
}
