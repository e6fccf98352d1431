//! Every route in one place: the REST API (and, from the same table, its
//! OpenAPI document), health and metrics, server functions, the Leptos
//! pages and the static site; plus the common layers.

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::middleware;
use axum::routing::post;
use axum::{Extension, Router};
use dashstudio_app::server_fns::browse::SharedCatalog;
use dashstudio_app::server_fns::editor::SharedEditor;
use dashstudio_app::server_fns::session::{SessionInfo, SignedInUser};
use dashstudio_app::{shell, App};
use leptos::nonce::Nonce;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::api;
use crate::api::openapi::{self, ApiDoc, Published};
use crate::auth::{self, Caller};
use crate::editor::Acting;
use crate::error::ApiError;
use crate::metrics;
use crate::security::{self, Limits};
use crate::service::Actor;
use crate::state::AppState;

/// [`build_with`] the default limits.
pub fn build(state: AppState) -> Router {
    build_with(state, Limits::default())
}

pub fn build_with(state: AppState, limits: Limits) -> Router {
    // Commits, pushes and fetches wait on the remote and must not be cut
    // off halfway; everything else runs within the request timeout. Every
    // API route is registered through `routes!`, which takes its path and
    // method from the handler's `#[utoipa::path]`: the OpenAPI document and
    // the router come from this one table.
    let unbounded = OpenApiRouter::new()
        .routes(routes!(api::commits::create))
        .routes(routes!(api::commits::push))
        .routes(routes!(api::repository::fetch));
    let api = OpenApiRouter::new()
        .routes(routes!(
            api::session::get,
            api::session::create,
            api::session::delete
        ))
        .routes(routes!(api::tokens::list, api::tokens::create))
        .routes(routes!(api::tokens::revoke))
        .routes(routes!(api::users::list, api::users::create))
        .routes(routes!(api::folders::list))
        .routes(routes!(api::dashboards::list))
        .routes(routes!(api::dashboards::get))
        .routes(routes!(api::repository::history))
        .routes(routes!(api::drafts::list, api::drafts::create))
        .routes(routes!(
            api::drafts::get,
            api::drafts::save,
            api::drafts::discard
        ))
        .routes(routes!(api::drafts::operate))
        .routes(routes!(api::commits::get))
        .routes(routes!(api::repository::audit))
        .routes(routes!(api::problems::list))
        .routes(routes!(api::validate::validate))
        .fallback(|| async {
            ApiError::NotFound(
                "no such API endpoint; see /api/docs, /api/v1/folders and /api/v1/dashboards"
                    .to_owned(),
            )
        })
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            limits.request_timeout,
        ))
        .merge(unbounded)
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(middleware::from_fn_with_state(limits, security::body_limit))
        .layer(middleware::from_fn_with_state(
            limits,
            security::json_errors,
        ));
    let (served, mut document) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1", api)
        .routes(routes!(api::health::healthz))
        .routes(routes!(api::health::metrics))
        .split_for_parts();
    // The document and its page are public: outside the sign-in layer.
    let (published, meta) = OpenApiRouter::new()
        .routes(routes!(openapi::json))
        .routes(routes!(openapi::page))
        .split_for_parts();
    document.merge(meta);
    let published = published.layer(Extension(Arc::new(Published::new(&document))));

    let catalog: SharedCatalog =
        state.0.clone() as Arc<dyn dashstudio_app::server_fns::browse::Catalog>;
    let context_state = state.clone();
    let routes = generate_route_list(App);
    let leptos_options = state.leptos.clone();
    served
        .route("/signout", post(api::session::sign_out_form))
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_request_context(&context_state, &catalog),
            move || shell(leptos_options.clone()),
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide_request_nonce, shell))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::middleware::resolve,
        ))
        .merge(published)
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn(security::headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// The nonce `security::headers` put in this request's CSP, for the inline
/// scripts the page renders (Leptos' hydration script and resource data).
fn provide_request_nonce() {
    if let Some(nonce) = use_context::<Parts>().and_then(|p| p.extensions.get::<Nonce>().cloned()) {
        provide_context(nonce);
    }
}

/// What the pages and server functions of one request see: the catalog
/// (only for a caller who may browse), the editor acting as the caller, and
/// who is signed in. The caller comes from the request the auth layer saw.
fn provide_request_context(state: &AppState, catalog: &SharedCatalog) {
    provide_request_nonce();
    let caller = use_context::<Parts>()
        .and_then(|p| p.extensions.get::<Caller>().cloned())
        .unwrap_or_else(Caller::anonymous);
    if caller.actor.is_some() || state.auth.anonymous_read {
        provide_context(catalog.clone());
    }
    provide_context(SessionInfo {
        user: caller.actor.as_ref().map(|a| SignedInUser {
            username: a.key.clone(),
            name: a.name.clone(),
            role: a.role.as_str().to_owned(),
        }),
        sign_in_hint: state.auth.sign_in_hint.clone(),
        anonymous_read: state.auth.anonymous_read,
    });
    let editor: SharedEditor = Arc::new(Acting {
        app: state.clone(),
        actor: caller.actor.unwrap_or_else(Actor::guest),
        scope: caller.scope,
    });
    provide_context(editor);
}
