//! What both forge clients share: the checked API root and repository, the
//! HTTP client with its timeout, sending a request, and turning a failed
//! answer into a [`ForgeError`] that carries the forge's message.

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{RequestBuilder, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{ApiFailure, ForgeConfig, ForgeError, ForgeKind, Operation, Secret, GITHUB_API_URL};

/// The longest forge message kept in an error, in characters.
const MESSAGE_LIMIT: usize = 500;

/// One repository on one forge, ready to be called.
pub(super) struct Target {
    pub forge: ForgeKind,
    api: Url,
    pub owner: String,
    pub repo: String,
    token: Secret,
    pub client: reqwest::Client,
    timeout: std::time::Duration,
}

/// A forge's answer, read whole.
pub(super) struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Target {
    /// Check `config` and build its HTTP client.
    pub fn new(config: &ForgeConfig) -> Result<Self, ForgeError> {
        let forge = config.kind;
        let api_url = match (&config.api_url, forge) {
            (Some(url), _) => url.as_str(),
            (None, ForgeKind::GitHub) => GITHUB_API_URL,
            (None, ForgeKind::Gitea) => {
                return Err(ForgeError::Config(
                    "Gitea needs its API URL, e.g. https://gitea.example/api/v1".into(),
                ))
            }
        };
        let api = parse_api_url(api_url)?;
        for (what, value) in [("owner", &config.owner), ("repository", &config.repo)] {
            if value.is_empty() || value.contains('/') || value.chars().any(char::is_whitespace) {
                return Err(ForgeError::Config(format!(
                    "the {what} {value:?} is not a single path segment"
                )));
            }
        }
        if config.token.expose().trim().is_empty() {
            return Err(ForgeError::Config(format!("no token for {forge}")));
        }
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .user_agent(concat!("dashstudio/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ForgeError::Config(format!("cannot set up the HTTP client: {e}")))?;
        Ok(Self {
            forge,
            api,
            owner: config.owner.clone(),
            repo: config.repo.clone(),
            token: config.token.clone(),
            client,
            timeout: config.timeout,
        })
    }

    /// `{api}/repos/{owner}/{repo}/{tail…}`, each segment percent-encoded.
    pub fn repo_url(&self, tail: &[&str]) -> Url {
        let mut url = self.api.clone();
        url.path_segments_mut()
            .expect("checked in parse_api_url: the API URL can be a base")
            .pop_if_empty()
            .extend(["repos", self.owner.as_str(), self.repo.as_str()])
            .extend(tail);
        url
    }

    /// The `Authorization` header value `{scheme} {token}`, marked sensitive.
    pub fn authorization(&self, scheme: &str) -> Result<HeaderValue, ForgeError> {
        let mut value = HeaderValue::from_str(&format!("{scheme} {}", self.token.expose()))
            .map_err(|_| {
                ForgeError::Config(format!(
                    "the {} token has characters a header cannot carry",
                    self.forge
                ))
            })?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// Send `request` and read the whole answer, whatever its status.
    pub async fn send(
        &self,
        operation: Operation,
        request: RequestBuilder,
    ) -> Result<Answer, ForgeError> {
        let response = request
            .send()
            .await
            .map_err(|e| self.transport(operation, &e))?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .text()
            .await
            .map_err(|e| self.transport(operation, &e))?;
        Ok(Answer {
            status,
            headers,
            body,
        })
    }

    /// Decode a successful answer's JSON body.
    pub fn json<T: DeserializeOwned>(
        &self,
        operation: Operation,
        answer: &Answer,
    ) -> Result<T, ForgeError> {
        serde_json::from_str(&answer.body).map_err(|e| ForgeError::UnexpectedResponse {
            forge: self.forge,
            operation,
            status: answer.status.as_u16(),
            detail: format!("cannot read the JSON body: {e}"),
        })
    }

    /// The error for an answer that did not succeed.
    pub fn failure(&self, operation: Operation, answer: &Answer) -> ForgeError {
        ForgeError::from_status(ApiFailure {
            forge: self.forge,
            operation,
            status: answer.status.as_u16(),
            message: self.scrub(&api_message(&answer.body)),
        })
    }

    fn transport(&self, operation: Operation, error: &reqwest::Error) -> ForgeError {
        if error.is_timeout() {
            return ForgeError::Timeout {
                forge: self.forge,
                operation,
                after: self.timeout,
            };
        }
        let url = error
            .url()
            .map_or_else(|| self.api.to_string(), without_query);
        ForgeError::Unreachable {
            forge: self.forge,
            operation,
            url,
            reason: self.scrub(&root_cause(error)),
        }
    }

    /// `text` with every copy of the token replaced by `***`.
    fn scrub(&self, text: &str) -> String {
        let token = self.token.expose();
        if token.is_empty() {
            text.to_owned()
        } else {
            text.replace(token, "***")
        }
    }
}

fn parse_api_url(raw: &str) -> Result<Url, ForgeError> {
    let bad = |why: &str| ForgeError::Config(format!("the API URL {raw:?} {why}"));
    let url = Url::parse(raw.trim()).map_err(|e| bad(&format!("is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("must start with https:// (or http://)"));
    }
    if url.cannot_be_a_base() || url.host_str().is_none() {
        return Err(bad("has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("must not hold credentials; give the token on its own"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    Ok(url)
}

/// The forge's explanation in an error body: GitHub's and Gitea's `message`
/// plus the messages in `errors`, or the start of a non-JSON body.
fn api_message(body: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    match serde_json::from_str::<Value>(body) {
        Ok(Value::Object(map)) => {
            if let Some(Value::String(message)) = map.get("message") {
                parts.push(message.clone());
            }
            if let Some(Value::Array(errors)) = map.get("errors") {
                parts.extend(errors.iter().filter_map(item_message));
            }
        }
        Ok(Value::Array(items)) => parts.extend(items.iter().filter_map(item_message)),
        _ => parts.push(body.split_whitespace().collect::<Vec<_>>().join(" ")),
    }
    let joined = parts.join("; ");
    match joined.char_indices().nth(MESSAGE_LIMIT) {
        Some((cut, _)) => format!("{}…", &joined[..cut]),
        None => joined,
    }
}

fn item_message(item: &Value) -> Option<String> {
    match item {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => map
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned),
        _ => None,
    }
}

/// The innermost causes of a transport error, e.g. "tcp connect error:
/// Connection refused (os error 111)".
fn root_cause(error: &reqwest::Error) -> String {
    let mut causes = Vec::new();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        causes.push(cause.to_string());
        source = std::error::Error::source(cause);
    }
    if causes.is_empty() {
        error.to_string()
    } else {
        causes.join(": ")
    }
}

fn without_query(url: &Url) -> String {
    let mut url = url.clone();
    url.set_query(None);
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_come_from_message_and_errors() {
        let github = r#"{"message":"Validation Failed","errors":[{"resource":"PullRequest","code":"custom","message":"No commits between main and x"}]}"#;
        assert_eq!(
            api_message(github),
            "Validation Failed; No commits between main and x"
        );
        assert_eq!(
            api_message(r#"{"message":"Bad credentials"}"#),
            "Bad credentials"
        );
        assert_eq!(
            api_message(r#"[{"message":"Title cannot be empty"}]"#),
            "Title cannot be empty"
        );
        assert_eq!(
            api_message("<html>\n  Bad gateway\n</html>"),
            "<html> Bad gateway </html>"
        );
        assert_eq!(
            api_message(&"x".repeat(600)).chars().count(),
            MESSAGE_LIMIT + 1
        );
    }

    #[test]
    fn api_urls_are_checked() {
        assert!(parse_api_url("https://gitea.example/api/v1").is_ok());
        assert!(parse_api_url("http://127.0.0.1:3000/api/v1/").is_ok());
        for bad in [
            "gitea.example/api",
            "ftp://x/api",
            "https://u:p@x/api",
            "https://x/api?a=1",
            "mailto:a@b",
        ] {
            assert!(parse_api_url(bad).is_err(), "{bad} was accepted");
        }
    }
}
