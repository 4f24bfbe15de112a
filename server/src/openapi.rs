//! The OpenAPI 3.1 document of the REST API, generated from the handlers and the shared DTOs.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Hackops API", description = "Run civic open-data hackathons. Errors are always `{code, message, details?}` with a stable `code`.", license(name = "MIT OR Apache-2.0")),
    paths(
        crate::ops::health::healthz,
        crate::ops::health::readyz,
        crate::auth::routes::register,
        crate::auth::routes::login,
        crate::auth::routes::refresh,
        crate::auth::routes::logout,
        crate::auth::routes::me,
        crate::dashboard::my_events,
        crate::organisations::routes::list,
        crate::organisations::routes::create,
        crate::events::routes::list,
        crate::events::routes::create,
        crate::events::routes::show,
        crate::events::routes::update,
        crate::events::routes::challenges,
        crate::events::routes::create_challenge,
        crate::events::routes::update_challenge,
        crate::events::routes::delete_challenge,
        crate::events::routes::change_phase,
        crate::events::routes::list_transitions,
        crate::events::routes::schedule_transition,
        crate::events::routes::cancel_transition,
        crate::events::routes::agenda,
        crate::events::routes::add_agenda_item,
        crate::events::routes::remove_agenda_item,
        crate::events::routes::calendar,
        crate::events::routes::update_settings,
        crate::participation::routes::register,
        crate::participation::routes::mine,
        crate::participation::routes::cancel,
        crate::participation::routes::list,
        crate::participation::routes::export,
        crate::participation::routes::approve,
        crate::participation::routes::reject,
        crate::participation::routes::teams,
        crate::participation::routes::create_team,
        crate::participation::routes::my_team,
        crate::participation::routes::join_team,
        crate::participation::routes::leave,
        crate::participation::routes::hand_over,
        crate::participation::routes::dissolve,
        crate::participation::routes::request_to_join,
        crate::participation::routes::team_requests,
        crate::participation::routes::my_requests,
        crate::participation::routes::accept_request,
        crate::participation::routes::decline_request,
        crate::participation::routes::withdraw_request,
        crate::participation::routes::seekers,
        crate::participation::routes::stats,
        crate::participation::routes::export_teams,
        crate::announcements::routes::list,
        crate::announcements::routes::create,
        crate::announcements::routes::pin,
        crate::announcements::routes::remove,
        crate::datasets::routes::list,
        crate::datasets::routes::facets,
        crate::datasets::routes::create,
        crate::datasets::routes::show,
        crate::datasets::routes::upload,
        crate::datasets::routes::add_link,
        crate::datasets::routes::download,
        crate::datasets::routes::preview,
        crate::datasets::routes::put_schema,
        crate::datasets::routes::licences,
        crate::handout::routes::attach,
        crate::handout::routes::detach,
        crate::handout::routes::handout,
        crate::handout::routes::accept,
        crate::handout::routes::link,
        crate::handout::routes::download,
        crate::handout::routes::downloads,
        crate::datasets::harvest::routes::harvest,
        crate::datasets::ckan::package_list,
        crate::datasets::ckan::package_show,
        crate::datasets::ckan::package_search,
        crate::datasets::ckan::organization_list,
        crate::datasets::ckan::organization_show,
        crate::datasets::ckan::resource_show,
        crate::datasets::ckan::license_list,
        crate::datasets::ckan::status_show,
        crate::datasets::standards::catalog,
        crate::datasets::standards::dataset_jsonld,
        crate::datasets::standards::datapackage,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Accounts and sessions"),
        (name = "organisations", description = "Local authorities and other organisers"),
        (name = "events", description = "Hackathons and their challenges"),
        (name = "phases", description = "Moving an event through its phases, now or on schedule"),
        (name = "participation", description = "Registration, waitlist, teams and the looking-for-a-team board"),
        (name = "announcements", description = "Organisers' notices, live to their audience"),
        (name = "datasets", description = "The open data pool: datasets, resources, downloads"),
        (name = "handout", description = "Datasets handed out to teams: embargo, licence acceptance, signed links, counts"),
        (name = "agenda", description = "Sessions and deadlines, and the iCalendar feed"),
        (name = "standards", description = "The pool in the standards existing tools speak: the CKAN Action API v3 (read side, https://docs.ckan.org/en/2.10/api/), DCAT-AP 3 as JSON-LD (https://semiceu.github.io/DCAT-AP/releases/3.0.0/), Frictionless Data Package v2 (https://datapackage.org/). These answer in their standard's shapes, not in the `{code, message}` error shape, except the 404 of the DCAT and Data Package documents."),
        (name = "operations", description = "Probes"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build(),
            ),
        );
    }
}

pub async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The wire contract is reviewed as a diff: any change to it shows up here.
    #[test]
    fn openapi_document_snapshot() {
        let doc = ApiDoc::openapi();
        assert!(doc.to_json().expect("json").contains("\"openapi\":\"3.1.0\""));
        insta::assert_json_snapshot!("openapi", doc);
    }
}
