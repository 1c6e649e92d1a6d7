//! The OpenAPI 3.1 document, generated from the handlers (its page is `docs_page`).

use crate::api;
use crate::api::doc_statuses::ErrorStatuses;
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("`karuna admin token --user NAME`"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "Browser session; state-changing requests must also send the X-CSRF-Token header.",
            ))),
        );
    }
}

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(title = "Karuna API", description = "Case management for social workers. Errors are RFC 9457 problem+json with an `errors` array of {field, code, message}."),
    paths(
        api::health::healthz, api::health::readyz,
        api::me::me, api::me::preferences, api::me::password, api::me::email, api::me::set_email,
        api::users::list, api::users::create, api::users::get_one, api::users::update,
        api::audit::list, api::audit::verify,
        api::areas::provinces, api::areas::districts, api::areas::subdistricts,
        api::cases::list, api::cases::create, api::cases::candidates, api::cases::get_one, api::cases::update,
        api::cases::transition, api::cases::transfer, api::case_people::team_add, api::case_people::team_remove,
        api::case_people::person_add, api::case_people::consents, api::case_people::consent_add, api::case_people::person_update,
        api::records::contacts, api::records::contact_add, api::records::contact_correct,
        api::attachments::list, api::attachments::attach_to_contact, api::attachments::attach_to_assessment, api::attachments::attach_receipt,
        api::attachments::download,
        api::records::promises, api::records::promise_add, api::records::promise_change, api::records::my_promises,
        api::tasks::case_tasks, api::tasks::add, api::tasks::get_task, api::tasks::change, api::tasks::list,
        api::notifications::list, api::notifications::read_one, api::notifications::read_all,
        api::conferences::schedule, api::conferences::list, api::conferences::case_list, api::conferences::get_one,
        api::conferences::save_minutes, api::conferences::confirm,
        api::consultations::list, api::consultations::ask, api::consultations::get_one, api::consultations::reply,
        api::consultations::resolve,
        api::screening::list, api::screening::screen, api::screening::decide, api::screening::settings,
        api::screening::save_settings, api::screening_model::status, api::screening_model::train,
        api::screening_model::switch, api::similar::get, api::service_match::list, api::service_match::choose,
        api::decision_switch::service_match, api::decision_switch::put_service_match,
        api::decision_switch::similar_cases, api::decision_switch::put_similar_cases,
        api::emergency_access::open, api::emergency_access::list, api::emergency_access::get,
        api::emergency_access::review, api::emergency_access::end, api::emergency_access::settings,
        api::emergency_access::save_settings,
        api::my_sessions::list, api::my_sessions::sign_out, api::my_sessions::sign_out_others,
        api::mfa::status, api::mfa::begin_setup, api::mfa::confirm_setup, api::mfa::renew_codes,
        api::mfa::turn_off, api::mfa::reset, api::mfa::policy, api::mfa::save_policy,
        api::sso::settings, api::sso::save_settings,
        api::data_requests::list, api::data_requests::record, api::data_requests::get,
        api::data_requests::answer, api::data_requests::export_json, api::data_requests::export_pdf,
        api::caseload::list, api::caseload::set_limit, api::cases::handovers, api::cases::acknowledge_handover,
        api::supervision::list, api::supervision::record,
        api::case_types::list, api::case_types::create, api::case_types::get_one, api::case_types::update,
        api::plans::get_plan, api::plans::save_plan, api::plans::decide_plan, api::plans::add_progress, api::plans::intervention_status,
        api::closure::get_closure, api::closure::add_review, api::closure::add_closure, api::closure::decide_closure,
        api::closure::complete_follow_up, api::plans::timeline,
        api::assessments::templates, api::assessments::import, api::assessments::preview, api::assessments::template,
        api::assessments::publish, api::assessments::published, api::assessments::list, api::assessments::start,
        api::assessments::compare, api::assessments::get_one, api::assessments::update, api::assessments::complete,
        api::search::search,
        api::persons::duplicates, api::persons::merges, api::persons::merge, api::persons::undo, api::persons::dismiss,
        api::worklists::approvals, api::worklists::due, api::worklists::case_counts, api::worklists::dashboard,
        api::trends::new_cases,
        api::resources::search, api::resources::get_service, api::resources::update_service,
        api::resources::verify_service, api::resources::providers, api::resources::create_provider,
        api::resources::get_provider, api::resources::update_provider, api::resources::create_service,
        api::resources::create_location, api::resources::update_location, api::resources::export,
        api::resources::import, api::resources::import_seed,
        api::referrals::case_list, api::referrals::create, api::referrals::get_one, api::referrals::step,
        api::referrals::agreement, api::referrals::check_in, api::referrals::acknowledge, api::referrals::figures, api::referrals::promote, api::referrals::open_list,
        api::gatekeeping::list, api::gatekeeping::create, api::gatekeeping::get_one, api::gatekeeping::update,
        api::gatekeeping::save_criteria, api::gatekeeping::publish_criteria, api::gatekeeping::test_criteria,
        api::gatekeeping::facts, api::gatekeeping::allocate_budget, api::gatekeeping::budget, api::gatekeeping::export_budget, api::gatekeeping::client_spending,
        api::gatekeeping::case_list, api::gatekeeping::request, api::gatekeeping::get_allocation,
        api::gatekeeping::decide, api::gatekeeping::close, api::gatekeeping::disburse, api::gatekeeping::reverse,
        api::gatekeeping::queue,
        api::advocacy::list, api::advocacy::create, api::advocacy::get_one, api::advocacy::update,
        api::advocacy::step, api::advocacy::versions, api::advocacy::examples, api::advocacy::pdf,
        api::cases::pdf,
        api::policy_reviews::list, api::policy_reviews::set_cycle, api::policy_reviews::create,
        api::policy_reviews::get_one, api::policy_reviews::add_item, api::policy_reviews::refresh,
        api::policy_reviews::conclude, api::policy_reviews::update_action, api::policy_reviews::pdf,
    ),
    components(schemas(crate::error::Problem, crate::error::ProblemField)),
    modifiers(&Security, &ErrorStatuses),
    tags((name = "account", description = "The caller's own account"), (name = "users", description = "Account administration"),
        (name = "audit", description = "The audit trail"), (name = "operations", description = "Probes"),
        (name = "cases", description = "Intake and the case file"), (name = "contacts", description = "The contact log"),
        (name = "promises", description = "Promises to clients"), (name = "tasks", description = "Tasks of the case team: assigned, followed up, done"),
        (name = "conferences", description = "Case conferences: agenda, attendees, minutes, the chair's confirmation"),
        (name = "consultations", description = "Asking colleagues for advice on a case"),
        (name = "decision-support", description = "Complexity screening and resource matching with their reasons; the worker accepts, changes or rejects each suggestion"),
        (name = "caseload", description = "Caseloads per worker against their limits"),
        (name = "supervision", description = "Supervision sessions of a unit's workers"),
        (name = "areas", description = "Thai administrative areas"),
        (name = "gatekeeping", description = "Scarce resources: programmes, eligibility criteria, requests decided within authority, waiting lists and budgets by Thai fiscal year"),
        (name = "referrals", description = "Referrals to services, their agreements, check-ins and alerts"),
        (name = "resources", description = "The resource directory: organisations, their services and locations (Open Referral HSDS)"),
        (name = "configuration", description = "The organisation's case types and their rules, and its complexity screening rules"),
        (name = "plans", description = "The individual plan, its approval and progress (GAS)"),
        (name = "assessments", description = "Assessment templates (admins) and the assessments of a case"),
        (name = "search", description = "Full-text search in the cases the caller may open"),
        (name = "persons", description = "Possible duplicate persons, merges and their undo (supervisors)"),
        (name = "reports", description = "Aggregate figures, small counts suppressed (data analysts, supervisors); written advocacy reports and their review; periodic policy reviews with findings, decisions and actions tracked to done")),
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

pub use crate::api::docs_page::page;
