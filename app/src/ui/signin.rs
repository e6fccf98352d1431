//! The sign-in page (`/signin`): a plain form posted to `POST
//! /api/v1/session`, which answers with the session cookie and a redirect,
//! so it works before (and without) hydration.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::server_fns::session::current_session;

fn error_text(code: &str) -> &'static str {
    match code {
        "credentials" => "Wrong username or password.",
        "limit" => "Too many attempts. Wait a minute and try again.",
        _ => "Sign-in failed. Try again.",
    }
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let error = move || query.read().get("error").map(|e| error_text(&e));
    let next = move || query.read().get("next").unwrap_or_else(|| "/".to_owned());
    let info = Resource::new(|| (), |_| current_session());
    view! {
        <section class="signin">
            <h1>"Sign in to Dashboard Studio"</h1>
            {move || error().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <form method="post" action="/api/v1/session" class="signin-form">
                <input type="hidden" name="next" prop:value=next/>
                <label>
                    "Username"
                    <input type="text" name="username" autocomplete="username" required autofocus/>
                </label>
                <label>
                    "Password"
                    <input type="password" name="password" autocomplete="current-password" required/>
                </label>
                <button type="submit">"Sign in"</button>
            </form>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let info = info.await.unwrap_or_default();
                    view! {
                        {info.user.map(|u| view! {
                            <p class="signin-note">
                                {format!("You are signed in as {} ({}). ", u.name, u.role)}
                                <a href="/">"Continue"</a>
                            </p>
                        })}
                        <p class="signin-hint">
                            {info.sign_in_hint.unwrap_or_else(|| {
                                "Ask an admin for an account. The first admin is made with `dashstudio user add --username NAME --role admin --password-stdin`, or use an API token from DASHSTUDIO_BOOTSTRAP_TOKEN.".to_owned()
                            })}
                        </p>
                        {info.anonymous_read.then(|| view! {
                            <p class="signin-note"><a href="/">"Browse without signing in (read-only)"</a></p>
                        })}
                    }
                })}
            </Suspense>
        </section>
    }
}
