//! Walks every registered route with every role (and with no one signed in) and checks the
//! outcome against the matrix below. A route registered without a row here fails the test,
//! and so does a row for a route that no longer exists.

use crate::common;

mod seed;
pub(crate) use seed::{concrete, seed_case};

use common::TestServer;
use karuna_web::{route_specs, RouteKind};
use reqwest::Method;

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    /// Anyone, signed in or not.
    Public,
    /// Every signed-in role.
    Everyone,
    /// Only these roles (demo usernames).
    Only(&'static [&'static str]),
}

const ADMIN: &[&str] = &["demo-admin"];
/// No demo role: the case's team who may also change the directory (none in the demo).
const NOBODY: &[&str] = &[];
const AUDITOR: &[&str] = &["demo-auditor"];
/// On the test case: its manager, its unit's supervisor, and the psychologist on its team.
const ON_CASE: &[&str] = &["demo-manager", "demo-supervisor", "demo-psychologist"];
/// Who may open cases (and steer the test case): case managers and supervisors.
const STEER: &[&str] = &["demo-manager", "demo-supervisor"];

/// Aggregate figures (`ViewAggregates`): data analysts (the organisation) and supervisors
/// (their unit). No one else; the analyst sees no case.
const FIGURES: &[&str] = &["demo-supervisor", "demo-analyst"];

/// Who writes advocacy reports (`WriteReports`): case managers, supervisors and analysts.
const REPORT_WRITERS: &[&str] = &["demo-manager", "demo-supervisor", "demo-analyst"];

/// The case manager a second case was transferred to: only she acknowledges its handover.
const NEW_MANAGER: &[&str] = &["demo-manager"];

/// The chair of the test case's conference: only she confirms its minutes.
const CHAIR: &[&str] = &["demo-supervisor"];

/// Who sees a budget's totals and figures: administrators, supervisors, case managers and
/// analysts (`ViewBudgets`).
const BUDGET_READERS: &[&str] = &[
    "demo-admin",
    "demo-supervisor",
    "demo-manager",
    "demo-analyst",
];

/// Supervisors of a unit: the duplicates list and merges.
const SUPERVISOR: &[&str] = &["demo-supervisor"];

/// The access matrix: method, path, who may use it.
const MATRIX: &[(&str, &str, Who)] = &[
    ("GET", "/healthz", Who::Public),
    ("GET", "/readyz", Who::Public),
    ("GET", "/static/{*path}", Who::Public),
    ("GET", "/favicon.ico", Who::Public),
    ("GET", "/.well-known/security.txt", Who::Public),
    ("GET", "/login", Who::Public),
    ("POST", "/login", Who::Public),
    ("GET", "/auth/oidc/{id}/start", Who::Public),
    ("GET", "/auth/oidc/callback", Who::Public),
    ("GET", "/admin/sso", Who::Only(ADMIN)),
    ("POST", "/admin/sso", Who::Only(ADMIN)),
    ("GET", "/api/v1/sso-settings", Who::Only(ADMIN)),
    ("PUT", "/api/v1/sso-settings", Who::Only(ADMIN)),
    ("GET", "/login/verify", Who::Public),
    ("POST", "/login/verify", Who::Public),
    ("GET", "/profile/mfa", Who::Everyone),
    ("POST", "/profile/mfa", Who::Everyone),
    ("POST", "/profile/mfa/recovery-codes", Who::Everyone),
    ("POST", "/profile/mfa/off", Who::Everyone),
    ("GET", "/api/v1/me/mfa", Who::Everyone),
    ("POST", "/api/v1/me/mfa/setup", Who::Everyone),
    ("POST", "/api/v1/me/mfa/setup/confirm", Who::Everyone),
    ("POST", "/api/v1/me/mfa/recovery-codes", Who::Everyone),
    ("POST", "/api/v1/me/mfa/off", Who::Everyone),
    ("POST", "/admin/users/{id}/mfa-reset", Who::Only(ADMIN)),
    ("GET", "/admin/mfa", Who::Only(ADMIN)),
    ("POST", "/admin/mfa", Who::Only(ADMIN)),
    ("POST", "/api/v1/users/{id}/mfa/reset", Who::Only(ADMIN)),
    ("GET", "/api/v1/mfa-policy", Who::Everyone),
    ("PUT", "/api/v1/mfa-policy", Who::Only(ADMIN)),
    ("GET", "/persons/{id}/data-requests/new", Who::Only(STEER)),
    ("POST", "/persons/{id}/data-requests", Who::Only(STEER)),
    ("GET", "/data-requests", Who::Only(STEER)),
    ("GET", "/data-requests/{id}", Who::Only(STEER)),
    ("POST", "/data-requests/{id}/answer", Who::Only(STEER)),
    ("GET", "/data-requests/{id}/export.pdf", Who::Only(STEER)),
    ("GET", "/data-requests/{id}/export.json", Who::Only(STEER)),
    ("GET", "/api/v1/data-requests", Who::Only(STEER)),
    (
        "POST",
        "/api/v1/persons/{id}/data-requests",
        Who::Only(STEER),
    ),
    ("GET", "/api/v1/data-requests/{id}", Who::Only(STEER)),
    (
        "POST",
        "/api/v1/data-requests/{id}/answer",
        Who::Only(STEER),
    ),
    ("GET", "/api/v1/data-requests/{id}/export", Who::Only(STEER)),
    ("GET", "/api/v1/data-requests/{id}/pdf", Who::Only(STEER)),
    ("POST", "/logout", Who::Everyone),
    ("POST", "/language", Who::Public),
    ("GET", "/", Who::Everyone),
    ("GET", "/profile", Who::Everyone),
    ("POST", "/profile/preferences", Who::Everyone),
    ("POST", "/profile/email", Who::Everyone),
    ("POST", "/profile/password", Who::Everyone),
    ("POST", "/profile/sessions/{id}/sign-out", Who::Everyone),
    ("POST", "/profile/sessions/sign-out-others", Who::Everyone),
    ("GET", "/api/v1/me/sessions", Who::Everyone),
    ("POST", "/api/v1/me/sessions/{id}/sign-out", Who::Everyone),
    ("POST", "/api/v1/me/sessions/sign-out-others", Who::Everyone),
    ("GET", "/admin/users", Who::Only(ADMIN)),
    ("POST", "/admin/users", Who::Only(ADMIN)),
    ("GET", "/admin/users/new", Who::Only(ADMIN)),
    ("GET", "/admin/users/{id}", Who::Only(ADMIN)),
    ("POST", "/admin/users/{id}", Who::Only(ADMIN)),
    ("GET", "/admin/case-types", Who::Only(ADMIN)),
    ("POST", "/admin/case-types", Who::Only(ADMIN)),
    ("GET", "/admin/case-types/new", Who::Only(ADMIN)),
    ("GET", "/admin/case-types/{code}", Who::Only(ADMIN)),
    ("POST", "/admin/case-types/{code}", Who::Only(ADMIN)),
    ("GET", "/api/v1/case-types", Who::Everyone),
    ("POST", "/api/v1/case-types", Who::Only(ADMIN)),
    ("GET", "/api/v1/case-types/{code}", Who::Everyone),
    ("PUT", "/api/v1/case-types/{code}", Who::Only(ADMIN)),
    ("GET", "/audit", Who::Only(AUDITOR)),
    ("GET", "/admin/assessment-templates", Who::Only(ADMIN)),
    ("POST", "/admin/assessment-templates", Who::Only(ADMIN)),
    ("GET", "/admin/assessment-templates/{id}", Who::Only(ADMIN)),
    (
        "POST",
        "/admin/assessment-templates/{id}/publish",
        Who::Only(ADMIN),
    ),
    (
        "GET",
        "/admin/assessment-templates/{id}/export",
        Who::Only(ADMIN),
    ),
    ("GET", "/cases/{id}/assessments", Who::Only(ON_CASE)),
    ("POST", "/cases/{id}/assessments", Who::Only(ON_CASE)),
    ("GET", "/cases/{id}/assessments/compare", Who::Only(ON_CASE)),
    ("GET", "/assessments/{id}", Who::Only(ON_CASE)),
    ("POST", "/assessments/{id}", Who::Only(ON_CASE)),
    ("GET", "/api/docs", Who::Public),
    ("GET", "/api/openapi.json", Who::Public),
    ("GET", "/api/v1/me", Who::Everyone),
    ("PUT", "/api/v1/me/preferences", Who::Everyone),
    ("GET", "/api/v1/me/email", Who::Everyone),
    ("PUT", "/api/v1/me/email", Who::Everyone),
    ("POST", "/api/v1/me/password", Who::Everyone),
    ("GET", "/api/v1/users", Who::Only(ADMIN)),
    ("POST", "/api/v1/users", Who::Only(ADMIN)),
    ("GET", "/api/v1/users/{id}", Who::Only(ADMIN)),
    ("PATCH", "/api/v1/users/{id}", Who::Only(ADMIN)),
    ("GET", "/api/v1/audit-events", Who::Only(AUDITOR)),
    ("GET", "/api/v1/audit/verify", Who::Only(AUDITOR)),
    ("GET", "/cases", Who::Only(ON_CASE)),
    ("GET", "/cases.csv", Who::Only(ON_CASE)),
    ("GET", "/cases.xlsx", Who::Only(ON_CASE)),
    ("POST", "/cases", Who::Only(STEER)),
    ("GET", "/cases/new", Who::Only(STEER)),
    ("GET", "/cases/{id}", Who::Only(ON_CASE)),
    ("GET", "/cases/{id}/plan", Who::Only(ON_CASE)),
    ("POST", "/cases/{id}/plan", Who::Only(ON_CASE)),
    ("GET", "/cases/{id}/plan/edit", Who::Only(ON_CASE)),
    (
        "POST",
        "/cases/{id}/plan/{number}/decision",
        Who::Only(STEER),
    ),
    ("POST", "/cases/{id}/progress", Who::Only(ON_CASE)),
    (
        "POST",
        "/cases/{id}/interventions/{intervention}",
        Who::Only(ON_CASE),
    ),
    (
        "POST",
        "/api/v1/cases/{id}/interventions/{intervention}",
        Who::Only(ON_CASE),
    ),
    ("GET", "/cases/{id}/closure", Who::Only(ON_CASE)),
    ("GET", "/cases/{id}/timeline", Who::Only(ON_CASE)),
    ("GET", "/api/v1/cases/{id}/timeline", Who::Only(ON_CASE)),
    ("POST", "/cases/{id}/closure", Who::Only(STEER)),
    ("POST", "/cases/{id}/closure/decision", Who::Only(STEER)),
    ("POST", "/cases/{id}/reviews", Who::Only(ON_CASE)),
    (
        "POST",
        "/cases/{id}/follow-ups/{follow_up}",
        Who::Only(ON_CASE),
    ),
    ("POST", "/cases/{id}/status", Who::Only(ON_CASE)),
    ("POST", "/cases/{id}/transfer", Who::Only(STEER)),
    ("POST", "/cases/{id}/team", Who::Only(STEER)),
    ("POST", "/cases/{id}/persons", Who::Only(ON_CASE)),
    ("POST", "/cases/{id}/consents", Who::Only(ON_CASE)),
    ("POST", "/cases/{id}/contacts", Who::Only(ON_CASE)),
    ("POST", "/contacts/{id}", Who::Only(ON_CASE)),
    ("POST", "/cases/{id}/promises", Who::Only(ON_CASE)),
    ("POST", "/promises/{id}", Who::Only(ON_CASE)),
    ("GET", "/cases/{id}/tasks", Who::Only(ON_CASE)),
    ("POST", "/cases/{id}/tasks", Who::Only(ON_CASE)),
    ("GET", "/tasks", Who::Only(ON_CASE)),
    ("GET", "/tasks.csv", Who::Only(ON_CASE)),
    ("GET", "/tasks.xlsx", Who::Only(ON_CASE)),
    ("POST", "/tasks/{id}", Who::Only(ON_CASE)),
    ("GET", "/inbox", Who::Everyone),
    ("GET", "/conferences", Who::Only(ON_CASE)),
    ("POST", "/conferences", Who::Only(ON_CASE)),
    ("GET", "/conferences/new", Who::Only(ON_CASE)),
    ("GET", "/conferences/{id}", Who::Only(ON_CASE)),
    ("GET", "/conferences/{id}/print", Who::Only(ON_CASE)),
    ("POST", "/conferences/{id}/confirm", Who::Only(CHAIR)),
    (
        "POST",
        "/conferences/{id}/cases/{case}/minutes",
        Who::Only(ON_CASE),
    ),
    ("GET", "/cases/{id}/conferences", Who::Only(ON_CASE)),
    ("GET", "/cases/{id}/consultations", Who::Only(ON_CASE)),
    ("GET", "/caseload", Who::Only(ON_CASE)),
    ("GET", "/supervision", Who::Only(ON_CASE)),
    ("POST", "/supervision", Who::Only(SUPERVISOR)),
    (
        "POST",
        "/handovers/{id}/acknowledge",
        Who::Only(NEW_MANAGER),
    ),
    ("POST", "/caseload/{id}/limit", Who::Only(SUPERVISOR)),
    ("POST", "/cases/{id}/consultations", Who::Only(ON_CASE)),
    ("POST", "/consultations/{id}/replies", Who::Only(ON_CASE)),
    ("GET", "/cases/{id}/screening", Who::Only(ON_CASE)),
    ("GET", "/cases/{id}/services", Who::Only(ON_CASE)),
    ("GET", "/cases/{id}/similar", Who::Only(ON_CASE)),
    // Break-the-glass: case managers and supervisors open a case (the test case's own workers
    // are told they need not: 422); every worker with cases lists her openings; a supervisor
    // reviews. The matrix's openings do not exist (404 past the role check).
    ("GET", "/cases/{id}/emergency-access", Who::Only(STEER)),
    ("POST", "/cases/{id}/emergency-access", Who::Only(STEER)),
    ("GET", "/emergency-access", Who::Only(ON_CASE)),
    ("POST", "/emergency-access", Who::Only(STEER)),
    ("GET", "/emergency-access/{id}", Who::Only(ON_CASE)),
    (
        "POST",
        "/emergency-access/{id}/review",
        Who::Only(SUPERVISOR),
    ),
    ("POST", "/emergency-access/{id}/end", Who::Only(STEER)),
    ("GET", "/admin/emergency-access", Who::Only(ADMIN)),
    ("POST", "/admin/emergency-access", Who::Only(ADMIN)),
    (
        "POST",
        "/api/v1/cases/{id}/emergency-access",
        Who::Only(STEER),
    ),
    ("GET", "/api/v1/emergency-access", Who::Only(ON_CASE)),
    ("GET", "/api/v1/emergency-access/{id}", Who::Only(ON_CASE)),
    (
        "POST",
        "/api/v1/emergency-access/{id}/review",
        Who::Only(SUPERVISOR),
    ),
    (
        "POST",
        "/api/v1/emergency-access/{id}/end",
        Who::Only(STEER),
    ),
    ("GET", "/api/v1/emergency-access-settings", Who::Everyone),
    ("PUT", "/api/v1/emergency-access-settings", Who::Only(ADMIN)),
    ("POST", "/cases/{id}/services", Who::Only(ON_CASE)),
    ("POST", "/admin/screening/matching", Who::Only(ADMIN)),
    ("POST", "/cases/{id}/screening", Who::Only(ON_CASE)),
    ("POST", "/suggestions/{id}/decision", Who::Only(ON_CASE)),
    ("GET", "/admin/screening", Who::Only(ADMIN)),
    ("POST", "/admin/screening", Who::Only(ADMIN)),
    ("GET", "/admin/screening/model", Who::Only(ADMIN)),
    ("POST", "/admin/screening/model", Who::Only(ADMIN)),
    ("POST", "/admin/screening/model/switch", Who::Only(ADMIN)),
    ("POST", "/admin/screening/similar", Who::Only(ADMIN)),
    (
        "GET",
        "/api/v1/decision-support/similar-cases",
        Who::Only(ADMIN),
    ),
    (
        "PUT",
        "/api/v1/decision-support/similar-cases",
        Who::Only(ADMIN),
    ),
    ("POST", "/consultations/{id}/resolve", Who::Only(ON_CASE)),
    ("POST", "/inbox/read", Who::Everyone),
    // Anyone may ask; only the recipient finds it (others: 404, tests/it/notifications.rs).
    ("GET", "/inbox/{id}", Who::Everyone),
    ("GET", "/areas/options", Who::Everyone),
    ("GET", "/areas/postcode", Who::Everyone),
    ("GET", "/api/v1/areas/provinces", Who::Everyone),
    (
        "GET",
        "/api/v1/areas/provinces/{code}/districts",
        Who::Everyone,
    ),
    (
        "GET",
        "/api/v1/areas/districts/{code}/subdistricts",
        Who::Everyone,
    ),
    ("GET", "/api/v1/cases", Who::Only(ON_CASE)),
    ("POST", "/api/v1/cases", Who::Only(STEER)),
    ("POST", "/api/v1/intake/candidates", Who::Only(STEER)),
    ("GET", "/api/v1/cases/{id}", Who::Only(ON_CASE)),
    ("PATCH", "/api/v1/cases/{id}", Who::Only(STEER)),
    ("POST", "/api/v1/cases/{id}/transitions", Who::Only(ON_CASE)),
    ("POST", "/api/v1/cases/{id}/transfer", Who::Only(STEER)),
    ("POST", "/api/v1/cases/{id}/team", Who::Only(STEER)),
    (
        "DELETE",
        "/api/v1/cases/{id}/team/{account_id}",
        Who::Only(STEER),
    ),
    ("POST", "/api/v1/cases/{id}/persons", Who::Only(ON_CASE)),
    ("GET", "/api/v1/cases/{id}/plan", Who::Only(ON_CASE)),
    ("POST", "/api/v1/cases/{id}/plan", Who::Only(ON_CASE)),
    (
        "POST",
        "/api/v1/cases/{id}/plan/{number}/decision",
        Who::Only(STEER),
    ),
    ("POST", "/api/v1/cases/{id}/progress", Who::Only(ON_CASE)),
    ("GET", "/api/v1/cases/{id}/closure", Who::Only(ON_CASE)),
    ("POST", "/api/v1/cases/{id}/closure", Who::Only(STEER)),
    (
        "POST",
        "/api/v1/cases/{id}/closure/decision",
        Who::Only(STEER),
    ),
    ("POST", "/api/v1/cases/{id}/reviews", Who::Only(ON_CASE)),
    (
        "POST",
        "/api/v1/cases/{id}/follow-ups/{follow_up}",
        Who::Only(ON_CASE),
    ),
    ("GET", "/api/v1/cases/{id}/consents", Who::Only(ON_CASE)),
    ("POST", "/api/v1/cases/{id}/consents", Who::Only(ON_CASE)),
    ("GET", "/api/v1/cases/{id}/contacts", Who::Only(ON_CASE)),
    ("POST", "/api/v1/cases/{id}/contacts", Who::Only(ON_CASE)),
    ("PUT", "/api/v1/contacts/{id}", Who::Only(ON_CASE)),
    ("GET", "/api/v1/cases/{id}/promises", Who::Only(ON_CASE)),
    ("POST", "/api/v1/cases/{id}/promises", Who::Only(ON_CASE)),
    ("POST", "/api/v1/promises/{id}", Who::Only(ON_CASE)),
    ("GET", "/api/v1/me/promises", Who::Everyone),
    ("GET", "/api/v1/cases/{id}/tasks", Who::Only(ON_CASE)),
    ("POST", "/api/v1/cases/{id}/tasks", Who::Only(ON_CASE)),
    ("GET", "/api/v1/tasks", Who::Only(ON_CASE)),
    ("GET", "/api/v1/tasks/{id}", Who::Only(ON_CASE)),
    ("POST", "/api/v1/tasks/{id}", Who::Only(ON_CASE)),
    ("GET", "/api/v1/me/notifications", Who::Everyone),
    ("GET", "/api/v1/conferences", Who::Only(ON_CASE)),
    ("POST", "/api/v1/conferences", Who::Only(ON_CASE)),
    ("GET", "/api/v1/conferences/{id}", Who::Only(ON_CASE)),
    ("POST", "/api/v1/conferences/{id}/confirm", Who::Only(CHAIR)),
    (
        "PUT",
        "/api/v1/conferences/{id}/cases/{case}/minutes",
        Who::Only(ON_CASE),
    ),
    ("GET", "/api/v1/cases/{id}/conferences", Who::Only(ON_CASE)),
    (
        "GET",
        "/api/v1/cases/{id}/consultations",
        Who::Only(ON_CASE),
    ),
    (
        "POST",
        "/api/v1/cases/{id}/consultations",
        Who::Only(ON_CASE),
    ),
    ("GET", "/api/v1/consultations/{id}", Who::Only(ON_CASE)),
    ("GET", "/api/v1/cases/{id}/screenings", Who::Only(ON_CASE)),
    (
        "GET",
        "/api/v1/cases/{id}/service-matches",
        Who::Only(ON_CASE),
    ),
    (
        "POST",
        "/api/v1/cases/{id}/service-matches",
        Who::Only(ON_CASE),
    ),
    (
        "GET",
        "/api/v1/decision-support/service-match",
        Who::Only(ADMIN),
    ),
    (
        "PUT",
        "/api/v1/decision-support/service-match",
        Who::Only(ADMIN),
    ),
    ("POST", "/api/v1/cases/{id}/screenings", Who::Only(ON_CASE)),
    (
        "GET",
        "/api/v1/cases/{id}/similar-cases",
        Who::Only(ON_CASE),
    ),
    (
        "POST",
        "/api/v1/suggestions/{id}/decision",
        Who::Only(ON_CASE),
    ),
    (
        "GET",
        "/api/v1/decision-support/complexity",
        Who::Only(ADMIN),
    ),
    (
        "PUT",
        "/api/v1/decision-support/complexity",
        Who::Only(ADMIN),
    ),
    (
        "GET",
        "/api/v1/decision-support/complexity-model",
        Who::Only(ADMIN),
    ),
    (
        "PUT",
        "/api/v1/decision-support/complexity-model",
        Who::Only(ADMIN),
    ),
    (
        "POST",
        "/api/v1/decision-support/complexity-model/runs",
        Who::Only(ADMIN),
    ),
    ("GET", "/api/v1/caseload", Who::Only(ON_CASE)),
    ("GET", "/api/v1/supervision", Who::Only(ON_CASE)),
    ("POST", "/api/v1/supervision", Who::Only(SUPERVISOR)),
    ("GET", "/api/v1/cases/{id}/handovers", Who::Only(ON_CASE)),
    (
        "POST",
        "/api/v1/handovers/{id}/acknowledge",
        Who::Only(NEW_MANAGER),
    ),
    ("PUT", "/api/v1/caseload/{id}/limit", Who::Only(SUPERVISOR)),
    (
        "POST",
        "/api/v1/consultations/{id}/replies",
        Who::Only(ON_CASE),
    ),
    (
        "POST",
        "/api/v1/consultations/{id}/resolve",
        Who::Only(ON_CASE),
    ),
    ("POST", "/api/v1/me/notifications/read", Who::Everyone),
    ("POST", "/api/v1/me/notifications/{id}/read", Who::Everyone),
    ("GET", "/api/v1/me/approvals", Who::Only(ON_CASE)),
    ("GET", "/api/v1/me/due", Who::Only(ON_CASE)),
    ("GET", "/api/v1/reports/case-counts", Who::Only(FIGURES)),
    ("GET", "/api/v1/reports/dashboard", Who::Only(FIGURES)),
    ("GET", "/reports/cases", Who::Only(FIGURES)),
    ("GET", "/reports/dashboard", Who::Only(FIGURES)),
    ("GET", "/reports/advocacy", Who::Only(REPORT_WRITERS)),
    (
        "GET",
        "/api/v1/advocacy-reports/{id}/pdf",
        Who::Only(REPORT_WRITERS),
    ),
    (
        "GET",
        "/reports/advocacy/{id}/report.pdf",
        Who::Only(REPORT_WRITERS),
    ),
    ("POST", "/reports/advocacy", Who::Only(REPORT_WRITERS)),
    ("GET", "/reports/advocacy/{id}", Who::Only(REPORT_WRITERS)),
    ("POST", "/reports/advocacy/{id}", Who::Only(REPORT_WRITERS)),
    (
        "POST",
        "/reports/advocacy/{id}/step",
        Who::Only(REPORT_WRITERS),
    ),
    (
        "GET",
        "/reports/advocacy/{id}/versions/{n}",
        Who::Only(REPORT_WRITERS),
    ),
    ("GET", "/api/v1/advocacy-reports", Who::Only(REPORT_WRITERS)),
    (
        "POST",
        "/api/v1/advocacy-reports",
        Who::Only(REPORT_WRITERS),
    ),
    (
        "GET",
        "/api/v1/advocacy-reports/{id}",
        Who::Only(REPORT_WRITERS),
    ),
    (
        "PUT",
        "/api/v1/advocacy-reports/{id}",
        Who::Only(REPORT_WRITERS),
    ),
    (
        "POST",
        "/api/v1/advocacy-reports/{id}/steps",
        Who::Only(REPORT_WRITERS),
    ),
    (
        "GET",
        "/api/v1/advocacy-reports/{id}/versions",
        Who::Only(REPORT_WRITERS),
    ),
    (
        "GET",
        "/api/v1/advocacy-reports/{id}/examples",
        Who::Only(REPORT_WRITERS),
    ),
    ("GET", "/cases/{id}/file.pdf", Who::Only(ON_CASE)),
    ("GET", "/api/v1/cases/{id}/pdf", Who::Only(ON_CASE)),
    ("GET", "/reports/policy", Who::Only(REPORT_WRITERS)),
    ("POST", "/reports/policy", Who::Only(SUPERVISOR)),
    ("POST", "/reports/policy-cycle", Who::Only(SUPERVISOR)),
    ("GET", "/reports/policy/{id}", Who::Only(REPORT_WRITERS)),
    (
        "GET",
        "/reports/policy/{id}/review.pdf",
        Who::Only(REPORT_WRITERS),
    ),
    (
        "GET",
        "/api/v1/policy-reviews/{id}/pdf",
        Who::Only(REPORT_WRITERS),
    ),
    ("POST", "/reports/policy/{id}/items", Who::Only(SUPERVISOR)),
    (
        "POST",
        "/reports/policy/{id}/refresh",
        Who::Only(SUPERVISOR),
    ),
    (
        "POST",
        "/reports/policy/{id}/conclude",
        Who::Only(SUPERVISOR),
    ),
    // The seeded action is demo-manager's: she and a supervisor record its progress.
    ("POST", "/reports/policy-actions/{id}", Who::Only(STEER)),
    ("GET", "/api/v1/policy-reviews", Who::Only(REPORT_WRITERS)),
    ("POST", "/api/v1/policy-reviews", Who::Only(SUPERVISOR)),
    ("PUT", "/api/v1/policy-review-cycle", Who::Only(SUPERVISOR)),
    (
        "GET",
        "/api/v1/policy-reviews/{id}",
        Who::Only(REPORT_WRITERS),
    ),
    (
        "POST",
        "/api/v1/policy-reviews/{id}/items",
        Who::Only(SUPERVISOR),
    ),
    (
        "POST",
        "/api/v1/policy-reviews/{id}/refresh",
        Who::Only(SUPERVISOR),
    ),
    (
        "POST",
        "/api/v1/policy-reviews/{id}/conclude",
        Who::Only(SUPERVISOR),
    ),
    ("POST", "/api/v1/policy-actions/{id}", Who::Only(STEER)),
    ("GET", "/reports/dashboard.csv", Who::Only(FIGURES)),
    ("GET", "/reports/dashboard.xlsx", Who::Only(FIGURES)),
    ("GET", "/reports/trends", Who::Only(FIGURES)),
    ("GET", "/reports/trends.csv", Who::Only(FIGURES)),
    ("GET", "/reports/trends.xlsx", Who::Only(FIGURES)),
    (
        "GET",
        "/api/v1/reports/trends/new-cases",
        Who::Only(FIGURES),
    ),
    ("PATCH", "/api/v1/persons/{id}", Who::Only(ON_CASE)),
    ("GET", "/api/v1/assessment-templates", Who::Only(ADMIN)),
    ("POST", "/api/v1/assessment-templates", Who::Only(ADMIN)),
    (
        "POST",
        "/api/v1/assessment-templates/preview",
        Who::Only(ADMIN),
    ),
    ("GET", "/api/v1/assessment-templates/{id}", Who::Only(ADMIN)),
    (
        "POST",
        "/api/v1/assessment-templates/{id}/publish",
        Who::Only(ADMIN),
    ),
    ("GET", "/api/v1/published-templates", Who::Only(ON_CASE)),
    ("GET", "/api/v1/cases/{id}/assessments", Who::Only(ON_CASE)),
    ("POST", "/api/v1/cases/{id}/assessments", Who::Only(ON_CASE)),
    (
        "GET",
        "/api/v1/cases/{id}/assessments/compare",
        Who::Only(ON_CASE),
    ),
    ("GET", "/api/v1/assessments/{id}", Who::Only(ON_CASE)),
    ("PUT", "/api/v1/assessments/{id}", Who::Only(ON_CASE)),
    (
        "POST",
        "/api/v1/assessments/{id}/complete",
        Who::Only(ON_CASE),
    ),
    ("GET", "/attachments/{id}", Who::Only(ON_CASE)),
    ("POST", "/contacts/{id}/attachments", Who::Only(ON_CASE)),
    ("POST", "/assessments/{id}/attachments", Who::Only(ON_CASE)),
    ("GET", "/api/v1/cases/{id}/attachments", Who::Only(ON_CASE)),
    (
        "POST",
        "/api/v1/contacts/{id}/attachments",
        Who::Only(ON_CASE),
    ),
    (
        "POST",
        "/api/v1/assessments/{id}/attachments",
        Who::Only(ON_CASE),
    ),
    ("GET", "/api/v1/attachments/{id}", Who::Only(ON_CASE)),
    ("POST", "/persons/{id}", Who::Only(ON_CASE)),
    ("GET", "/cases/{id}/referrals", Who::Only(ON_CASE)),
    ("POST", "/cases/{id}/referrals", Who::Only(ON_CASE)),
    ("GET", "/referrals", Who::Only(ON_CASE)),
    ("GET", "/referrals.csv", Who::Only(ON_CASE)),
    ("GET", "/referrals.xlsx", Who::Only(ON_CASE)),
    ("GET", "/api/v1/referrals", Who::Only(ON_CASE)),
    ("GET", "/referrals/{id}", Who::Only(ON_CASE)),
    ("POST", "/referrals/{id}/steps", Who::Only(ON_CASE)),
    ("POST", "/referrals/{id}/agreement", Who::Only(ON_CASE)),
    ("POST", "/referrals/{id}/check-ins", Who::Only(ON_CASE)),
    ("GET", "/referrals/{id}/letter", Who::Only(ON_CASE)),
    ("POST", "/referrals/{id}/promote", Who::Only(NOBODY)),
    ("POST", "/api/v1/referrals/{id}/promote", Who::Only(NOBODY)),
    (
        "POST",
        "/referral-alerts/{id}/acknowledge",
        Who::Only(ON_CASE),
    ),
    ("GET", "/api/v1/cases/{id}/referrals", Who::Only(ON_CASE)),
    ("POST", "/api/v1/cases/{id}/referrals", Who::Only(ON_CASE)),
    ("GET", "/api/v1/referrals/{id}", Who::Only(ON_CASE)),
    ("POST", "/api/v1/referrals/{id}/steps", Who::Only(ON_CASE)),
    (
        "PUT",
        "/api/v1/referrals/{id}/agreement",
        Who::Only(ON_CASE),
    ),
    (
        "POST",
        "/api/v1/referrals/{id}/check-ins",
        Who::Only(ON_CASE),
    ),
    (
        "POST",
        "/api/v1/referral-alerts/{id}/acknowledge",
        Who::Only(ON_CASE),
    ),
    ("GET", "/api/v1/reports/referrals", Who::Only(FIGURES)),
    ("GET", "/resources", Who::Everyone),
    ("GET", "/resources/export.json", Who::Everyone),
    ("POST", "/resources/import", Who::Only(ADMIN)),
    ("POST", "/resources/import-seed", Who::Only(ADMIN)),
    ("GET", "/api/v1/resources/export", Who::Everyone),
    ("POST", "/api/v1/resources/import", Who::Only(ADMIN)),
    ("POST", "/api/v1/resources/import-seed", Who::Only(ADMIN)),
    ("POST", "/resources/providers", Who::Only(ADMIN)),
    ("GET", "/resources/providers/new", Who::Only(ADMIN)),
    ("GET", "/resources/providers/{id}", Who::Everyone),
    ("POST", "/resources/providers/{id}", Who::Only(ADMIN)),
    ("GET", "/resources/providers/{id}/edit", Who::Only(ADMIN)),
    (
        "POST",
        "/resources/providers/{id}/locations",
        Who::Only(ADMIN),
    ),
    (
        "POST",
        "/resources/providers/{id}/services",
        Who::Only(ADMIN),
    ),
    (
        "GET",
        "/resources/providers/{id}/services/new",
        Who::Only(ADMIN),
    ),
    ("GET", "/resources/services/{id}", Who::Everyone),
    ("POST", "/resources/services/{id}", Who::Only(ADMIN)),
    ("GET", "/resources/services/{id}/edit", Who::Only(ADMIN)),
    ("POST", "/resources/services/{id}/verify", Who::Only(ADMIN)),
    ("GET", "/api/v1/resources/services", Who::Everyone),
    ("GET", "/api/v1/resources/services/{id}", Who::Everyone),
    ("PUT", "/api/v1/resources/services/{id}", Who::Only(ADMIN)),
    (
        "POST",
        "/api/v1/resources/services/{id}/verify",
        Who::Only(ADMIN),
    ),
    ("GET", "/api/v1/resources/providers", Who::Everyone),
    ("POST", "/api/v1/resources/providers", Who::Only(ADMIN)),
    ("GET", "/api/v1/resources/providers/{id}", Who::Everyone),
    ("PUT", "/api/v1/resources/providers/{id}", Who::Only(ADMIN)),
    (
        "POST",
        "/api/v1/resources/providers/{id}/services",
        Who::Only(ADMIN),
    ),
    (
        "POST",
        "/api/v1/resources/providers/{id}/locations",
        Who::Only(ADMIN),
    ),
    ("PUT", "/api/v1/resources/locations/{id}", Who::Only(ADMIN)),
    ("GET", "/search", Who::Only(ON_CASE)),
    ("GET", "/api/v1/search", Who::Only(ON_CASE)),
    ("GET", "/persons/duplicates", Who::Only(SUPERVISOR)),
    (
        "POST",
        "/persons/duplicates/dismissals",
        Who::Only(SUPERVISOR),
    ),
    ("GET", "/persons/merges", Who::Only(SUPERVISOR)),
    ("POST", "/persons/merges", Who::Only(SUPERVISOR)),
    ("POST", "/persons/merges/{id}/undo", Who::Only(SUPERVISOR)),
    ("GET", "/api/v1/persons/duplicates", Who::Only(SUPERVISOR)),
    (
        "POST",
        "/api/v1/persons/duplicates/dismissals",
        Who::Only(SUPERVISOR),
    ),
    ("GET", "/api/v1/persons/merges", Who::Only(SUPERVISOR)),
    ("POST", "/api/v1/persons/merges", Who::Only(SUPERVISOR)),
    (
        "POST",
        "/api/v1/persons/merges/{id}/undo",
        Who::Only(SUPERVISOR),
    ),
    ("GET", "/programmes", Who::Everyone),
    ("POST", "/programmes", Who::Only(ADMIN)),
    ("GET", "/programmes/{id}", Who::Everyone),
    ("POST", "/programmes/{id}", Who::Only(ADMIN)),
    ("POST", "/programmes/{id}/criteria", Who::Only(ADMIN)),
    (
        "POST",
        "/programmes/{id}/criteria/publish",
        Who::Only(ADMIN),
    ),
    ("POST", "/programmes/{id}/budgets", Who::Only(ADMIN)),
    ("GET", "/budgets/{id}", Who::Only(BUDGET_READERS)),
    (
        "GET",
        "/budgets/{id}/export.xlsx",
        Who::Only(BUDGET_READERS),
    ),
    ("GET", "/cases/{id}/allocations", Who::Only(ON_CASE)),
    ("POST", "/cases/{id}/allocations", Who::Only(ON_CASE)),
    ("GET", "/allocations", Who::Only(STEER)),
    ("GET", "/allocations.csv", Who::Only(STEER)),
    ("GET", "/allocations.xlsx", Who::Only(STEER)),
    ("GET", "/allocations/{id}", Who::Only(ON_CASE)),
    ("POST", "/allocations/{id}/decision", Who::Only(ON_CASE)),
    (
        "POST",
        "/allocations/{id}/disbursements",
        Who::Only(ON_CASE),
    ),
    ("POST", "/allocations/{id}/close", Who::Only(ON_CASE)),
    ("POST", "/budget-entries/{id}/reverse", Who::Only(ON_CASE)),
    ("POST", "/budget-entries/{id}/receipts", Who::Only(ON_CASE)),
    ("GET", "/api/v1/programmes", Who::Everyone),
    ("POST", "/api/v1/programmes", Who::Only(ADMIN)),
    ("GET", "/api/v1/programmes/{id}", Who::Everyone),
    ("PUT", "/api/v1/programmes/{id}", Who::Only(ADMIN)),
    ("PUT", "/api/v1/programmes/{id}/criteria", Who::Only(ADMIN)),
    (
        "POST",
        "/api/v1/programmes/{id}/criteria/publish",
        Who::Only(ADMIN),
    ),
    (
        "POST",
        "/api/v1/programmes/{id}/criteria/test",
        Who::Only(ADMIN),
    ),
    ("POST", "/api/v1/programmes/{id}/budgets", Who::Only(ADMIN)),
    ("GET", "/api/v1/criteria-facts", Who::Everyone),
    ("GET", "/api/v1/budgets/{id}", Who::Only(BUDGET_READERS)),
    (
        "GET",
        "/api/v1/budgets/{id}/export",
        Who::Only(BUDGET_READERS),
    ),
    ("GET", "/api/v1/cases/{id}/allocations", Who::Only(ON_CASE)),
    (
        "GET",
        "/api/v1/cases/{id}/client-spending",
        Who::Only(ON_CASE),
    ),
    ("POST", "/api/v1/cases/{id}/allocations", Who::Only(ON_CASE)),
    ("GET", "/api/v1/allocations", Who::Only(STEER)),
    ("GET", "/api/v1/allocations/{id}", Who::Only(ON_CASE)),
    (
        "POST",
        "/api/v1/allocations/{id}/decision",
        Who::Only(ON_CASE),
    ),
    ("POST", "/api/v1/allocations/{id}/close", Who::Only(ON_CASE)),
    (
        "POST",
        "/api/v1/allocations/{id}/disbursements",
        Who::Only(ON_CASE),
    ),
    (
        "POST",
        "/api/v1/budget-entries/{id}/reverse",
        Who::Only(ON_CASE),
    ),
    (
        "POST",
        "/api/v1/budget-entries/{id}/receipts",
        Who::Only(ON_CASE),
    ),
];

const ROLES: &[&str] = &[
    "demo-admin",
    "demo-supervisor",
    "demo-manager",
    "demo-psychologist",
    "demo-analyst",
    "demo-auditor",
];

#[test]
fn every_route_has_a_matrix_row_and_every_row_a_route() {
    let specs = route_specs();
    for s in &specs {
        assert!(
            MATRIX
                .iter()
                .any(|(m, p, _)| *m == s.method && *p == s.path),
            "route {} {} has no row in the access matrix (tests/it/access_matrix.rs)",
            s.method,
            s.path
        );
    }
    for (m, p, _) in MATRIX {
        assert!(
            specs.iter().any(|s| s.method == *m && s.path == *p),
            "matrix row {m} {p} names no route"
        );
    }
}

/// Sends the request as a browser or API client would: form posts with the CSRF token, API
/// writes with JSON and the CSRF header, all with an empty or minimal body.
async fn send(
    client: &reqwest::Client,
    server: &TestServer,
    method: &str,
    path: &str,
    kind: RouteKind,
    csrf: &str,
) -> reqwest::Response {
    let m = Method::from_bytes(method.as_bytes()).expect("method");
    let mut req = client.request(m.clone(), server.url(path));
    if m != Method::GET {
        req = match kind {
            RouteKind::Api => req
                .header("x-csrf-token", csrf)
                .json(&serde_json::json!({})),
            _ => req.form(&[("csrf", csrf)]),
        };
    }
    req.send().await.expect("request")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_with_every_role() {
    let server = TestServer::demo().await;
    let ids = seed_case(&server).await;
    let mut failures = Vec::new();

    // No one signed in: pages redirect to the login page, the API answers 401.
    let anon = server.client();
    for s in route_specs() {
        let path = concrete(s.path, &ids);
        let resp = send(&anon, &server, s.method, &path, s.kind, "").await;
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let ok = match s.kind {
            // Public routes never authorise; a 403 there can only be a CSRF refusal.
            RouteKind::Public => status != 401 && status < 500,
            RouteKind::Page => (status == 303 || status == 302) && location == "/login",
            RouteKind::Api => status == 401,
        };
        if !ok {
            failures.push(format!(
                "anonymous {} {} → {status} {location}",
                s.method, s.path
            ));
        }
    }

    for role in ROLES {
        let (client, csrf) = server.login(role).await;
        // Logout last: it ends the session the other requests use.
        let mut specs = route_specs();
        specs.sort_by_key(|s| s.path == "/logout");
        for s in specs {
            let (_, _, who) = MATRIX
                .iter()
                .find(|(m, p, _)| *m == s.method && *p == s.path)
                .expect("row");
            let path = concrete(s.path, &ids);
            let denials_before = denials(&server).await;
            let resp = send(&client, &server, s.method, &path, s.kind, &csrf).await;
            let status = resp.status().as_u16();
            let location = resp
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let allowed = match who {
                Who::Public | Who::Everyone => true,
                Who::Only(list) => list.contains(role),
            };
            let ok = if *who == Who::Public {
                // Never an authorisation decision (a stale form may still get a CSRF 403).
                status != 401 && status < 500 && denials(&server).await == denials_before
            } else if allowed {
                let to_login = location == "/login" && s.path != "/logout";
                status != 401 && status != 403 && status < 500 && !to_login
            } else {
                status == 403 && denials(&server).await == denials_before + 1
            };
            if !ok {
                failures.push(format!(
                    "{role} {} {} → {status} {location} (expected {})",
                    s.method,
                    s.path,
                    if allowed {
                        "allowed"
                    } else {
                        "403 and one audited denial"
                    }
                ));
            }
        }
    }
    assert!(
        server.audit_count("auth.required", "denied").await > 0,
        "anonymous refusals are audited"
    );
    server.stop().await;
    assert!(
        failures.is_empty(),
        "access matrix violations:\n{}",
        failures.join("\n")
    );
}

async fn denials(server: &TestServer) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_event WHERE outcome = 'denied' AND actor_id IS NOT NULL",
    )
    .fetch_one(server.app.db.read())
    .await
    .expect("count")
}
