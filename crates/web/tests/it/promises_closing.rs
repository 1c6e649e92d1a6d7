//! Closing a case with open promises (issue 16 item 26): refused until each promise is kept or
//! released with a note that the client was told; the closure page says why and links them.

use crate::closure::case_in_implementation;
use crate::common;

use common::TestServer;
use serde_json::{json, Value};

/// Records a closure summary for the case's one goal through the API (no approval needed).
async fn summarise(server: &TestServer, token: &str, id: &str) {
    let c = server.client();
    let plan: Value = c
        .get(server.url(&format!("/api/v1/cases/{id}/plan")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let goal = plan["versions"][0]["goals"][0]["id"].as_str().unwrap();
    let resp = c
        .post(server.url(&format!("/api/v1/cases/{id}/closure")))
        .bearer_auth(token)
        .json(
            &json!({"reason": "goals_achieved", "summary": "ได้งานประจำแล้ว",
            "goals": [{"goal_id": goal, "outcome": "achieved"}], "follow_up_months": [1]}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
}

async fn close(server: &TestServer, token: &str, id: &str) -> reqwest::Response {
    let c = server.client();
    let url = server.url(&format!("/api/v1/cases/{id}"));
    let v = c.get(&url).bearer_auth(token).send().await.unwrap();
    let v = v.json::<Value>().await.unwrap()["version"]
        .as_i64()
        .unwrap();
    c.post(format!("{url}/transitions"))
        .bearer_auth(token)
        .json(&json!({"to": "closed", "version": v}))
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_closes_only_when_every_promise_is_kept_or_released() {
    let server = TestServer::demo().await;
    let id = case_in_implementation(&server).await;
    let token = server.token("demo-manager").await;
    let c = server.client();
    summarise(&server, &token, &id).await;
    let resp = c
        .post(server.url(&format!("/api/v1/cases/{id}/promises")))
        .bearer_auth(&token)
        .json(&json!({"what": "พาไปสมัครงานที่จัดหางานจังหวัด", "due": "30/12/2570"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let pid = resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Refused, by the guard, with the reason named.
    let resp = close(&server, &token, &id).await;
    assert_eq!(resp.status(), 422);
    let p: Value = resp.json().await.unwrap();
    assert_eq!(p["errors"][0]["code"], "case.guard.open_promises", "{p}");

    // The closure page explains and links the open promise; it offers no close button.
    let (web, _) = server.login("demo-manager").await;
    let html = web
        .get(server.url(&format!("/cases/{id}/closure")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"open-promises\""));
    assert!(html.contains(&format!("?tab=promises#promise-{pid}")));
    assert!(!html.contains("id=\"close-case\""));
    let closure: Value = c
        .get(server.url(&format!("/api/v1/cases/{id}/closure")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(closure["open_promises"][0]["id"], pid.as_str());

    // Releasing needs a note and the worker's word that the client was told.
    let change = |body: Value| {
        c.post(server.url(&format!("/api/v1/promises/{pid}")))
            .bearer_auth(&token)
            .json(&body)
            .send()
    };
    let resp = change(json!({"version": 1, "action": "release", "reason": "หน่วยงานปิดรับสมัคร"}))
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let p: Value = resp.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "client_told");
    let resp = change(json!({"version": 1, "action": "release", "client_told": true}))
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let resp = change(
        json!({"version": 1, "action": "release", "client_told": true,
        "reason": "หน่วยงานปิดรับสมัคร โทรแจ้งผู้รับบริการแล้ว 1 ธ.ค."}),
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 200);
    let promises: Value = c
        .get(server.url(&format!("/api/v1/cases/{id}/promises")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let released = promises
        .as_array()
        .and_then(|a| a.iter().find(|x| x["id"] == pid.as_str()))
        .cloned()
        .unwrap_or(promises.clone());
    assert_eq!(released["status"], "released", "{promises}");

    // Now it closes.
    assert_eq!(close(&server, &token, &id).await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_promise_card_offers_release_with_the_client_told() {
    let server = TestServer::demo().await;
    let id = case_in_implementation(&server).await;
    let token = server.token("demo-manager").await;
    let resp = server
        .client()
        .post(server.url(&format!("/api/v1/cases/{id}/promises")))
        .bearer_auth(&token)
        .json(&json!({"what": "โทรนัดนายจ้าง", "due": "30/12/2570"}))
        .send()
        .await
        .unwrap();
    let pid = resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (web, csrf) = server.login("demo-manager").await;
    let form = |told: bool| {
        let mut f = vec![
            ("csrf", csrf.clone()),
            ("version", "1".to_string()),
            ("action", "release".to_string()),
            (
                "reason",
                "นายจ้างยกเลิกตำแหน่ง แจ้งผู้รับบริการทางโทรศัพท์แล้ว".to_string(),
            ),
        ];
        if told {
            f.push(("client_told", "on".to_string()));
        }
        f
    };
    let url = server.url(&format!("/promises/{pid}"));
    let resp = web.post(&url).form(&form(false)).send().await.unwrap();
    assert_eq!(resp.status(), 422);
    let resp = web.post(&url).form(&form(true)).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    assert!(server.audit_count("promise.update", "success").await >= 1);
}
