//! Every route, registered once with its kind, so the access-matrix test can walk all of them:
//! a route added here without an entry in that matrix fails the test.

use crate::state::AppState;
use crate::{api, assets, pages};
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Request, Response};
use axum::routing::{get, post, put, MethodRouter};
use axum::Router;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// How a route is reached and how it answers when refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteKind {
    /// Needs no credentials (login, health, assets, API description).
    Public,
    /// An HTML page needing a session; refused → redirect to /login or a 403 page.
    Page,
    /// A JSON endpoint needing a token or session; refused → 401/403 problem+json.
    Api,
}

/// One registered method and path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteSpec {
    /// HTTP method.
    pub method: &'static str,
    /// Path pattern as registered.
    pub path: &'static str,
    /// Kind.
    pub kind: RouteKind,
}

type Entry = (
    &'static str,
    &'static [(&'static str, RouteKind)],
    fn() -> MethodRouter<AppState>,
);

use RouteKind::{Api, Page, Public};

/// The body limit of a form or API call that carries a file: the largest file plus room for
/// the fields.
fn upload_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(karuna_app::attachment::MAX_FILE_BYTES + 64 * 1024)
}

/// The body limit of a directory import (an HSDS file of up to 20,000 services).
pub const IMPORT_LIMIT: usize = 32 * 1024 * 1024;

/// The route table: path, its methods with their kinds, and the handlers.
const ROUTES: &[Entry] = &[
    ("/healthz", &[("GET", Public)], || get(api::health::healthz)),
    ("/readyz", &[("GET", Public)], || get(api::health::readyz)),
    ("/static/{*path}", &[("GET", Public)], || {
        get(assets::serve_asset)
    }),
    ("/favicon.ico", &[("GET", Public)], || get(assets::favicon)),
    ("/.well-known/security.txt", &[("GET", Public)], || {
        get(crate::security_txt::security_txt)
    }),
    ("/login", &[("GET", Public), ("POST", Public)], || {
        get(pages::login::show).post(pages::login::submit)
    }),
    ("/auth/oidc/{id}/start", &[("GET", Public)], || {
        get(pages::sso::start)
    }),
    ("/auth/oidc/callback", &[("GET", Public)], || {
        get(pages::sso::callback)
    }),
    ("/admin/sso", &[("GET", Page), ("POST", Page)], || {
        get(pages::sso::settings).post(pages::sso::save_settings)
    }),
    (
        "/login/verify",
        &[("GET", Public), ("POST", Public)],
        || get(pages::mfa::verify_form).post(pages::mfa::verify),
    ),
    ("/logout", &[("POST", Page)], || post(pages::login::logout)),
    ("/language", &[("POST", Public)], || {
        post(pages::profile::switch_language)
    }),
    ("/", &[("GET", Page)], || get(pages::home::show)),
    ("/profile", &[("GET", Page)], || get(pages::profile::show)),
    ("/profile/preferences", &[("POST", Page)], || {
        post(pages::profile::save_preferences)
    }),
    ("/profile/email", &[("POST", Page)], || {
        post(pages::profile::save_email)
    }),
    ("/profile/password", &[("POST", Page)], || {
        post(pages::profile::change_password)
    }),
    ("/profile/mfa", &[("GET", Page), ("POST", Page)], || {
        get(pages::mfa::setup_form).post(pages::mfa::confirm_setup)
    }),
    ("/profile/mfa/recovery-codes", &[("POST", Page)], || {
        post(pages::mfa::renew_codes)
    }),
    ("/profile/mfa/off", &[("POST", Page)], || {
        post(pages::mfa::turn_off)
    }),
    ("/profile/sessions/{id}/sign-out", &[("POST", Page)], || {
        post(pages::profile::sign_out_session)
    }),
    (
        "/profile/sessions/sign-out-others",
        &[("POST", Page)],
        || post(pages::profile::sign_out_everywhere_else),
    ),
    ("/admin/users", &[("GET", Page), ("POST", Page)], || {
        get(pages::users::list).post(pages::users::create)
    }),
    ("/admin/users/new", &[("GET", Page)], || {
        get(pages::users::new_form)
    }),
    (
        "/admin/users/{id}",
        &[("GET", Page), ("POST", Page)],
        || get(pages::users::edit).post(pages::users::update),
    ),
    ("/admin/users/{id}/mfa-reset", &[("POST", Page)], || {
        post(pages::mfa::reset)
    }),
    ("/admin/mfa", &[("GET", Page), ("POST", Page)], || {
        get(pages::mfa::policy).post(pages::mfa::save_policy)
    }),
    (
        "/admin/case-types",
        &[("GET", Page), ("POST", Page)],
        || get(pages::case_types::list).post(pages::case_types::create),
    ),
    ("/admin/case-types/new", &[("GET", Page)], || {
        get(pages::case_types::new_form)
    }),
    (
        "/admin/case-types/{code}",
        &[("GET", Page), ("POST", Page)],
        || get(pages::case_types::edit).post(pages::case_types::update),
    ),
    ("/audit", &[("GET", Page)], || get(pages::audit::list)),
    (
        "/admin/assessment-templates",
        &[("GET", Page), ("POST", Page)],
        || get(pages::assessment_admin::list).post(pages::assessment_admin::import),
    ),
    ("/admin/assessment-templates/{id}", &[("GET", Page)], || {
        get(pages::assessment_admin::show)
    }),
    (
        "/admin/assessment-templates/{id}/publish",
        &[("POST", Page)],
        || post(pages::assessment_admin::publish),
    ),
    (
        "/admin/assessment-templates/{id}/export",
        &[("GET", Page)],
        || get(pages::assessment_admin::export),
    ),
    (
        "/cases/{id}/assessments",
        &[("GET", Page), ("POST", Page)],
        || get(pages::assessments::list).post(pages::assessments::start),
    ),
    ("/cases/{id}/assessments/compare", &[("GET", Page)], || {
        get(pages::assessment_compare::compare)
    }),
    (
        "/assessments/{id}",
        &[("GET", Page), ("POST", Page)],
        || get(pages::assessments::show).post(pages::assessments::save),
    ),
    ("/cases", &[("GET", Page), ("POST", Page)], || {
        get(pages::cases::list).post(pages::intake::create)
    }),
    ("/cases/new", &[("GET", Page)], || {
        get(pages::intake::new_form)
    }),
    ("/cases/{id}", &[("GET", Page)], || {
        get(pages::case_file::show)
    }),
    ("/cases.csv", &[("GET", Page)], || {
        get(pages::cases::export_csv)
    }),
    ("/cases.xlsx", &[("GET", Page)], || {
        get(pages::cases::export_xlsx)
    }),
    ("/cases/{id}/file.pdf", &[("GET", Page)], || {
        get(pages::case_pdf::download)
    }),
    ("/cases/{id}/plan", &[("GET", Page), ("POST", Page)], || {
        get(pages::plan::show).post(pages::plan_form::save)
    }),
    ("/cases/{id}/plan/edit", &[("GET", Page)], || {
        get(pages::plan_form::edit)
    }),
    (
        "/cases/{id}/plan/{number}/decision",
        &[("POST", Page)],
        || post(pages::plan::decide),
    ),
    (
        "/cases/{id}/interventions/{intervention}",
        &[("POST", Page)],
        || post(pages::plan::intervention),
    ),
    ("/cases/{id}/progress", &[("POST", Page)], || {
        post(pages::plan::progress)
    }),
    (
        "/cases/{id}/closure",
        &[("GET", Page), ("POST", Page)],
        || get(pages::closure::show).post(pages::closure::closure),
    ),
    ("/cases/{id}/closure/decision", &[("POST", Page)], || {
        post(pages::closure::decide)
    }),
    ("/cases/{id}/reviews", &[("POST", Page)], || {
        post(pages::closure::review)
    }),
    (
        "/cases/{id}/follow-ups/{follow_up}",
        &[("POST", Page)],
        || post(pages::closure::follow_up),
    ),
    ("/cases/{id}/timeline", &[("GET", Page)], || {
        get(pages::timeline::show)
    }),
    ("/cases/{id}/status", &[("POST", Page)], || {
        post(pages::records::status)
    }),
    ("/cases/{id}/transfer", &[("POST", Page)], || {
        post(pages::records::transfer)
    }),
    ("/cases/{id}/team", &[("POST", Page)], || {
        post(pages::records::team)
    }),
    ("/cases/{id}/persons", &[("POST", Page)], || {
        post(pages::records::person_add)
    }),
    ("/cases/{id}/consents", &[("POST", Page)], || {
        post(pages::records::consent).layer(upload_limit())
    }),
    ("/cases/{id}/contacts", &[("POST", Page)], || {
        post(pages::records::contact_add)
    }),
    ("/contacts/{id}", &[("POST", Page)], || {
        post(pages::records::contact_correct)
    }),
    ("/cases/{id}/promises", &[("POST", Page)], || {
        post(pages::records::promise_add)
    }),
    ("/promises/{id}", &[("POST", Page)], || {
        post(pages::records::promise_change)
    }),
    (
        "/cases/{id}/tasks",
        &[("GET", Page), ("POST", Page)],
        || get(pages::tasks::case_tasks).post(pages::tasks::add),
    ),
    ("/tasks", &[("GET", Page)], || get(pages::tasks::list)),
    ("/tasks.csv", &[("GET", Page)], || {
        get(pages::tasks::export_csv)
    }),
    ("/tasks.xlsx", &[("GET", Page)], || {
        get(pages::tasks::export_xlsx)
    }),
    ("/inbox", &[("GET", Page)], || get(pages::inbox::show)),
    ("/conferences", &[("GET", Page), ("POST", Page)], || {
        get(pages::conferences::list).post(pages::conferences::create)
    }),
    ("/conferences/new", &[("GET", Page)], || {
        get(pages::conferences::new_form)
    }),
    ("/conferences/{id}", &[("GET", Page)], || {
        get(pages::conferences::show)
    }),
    ("/conferences/{id}/print", &[("GET", Page)], || {
        get(pages::conferences::print)
    }),
    ("/conferences/{id}/confirm", &[("POST", Page)], || {
        post(pages::conferences::confirm)
    }),
    (
        "/conferences/{id}/cases/{case}/minutes",
        &[("POST", Page)],
        || post(pages::conferences::save_minutes),
    ),
    ("/cases/{id}/conferences", &[("GET", Page)], || {
        get(pages::conferences::case_list)
    }),
    (
        "/cases/{id}/consultations",
        &[("GET", Page), ("POST", Page)],
        || get(pages::consultations::show).post(pages::consultations::ask),
    ),
    ("/caseload", &[("GET", Page)], || get(pages::caseload::show)),
    ("/supervision", &[("GET", Page), ("POST", Page)], || {
        get(pages::supervision::show).post(pages::supervision::record)
    }),
    ("/handovers/{id}/acknowledge", &[("POST", Page)], || {
        post(pages::records::acknowledge_handover)
    }),
    ("/caseload/{id}/limit", &[("POST", Page)], || {
        post(pages::caseload::set_limit)
    }),
    (
        "/cases/{id}/screening",
        &[("GET", Page), ("POST", Page)],
        || get(pages::screening::show).post(pages::screening::screen_again),
    ),
    ("/cases/{id}/similar", &[("GET", Page)], || {
        get(pages::similar::show)
    }),
    (
        "/cases/{id}/emergency-access",
        &[("GET", Page), ("POST", Page)],
        || get(pages::emergency_access::show_case_form).post(pages::emergency_access::open_case),
    ),
    (
        "/emergency-access",
        &[("GET", Page), ("POST", Page)],
        || get(pages::emergency_access::list).post(pages::emergency_access::open_by_number),
    ),
    ("/emergency-access/{id}", &[("GET", Page)], || {
        get(pages::emergency_access::show)
    }),
    ("/emergency-access/{id}/review", &[("POST", Page)], || {
        post(pages::emergency_access::review)
    }),
    ("/emergency-access/{id}/end", &[("POST", Page)], || {
        post(pages::emergency_access::end)
    }),
    (
        "/admin/emergency-access",
        &[("GET", Page), ("POST", Page)],
        || get(pages::emergency_access::settings).post(pages::emergency_access::save_settings),
    ),
    (
        "/cases/{id}/services",
        &[("GET", Page), ("POST", Page)],
        || get(pages::service_match::show).post(pages::service_match::choose),
    ),
    ("/admin/screening/matching", &[("POST", Page)], || {
        post(pages::screening::save_matching)
    }),
    ("/admin/screening/similar", &[("POST", Page)], || {
        post(pages::screening::save_similar)
    }),
    (
        "/admin/screening/model",
        &[("GET", Page), ("POST", Page)],
        || get(pages::screening_model::show).post(pages::screening_model::train),
    ),
    ("/admin/screening/model/switch", &[("POST", Page)], || {
        post(pages::screening_model::switch)
    }),
    ("/suggestions/{id}/decision", &[("POST", Page)], || {
        post(pages::screening::decide)
    }),
    ("/admin/screening", &[("GET", Page), ("POST", Page)], || {
        get(pages::screening::settings).post(pages::screening::save_settings)
    }),
    ("/consultations/{id}/replies", &[("POST", Page)], || {
        post(pages::consultations::reply)
    }),
    ("/consultations/{id}/resolve", &[("POST", Page)], || {
        post(pages::consultations::resolve)
    }),
    ("/inbox/read", &[("POST", Page)], || {
        post(pages::inbox::read_all)
    }),
    ("/inbox/{id}", &[("GET", Page)], || get(pages::inbox::open)),
    ("/tasks/{id}", &[("POST", Page)], || {
        post(pages::tasks::change)
    }),
    (
        "/cases/{id}/referrals",
        &[("GET", Page), ("POST", Page)],
        || get(pages::referrals::case_referrals).post(pages::referrals::create),
    ),
    ("/programmes", &[("GET", Page), ("POST", Page)], || {
        get(pages::programmes::list).post(pages::programmes::create)
    }),
    ("/programmes/{id}", &[("GET", Page), ("POST", Page)], || {
        get(pages::programmes::show).post(pages::programmes::update)
    }),
    ("/programmes/{id}/criteria", &[("POST", Page)], || {
        post(pages::programmes::criteria)
    }),
    (
        "/programmes/{id}/criteria/publish",
        &[("POST", Page)],
        || post(pages::programmes::publish),
    ),
    ("/programmes/{id}/budgets", &[("POST", Page)], || {
        post(pages::programmes::allocate)
    }),
    ("/budgets/{id}", &[("GET", Page)], || {
        get(pages::budget::budget)
    }),
    ("/budgets/{id}/export.xlsx", &[("GET", Page)], || {
        get(pages::budget::export)
    }),
    (
        "/cases/{id}/allocations",
        &[("GET", Page), ("POST", Page)],
        || get(pages::allocations::case_allocations).post(pages::allocations::create),
    ),
    ("/allocations", &[("GET", Page)], || {
        get(pages::allocations::queue)
    }),
    ("/allocations.csv", &[("GET", Page)], || {
        get(pages::allocations::queue_csv)
    }),
    ("/allocations.xlsx", &[("GET", Page)], || {
        get(pages::allocations::queue_xlsx)
    }),
    ("/allocations/{id}", &[("GET", Page)], || {
        get(pages::allocations::show)
    }),
    ("/allocations/{id}/decision", &[("POST", Page)], || {
        post(pages::allocations::decide)
    }),
    ("/allocations/{id}/disbursements", &[("POST", Page)], || {
        post(pages::allocations::disburse)
    }),
    ("/allocations/{id}/close", &[("POST", Page)], || {
        post(pages::allocations::close)
    }),
    ("/budget-entries/{id}/reverse", &[("POST", Page)], || {
        post(pages::allocations::reverse)
    }),
    ("/referrals", &[("GET", Page)], || {
        get(pages::referrals::open_list)
    }),
    ("/referrals.csv", &[("GET", Page)], || {
        get(pages::referrals::open_list_csv)
    }),
    ("/referrals.xlsx", &[("GET", Page)], || {
        get(pages::referrals::open_list_xlsx)
    }),
    ("/referrals/{id}", &[("GET", Page)], || {
        get(pages::referrals::show)
    }),
    ("/referrals/{id}/steps", &[("POST", Page)], || {
        post(pages::referrals::step)
    }),
    ("/referrals/{id}/agreement", &[("POST", Page)], || {
        post(pages::referrals::agreement)
    }),
    ("/referrals/{id}/check-ins", &[("POST", Page)], || {
        post(pages::referrals::check_in)
    }),
    ("/referrals/{id}/promote", &[("POST", Page)], || {
        post(pages::referrals::promote)
    }),
    ("/referrals/{id}/letter", &[("GET", Page)], || {
        get(pages::referrals::letter)
    }),
    (
        "/referral-alerts/{id}/acknowledge",
        &[("POST", Page)],
        || post(pages::referrals::acknowledge),
    ),
    ("/resources", &[("GET", Page)], || {
        get(pages::resources::directory)
    }),
    ("/resources/export.json", &[("GET", Page)], || {
        get(pages::resource_exchange::export)
    }),
    ("/resources/import", &[("POST", Page)], || {
        post(pages::resource_exchange::import).layer(DefaultBodyLimit::max(IMPORT_LIMIT))
    }),
    ("/resources/import-seed", &[("POST", Page)], || {
        post(pages::resource_exchange::import_seed)
    }),
    ("/resources/providers", &[("POST", Page)], || {
        post(pages::resources::create_provider)
    }),
    ("/resources/providers/new", &[("GET", Page)], || {
        get(pages::resources::new_provider)
    }),
    (
        "/resources/providers/{id}",
        &[("GET", Page), ("POST", Page)],
        || get(pages::resources::provider).post(pages::resources::update_provider),
    ),
    ("/resources/providers/{id}/edit", &[("GET", Page)], || {
        get(pages::resources::edit_provider)
    }),
    (
        "/resources/providers/{id}/locations",
        &[("POST", Page)],
        || post(pages::resources::add_location),
    ),
    (
        "/resources/providers/{id}/services",
        &[("POST", Page)],
        || post(pages::resources::create_service),
    ),
    (
        "/resources/providers/{id}/services/new",
        &[("GET", Page)],
        || get(pages::resources::new_service),
    ),
    (
        "/resources/services/{id}",
        &[("GET", Page), ("POST", Page)],
        || get(pages::resources::service).post(pages::resources::update_service),
    ),
    ("/resources/services/{id}/edit", &[("GET", Page)], || {
        get(pages::resources::edit_service)
    }),
    ("/resources/services/{id}/verify", &[("POST", Page)], || {
        post(pages::resources::verify_service)
    }),
    ("/areas/options", &[("GET", Page)], || {
        get(pages::intake::area_options)
    }),
    ("/areas/postcode", &[("GET", Page)], || {
        get(pages::intake::postcode)
    }),
    ("/api/docs", &[("GET", Public)], || get(api::docs::page)),
    ("/api/openapi.json", &[("GET", Public)], || {
        get(api::docs::openapi_json)
    }),
    ("/api/v1/me", &[("GET", Api)], || get(api::me::me)),
    ("/api/v1/me/preferences", &[("PUT", Api)], || {
        axum::routing::put(api::me::preferences)
    }),
    ("/api/v1/me/password", &[("POST", Api)], || {
        post(api::me::password)
    }),
    ("/api/v1/me/sessions", &[("GET", Api)], || {
        get(api::my_sessions::list)
    }),
    (
        "/api/v1/me/sessions/{id}/sign-out",
        &[("POST", Api)],
        || post(api::my_sessions::sign_out),
    ),
    (
        "/api/v1/me/sessions/sign-out-others",
        &[("POST", Api)],
        || post(api::my_sessions::sign_out_others),
    ),
    ("/api/v1/me/mfa", &[("GET", Api)], || get(api::mfa::status)),
    ("/api/v1/me/mfa/setup", &[("POST", Api)], || {
        post(api::mfa::begin_setup)
    }),
    ("/api/v1/me/mfa/setup/confirm", &[("POST", Api)], || {
        post(api::mfa::confirm_setup)
    }),
    ("/api/v1/me/mfa/recovery-codes", &[("POST", Api)], || {
        post(api::mfa::renew_codes)
    }),
    ("/api/v1/me/mfa/off", &[("POST", Api)], || {
        post(api::mfa::turn_off)
    }),
    ("/api/v1/users/{id}/mfa/reset", &[("POST", Api)], || {
        post(api::mfa::reset)
    }),
    (
        "/api/v1/sso-settings",
        &[("GET", Api), ("PUT", Api)],
        || get(api::sso::settings).put(api::sso::save_settings),
    ),
    ("/api/v1/mfa-policy", &[("GET", Api), ("PUT", Api)], || {
        get(api::mfa::policy).put(api::mfa::save_policy)
    }),
    ("/api/v1/data-requests", &[("GET", Api)], || {
        get(api::data_requests::list)
    }),
    (
        "/api/v1/persons/{id}/data-requests",
        &[("POST", Api)],
        || post(api::data_requests::record),
    ),
    ("/api/v1/data-requests/{id}", &[("GET", Api)], || {
        get(api::data_requests::get)
    }),
    (
        "/api/v1/data-requests/{id}/answer",
        &[("POST", Api)],
        || post(api::data_requests::answer),
    ),
    ("/api/v1/data-requests/{id}/export", &[("GET", Api)], || {
        get(api::data_requests::export_json)
    }),
    ("/api/v1/data-requests/{id}/pdf", &[("GET", Api)], || {
        get(api::data_requests::export_pdf)
    }),
    (
        "/api/v1/cases/{id}/referrals",
        &[("GET", Api), ("POST", Api)],
        || get(api::referrals::case_list).post(api::referrals::create),
    ),
    ("/api/v1/referrals", &[("GET", Api)], || {
        get(api::referrals::open_list)
    }),
    ("/api/v1/referrals/{id}", &[("GET", Api)], || {
        get(api::referrals::get_one)
    }),
    ("/api/v1/referrals/{id}/steps", &[("POST", Api)], || {
        post(api::referrals::step)
    }),
    ("/api/v1/referrals/{id}/agreement", &[("PUT", Api)], || {
        axum::routing::put(api::referrals::agreement)
    }),
    ("/api/v1/referrals/{id}/check-ins", &[("POST", Api)], || {
        post(api::referrals::check_in)
    }),
    ("/api/v1/referrals/{id}/promote", &[("POST", Api)], || {
        post(api::referrals::promote)
    }),
    (
        "/api/v1/referral-alerts/{id}/acknowledge",
        &[("POST", Api)],
        || post(api::referrals::acknowledge),
    ),
    ("/api/v1/reports/referrals", &[("GET", Api)], || {
        get(api::referrals::figures)
    }),
    ("/api/v1/programmes", &[("GET", Api), ("POST", Api)], || {
        get(api::gatekeeping::list).post(api::gatekeeping::create)
    }),
    (
        "/api/v1/programmes/{id}",
        &[("GET", Api), ("PUT", Api)],
        || get(api::gatekeeping::get_one).put(api::gatekeeping::update),
    ),
    ("/api/v1/programmes/{id}/criteria", &[("PUT", Api)], || {
        put(api::gatekeeping::save_criteria)
    }),
    (
        "/api/v1/programmes/{id}/criteria/publish",
        &[("POST", Api)],
        || post(api::gatekeeping::publish_criteria),
    ),
    (
        "/api/v1/programmes/{id}/criteria/test",
        &[("POST", Api)],
        || post(api::gatekeeping::test_criteria),
    ),
    ("/api/v1/programmes/{id}/budgets", &[("POST", Api)], || {
        post(api::gatekeeping::allocate_budget)
    }),
    ("/api/v1/criteria-facts", &[("GET", Api)], || {
        get(api::gatekeeping::facts)
    }),
    ("/api/v1/budgets/{id}", &[("GET", Api)], || {
        get(api::gatekeeping::budget)
    }),
    ("/api/v1/budgets/{id}/export", &[("GET", Api)], || {
        get(api::gatekeeping::export_budget)
    }),
    (
        "/api/v1/cases/{id}/allocations",
        &[("GET", Api), ("POST", Api)],
        || get(api::gatekeeping::case_list).post(api::gatekeeping::request),
    ),
    (
        "/api/v1/cases/{id}/client-spending",
        &[("GET", Api)],
        || get(api::gatekeeping::client_spending),
    ),
    ("/api/v1/allocations", &[("GET", Api)], || {
        get(api::gatekeeping::queue)
    }),
    ("/api/v1/allocations/{id}", &[("GET", Api)], || {
        get(api::gatekeeping::get_allocation)
    }),
    (
        "/api/v1/allocations/{id}/decision",
        &[("POST", Api)],
        || post(api::gatekeeping::decide),
    ),
    ("/api/v1/allocations/{id}/close", &[("POST", Api)], || {
        post(api::gatekeeping::close)
    }),
    (
        "/api/v1/allocations/{id}/disbursements",
        &[("POST", Api)],
        || post(api::gatekeeping::disburse),
    ),
    (
        "/api/v1/budget-entries/{id}/reverse",
        &[("POST", Api)],
        || post(api::gatekeeping::reverse),
    ),
    ("/api/v1/resources/export", &[("GET", Api)], || {
        get(api::resources::export)
    }),
    ("/api/v1/resources/import", &[("POST", Api)], || {
        post(api::resources::import).layer(DefaultBodyLimit::max(IMPORT_LIMIT))
    }),
    ("/api/v1/resources/import-seed", &[("POST", Api)], || {
        post(api::resources::import_seed)
    }),
    ("/api/v1/resources/services", &[("GET", Api)], || {
        get(api::resources::search)
    }),
    (
        "/api/v1/resources/services/{id}",
        &[("GET", Api), ("PUT", Api)],
        || get(api::resources::get_service).put(api::resources::update_service),
    ),
    (
        "/api/v1/resources/services/{id}/verify",
        &[("POST", Api)],
        || post(api::resources::verify_service),
    ),
    (
        "/api/v1/resources/providers",
        &[("GET", Api), ("POST", Api)],
        || get(api::resources::providers).post(api::resources::create_provider),
    ),
    (
        "/api/v1/resources/providers/{id}",
        &[("GET", Api), ("PUT", Api)],
        || get(api::resources::get_provider).put(api::resources::update_provider),
    ),
    (
        "/api/v1/resources/providers/{id}/services",
        &[("POST", Api)],
        || post(api::resources::create_service),
    ),
    (
        "/api/v1/resources/providers/{id}/locations",
        &[("POST", Api)],
        || post(api::resources::create_location),
    ),
    ("/api/v1/resources/locations/{id}", &[("PUT", Api)], || {
        axum::routing::put(api::resources::update_location)
    }),
    ("/api/v1/me/email", &[("GET", Api), ("PUT", Api)], || {
        get(api::me::email).put(api::me::set_email)
    }),
    ("/api/v1/users", &[("GET", Api), ("POST", Api)], || {
        get(api::users::list).post(api::users::create)
    }),
    (
        "/api/v1/users/{id}",
        &[("GET", Api), ("PATCH", Api)],
        || get(api::users::get_one).patch(api::users::update),
    ),
    ("/api/v1/audit-events", &[("GET", Api)], || {
        get(api::audit::list)
    }),
    ("/api/v1/audit/verify", &[("GET", Api)], || {
        get(api::audit::verify)
    }),
    ("/api/v1/areas/provinces", &[("GET", Api)], || {
        get(api::areas::provinces)
    }),
    (
        "/api/v1/areas/provinces/{code}/districts",
        &[("GET", Api)],
        || get(api::areas::districts),
    ),
    (
        "/api/v1/areas/districts/{code}/subdistricts",
        &[("GET", Api)],
        || get(api::areas::subdistricts),
    ),
    ("/api/v1/cases", &[("GET", Api), ("POST", Api)], || {
        get(api::cases::list).post(api::cases::create)
    }),
    ("/api/v1/case-types", &[("GET", Api), ("POST", Api)], || {
        get(api::case_types::list).post(api::case_types::create)
    }),
    (
        "/api/v1/case-types/{code}",
        &[("GET", Api), ("PUT", Api)],
        || get(api::case_types::get_one).put(api::case_types::update),
    ),
    (
        "/api/v1/cases/{id}/plan",
        &[("GET", Api), ("POST", Api)],
        || get(api::plans::get_plan).post(api::plans::save_plan),
    ),
    (
        "/api/v1/cases/{id}/plan/{number}/decision",
        &[("POST", Api)],
        || post(api::plans::decide_plan),
    ),
    (
        "/api/v1/cases/{id}/interventions/{intervention}",
        &[("POST", Api)],
        || post(api::plans::intervention_status),
    ),
    ("/api/v1/cases/{id}/progress", &[("POST", Api)], || {
        post(api::plans::add_progress)
    }),
    (
        "/api/v1/cases/{id}/closure",
        &[("GET", Api), ("POST", Api)],
        || get(api::closure::get_closure).post(api::closure::add_closure),
    ),
    (
        "/api/v1/cases/{id}/closure/decision",
        &[("POST", Api)],
        || post(api::closure::decide_closure),
    ),
    ("/api/v1/cases/{id}/timeline", &[("GET", Api)], || {
        get(api::plans::timeline)
    }),
    ("/api/v1/cases/{id}/reviews", &[("POST", Api)], || {
        post(api::closure::add_review)
    }),
    (
        "/api/v1/cases/{id}/follow-ups/{follow_up}",
        &[("POST", Api)],
        || post(api::closure::complete_follow_up),
    ),
    ("/api/v1/intake/candidates", &[("POST", Api)], || {
        post(api::cases::candidates)
    }),
    (
        "/api/v1/cases/{id}",
        &[("GET", Api), ("PATCH", Api)],
        || get(api::cases::get_one).patch(api::cases::update),
    ),
    ("/api/v1/cases/{id}/transitions", &[("POST", Api)], || {
        post(api::cases::transition)
    }),
    ("/api/v1/cases/{id}/transfer", &[("POST", Api)], || {
        post(api::cases::transfer)
    }),
    ("/api/v1/cases/{id}/team", &[("POST", Api)], || {
        post(api::case_people::team_add)
    }),
    (
        "/api/v1/cases/{id}/team/{account_id}",
        &[("DELETE", Api)],
        || axum::routing::delete(api::case_people::team_remove),
    ),
    ("/api/v1/cases/{id}/persons", &[("POST", Api)], || {
        post(api::case_people::person_add)
    }),
    (
        "/api/v1/cases/{id}/consents",
        &[("GET", Api), ("POST", Api)],
        || get(api::case_people::consents).post(api::case_people::consent_add),
    ),
    (
        "/api/v1/cases/{id}/contacts",
        &[("GET", Api), ("POST", Api)],
        || get(api::records::contacts).post(api::records::contact_add),
    ),
    ("/api/v1/cases/{id}/attachments", &[("GET", Api)], || {
        get(api::attachments::list)
    }),
    (
        "/api/v1/contacts/{id}/attachments",
        &[("POST", Api)],
        || post(api::attachments::attach_to_contact).layer(upload_limit()),
    ),
    (
        "/api/v1/budget-entries/{id}/receipts",
        &[("POST", Api)],
        || post(api::attachments::attach_receipt).layer(upload_limit()),
    ),
    (
        "/api/v1/assessments/{id}/attachments",
        &[("POST", Api)],
        || post(api::attachments::attach_to_assessment).layer(upload_limit()),
    ),
    ("/api/v1/attachments/{id}", &[("GET", Api)], || {
        get(api::attachments::download)
    }),
    ("/api/v1/contacts/{id}", &[("PUT", Api)], || {
        axum::routing::put(api::records::contact_correct)
    }),
    (
        "/api/v1/cases/{id}/promises",
        &[("GET", Api), ("POST", Api)],
        || get(api::records::promises).post(api::records::promise_add),
    ),
    ("/api/v1/promises/{id}", &[("POST", Api)], || {
        post(api::records::promise_change)
    }),
    ("/api/v1/me/promises", &[("GET", Api)], || {
        get(api::records::my_promises)
    }),
    (
        "/api/v1/cases/{id}/tasks",
        &[("GET", Api), ("POST", Api)],
        || get(api::tasks::case_tasks).post(api::tasks::add),
    ),
    ("/api/v1/tasks", &[("GET", Api)], || get(api::tasks::list)),
    (
        "/api/v1/conferences",
        &[("GET", Api), ("POST", Api)],
        || get(api::conferences::list).post(api::conferences::schedule),
    ),
    ("/api/v1/conferences/{id}", &[("GET", Api)], || {
        get(api::conferences::get_one)
    }),
    ("/api/v1/conferences/{id}/confirm", &[("POST", Api)], || {
        post(api::conferences::confirm)
    }),
    (
        "/api/v1/conferences/{id}/cases/{case}/minutes",
        &[("PUT", Api)],
        || put(api::conferences::save_minutes),
    ),
    ("/api/v1/cases/{id}/conferences", &[("GET", Api)], || {
        get(api::conferences::case_list)
    }),
    (
        "/api/v1/supervision",
        &[("GET", Api), ("POST", Api)],
        || get(api::supervision::list).post(api::supervision::record),
    ),
    ("/api/v1/cases/{id}/handovers", &[("GET", Api)], || {
        get(api::cases::handovers)
    }),
    (
        "/api/v1/handovers/{id}/acknowledge",
        &[("POST", Api)],
        || post(api::cases::acknowledge_handover),
    ),
    ("/api/v1/caseload", &[("GET", Api)], || {
        get(api::caseload::list)
    }),
    ("/api/v1/caseload/{id}/limit", &[("PUT", Api)], || {
        put(api::caseload::set_limit)
    }),
    (
        "/api/v1/cases/{id}/screenings",
        &[("GET", Api), ("POST", Api)],
        || get(api::screening::list).post(api::screening::screen),
    ),
    (
        "/api/v1/cases/{id}/service-matches",
        &[("GET", Api), ("POST", Api)],
        || get(api::service_match::list).post(api::service_match::choose),
    ),
    (
        "/api/v1/decision-support/service-match",
        &[("GET", Api), ("PUT", Api)],
        || get(api::decision_switch::service_match).put(api::decision_switch::put_service_match),
    ),
    (
        "/api/v1/suggestions/{id}/decision",
        &[("POST", Api)],
        || post(api::screening::decide),
    ),
    (
        "/api/v1/decision-support/complexity",
        &[("GET", Api), ("PUT", Api)],
        || get(api::screening::settings).put(api::screening::save_settings),
    ),
    (
        "/api/v1/decision-support/complexity-model",
        &[("GET", Api), ("PUT", Api)],
        || get(api::screening_model::status).put(api::screening_model::switch),
    ),
    ("/api/v1/cases/{id}/similar-cases", &[("GET", Api)], || {
        get(api::similar::get)
    }),
    (
        "/api/v1/decision-support/similar-cases",
        &[("GET", Api), ("PUT", Api)],
        || get(api::decision_switch::similar_cases).put(api::decision_switch::put_similar_cases),
    ),
    (
        "/api/v1/cases/{id}/emergency-access",
        &[("POST", Api)],
        || post(api::emergency_access::open),
    ),
    ("/api/v1/emergency-access", &[("GET", Api)], || {
        get(api::emergency_access::list)
    }),
    ("/api/v1/emergency-access/{id}", &[("GET", Api)], || {
        get(api::emergency_access::get)
    }),
    (
        "/api/v1/emergency-access/{id}/review",
        &[("POST", Api)],
        || post(api::emergency_access::review),
    ),
    (
        "/api/v1/emergency-access/{id}/end",
        &[("POST", Api)],
        || post(api::emergency_access::end),
    ),
    (
        "/api/v1/emergency-access-settings",
        &[("GET", Api), ("PUT", Api)],
        || get(api::emergency_access::settings).put(api::emergency_access::save_settings),
    ),
    (
        "/api/v1/decision-support/complexity-model/runs",
        &[("POST", Api)],
        || post(api::screening_model::train),
    ),
    (
        "/api/v1/cases/{id}/consultations",
        &[("GET", Api), ("POST", Api)],
        || get(api::consultations::list).post(api::consultations::ask),
    ),
    ("/api/v1/consultations/{id}", &[("GET", Api)], || {
        get(api::consultations::get_one)
    }),
    (
        "/api/v1/consultations/{id}/replies",
        &[("POST", Api)],
        || post(api::consultations::reply),
    ),
    (
        "/api/v1/consultations/{id}/resolve",
        &[("POST", Api)],
        || post(api::consultations::resolve),
    ),
    ("/api/v1/me/notifications", &[("GET", Api)], || {
        get(api::notifications::list)
    }),
    ("/api/v1/me/notifications/read", &[("POST", Api)], || {
        post(api::notifications::read_all)
    }),
    (
        "/api/v1/me/notifications/{id}/read",
        &[("POST", Api)],
        || post(api::notifications::read_one),
    ),
    ("/api/v1/tasks/{id}", &[("GET", Api), ("POST", Api)], || {
        get(api::tasks::get_task).post(api::tasks::change)
    }),
    ("/api/v1/me/approvals", &[("GET", Api)], || {
        get(api::worklists::approvals)
    }),
    ("/api/v1/me/due", &[("GET", Api)], || {
        get(api::worklists::due)
    }),
    ("/api/v1/reports/case-counts", &[("GET", Api)], || {
        get(api::worklists::case_counts)
    }),
    ("/reports/cases", &[("GET", Page)], || {
        get(pages::reports::cases)
    }),
    (
        "/reports/advocacy",
        &[("GET", Page), ("POST", Page)],
        || get(pages::advocacy::list).post(pages::advocacy::create),
    ),
    (
        "/reports/advocacy/{id}",
        &[("GET", Page), ("POST", Page)],
        || get(pages::advocacy::show).post(pages::advocacy::save),
    ),
    (
        "/reports/advocacy/{id}/report.pdf",
        &[("GET", Page)],
        || get(pages::advocacy::pdf),
    ),
    ("/reports/advocacy/{id}/step", &[("POST", Page)], || {
        post(pages::advocacy::step)
    }),
    (
        "/reports/advocacy/{id}/versions/{n}",
        &[("GET", Page)],
        || get(pages::advocacy::version),
    ),
    ("/reports/policy", &[("GET", Page), ("POST", Page)], || {
        get(pages::policy_review::list).post(pages::policy_review::create)
    }),
    ("/reports/policy-cycle", &[("POST", Page)], || {
        post(pages::policy_review::set_cycle)
    }),
    ("/reports/policy/{id}", &[("GET", Page)], || {
        get(pages::policy_review::show)
    }),
    ("/reports/policy/{id}/review.pdf", &[("GET", Page)], || {
        get(pages::policy_review::pdf)
    }),
    ("/reports/policy/{id}/items", &[("POST", Page)], || {
        post(pages::policy_review::add_item)
    }),
    ("/reports/policy/{id}/refresh", &[("POST", Page)], || {
        post(pages::policy_review::refresh)
    }),
    ("/reports/policy/{id}/conclude", &[("POST", Page)], || {
        post(pages::policy_review::conclude)
    }),
    ("/reports/policy-actions/{id}", &[("POST", Page)], || {
        post(pages::policy_review::update_action)
    }),
    ("/reports/dashboard", &[("GET", Page)], || {
        get(pages::dashboard::dashboard)
    }),
    ("/reports/dashboard.csv", &[("GET", Page)], || {
        get(pages::dashboard::export_csv)
    }),
    ("/reports/dashboard.xlsx", &[("GET", Page)], || {
        get(pages::dashboard::export_xlsx)
    }),
    ("/api/v1/reports/dashboard", &[("GET", Api)], || {
        get(api::worklists::dashboard)
    }),
    ("/reports/trends", &[("GET", Page)], || {
        get(pages::trends::trends)
    }),
    ("/reports/trends.csv", &[("GET", Page)], || {
        get(pages::trends::export_csv)
    }),
    ("/reports/trends.xlsx", &[("GET", Page)], || {
        get(pages::trends::export_xlsx)
    }),
    ("/api/v1/reports/trends/new-cases", &[("GET", Api)], || {
        get(api::trends::new_cases)
    }),
    (
        "/api/v1/advocacy-reports",
        &[("GET", Api), ("POST", Api)],
        || get(api::advocacy::list).post(api::advocacy::create),
    ),
    (
        "/api/v1/advocacy-reports/{id}",
        &[("GET", Api), ("PUT", Api)],
        || get(api::advocacy::get_one).put(api::advocacy::update),
    ),
    (
        "/api/v1/advocacy-reports/{id}/steps",
        &[("POST", Api)],
        || post(api::advocacy::step),
    ),
    (
        "/api/v1/advocacy-reports/{id}/versions",
        &[("GET", Api)],
        || get(api::advocacy::versions),
    ),
    (
        "/api/v1/advocacy-reports/{id}/examples",
        &[("GET", Api)],
        || get(api::advocacy::examples),
    ),
    ("/api/v1/advocacy-reports/{id}/pdf", &[("GET", Api)], || {
        get(api::advocacy::pdf)
    }),
    ("/api/v1/cases/{id}/pdf", &[("GET", Api)], || {
        get(api::cases::pdf)
    }),
    (
        "/api/v1/policy-reviews",
        &[("GET", Api), ("POST", Api)],
        || get(api::policy_reviews::list).post(api::policy_reviews::create),
    ),
    ("/api/v1/policy-review-cycle", &[("PUT", Api)], || {
        put(api::policy_reviews::set_cycle)
    }),
    ("/api/v1/policy-reviews/{id}", &[("GET", Api)], || {
        get(api::policy_reviews::get_one)
    }),
    ("/api/v1/policy-reviews/{id}/pdf", &[("GET", Api)], || {
        get(api::policy_reviews::pdf)
    }),
    (
        "/api/v1/policy-reviews/{id}/items",
        &[("POST", Api)],
        || post(api::policy_reviews::add_item),
    ),
    (
        "/api/v1/policy-reviews/{id}/refresh",
        &[("POST", Api)],
        || post(api::policy_reviews::refresh),
    ),
    (
        "/api/v1/policy-reviews/{id}/conclude",
        &[("POST", Api)],
        || post(api::policy_reviews::conclude),
    ),
    ("/api/v1/policy-actions/{id}", &[("POST", Api)], || {
        post(api::policy_reviews::update_action)
    }),
    ("/api/v1/persons/{id}", &[("PATCH", Api)], || {
        axum::routing::patch(api::case_people::person_update)
    }),
    (
        "/api/v1/assessment-templates",
        &[("GET", Api), ("POST", Api)],
        || get(api::assessments::templates).post(api::assessments::import),
    ),
    (
        "/api/v1/assessment-templates/preview",
        &[("POST", Api)],
        || post(api::assessments::preview),
    ),
    ("/api/v1/assessment-templates/{id}", &[("GET", Api)], || {
        get(api::assessments::template)
    }),
    (
        "/api/v1/assessment-templates/{id}/publish",
        &[("POST", Api)],
        || post(api::assessments::publish),
    ),
    ("/api/v1/published-templates", &[("GET", Api)], || {
        get(api::assessments::published)
    }),
    (
        "/api/v1/cases/{id}/assessments",
        &[("GET", Api), ("POST", Api)],
        || get(api::assessments::list).post(api::assessments::start),
    ),
    (
        "/api/v1/cases/{id}/assessments/compare",
        &[("GET", Api)],
        || get(api::assessments::compare),
    ),
    (
        "/api/v1/assessments/{id}",
        &[("GET", Api), ("PUT", Api)],
        || get(api::assessments::get_one).put(api::assessments::update),
    ),
    (
        "/api/v1/assessments/{id}/complete",
        &[("POST", Api)],
        || post(api::assessments::complete),
    ),
    ("/attachments/{id}", &[("GET", Page)], || {
        get(pages::attachments::download)
    }),
    ("/contacts/{id}/attachments", &[("POST", Page)], || {
        post(pages::attachments::attach_to_contact).layer(upload_limit())
    }),
    ("/budget-entries/{id}/receipts", &[("POST", Page)], || {
        post(pages::allocations::attach_receipt).layer(upload_limit())
    }),
    ("/assessments/{id}/attachments", &[("POST", Page)], || {
        post(pages::attachments::attach_to_assessment).layer(upload_limit())
    }),
    ("/persons/{id}", &[("POST", Page)], || {
        post(pages::records::person_edit)
    }),
    ("/persons/{id}/data-requests/new", &[("GET", Page)], || {
        get(pages::data_requests::new_form)
    }),
    ("/persons/{id}/data-requests", &[("POST", Page)], || {
        post(pages::data_requests::create)
    }),
    ("/data-requests", &[("GET", Page)], || {
        get(pages::data_requests::list)
    }),
    ("/data-requests/{id}", &[("GET", Page)], || {
        get(pages::data_requests::show)
    }),
    ("/data-requests/{id}/answer", &[("POST", Page)], || {
        post(pages::data_requests::answer)
    }),
    ("/data-requests/{id}/export.pdf", &[("GET", Page)], || {
        get(pages::data_requests::export_pdf)
    }),
    ("/data-requests/{id}/export.json", &[("GET", Page)], || {
        get(pages::data_requests::export_json)
    }),
    ("/persons/duplicates", &[("GET", Page)], || {
        get(pages::duplicates::show)
    }),
    ("/persons/duplicates/dismissals", &[("POST", Page)], || {
        post(pages::duplicates::dismiss)
    }),
    ("/persons/merges", &[("GET", Page), ("POST", Page)], || {
        get(pages::merges::show).post(pages::duplicates::merge)
    }),
    ("/persons/merges/{id}/undo", &[("POST", Page)], || {
        post(pages::duplicates::undo)
    }),
    ("/api/v1/persons/duplicates", &[("GET", Api)], || {
        get(api::persons::duplicates)
    }),
    (
        "/api/v1/persons/duplicates/dismissals",
        &[("POST", Api)],
        || post(api::persons::dismiss),
    ),
    (
        "/api/v1/persons/merges",
        &[("GET", Api), ("POST", Api)],
        || get(api::persons::merges).post(api::persons::merge),
    ),
    ("/api/v1/persons/merges/{id}/undo", &[("POST", Api)], || {
        post(api::persons::undo)
    }),
    ("/search", &[("GET", Page)], || get(pages::search::show)),
    ("/api/v1/search", &[("GET", Api)], || {
        get(api::search::search)
    }),
];

/// Every registered route (for the access-matrix test and the docs).
pub fn route_specs() -> Vec<RouteSpec> {
    ROUTES
        .iter()
        .flat_map(|(path, methods, _)| {
            methods.iter().map(|(m, k)| RouteSpec {
                method: m,
                path,
                kind: *k,
            })
        })
        .collect()
}

/// The content security policy: no inline scripts or styles anywhere.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
    font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; \
    form-action 'self'";

/// Request bodies above this are refused with 413.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The whole application: routes, limits, timeouts, request ids, security headers, tracing.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for (path, _, handler) in ROUTES {
        router = router.route(path, handler());
    }
    // HSTS only where cookies are Secure (served over HTTPS); never on plain-HTTP localhost.
    let hsts = state
        .web
        .secure_cookies
        .then(|| HeaderValue::from_static("max-age=31536000"));
    let problems =
        axum::middleware::from_fn_with_state(state.clone(), api::extract::problem_responses);
    router
        .fallback(pages::not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ))
        .layer(SetResponseHeaderLayer::overriding(header::STRICT_TRANSPORT_SECURITY, move |_: &Response<_>| hsts.clone()))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, Duration::from_secs(30)))
        .layer(CatchPanicLayer::new())
        .layer(problems)
        .layer(
            // Logs method, path (never the query string: it may hold names) and the request ids.
            TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
                let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or("-").to_string();
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(),
                    request_id = %header(REQUEST_ID), client_request_id = %header(CLIENT_REQUEST_ID))
            }),
        )
        .layer(axum::middleware::from_fn(request_ids))
}

/// The server's own id of a request (a UUID), in the request (for the audit log) and the response.
pub const REQUEST_ID: &str = "x-request-id";
/// A client's own id of a request, kept only when well-formed (see `client_request_id`).
pub const CLIENT_REQUEST_ID: &str = "x-client-request-id";

/// A client-supplied request id is kept only when it is 1–64 characters of `A-Z a-z 0-9 . _ -`
/// (a UUID qualifies); anything else is dropped.
pub fn client_request_id(v: &HeaderValue) -> Option<HeaderValue> {
    let b = v.as_bytes();
    let ok = (1..=64).contains(&b.len())
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'));
    ok.then(|| v.clone())
}

/// Middleware: every request gets a fresh server id in `x-request-id` (what the audit log and
/// the logs record); the client's own `x-request-id`, when well-formed, moves to
/// `x-client-request-id` (logged beside it, echoed in the response, never audited).
async fn request_ids(
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let headers = req.headers_mut();
    let client = headers
        .remove(REQUEST_ID)
        .as_ref()
        .and_then(client_request_id);
    headers.remove(CLIENT_REQUEST_ID);
    let id = HeaderValue::from_str(&uuid::Uuid::now_v7().to_string())
        .unwrap_or_else(|_| HeaderValue::from_static("-"));
    headers.insert(REQUEST_ID, id.clone());
    if let Some(c) = &client {
        headers.insert(CLIENT_REQUEST_ID, c.clone());
    }
    let mut resp = next.run(req).await;
    resp.headers_mut().insert(REQUEST_ID, id);
    if let Some(c) = client {
        resp.headers_mut().insert(CLIENT_REQUEST_ID, c);
    }
    resp
}
