//! Every read of personal data is audited: each GET route of the route table that takes an
//! id is requested by a role that may open it, on a seeded case, and must answer 200 and add
//! a `success` audit event by that role. Routes that return no personal data are listed
//! below, each with the reason.

use crate::access_matrix::{concrete, seed_case};
use crate::common;

use common::TestServer;
use karuna_web::{route_specs, RouteKind};

/// GET routes with an id that show no personal data, so need no read event.
const NO_PERSONAL_DATA: &[(&str, &str)] = &[
    (
        "/admin/assessment-templates/{id}",
        "an assessment template: questions, no answers",
    ),
    (
        "/admin/assessment-templates/{id}/export",
        "an assessment template's YAML",
    ),
    (
        "/api/v1/assessment-templates/{id}",
        "an assessment template: questions, no answers",
    ),
    (
        "/resources/providers/{id}",
        "a directory entry: an organisation and its services, no one's personal data",
    ),
    (
        "/resources/providers/{id}/edit",
        "a directory entry's form: an organisation, no one's personal data",
    ),
    (
        "/resources/providers/{id}/services/new",
        "a new directory service's form",
    ),
    (
        "/resources/services/{id}",
        "a directory entry: a service, no one's personal data",
    ),
    (
        "/resources/services/{id}/edit",
        "a directory entry's form: a service, no one's personal data",
    ),
    (
        "/api/v1/resources/providers/{id}",
        "a directory entry: an organisation and its services, no one's personal data",
    ),
    (
        "/api/v1/resources/services/{id}",
        "a directory entry: a service, no one's personal data",
    ),
    (
        "/programmes/{id}",
        "a programme: its rules, authorities and budget totals, no one's personal data",
    ),
    (
        "/api/v1/programmes/{id}",
        "a programme: its rules, authorities and budget totals, no one's personal data",
    ),
    (
        "/persons/{id}/data-requests/new",
        "the form to record a data request: the kind, a date and a text to write, nothing of the \
         person (recording it is audited as data_request.record)",
    ),
    (
        "/cases/{id}/emergency-access",
        "the emergency access form: a reason to write, nothing of the case",
    ),
    (
        "/inbox/{id}",
        "a redirect to the notification's page (which audits its own read); marking it read is \
         audited as notification.read (tests/it/notifications.rs)",
    ),
];

/// The role that may open the route's record: account routes are the admin's, the rest the
/// seeded case's manager's.
fn role_for(path: &str) -> &'static str {
    if path.contains("/users/") {
        "demo-admin"
    } else {
        "demo-manager"
    }
}

/// A query some routes need to return anything.
fn query_for(path: &str) -> &'static str {
    if path.ends_with("/assessments/compare") {
        "?template_key=holistic"
    } else {
        ""
    }
}

async fn reads_by(server: &TestServer, username: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_event WHERE actor_username = $1 AND outcome = 'success'",
    )
    .bind(username)
    .fetch_one(server.app.db.read())
    .await
    .expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_read_of_a_record_by_id_is_audited() {
    let server = TestServer::demo().await;
    let ids = seed_case(&server).await;
    let mut clients = std::collections::HashMap::new();
    let mut failures = Vec::new();
    let mut walked = 0;
    for s in route_specs() {
        let takes_id = s.path.contains("{id}");
        if s.method != "GET" || !takes_id || s.kind == RouteKind::Public {
            continue;
        }
        if NO_PERSONAL_DATA.iter().any(|(p, _)| *p == s.path) {
            continue;
        }
        let role = role_for(s.path);
        if !clients.contains_key(role) {
            clients.insert(role, server.login(role).await.0);
        }
        let client = &clients[role];
        let url = server.url(&format!("{}{}", concrete(s.path, &ids), query_for(s.path)));
        let before = reads_by(&server, role).await;
        let status = client.get(url).send().await.expect("GET").status();
        let after = reads_by(&server, role).await;
        walked += 1;
        if status != 200 {
            failures.push(format!("{} answered {status} to {role}", s.path));
        } else if after <= before {
            failures.push(format!("{} wrote no audit event", s.path));
        }
    }
    server.stop().await;
    assert!(walked >= 20, "only {walked} routes walked");
    assert!(
        failures.is_empty(),
        "unaudited reads:\n{}",
        failures.join("\n")
    );
}

/// The case manager's own worklists name clients' cases and what was promised: reading them
/// is audited too (the home page and `GET /api/v1/me/promises`).
#[tokio::test]
async fn my_due_promises_are_an_audited_read() {
    let server = TestServer::demo().await;
    let token = server.token("demo-manager").await;
    let c = server.client();
    let before = reads_by(&server, "demo-manager").await;
    let resp = c
        .get(server.url("/api/v1/me/promises"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("get");
    assert_eq!(resp.status(), 200);
    let promise_reads: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_event WHERE actor_username = $1 AND action = 'promise.due'",
    )
    .bind("demo-manager")
    .fetch_one(server.app.db.read())
    .await
    .expect("count");
    assert_eq!(promise_reads, 1);
    assert!(reads_by(&server, "demo-manager").await > before);
}
