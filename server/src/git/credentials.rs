//! Credentials for `origin` and the libgit2 callbacks that hand them out: a
//! token as the HTTPS Basic password, an SSH key file (or the agent).

use std::cell::{Cell, RefCell};
use std::fmt;
use std::path::PathBuf;

use git2::{Cred, CredentialType, ErrorClass, ErrorCode, RemoteCallbacks};

use super::url::{scrub, Source};
use super::GitError;

/// The user name sent with a token when none is given (GitHub's convention;
/// GitLab and Gitea accept any user name with a token).
pub const TOKEN_USER: &str = "x-access-token";

/// What the server authenticates to `origin` with. Debug hides the token.
#[derive(Clone, Default)]
pub struct Credentials {
    pub token: Option<String>,
    pub ssh_key: Option<PathBuf>,
    pub username: Option<String>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("ssh_key", &self.ssh_key)
            .field("username", &self.username)
            .finish()
    }
}

/// What happened in the credentials callback during one network operation,
/// so a failure can be told apart as an authentication failure.
#[derive(Default)]
pub(super) struct AuthLog {
    plaintext_tries: Cell<u32>,
    key_tries: Cell<u32>,
    refused: Cell<bool>,
    /// Why the callback gave up, in words for the error message.
    reason: RefCell<Option<&'static str>>,
}

impl AuthLog {
    /// Whether the callback gave up: no credentials, or the ones given were refused.
    pub(super) fn refused(&self) -> Option<&'static str> {
        self.refused
            .get()
            .then(|| self.reason.borrow().unwrap_or("credentials refused"))
    }

    fn give_up(&self, reason: &'static str) -> git2::Error {
        self.refused.set(true);
        *self.reason.borrow_mut() = Some(reason);
        git2::Error::new(ErrorCode::Auth, ErrorClass::Callback, reason)
    }
}

/// The secrets that must never appear in a message.
pub(super) fn secrets<'a>(creds: &'a Credentials, source: &'a Source) -> Vec<&'a str> {
    creds
        .token
        .iter()
        .map(String::as_str)
        .chain(source.password())
        .collect()
}

/// Callbacks answering libgit2's credential requests from `creds` (or the
/// password written in the source URL), each kind tried once.
pub(super) fn callbacks<'a>(
    creds: &'a Credentials,
    source: &'a Source,
    log: &'a AuthLog,
) -> RemoteCallbacks<'a> {
    let mut callbacks = RemoteCallbacks::new();
    callbacks.credentials(move |_url, url_user, allowed| {
        let user = creds.username.as_deref().or(url_user);
        if allowed.contains(CredentialType::USERNAME) {
            return Cred::username(user.unwrap_or("git"));
        }
        if allowed.contains(CredentialType::SSH_KEY) {
            let tries = log.key_tries.get();
            log.key_tries.set(tries + 1);
            let user = user.unwrap_or("git");
            return match (&creds.ssh_key, tries) {
                (Some(key), 0) => Cred::ssh_key(user, None, key, None),
                (None, 0) => Cred::ssh_key_from_agent(user),
                _ => Err(log.give_up("the SSH key was refused")),
            };
        }
        if allowed.contains(CredentialType::USER_PASS_PLAINTEXT) {
            let tries = log.plaintext_tries.get();
            log.plaintext_tries.set(tries + 1);
            let Some(token) = creds.token.as_deref().or(source.password()) else {
                return Err(
                    log.give_up("the remote asks for credentials and no token is configured")
                );
            };
            if tries > 0 {
                return Err(log.give_up("the token was refused"));
            }
            return Cred::userpass_plaintext(user.unwrap_or(TOKEN_USER), token);
        }
        Err(log.give_up("the remote asks for a kind of credentials the studio does not support"))
    });
    callbacks
}

/// How a network failure reads to a caller that may retry.
pub(super) enum Failure {
    Auth(String),
    Unreachable(String),
    Other(String),
}

impl Failure {
    /// The `GitError` of a failed clone or fetch of `remote` (redacted).
    pub(super) fn into_git_error(self, remote: String, operation: &'static str) -> GitError {
        match self {
            Failure::Auth(message) => GitError::Auth {
                remote,
                operation,
                message,
            },
            Failure::Unreachable(message) => GitError::Unreachable {
                remote,
                operation,
                message,
            },
            Failure::Other(message) => GitError::Git { operation, message },
        }
    }
}

/// Sort a libgit2 network failure into authentication, unreachable remote or other.
pub(super) fn classify(e: &git2::Error, log: &AuthLog, secrets: &[&str]) -> Failure {
    let message = scrub(e.message(), secrets);
    if let Some(reason) = log.refused() {
        return Failure::Auth(reason.to_string());
    }
    if e.code() == ErrorCode::Auth
        || message.contains("status code: 401")
        || message.contains("status code: 403")
    {
        return Failure::Auth(message);
    }
    let network = matches!(
        e.class(),
        ErrorClass::Net | ErrorClass::Os | ErrorClass::Ssl | ErrorClass::Ssh | ErrorClass::Http
    );
    if network
        || matches!(
            e.code(),
            ErrorCode::NotFound | ErrorCode::Eof | ErrorCode::Timeout
        )
    {
        return Failure::Unreachable(message);
    }
    Failure::Other(message)
}
