//! Owner and repository from a Git remote URL (`https://github.com/o/r.git`,
//! `git@github.com:o/r.git`, `ssh://…`), and the settings a person gives,
//! completed from that URL into a [`ForgeConfig`].

use std::time::Duration;

use reqwest::Url;

use super::{ForgeConfig, ForgeError, ForgeKind, Secret, DEFAULT_TIMEOUT};

/// A repository as a remote URL names it. Credentials in the URL are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteRepo {
    /// Lower-cased host name, without port.
    pub host: String,
    pub owner: String,
    pub repo: String,
}

impl RemoteRepo {
    /// Read `url`, a scheme URL or scp-like `user@host:owner/repo.git`.
    /// The last two path segments are owner and repository, so a Gitea
    /// served under a sub-path works too.
    pub fn parse(url: &str) -> Result<Self, ForgeError> {
        let url = url.trim();
        let unusable = |why: &str| {
            ForgeError::Config(format!("cannot read the remote URL {}: {why}", redact(url)))
        };
        let (host, path) = if url.contains("://") {
            let parsed = Url::parse(url).map_err(|e| unusable(&e.to_string()))?;
            if !matches!(
                parsed.scheme(),
                "https" | "http" | "ssh" | "git" | "git+ssh"
            ) {
                return Err(unusable("not a forge URL"));
            }
            let host = parsed
                .host_str()
                .ok_or_else(|| unusable("no host"))?
                .to_owned();
            (host, parsed.path().to_owned())
        } else {
            // scp-like: [user@]host:path, the colon before any slash.
            let colon = url.find(':').ok_or_else(|| unusable("not a forge URL"))?;
            let (authority, path) = (&url[..colon], &url[colon + 1..]);
            if authority.contains('/') || authority.contains('\\') {
                return Err(unusable("a local path, not a forge URL"));
            }
            let host = authority.rsplit('@').next().unwrap_or(authority);
            if host.is_empty() {
                return Err(unusable("no host"));
            }
            (host.to_owned(), path.to_owned())
        };
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let [.., owner, repo] = segments.as_slice() else {
            return Err(unusable("expected …/owner/repository"));
        };
        let (owner, repo) = (*owner, *repo);
        let repo = repo.strip_suffix(".git").unwrap_or(repo);
        if repo.is_empty() {
            return Err(unusable("no repository name"));
        }
        Ok(Self {
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_ascii_lowercase(),
            owner: owner.to_owned(),
            repo: repo.to_owned(),
        })
    }

    /// The forge this host is known to be, if any: github.com is GitHub;
    /// every other host (GitHub Enterprise, Gitea, Forgejo) must be named.
    pub fn kind(&self) -> Option<ForgeKind> {
        matches!(
            self.host.as_str(),
            "github.com" | "www.github.com" | "ssh.github.com"
        )
        .then_some(ForgeKind::GitHub)
    }
}

/// The URL with any `user:password@` blanked, for messages.
fn redact(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("***");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// What a person configured; each missing part is taken from the remote URL
/// where it can be (owner, repository, and GitHub for github.com).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ForgeSettings {
    pub kind: Option<ForgeKind>,
    pub api_url: Option<String>,
    pub owner: Option<String>,
    pub repo: Option<String>,
    pub token: Option<Secret>,
    pub timeout: Option<Duration>,
}

impl ForgeSettings {
    /// The full config, completed from `remote_url` (usually `origin`'s).
    /// The URL is read only when something is missing.
    pub fn resolve(self, remote_url: Option<&str>) -> Result<ForgeConfig, ForgeError> {
        let needs_remote = self.kind.is_none() || self.owner.is_none() || self.repo.is_none();
        let remote = match (needs_remote, remote_url) {
            (true, Some(url)) => Some(RemoteRepo::parse(url)?),
            _ => None,
        };
        let missing = |what: &str| {
            ForgeError::Config(format!(
                "no {what} configured for pull requests, and no remote URL to take it from"
            ))
        };
        let kind = match (self.kind, &remote) {
            (Some(kind), _) => kind,
            (None, Some(remote)) => remote.kind().ok_or_else(|| {
                ForgeError::Config(format!(
                    "cannot tell which forge serves {}; configure the kind (github, gitea or forgejo) and its API URL",
                    remote.host
                ))
            })?,
            (None, None) => return Err(missing("forge kind")),
        };
        let owner = match (self.owner, &remote) {
            (Some(owner), _) => owner,
            (None, Some(remote)) => remote.owner.clone(),
            (None, None) => return Err(missing("repository owner")),
        };
        let repo = match (self.repo, &remote) {
            (Some(repo), _) => repo,
            (None, Some(remote)) => remote.repo.clone(),
            (None, None) => return Err(missing("repository name")),
        };
        let token = self.token.ok_or_else(|| {
            ForgeError::Config(format!("no {kind} token configured for pull requests"))
        })?;
        Ok(ForgeConfig {
            kind,
            api_url: self.api_url,
            owner,
            repo,
            token,
            timeout: self.timeout.unwrap_or(DEFAULT_TIMEOUT),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_urls_name_host_owner_and_repository() {
        let cases = [
            (
                "https://github.com/grafana/dashboards.git",
                "github.com",
                "grafana",
                "dashboards",
            ),
            (
                "https://github.com/grafana/dashboards",
                "github.com",
                "grafana",
                "dashboards",
            ),
            (
                "https://github.com/grafana/dashboards/",
                "github.com",
                "grafana",
                "dashboards",
            ),
            (
                "  https://GitHub.com/Grafana/Dash.Boards.git\n",
                "github.com",
                "Grafana",
                "Dash.Boards",
            ),
            (
                "https://x-access-token:ghp_secret@github.com/o/r.git",
                "github.com",
                "o",
                "r",
            ),
            ("git@github.com:o/r.git", "github.com", "o", "r"),
            ("github.com:o/r", "github.com", "o", "r"),
            ("ssh://git@github.com/o/r.git", "github.com", "o", "r"),
            (
                "ssh://git@ssh.github.com:443/o/r.git",
                "ssh.github.com",
                "o",
                "r",
            ),
            ("git://github.com/o/r.git", "github.com", "o", "r"),
            (
                "https://gitea.example:3000/o/r.git",
                "gitea.example",
                "o",
                "r",
            ),
            (
                "https://git.example/gitea/team/dashboards.git",
                "git.example",
                "team",
                "dashboards",
            ),
            (
                "gitea@git.example:team/dashboards.git",
                "git.example",
                "team",
                "dashboards",
            ),
            ("ssh://git@[::1]:2222/o/r.git", "::1", "o", "r"),
        ];
        for (url, host, owner, repo) in cases {
            let parsed = RemoteRepo::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(
                parsed,
                RemoteRepo {
                    host: host.into(),
                    owner: owner.into(),
                    repo: repo.into()
                },
                "{url}"
            );
        }
    }

    #[test]
    fn local_paths_and_incomplete_urls_are_refused() {
        for url in [
            "/srv/git/dashboards.git",
            "../dashboards",
            "file:///srv/git/o/r.git",
            "https://github.com/onlyowner",
            "https://github.com/",
            "git@github.com:",
            "git@github.com:o/.git",
            "dir/sub:o/r",
            "",
        ] {
            assert!(RemoteRepo::parse(url).is_err(), "{url:?} was accepted");
        }
    }

    #[test]
    fn credentials_never_reach_the_message() {
        let err = RemoteRepo::parse("https://user:hunter2secret@github.com/").expect_err("no repo");
        assert!(!err.to_string().contains("hunter2secret"), "{err}");
    }

    #[test]
    fn only_github_com_is_known() {
        let kind = |url| RemoteRepo::parse(url).expect("parses").kind();
        assert_eq!(kind("git@github.com:o/r.git"), Some(ForgeKind::GitHub));
        assert_eq!(kind("https://www.github.com/o/r"), Some(ForgeKind::GitHub));
        assert_eq!(kind("https://github.example.com/o/r"), None);
        assert_eq!(kind("https://codeberg.org/o/r"), None);
    }

    #[test]
    fn from_remote_url_builds_a_github_config() {
        let config =
            ForgeConfig::from_remote_url("git@github.com:acme/dash.git", "tok").expect("config");
        assert_eq!(
            config,
            ForgeConfig::new(ForgeKind::GitHub, "acme", "dash", "tok")
        );
        let err = ForgeConfig::from_remote_url("https://gitea.example/acme/dash.git", "tok")
            .expect_err("unknown host");
        assert!(
            err.to_string()
                .contains("cannot tell which forge serves gitea.example"),
            "{err}"
        );
    }

    #[test]
    fn settings_win_over_the_remote_url() {
        let settings = ForgeSettings {
            kind: Some(ForgeKind::Gitea),
            api_url: Some("https://gitea.example/api/v1".into()),
            repo: Some("other".into()),
            token: Some("tok".into()),
            ..ForgeSettings::default()
        };
        let config = settings
            .resolve(Some("https://gitea.example/acme/dash.git"))
            .expect("config");
        assert_eq!(
            config,
            ForgeConfig::new(ForgeKind::Gitea, "acme", "other", "tok")
                .with_api_url("https://gitea.example/api/v1")
        );
    }

    #[test]
    fn a_complete_setting_ignores_an_unreadable_remote() {
        let settings = ForgeSettings {
            kind: Some(ForgeKind::GitHub),
            owner: Some("o".into()),
            repo: Some("r".into()),
            token: Some("tok".into()),
            timeout: Some(Duration::from_secs(3)),
            ..ForgeSettings::default()
        };
        let config = settings
            .resolve(Some("/srv/git/local.git"))
            .expect("config");
        assert_eq!(config.timeout, Duration::from_secs(3));
        assert_eq!((config.owner.as_str(), config.repo.as_str()), ("o", "r"));
    }

    #[test]
    fn missing_parts_are_named() {
        let err = ForgeSettings {
            token: Some("t".into()),
            ..ForgeSettings::default()
        }
        .resolve(None)
        .expect_err("nothing known");
        assert!(err.to_string().contains("no forge kind"), "{err}");
        let err = ForgeSettings::default()
            .resolve(Some("git@github.com:o/r.git"))
            .expect_err("no token");
        assert!(err.to_string().contains("no GitHub token"), "{err}");
    }

    #[test]
    fn the_token_is_hidden_from_debug() {
        let config = ForgeConfig::new(ForgeKind::GitHub, "o", "r", "ghp_verysecret");
        assert!(!format!("{config:?}").contains("ghp_verysecret"));
    }
}
