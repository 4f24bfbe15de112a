use crate::i18n::tr;
use leptos::prelude::*;

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="container footer-inner">
                <p class="footer-brand">
                    <strong>"Hackops"</strong>
                    " — "
                    {tr(|t| t.site_tagline)}
                </p>
                <p>{tr(|t| t.footer_about)}</p>
                <p class="footer-small">{tr(|t| t.footer_open_source)}</p>
            </div>
        </footer>
    }
}
