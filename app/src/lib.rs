//! Dashboard Studio's user interface: Leptos components rendered on the server
//! and hydrated in the browser, and the server functions they call.
#![recursion_limit = "256"]

pub mod server_fns;
pub mod ui;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::ui::dashboard::DashboardPage;
use crate::ui::layout::{Layout, NotFound};
use crate::ui::list::{FolderPage, HomePage};
use crate::ui::problems::ProblemsPage;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                // CodeMirror for the code editors (codemirror/, built by esbuild);
                // deferred, and before the hydration module, so it is there when
                // the app hydrates. Without it the editors stay textareas. Its
                // nonce lets CodeMirror's style elements pass the CSP.
                <script src="/codemirror/codemirror.js" defer nonce=leptos::nonce::use_nonce()></script>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The root component: routes to the browse pages.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/dashstudio.css"/>
        <Title text="Dashboard Studio"/>
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound what="page".to_owned()/> }>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/signin") view=crate::ui::signin::SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("/folders/:folder") view=FolderPage ssr=SsrMode::Async/>
                    <Route path=path!("/problems") view=ProblemsPage ssr=SsrMode::Async/>
                    <Route
                        path=path!("/dashboards/:namespace/:name")
                        view=DashboardPage
                        ssr=SsrMode::Async
                    />
                </Routes>
            </Layout>
        </Router>
    }
}

/// Browser entry point: hydrate the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
