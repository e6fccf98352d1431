//! The forge's one error type. Every variant names the forge and what was
//! being done; those from an HTTP answer carry its status and the forge's own
//! message. None ever holds the token.

use std::fmt;
use std::time::Duration;

use super::ForgeKind;

/// What the client was doing when it failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    OpenPullRequest,
    FindPullRequest,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::OpenPullRequest => "opening a pull request",
            Self::FindPullRequest => "looking up open pull requests",
        })
    }
}

/// An HTTP answer the client could not use: which forge, doing what, the
/// status, and the forge's message (with the token blanked if echoed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiFailure {
    pub forge: ForgeKind,
    pub operation: Operation,
    pub status: u16,
    pub message: String,
}

impl fmt::Display for ApiFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} failed with HTTP {}",
            self.forge, self.operation, self.status
        )?;
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        Ok(())
    }
}

/// Why a forge call failed. `Config` is found before any request; the HTTP
/// variants follow the status (401, 403, 404, other 4xx, 5xx); `Timeout` and
/// `Unreachable` mean no answer came.
#[derive(Debug, thiserror::Error)]
pub enum ForgeError {
    #[error("forge configuration: {0}")]
    Config(String),
    #[error("{0} (is the token valid?)")]
    Unauthorized(ApiFailure),
    #[error("{0} (does the token have write access to pull requests, or is a rate limit hit?)")]
    Forbidden(ApiFailure),
    #[error(
        "{0} (check the owner, repository and API URL, and that the token can see the repository)"
    )]
    NotFound(ApiFailure),
    #[error("{0}")]
    Rejected(ApiFailure),
    #[error("{0}")]
    ServerError(ApiFailure),
    #[error("{forge}: {operation} timed out after {after:?}")]
    Timeout {
        forge: ForgeKind,
        operation: Operation,
        after: Duration,
    },
    #[error("{forge}: {operation} failed: no answer from {url}: {reason}")]
    Unreachable {
        forge: ForgeKind,
        operation: Operation,
        url: String,
        reason: String,
    },
    #[error("{forge}: {operation}: unexpected answer (HTTP {status}): {detail}")]
    UnexpectedResponse {
        forge: ForgeKind,
        operation: Operation,
        status: u16,
        detail: String,
    },
}

impl ForgeError {
    /// The HTTP status of the forge's answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized(f)
            | Self::Forbidden(f)
            | Self::NotFound(f)
            | Self::Rejected(f)
            | Self::ServerError(f) => Some(f.status),
            Self::UnexpectedResponse { status, .. } => Some(*status),
            Self::Config(_) | Self::Timeout { .. } | Self::Unreachable { .. } => None,
        }
    }

    /// The error for an answer with a failing `status`.
    pub(super) fn from_status(failure: ApiFailure) -> Self {
        match failure.status {
            401 => Self::Unauthorized(failure),
            403 => Self::Forbidden(failure),
            404 => Self::NotFound(failure),
            500..=599 => Self::ServerError(failure),
            _ => Self::Rejected(failure),
        }
    }
}
