//! Case types as configuration: an administrator adds, relabels and deactivates types; intake
//! and the case file follow; stale versions conflict; everyone else only reads.

use crate::common;

use common::TestServer;
use serde_json::{json, Value};

fn intake(types: &[&str]) -> Value {
    json!({
        "client": {"first_name_th": "มะลิ", "last_name_th": "ใจดี", "birth_year": "2530"},
        "documents": [{"kind": "none"}],
        "consent": {"lawful_basis": "vital_interest"},
        "referral_source": "self",
        "presenting_problem": "ถูกนายจ้างยึดเอกสาร",
        "safety": crate::common::no_risk(),
        "case_types": types,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_configure_case_types_and_intake_follows() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;
    let c = server.client();
    let url = server.url("/api/v1/case-types");

    // Everyone reads the list: the built-in types first, each at version 0.
    let list: Value = c
        .get(&url)
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["code"], "trafficking");
    assert_eq!(list[0]["version"], 0);
    assert_eq!(list.as_array().unwrap().len(), 7);

    // Only an administrator adds one; bad codes and missing labels are named.
    let own = json!({"code": "migrant_worker", "label_th": "แรงงานข้ามชาติ", "label_en": "Migrant worker", "review_days": 14, "plan_approval": true});
    let resp = c
        .post(&url)
        .bearer_auth(&manager)
        .json(&own)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    let resp = c
        .post(&url)
        .bearer_auth(&admin)
        .json(&own)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let created: Value = resp.json().await.unwrap();
    assert_eq!(created["version"], 1);
    assert_eq!(created["built_in"], false);
    let resp = c
        .post(&url)
        .bearer_auth(&admin)
        .json(&own)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let p: Value = resp.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "code");
    assert_eq!(p["errors"][0]["code"], "case_type.code_taken");
    let resp = c
        .post(&url)
        .bearer_auth(&admin)
        .json(&json!({"code": "Bad Code", "review_days": 0}))
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
    assert_eq!(fields, ["code", "label_th", "review_days"]);

    // Deactivate a built-in type; the same version again is a conflict.
    let off = json!({"version": 0, "active": false, "review_days": 30});
    let one = server.url("/api/v1/case-types/disability");
    let resp = c
        .put(&one)
        .bearer_auth(&admin)
        .json(&off)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let resp = c
        .put(&one)
        .bearer_auth(&admin)
        .json(&off)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
    let resp = c
        .put(server.url("/api/v1/case-types/no_such_type"))
        .bearer_auth(&admin)
        .json(&off)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert!(server.audit_count("case_type.update", "success").await >= 1);
    assert!(server.audit_count("case_type.create", "success").await >= 1);

    // Intake: a deactivated type is refused, the organisation's own type accepted.
    let cases = server.url("/api/v1/cases");
    let resp = c
        .post(&cases)
        .bearer_auth(&manager)
        .json(&intake(&["disability"]))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let p: Value = resp.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "case_types");
    let resp = c
        .post(&cases)
        .bearer_auth(&manager)
        .json(&intake(&["migrant_worker"]))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let id = resp.json::<Value>().await.unwrap()["case_id"]
        .as_str()
        .unwrap()
        .to_string();

    // The pages show the organisation's wording, and the intake form no longer offers the
    // deactivated type.
    let (web, _) = server.login("demo-manager").await;
    let html = web
        .get(server.url(&format!("/cases/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("แรงงานข้ามชาติ"));
    let form = web
        .get(server.url("/cases/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("value=\"migrant_worker\""));
    assert!(!form.contains("value=\"disability\""));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_pages_save_and_name_bad_fields() {
    let server = TestServer::demo().await;
    let (web, csrf) = server.login("demo-admin").await;
    let list = web
        .get(server.url("/admin/case-types"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("/admin/case-types/child_protection"));

    // A new type with a malformed code: 422, the input kept, the field named.
    let resp = web
        .post(server.url("/admin/case-types"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("code", "ไทย"),
            ("label_th", "คนไร้บ้าน"),
            ("review_days", "30"),
            ("version", "0"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(html.contains("คนไร้บ้าน"));

    // Relabel a built-in type in Thai and require plan approval.
    let resp = web
        .post(server.url("/admin/case-types/older_person"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("label_th", "ผู้สูงอายุที่ถูกทอดทิ้ง"),
            ("review_days", "60"),
            ("plan_approval", "on"),
            ("active", "on"),
            ("version", "0"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let list = web
        .get(server.url("/admin/case-types?saved=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("ผู้สูงอายุที่ถูกทอดทิ้ง"));

    // The same stale version again: 409 with the current record.
    let resp = web
        .post(server.url("/admin/case-types/older_person"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("label_th", "อื่น"),
            ("review_days", "60"),
            ("version", "0"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
    assert!(resp.text().await.unwrap().contains("ผู้สูงอายุที่ถูกทอดทิ้ง"));
    server.stop().await;
}
