//! Who is calling and what they may do: roles, token scopes, the caller
//! resolved per request (session cookie or bearer token), and the extractors
//! handlers use to demand a role.
//!
//! Permissions: anonymous (only with `--anonymous-read`) browses; a viewer
//! also validates; an editor also drafts, commits to branches and opens pull
//! requests; an admin also commits directly (where allowed), overrides the
//! validation gate and manages users and tokens. A `read` token acts as its
//! owner for reads only.

pub mod accounts;
pub mod cache;
pub mod csrf;
pub mod limit;
pub mod middleware;
pub mod secret;

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::service::Actor;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "dashstudio_session";

/// What a user may do, in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Not signed in (only with `--anonymous-read`); never stored.
    Anonymous,
    Viewer,
    Editor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Anonymous => "anonymous",
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// A stored or requested role (`anonymous` is not one).
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// What a request may do beyond reading: sessions may write, tokens as scoped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Read,
    Write,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Read => "read",
            Scope::Write => "write",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        match text {
            "read" => Some(Scope::Read),
            "write" => Some(Scope::Write),
            _ => None,
        }
    }
}

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Anonymous,
    Session,
    Token { id: String },
}

/// The caller of one request, resolved by [`middleware::resolve`] and kept in
/// the request's extensions.
#[derive(Debug, Clone)]
pub struct Caller {
    /// `None`: not signed in.
    pub actor: Option<Actor>,
    pub scope: Scope,
    pub via: Via,
}

impl Caller {
    pub fn anonymous() -> Self {
        Caller {
            actor: None,
            scope: Scope::Read,
            via: Via::Anonymous,
        }
    }

    /// The caller's role (`Anonymous` when not signed in).
    pub fn role(&self) -> Role {
        self.actor.as_ref().map_or(Role::Anonymous, |a| a.role)
    }

    /// The actor, if it has at least `role` and (for `write`) a write scope:
    /// 401 when not signed in, 403 naming what is missing otherwise.
    pub fn require(&self, role: Role, write: bool) -> Result<&Actor, ApiError> {
        let Some(actor) = &self.actor else {
            return Err(unauthorized());
        };
        if actor.role < role {
            return Err(ApiError::Forbidden(format!(
                "this needs the {} role; {} is a {}",
                role.as_str(),
                actor.key,
                actor.role.as_str()
            )));
        }
        if write && self.scope == Scope::Read {
            return Err(ApiError::Forbidden(
                "this changes something and needs a token with the write scope; this token's scope is read".to_owned(),
            ));
        }
        Ok(actor)
    }
}

/// The 401 every unauthenticated request gets.
pub fn unauthorized() -> ApiError {
    ApiError::Unauthorized(
        "sign in first: this needs a signed-in user (a session cookie from POST /api/v1/session, or an `Authorization: Bearer` API token)".to_owned(),
    )
}

/// Sign-in settings the server runs with.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    /// Anonymous users may browse (read-only), as Grafana's anonymous mode.
    pub anonymous_read: bool,
    /// How long a session lasts, in seconds.
    pub session_seconds: i64,
    /// Always mark the session cookie `Secure` (also done for requests that
    /// arrived over https, as `X-Forwarded-Proto` says).
    pub cookie_secure: bool,
    /// What the sign-in page says about getting in (the demo's admin).
    pub sign_in_hint: Option<String>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            anonymous_read: false,
            session_seconds: 12 * 3600,
            cookie_secure: false,
            sign_in_hint: None,
        }
    }
}

/// Unix seconds now (the database's clock helper: one definition).
pub use crate::db::unix_now as now;

fn caller_of(parts: &Parts) -> Caller {
    parts
        .extensions
        .get::<Caller>()
        .cloned()
        .unwrap_or_else(Caller::anonymous)
}

/// A reader: anyone signed in, or anonymous when `--anonymous-read` is on
/// (then `None`).
pub struct Reader(pub Option<Actor>);

impl FromRequestParts<AppState> for Reader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let caller = caller_of(parts);
        match caller.actor {
            Some(actor) => Ok(Reader(Some(actor))),
            None if state.auth.anonymous_read => Ok(Reader(None)),
            None => Err(unauthorized()),
        }
    }
}

/// The role an [`Authorized`] extractor demands.
pub trait Requirement {
    const ROLE: Role;
    /// Whether a read-scoped token is refused.
    const WRITE: bool;
}

macro_rules! requirement {
    ($name:ident, $role:expr, $write:expr, $doc:literal) => {
        #[doc = $doc]
        pub struct $name;
        impl Requirement for $name {
            const ROLE: Role = $role;
            const WRITE: bool = $write;
        }
    };
}

requirement!(AnyUser, Role::Viewer, false, "Any signed-in user.");
requirement!(
    AnyUserWrite,
    Role::Viewer,
    true,
    "Any signed-in user, changing their own things."
);
requirement!(
    EditorRead,
    Role::Editor,
    false,
    "An editor reading their drafts."
);
requirement!(
    EditorWrite,
    Role::Editor,
    true,
    "An editor changing drafts, commits, branches."
);
requirement!(
    AdminRead,
    Role::Admin,
    false,
    "An admin reading users and tokens."
);
requirement!(
    AdminWrite,
    Role::Admin,
    true,
    "An admin managing users and tokens."
);

/// The signed-in actor, checked against `R` before the body is read.
pub struct Authorized<R: Requirement> {
    pub actor: Actor,
    pub caller: Caller,
    _requirement: PhantomData<R>,
}

impl<R: Requirement> FromRequestParts<AppState> for Authorized<R> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, ApiError> {
        let caller = caller_of(parts);
        let actor = caller.require(R::ROLE, R::WRITE)?.clone();
        Ok(Authorized {
            actor,
            caller,
            _requirement: PhantomData,
        })
    }
}

/// The caller as resolved, whatever it is (sign-in and sign-out).
pub struct AnyCaller(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for AnyCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        Ok(AnyCaller(caller_of(parts)))
    }
}
