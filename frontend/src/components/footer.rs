use crate::i18n::use_i18n;
use leptos::prelude::*;

#[component]
pub fn SiteFooter() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <footer class="site-footer">
            <div class="container footer-inner">
                <p class="footer-brand">
                    <strong>"Hackops"</strong>
                    " — "
                    {move || i18n.t().site_tagline}
                </p>
                <p>{move || i18n.t().footer_about}</p>
                <p class="footer-small">{move || i18n.t().footer_open_source}</p>
            </div>
        </footer>
    }
}
