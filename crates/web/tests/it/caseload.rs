//! Caseloads (issue 18 item 4, in part): each worker's open cases by stage against a limit,
//! with the tasks and promises behind; the supervisor sees her unit's and sets a worker's
//! limit; nobody else does either.

use crate::common::TestServer;
use crate::tasks::{due_in, get, intake, post};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caseloads_count_open_cases_against_a_limit_the_supervisor_sets() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let supervisor = server.token("demo-supervisor").await;
    let manager_id = server.user_id("demo-manager").await.to_string();
    let case = server.open_case(&manager, &intake("ภาระงาน")).await;
    post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/tasks"),
        json!({"title": "เยี่ยมบ้าน", "assignee_id": manager_id, "due": due_in(1)}),
    )
    .await;

    let (status, mine) = get(&server, &manager, "/api/v1/caseload").await;
    assert_eq!(status, 200);
    let me = &mine[0];
    assert_eq!(me["account_id"], manager_id.as_str());
    let open = me["open_cases"].as_i64().unwrap();
    assert!(open >= 1);
    let by_status: i64 = me["by_status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_i64().unwrap())
        .sum();
    assert_eq!(by_status, open, "every open case in one stage");
    assert!(me["open_tasks"].as_i64().unwrap() >= 1);
    assert_eq!(me["limit"], 25);

    // The supervisor's unit list holds the manager; she sets a limit below the load.
    let (status, unit) = get(&server, &supervisor, "/api/v1/caseload?list=unit").await;
    assert_eq!(status, 200);
    assert!(unit
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["account_id"] == manager_id.as_str()));
    let limit = format!("/api/v1/caseload/{manager_id}/limit");
    let resp = server
        .client()
        .put(server.url(&limit))
        .bearer_auth(&supervisor)
        .json(&json!({"limit": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let resp = server
        .client()
        .put(server.url(&limit))
        .bearer_auth(&manager)
        .json(&json!({"limit": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403, "a worker does not set her own limit");
    let resp = server
        .client()
        .put(server.url(&limit))
        .bearer_auth(&supervisor)
        .json(&json!({"limit": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let (_, mine) = get(&server, &manager, "/api/v1/caseload").await;
    assert_eq!(mine[0]["limit"], 1);
    assert_eq!(mine[0]["over_limit"], open > 1);
    let (status, _) = get(&server, &manager, "/api/v1/caseload?list=unit").await;
    assert_eq!(status, 403);
    let analyst = server.token("demo-analyst").await;
    let (status, _) = get(&server, &analyst, "/api/v1/caseload").await;
    assert_eq!(status, 403);

    // The page: the warning, and the supervisor's form.
    let (web, csrf) = server.login("demo-supervisor").await;
    let html = web
        .get(server.url("/caseload?list=unit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("id=\"limit-{manager_id}\"")));
    if open > 1 {
        assert!(html.contains("id=\"caseload-over\""));
    }
    let resp = web
        .post(server.url(&format!("/caseload/{manager_id}/limit")))
        .form(&[("csrf", csrf.as_str()), ("limit", "abc")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains(&format!("id=\"limit-{manager_id}-error\"")));
    let resp = web
        .post(server.url(&format!("/caseload/{manager_id}/limit")))
        .form(&[("csrf", csrf.as_str()), ("limit", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let (_, mine) = get(&server, &manager, "/api/v1/caseload").await;
    assert_eq!(mine[0]["limit"], 25, "empty sets the default back");
    assert!(server.audit_count("caseload.read", "success").await >= 4);
}
