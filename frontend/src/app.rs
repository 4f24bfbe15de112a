//! The router and the page layout around every route.

use crate::components::footer::SiteFooter;
use crate::components::header::{SiteHeader, SkipLink};
use crate::components::status::{Announcer, LiveRegion};
use crate::i18n::I18n;
use crate::pages::dashboard::DashboardPage;
use crate::pages::dataset::DatasetPage;
use crate::pages::event::EventPage;
use crate::pages::home::HomePage;
use crate::pages::manage::ManagePage;
use crate::pages::new_event::NewEventPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::pool::PoolPage;
use crate::pages::publish::{HarvestPage, NewDatasetPage};
use crate::pages::sign_in::SignInPage;
use crate::pages::sign_up::SignUpPage;
use crate::session::Session;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;
use wasm_bindgen::JsCast;

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::detect();
    provide_context(i18n);
    let session = Session::new(i18n);
    provide_context(session);
    provide_context(Announcer::new());
    session.start();
    crate::realtime::start(session);

    view! {
        <Router>
            <FocusOnNavigation />
            <SkipLink />
            <SiteHeader />
            <main id="main" class="site-main" tabindex="-1">
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/") view=HomePage />
                    // Before `/events/:id`: routes match in the order written.
                    <Route path=path!("/events/new") view=NewEventPage />
                    <Route path=path!("/events/:id") view=EventPage />
                    <Route path=path!("/events/:id/manage/:section?") view=ManagePage />
                    <Route path=path!("/dashboard") view=DashboardPage />
                    <Route path=path!("/datasets") view=PoolPage />
                    <Route path=path!("/datasets/new") view=NewDatasetPage />
                    <Route path=path!("/datasets/harvest") view=HarvestPage />
                    <Route path=path!("/datasets/:name") view=DatasetPage />
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/sign-up") view=SignUpPage />
                </Routes>
            </main>
            <SiteFooter />
            <LiveRegion />
        </Router>
    }
}

/// Puts keyboard focus on the main content; `scroll` brings it into view (skip link),
/// otherwise the page keeps its scroll position (the router already scrolled to the top).
pub fn focus_main(scroll: bool) {
    if let Some(main) = document()
        .get_element_by_id("main")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(!scroll);
        let _ = main.focus_with_options(&options);
    }
}

/// After a client-side navigation, screen-reader and keyboard users start at the new
/// page's content, as after a full page load.
#[component]
fn FocusOnNavigation() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            request_animation_frame(|| focus_main(false));
        }
        path
    });
}
