//! Who is signed in, for the top bar and the sign-in page. The server puts
//! a [`SessionInfo`] in the context of every request.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The signed-in user, as the UI shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub username: String,
    pub name: String,
    /// viewer, editor or admin.
    pub role: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// `None`: not signed in.
    pub user: Option<SignedInUser>,
    /// What the sign-in page says about getting in (the demo).
    pub sign_in_hint: Option<String>,
    /// Anonymous visitors may browse.
    pub anonymous_read: bool,
}

/// Reachable without signing in (the sign-in page calls it).
#[server(endpoint = "session_info")]
pub async fn current_session() -> Result<SessionInfo, ServerFnError> {
    Ok(use_context::<SessionInfo>().unwrap_or_default())
}
