//! Supervision sessions (issue 18 item 4): a supervisor records one with a worker of her unit;
//! the worker reads her own; a colleague does not see another's.

use crate::common::TestServer;
use crate::tasks::{get, post};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervision_is_seen_by_the_supervisor_and_the_worker_only() {
    let server = TestServer::demo().await;
    let supervisor = server.token("demo-supervisor").await;
    let manager = server.token("demo-manager").await;
    let psy = server.token("demo-psychologist").await;
    let manager_id = server.user_id("demo-manager").await.to_string();
    let psychologist = server.user_id("demo-psychologist").await.to_string();
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());
    use chrono::Datelike;
    let date = format!("{}/{}/{}", today.day(), today.month(), today.year() + 543);

    let (status, p) = post(&server, &supervisor, "/api/v1/supervision", json!({})).await;
    assert_eq!(status, 422);
    assert_eq!(p["errors"].as_array().unwrap().len(), 3, "{p}");
    // The psychologist works in another unit (the shelter): not hers to supervise.
    let (status, p) = post(
        &server,
        &supervisor,
        "/api/v1/supervision",
        json!({"worker_id": psychologist, "held_on": date, "agreed_actions": "x"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(p["errors"][0]["code"], "supervision.worker_not_in_unit");
    let (status, _) = post(
        &server,
        &supervisor,
        "/api/v1/supervision",
        json!({"worker_id": manager_id, "held_on": date, "caseload_reviewed": true,
               "cases_discussed": "CM-2569-000001", "agreed_actions": "เยี่ยมบ้านร่วมกันสัปดาห์หน้า",
               "wellbeing": "เหนื่อยล้าจากรายกรณีความรุนแรงหลายราย", "training_needs": "การสัมภาษณ์เด็ก"}),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = post(&server, &manager, "/api/v1/supervision", json!({})).await;
    assert_eq!(status, 403, "only a supervisor records");

    let (_, mine) = get(&server, &manager, "/api/v1/supervision").await;
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["wellbeing"], "เหนื่อยล้าจากรายกรณีความรุนแรงหลายราย");
    let (_, theirs) = get(&server, &psy, "/api/v1/supervision").await;
    assert!(
        theirs.as_array().unwrap().is_empty(),
        "not another worker's"
    );
    let (_, hers) = get(&server, &supervisor, "/api/v1/supervision").await;
    assert_eq!(hers.as_array().unwrap().len(), 1);

    let (web, csrf) = server.login("demo-supervisor").await;
    let resp = web
        .post(server.url("/supervision"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("worker_id", manager_id.as_str()),
            ("held_on", "1/1/2600"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("href=\"#held_on\""));
    assert!(html.contains("วันที่นิเทศต้องไม่ใช่วันในอนาคต"));
    assert!(server.audit_count("supervision.list", "success").await >= 3);
}
