use crate::components::status::use_announcer;
use crate::i18n::{tr, use_i18n};
use crate::realtime::{self, Status};
use crate::session::use_session;
use hackops_shared::lang::Lang;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_location;

/// Moves keyboard focus to the main content (the first thing a keyboard user can reach).
#[component]
pub fn SkipLink() -> impl IntoView {
    let focus_main = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        crate::app::focus_main(true);
    };
    view! {
        <a class="skip-link" href="#main" rel="external" on:click=focus_main>
            {tr(|t| t.skip_to_content)}
        </a>
    }
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let location = use_location();
    let on_events = move || (location.pathname.get() == "/").then_some("page");
    let on_dashboard = move || (location.pathname.get() == "/dashboard").then_some("page");
    let on_pool = move || location.pathname.with(|p| p.starts_with("/datasets")).then_some("page");
    let session = crate::session::use_session();
    view! {
        <header class="site-header">
            <div class="container header-inner">
                <a href="/" class="brand">
                    <Logo />
                    <span class="brand-name">"Hackops"</span>
                </a>
                <nav class="main-nav" aria-label=tr(|t| t.main_nav)>
                    <a href="/" aria-current=on_events>
                        {tr(|t| t.nav_events)}
                    </a>
                    <a href="/datasets" aria-current=on_pool>
                        {tr(|t| t.pool.nav)}
                    </a>
                    {move || session.user().is_some().then(|| view! {
                        <a href="/dashboard" aria-current=on_dashboard>{tr(|t| t.nav_my_events)}</a>
                    })}
                </nav>
                <ConnectionStatus />
                <div class="header-tools">
                    <LanguageSwitch />
                    <AccountArea />
                </div>
            </div>
        </header>
    }
}

#[component]
fn Logo() -> impl IntoView {
    view! {
        <svg class="brand-logo" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
            <rect class="brand-logo-bg" width="32" height="32" rx="8" />
            <rect class="brand-logo-bar" x="8" y="16" width="4" height="8" rx="1" />
            <rect class="brand-logo-bar" x="14" y="11" width="4" height="13" rx="1" />
            <rect class="brand-logo-accent" x="20" y="7" width="4" height="17" rx="1" />
        </svg>
    }
}

/// Whether changes made elsewhere reach this page: a shape and a word, never colour alone.
/// On a phone only the shape shows; screen readers always get the words.
#[component]
fn ConnectionStatus() -> impl IntoView {
    // `tr` closures all have one type: cheaper in WASM than closures of their own.
    let label = tr(|t| match realtime::status() {
        Status::Connecting => t.link_connecting,
        Status::Live => t.link_live,
        Status::Reconnecting => t.link_reconnecting,
        Status::Offline => t.link_offline,
    });
    view! {
        <div
            class="conn"
            role="status"
            data-state=tr(|_| realtime::status().as_str())
            data-testid="connection"
        >
            <span class="conn-icon" aria-hidden="true"></span>
            <span class="visually-hidden">{tr(|t| t.live_updates)} {tr(|t| t.colon)}</span>
            <span class="conn-label">{label}</span>
        </div>
    }
}

/// Two toggle buttons; each names its language in that language.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let button = move |lang: Lang, short: &'static str, name: &'static str| {
        view! {
            <button
                type="button"
                class="lang-button"
                lang=lang.code()
                aria-label=name
                aria-pressed=move || (i18n.lang() == lang).to_string()
                on:click=move |_| i18n.set(lang)
            >
                {short}
            </button>
        }
    };
    view! {
        <div class="lang-switch" role="group" aria-label=tr(|t| t.language)>
            {button(Lang::En, "EN", "English")}
            {button(Lang::Fr, "FR", "Français")}
        </div>
    }
}

#[component]
fn AccountArea() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let signing_out = RwSignal::new(false);
    let sign_out = move |_| {
        if signing_out.get_untracked() {
            return;
        }
        signing_out.set(true);
        spawn_local(async move {
            session.sign_out().await;
            signing_out.set(false);
            announcer.say(i18n.texts_untracked().signed_out);
        });
    };
    view! {
        <div class="account" aria-label=tr(|t| t.account) role="group">
            {move || {
                if !session.is_ready() {
                    view! {
                        <span class="account-pending">
                            <span class="visually-hidden">{i18n.t().checking_session}</span>
                        </span>
                    }
                        .into_any()
                } else if let Some(user) = session.user() {
                    view! {
                        <span class="account-user">
                            <span class="avatar" aria-hidden="true">
                                {initials(&user.display_name)}
                            </span>
                            <span class="visually-hidden">{i18n.t().signed_in_as} " "</span>
                            <span class="account-name" data-testid="account-name">
                                {user.display_name.clone()}
                            </span>
                        </span>
                        <button
                            type="button"
                            class="btn btn-ghost btn-small"
                            on:click=sign_out
                            disabled=move || signing_out.get()
                        >
                            {tr(|t| t.sign_out)}
                        </button>
                    }
                        .into_any()
                } else {
                    view! {
                        <a href="/sign-in" class="btn btn-ghost btn-small">
                            {tr(|t| t.sign_in)}
                        </a>
                        <a href="/sign-up" class="btn btn-primary btn-small">
                            {tr(|t| t.sign_up)}
                        </a>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

/// "Awa Diop" → "AD"; one letter for a single name.
fn initials(name: &str) -> String {
    name.split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect()
}
