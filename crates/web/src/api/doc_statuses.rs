//! The error statuses of every API operation, added to the OpenAPI document in one place
//! (a utoipa `Modify`) from what the operation is, so that a new route is documented truthfully
//! without copying the list into its `#[utoipa::path]`:
//!
//! - signed in (`security`): 401; and 403 unless it is a read open to every account
//!   (`OPEN_READS`): a role or case relation refuses, or a cookie session's write lacks its
//!   CSRF header;
//! - path parameters: 404 (an unknown or malformed id, or a record the caller may not see);
//! - query parameters: 400 (a value of the wrong type, `errors` names the field);
//! - a JSON body: 400 (not JSON), 413 (too large), 415 (not `application/json`), 422 (the
//!   wrong shape or invalid values, `errors` names the fields);
//! - a write (`POST`/`PUT`/`PATCH`/`DELETE`): 409 unless listed in `NEVER_CONFLICT` (a stale
//!   version, or a record whose state refuses the change).
//!
//! A status the attribute documents itself keeps its own description. Every 4xx answer gets
//! the `Problem` schema as `application/problem+json`. Operation ids are set in each
//! `#[utoipa::path(operation_id = "verbNoun")]`; `tests/it/openapi.rs` checks they are unique.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::{Content, Ref, RefOr};
use utoipa::Modify;

/// Reads any signed-in account may make (no role or case check: never 403).
pub const OPEN_READS: &[&str] = &[
    "getMe",
    "getEmergencyAccessSettings",
    "listMySessions",
    "getMyMfa",
    "getMfaPolicy",
    "listProvinces",
    "listDistricts",
    "listSubdistricts",
    "listMyPromises",
    "listMyNotifications",
    "getMyEmailSettings",
    "searchResourceServices",
    "getResourceService",
    "listResourceProviders",
    "getResourceProvider",
    "exportResourceDirectory",
    "listProgrammes",
    "getProgramme",
    "listCriteriaFacts",
];

/// Writes that change no versioned record and refuse nothing by state (never 409).
pub const NEVER_CONFLICT: &[&str] = &[
    "changeMyPassword",
    "signOutMySession",
    "signOutMyOtherSessions",
    "updateMyPreferences",
    "updateMyEmailSettings",
    "previewAssessmentTemplate",
    "findIntakeCandidates",
    "markNotificationRead",
    "markAllNotificationsRead",
    "setCaseloadLimit",
    "acknowledgeHandover",
    "createResourceProvider",
    "createResourceService",
    "createResourceLocation",
    "createCaseReferral",
    "importResourceDirectory",
    "importResourceSeed",
    "createProgramme",
    "saveProgrammeCriteria",
    "testProgrammeCriteria",
    "createAdvocacyReport",
    "setPolicyReviewCycle",
];

/// The problem+json media type.
pub const PROBLEM_JSON: &str = "application/problem+json";

fn describe(status: &str) -> &'static str {
    match status {
        "400" => "malformed request: a body that is not JSON (`bad_json`) or a query string value of the wrong type (`bad_query`, `errors` names the field)",
        "401" => "not signed in: no valid bearer token or session cookie",
        "403" => "forbidden: the caller's role or relation to the record does not allow it, or a cookie session's write lacks the X-CSRF-Token header",
        "404" => "no such record (or a malformed id), or one the caller may not see",
        "409" => "conflict: the record changed since it was read (stale version) or its state refuses the change",
        "413" => "the request body is too large",
        "415" => "the body must be `application/json`",
        "422" => "invalid input; `errors` lists every field at fault",
        "429" => "too many attempts; try again later",
        _ => "error",
    }
}

/// Adds the error statuses (see the module documentation).
pub struct ErrorStatuses;

impl Modify for ErrorStatuses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let ops = [
                (false, &mut item.get),
                (true, &mut item.post),
                (true, &mut item.put),
                (true, &mut item.patch),
                (true, &mut item.delete),
            ];
            for (write, op) in ops {
                if let Some(op) = op.as_mut() {
                    add_statuses(op, write);
                }
            }
        }
    }
}

fn add_statuses(op: &mut Operation, write: bool) {
    let id = op.operation_id.clone().unwrap_or_default();
    let params = op.parameters.as_deref().unwrap_or_default();
    let has_in = |place: ParameterIn| params.iter().any(|p| p.parameter_in == place);
    let signed_in = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut statuses = Vec::new();
    if signed_in {
        statuses.push("401");
        if write || !OPEN_READS.contains(&id.as_str()) {
            statuses.push("403");
        }
    }
    if has_in(ParameterIn::Path) {
        statuses.push("404");
    }
    if has_in(ParameterIn::Query) {
        statuses.push("400");
    }
    if op.request_body.is_some() {
        statuses.extend(["400", "413", "415", "422"]);
    }
    if write && !NEVER_CONFLICT.contains(&id.as_str()) {
        statuses.push("409");
    }
    let responses = &mut op.responses.responses;
    for status in statuses {
        responses.entry(status.to_string()).or_insert_with(|| {
            RefOr::T(ResponseBuilder::new().description(describe(status)).build())
        });
    }
    // Every 4xx answer is a problem document.
    for (status, response) in responses.iter_mut() {
        if !status.starts_with('4') {
            continue;
        }
        if let RefOr::T(r) = response {
            r.content.clear();
            r.content.insert(
                PROBLEM_JSON.to_string(),
                Content::new(Some(Ref::from_schema_name("Problem"))),
            );
        }
    }
}
