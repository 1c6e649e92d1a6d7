//! The individual plan over the API: a first version, validation by path, approval where the
//! case type asks for it, progress with GAS and the T-score, revisions kept as versions.

use crate::common;

use common::TestServer;
use serde_json::{json, Value};

fn goal(statement: &str, weight: i64) -> Value {
    json!({
        "dimension": "economic", "statement": statement, "indicator": "รายได้ต่อเดือน (บาท)",
        "baseline": "0", "target": "9000", "target_date": "31/03/2570", "priority": "high",
        "weight": weight, "client_agreement": "อยากมีงานทำใกล้บ้าน",
        "interventions": [{"method": "job_placement", "provider": "สำนักงานจัดหางานจังหวัด",
            "start": "01/12/2569", "frequency": "ทุกสัปดาห์"}]
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_is_approved_measured_and_revised() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let supervisor = server.token("demo-supervisor").await;
    let admin = server.token("demo-admin").await;
    let c = server.client();

    // The organisation asks for plan approval on child-protection cases.
    let resp = c
        .put(server.url("/api/v1/case-types/child_protection"))
        .bearer_auth(&admin)
        .json(&json!({"version": 0, "review_days": 30, "plan_approval": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let intake = json!({
        "client": {"first_name_th": "ด.ญ.ทดสอบ", "last_name_th": "แผนงาน", "birth_year": "2558"},
        "documents": [{"kind": "none"}],
        "consent": {"lawful_basis": "vital_interest"},
        "referral_source": "school", "presenting_problem": "ขาดเรียนบ่อย", "safety": crate::common::no_risk(),
        "case_types": ["child_protection"],
    });
    let id = server.open_case(&manager, &intake).await;
    let plan_url = server.url(&format!("/api/v1/cases/{id}/plan"));

    // A goal without an indicator or a target date: 422 naming the paths, nothing saved.
    let mut bad = goal("มีรายได้", 1);
    bad["indicator"] = json!("");
    bad["target_date"] = json!("");
    let resp = c
        .post(&plan_url)
        .bearer_auth(&manager)
        .json(&json!({"based_on": 0, "goals": [goal("ไปโรงเรียนสม่ำเสมอ", 2), bad]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let p: Value = resp.json().await.unwrap();
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["goals[1].target_date", "goals[1].indicator"]);
    let plan: Value = c
        .get(&plan_url)
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(plan["latest"], 0);

    // The first version waits for the supervisor.
    let body = json!({"based_on": 0, "goals": [goal("ไปโรงเรียนสม่ำเสมอ", 2), goal("มีรายได้", 1)]});
    let resp = c
        .post(&plan_url)
        .bearer_auth(&manager)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    // The same base again: a newer version exists.
    let resp = c
        .post(&plan_url)
        .bearer_auth(&manager)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
    let plan: Value = c
        .get(&plan_url)
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(plan["approval_required"], true);
    assert_eq!(plan["versions"][0]["status"], "awaiting_approval");
    assert!(plan["current"].is_null());
    let goals: Vec<String> = plan["versions"][0]["goals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap().to_string())
        .collect();

    // Progress needs a plan in force.
    let progress_url = server.url(&format!("/api/v1/cases/{id}/progress"));
    let entry = |goal: &str, gas: i64| json!({"goal_id": goal, "gas": gas, "source": "interview", "note": "ติดตามที่บ้าน"});
    let resp = c
        .post(&progress_url)
        .bearer_auth(&manager)
        .json(&entry(&goals[0], 1))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);

    // The author cannot approve; the unit's supervisor does.
    let decision = server.url(&format!("/api/v1/cases/{id}/plan/1/decision"));
    let resp = c
        .post(&decision)
        .bearer_auth(&manager)
        .json(&json!({"approve": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let resp = c
        .post(&decision)
        .bearer_auth(&supervisor)
        .json(&json!({"approve": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    assert!(server.audit_count("plan.approve", "success").await >= 1);
    // The supervisor was told the plan awaited her; the author is told it was approved.
    let inbox = |token: String| {
        let c = c.clone();
        let url = server.url("/api/v1/me/notifications");
        async move {
            c.get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    let kinds = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["case_id"] == id.as_str())
            .map(|n| n["kind"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(kinds(&inbox(supervisor.clone()).await).contains(&"plan_approval".to_string()));
    let told = inbox(manager.clone()).await;
    assert!(
        kinds(&told).contains(&"plan_approved".to_string()),
        "{told}"
    );

    // Two progress entries; the T-score uses the latest score per goal with the weights:
    // weights 2 and 1 at +2 and −1 give 50 + 10·3/√(0.7·5 + 0.3·9) = 62.0.
    for (g, gas) in [(&goals[0], 2), (&goals[1], -1)] {
        let resp = c
            .post(&progress_url)
            .bearer_auth(&manager)
            .json(&entry(g, gas))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
    }
    let resp = c
        .post(&progress_url)
        .bearer_auth(&manager)
        .json(&json!({"goal_id": goals[0], "gas": 5, "source": "rumour"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let plan: Value = c
        .get(&plan_url)
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(plan["current"], 1);
    assert_eq!(plan["gas_t_score"], 62.0);
    assert_eq!(plan["progress"].as_array().unwrap().len(), 2);

    // A revision needs its reason, keeps goal ids, and the first version stays readable.
    let mut kept = goal("ไปโรงเรียนสม่ำเสมอ", 2);
    kept["id"] = json!(goals[0]);
    let resp = c
        .post(&plan_url)
        .bearer_auth(&manager)
        .json(&json!({"based_on": 1, "goals": [kept.clone()]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let resp = c
        .post(&plan_url)
        .bearer_auth(&manager)
        .json(&json!({"based_on": 1, "reason": "ย้ายโรงเรียน", "goals": [kept]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let plan: Value = c
        .get(&plan_url)
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(plan["latest"], 2);
    assert_eq!(
        plan["current"], 1,
        "version 2 waits for approval; version 1 stays in force"
    );
    assert_eq!(plan["versions"][1]["goals"].as_array().unwrap().len(), 2);
    assert_eq!(plan["versions"][0]["reason"], "ย้ายโรงเรียน");

    // Someone not on the case sees nothing.
    let outsider = server.token("demo-psychologist").await;
    let resp = c
        .get(&plan_url)
        .bearer_auth(&outsider)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_walks_through_plan_review_closure_and_follow_up() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let supervisor = server.token("demo-supervisor").await;
    let admin = server.token("demo-admin").await;
    let c = server.client();
    // Closures of older-person cases need approval here.
    let resp = c
        .put(server.url("/api/v1/case-types/older_person"))
        .bearer_auth(&admin)
        .json(&json!({"version": 0, "review_days": 14, "closure_approval": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let intake = json!({
        "client": {"first_name_th": "บุญมี", "last_name_th": "ทดลอง", "birth_year": "2480"},
        "documents": [{"kind": "none"}],
        "consent": {"lawful_basis": "vital_interest"},
        "referral_source": "community", "presenting_problem": "อยู่ลำพัง ขาดผู้ดูแล", "safety": crate::common::no_risk(),
        "case_types": ["older_person"],
    });
    let id = server.open_case(&manager, &intake).await;
    let url = |p: &str| server.url(&format!("/api/v1/cases/{id}{p}"));
    let version = |c: reqwest::Client, t: String, u: String| async move {
        c.get(u)
            .bearer_auth(t)
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()["version"]
            .as_i64()
            .unwrap()
    };
    let mv = |to: &str, v: i64| json!({"to": to, "version": v, "reason": ""});

    // A contact, then assessment and planning.
    let contact = json!({"kind": "home_visit", "date": "01/11/2569", "note": "เยี่ยมบ้าน พบอยู่ลำพัง"});
    let resp = c
        .post(url("/contacts"))
        .bearer_auth(&manager)
        .json(&contact)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    for to in ["assessment", "planning"] {
        if to == "planning" {
            common::complete_holistic(&server, &manager, &id).await;
        }
        let v = version(c.clone(), manager.clone(), url("")).await;
        let resp = c
            .post(url("/transitions"))
            .bearer_auth(&manager)
            .json(&mv(to, v))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{to}");
    }
    // Implementation needs a plan in force.
    let v = version(c.clone(), manager.clone(), url("")).await;
    let resp = c
        .post(url("/transitions"))
        .bearer_auth(&manager)
        .json(&mv("implementation", v))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let p: Value = resp.json().await.unwrap();
    assert_eq!(p["errors"][0]["code"], "case.guard.plan_required");
    let resp = c
        .post(url("/plan"))
        .bearer_auth(&manager)
        .json(&json!({"based_on": 0, "goals": [goal("ได้รับการดูแลสุขภาพ", 1)]}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let resp = c
        .post(url("/transitions"))
        .bearer_auth(&manager)
        .json(&mv("implementation", v))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);

    // Two progress entries and a review; the next review falls due 14 days later.
    let plan: Value = c
        .get(url("/plan"))
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let goal_id = plan["versions"][0]["goals"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    for gas in [-1, 1] {
        let e = json!({"goal_id": goal_id, "gas": gas, "source": "observation"});
        let resp = c
            .post(url("/progress"))
            .bearer_auth(&manager)
            .json(&e)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
    }
    let resp = c
        .post(url("/reviews"))
        .bearer_auth(&manager)
        .json(&json!({"outcome": "close", "note": "บรรลุเป้าหมาย ญาติรับไปดูแล"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let rc: Value = c
        .get(url("/closure"))
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rc["review_days"], 14);
    assert_eq!(rc["reviews"][0]["gas_t_score"], 60.0);
    assert!(rc["next_review"].is_string());

    // Closing: not without a summary; the summary must account for every goal; it waits for
    // the supervisor; then the case closes and a follow-up is scheduled.
    let v = version(c.clone(), manager.clone(), url("")).await;
    let resp = c
        .post(url("/transitions"))
        .bearer_auth(&manager)
        .json(&mv("closed", v))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let resp = c
        .post(url("/closure"))
        .bearer_auth(&manager)
        .json(&json!({"reason": "goals_achieved", "summary": "ญาติรับไปดูแล"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let p: Value = resp.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "goals[0].outcome");
    let closure = json!({"reason": "goals_achieved", "summary": "ญาติรับไปดูแล ได้รับเบี้ยยังชีพ",
        "goals": [{"goal_id": goal_id, "outcome": "achieved"}], "follow_up_months": [1, 3]});
    let resp = c
        .post(url("/closure"))
        .bearer_auth(&manager)
        .json(&closure)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let resp = c
        .post(url("/transitions"))
        .bearer_auth(&manager)
        .json(&mv("closed", v))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422, "the closure still waits for approval");
    let resp = c
        .post(url("/closure/decision"))
        .bearer_auth(&supervisor)
        .json(&json!({"approve": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let resp = c
        .post(url("/transitions"))
        .bearer_auth(&manager)
        .json(&mv("closed", v))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let rc: Value = c
        .get(url("/closure"))
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rc["closures"][0]["status"], "done");
    assert_eq!(rc["closures"][0]["final_gas_t_score"], 60.0);
    assert_eq!(rc["follow_ups"].as_array().unwrap().len(), 2);
    assert!(rc["next_review"].is_null());
    let fid = rc["follow_ups"][0]["id"].as_str().unwrap().to_string();
    let resp = c
        .post(url(&format!("/follow-ups/{fid}")))
        .bearer_auth(&manager)
        .json(&json!({"note": "โทรติดตาม ยายสบายดี"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let resp = c
        .post(url(&format!("/follow-ups/{fid}")))
        .bearer_auth(&manager)
        .json(&json!({"note": "อีกครั้ง"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    server.stop().await;
}
