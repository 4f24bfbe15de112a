use crate::api;
use crate::components::form::{FormBanner, FormState, SubmitButton, TextField};
use crate::components::status::{use_announcer, use_title};
use crate::i18n::{tr, use_i18n};
use crate::session::use_session;
use hackops_shared::auth::LoginRequest;
use hackops_shared::error::FieldCode;
use hackops_shared::validation::Issues;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let announcer = use_announcer();
    let navigate = use_navigate();
    use_title(move || i18n.t().sign_in_title.to_owned());

    let form = FormState::new();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !form.begin() {
            return;
        }
        let request = LoginRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        // Only presence is checked here: the rules for new passwords are the sign-up's.
        let mut issues = Issues::default();
        if request.email.is_empty() {
            issues.push("email", FieldCode::Required);
        }
        if request.password.is_empty() {
            issues.push("password", FieldCode::Required);
        }
        if !issues.is_empty() {
            form.refuse(issues);
            return;
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = api::auth::login(&request, i18n.lang_untracked()).await;
            session
                .conclude_form(result, form, announcer, i18n, || navigate("/", Default::default()));
        });
    };

    view! {
        <section class="container auth-page">
            <div class="auth-card panel">
                <h1>{tr(|t| t.sign_in_title)}</h1>
                <p class="lead">{tr(|t| t.sign_in_lead)}</p>
                <FormBanner form />
                <form class="form" novalidate=true on:submit=submit data-testid="sign-in-form">
                    <TextField
                        form
                        name="email"
                        label=|t| t.email_label
                        input_type="email"
                        autocomplete="email"
                        value=email
                    />
                    <TextField
                        form
                        name="password"
                        label=|t| t.password_label
                        input_type="password"
                        autocomplete="current-password"
                        value=password
                    />
                    <SubmitButton form label=|t| t.sign_in pending_label=|t| t.signing_in />
                </form>
                <p class="auth-switch">
                    {tr(|t| t.no_account)}
                    " "
                    <a href="/sign-up">{tr(|t| t.create_account_link)}</a>
                </p>
            </div>
        </section>
    }
}
