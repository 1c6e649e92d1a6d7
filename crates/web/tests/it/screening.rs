//! Complexity screening (issue 22 items 1, 5 and 6): a suggestion with its reasons at intake
//! and after a completed assessment, never applied by itself; the worker accepts, changes or
//! rejects it (a reason to go against it), once; the decision is on the timeline and in the
//! audit log; administrators write the rules (no protected trait), switch the screening off
//! and see how often suggestions were overridden; changing only a client's sex or nationality
//! never changes the level.

use crate::common::TestServer;
use crate::tasks::{field_codes, get, intake, post, put};
use serde_json::{json, Value};

async fn suggestions(server: &TestServer, token: &str, case: &str) -> Value {
    let (status, body) = get(server, token, &format!("/api/v1/cases/{case}/screenings")).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Completes a safety assessment in which the perpetrator can still reach the client (a high
/// risk: the case becomes urgent).
async fn risky_safety_assessment(server: &TestServer, token: &str, case: &str) {
    let (status, created) = post(
        server,
        token,
        &format!("/api/v1/cases/{case}/assessments"),
        json!({"template_key": "safety"}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap();
    let (status, done) = post(
        server,
        token,
        &format!("/api/v1/assessments/{id}/complete"),
        json!({"version": 1, "answers": {
            "in_danger_now": false, "injured_needs_care": false, "child_without_carer": false,
            "perpetrator_has_access": true, "no_safe_place_tonight": false,
            "self_harm_risk": false, "safety_plan_made": true}}),
    )
    .await;
    assert_eq!(status, 200, "{done}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suggestion_explains_itself_and_the_worker_decides() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let analyst = server.token("demo-analyst").await;
    let case = server.open_case(&manager, &intake("คัดกรอง")).await;

    // At intake: no risk, nothing known of needs: standard, with the unknown rules named and
    // how high the score could go.
    let all = suggestions(&server, &manager, &case).await;
    assert_eq!(all["enabled"], true);
    assert_eq!(all["can_decide"], true);
    let first = &all["suggestions"][0];
    assert_eq!(first["trigger"], "intake");
    assert_eq!(first["level"], "standard");
    assert_eq!(first["config_version"], 0);
    let rules = first["screening"]["rules"].as_array().unwrap();
    let outcome = |rule: &str| {
        rules
            .iter()
            .find(|r| r["rule"] == rule)
            .map(|r| r["outcome"].clone())
            .unwrap()
    };
    assert_eq!(outcome("needs_domains >= 3"), "unknown");
    assert_eq!(outcome("earlier_cases >= 1"), "not_met");
    assert_eq!(outcome("urgency in ['urgent', 'emergency']"), "not_met");
    assert!(first["screening"]["score_if_unknown_met"].as_i64().unwrap() > 0);
    // Nobody outside the case reads it.
    let (status, _) = get(
        &server,
        &analyst,
        &format!("/api/v1/cases/{case}/screenings"),
    )
    .await;
    assert_eq!(status, 403);

    // After a safety assessment with a serious risk: complex, the safety rule is the reason.
    risky_safety_assessment(&server, &manager, &case).await;
    let all = suggestions(&server, &manager, &case).await;
    let latest = &all["suggestions"][0];
    assert_eq!(latest["trigger"], "assessment");
    assert_eq!(latest["level"], "complex");
    let fired: Vec<&str> = latest["screening"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "met")
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert_eq!(fired, ["urgency in ['urgent', 'emergency']"]);
    let id = latest["id"].as_str().unwrap().to_string();
    let decide = format!("/api/v1/suggestions/{id}/decision");

    // Going against it needs a reason; a level must be a level, and another one.
    let (status, p) = post(
        &server,
        &manager,
        &decide,
        json!({"decision": "rejected", "version": 1}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_codes(&p),
        [(
            "reason".to_string(),
            "screening.reason_required".to_string()
        )]
    );
    let (status, p) = post(
        &server,
        &manager,
        &decide,
        json!({"decision": "changed", "level": "complex", "reason": "x", "version": 1}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(field_codes(&p)[0].1, "screening.level_unchanged");
    let (status, _) = post(
        &server,
        &manager,
        &decide,
        json!({"decision": "rejected", "reason": "ผู้กระทำถูกควบคุมตัวแล้ว", "version": 7}),
    )
    .await;
    assert_eq!(status, 409, "a stale version");

    let (status, v) = post(
        &server,
        &manager,
        &decide,
        json!({"decision": "rejected", "reason": "ผู้กระทำถูกควบคุมตัวแล้ว", "version": 1}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["version"], 2);
    // Once only.
    let (status, p) = post(
        &server,
        &manager,
        &decide,
        json!({"decision": "accepted", "version": 2}),
    )
    .await;
    assert_eq!(status, 409);
    assert!(p["type"].as_str().unwrap().ends_with("/suggestion_decided"));

    let all = suggestions(&server, &manager, &case).await;
    let latest = &all["suggestions"][0];
    assert_eq!(latest["decision"], "rejected");
    assert_eq!(latest["decided_level"], Value::Null);
    assert_eq!(latest["decision_reason"], "ผู้กระทำถูกควบคุมตัวแล้ว");
    let (_, timeline) = get(&server, &manager, &format!("/api/v1/cases/{case}/timeline")).await;
    assert!(timeline
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "screening"
            && e["code"] == "rejected"
            && e["text"] == "ผู้กระทำถูกควบคุมตัวแล้ว"));
    assert_eq!(server.audit_count("screening.decide", "success").await, 1);
    assert!(server.audit_count("screening.suggest", "success").await >= 2);

    // Asked for again: a new suggestion, which the supervisor changes.
    let supervisor = server.token("demo-supervisor").await;
    let (status, created) = post(
        &server,
        &supervisor,
        &format!("/api/v1/cases/{case}/screenings"),
        json!({}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let again = created["id"].as_str().unwrap();
    let (status, _) = post(
        &server,
        &supervisor,
        &format!("/api/v1/suggestions/{again}/decision"),
        json!({"decision": "changed", "level": "highly_complex", "reason": "มีคดีค้างในศาล", "version": 1}),
    )
    .await;
    assert_eq!(status, 200);

    // The administrator sees how often suggestions were overridden (2 of 2 decided).
    let admin = server.token("demo-admin").await;
    let (status, s) = get(&server, &admin, "/api/v1/decision-support/complexity").await;
    assert_eq!(status, 200, "{s}");
    assert_eq!(s["decisions"]["rejected"], 1);
    assert_eq!(s["decisions"]["changed"], 1);
    assert_eq!(s["overridden_percent"], 100);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_write_the_rules_and_can_switch_screening_off() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;
    let path = "/api/v1/decision-support/complexity";
    let (_, current) = get(&server, &admin, path).await;
    assert_eq!(current["version"], 0);
    let mut config = current["config"].clone();

    // A protected trait, a rule that is not CEL and points out of range: every fault at once,
    // nothing written.
    config["rules"][0]["rule"] = json!("nationality != 'ไทย'");
    config["rules"][1]["rule"] = json!("age >=");
    config["rules"][2]["points"] = json!(0);
    config["highly_complex_at"] = json!(2);
    let mut body = config.clone();
    body["version"] = json!(0);
    let (status, p) = put(&server, &admin, path, body).await;
    assert_eq!(status, 422, "{p}");
    let codes = field_codes(&p);
    for expected in [
        ("rules[0].rule", "screening.fact_excluded"),
        ("rules[1].rule", "criteria.syntax"),
        ("rules[2].points", "screening.points_range"),
        ("highly_complex_at", "screening.threshold_order"),
    ] {
        assert!(
            codes.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} in {codes:?}"
        );
    }
    let (_, after) = get(&server, &admin, path).await;
    assert_eq!(after["version"], 0);

    // One rule of the organisation's own, switched off: no suggestion at intake, and asking
    // for one is refused.
    let body = json!({"enabled": false, "complex_at": 1, "highly_complex_at": 2, "version": 0,
        "rules": [{"label_th": "อายุน้อย", "label_en": "Young", "rule": "age < 25", "points": 1}]});
    let (status, v) = put(&server, &admin, path, body.clone()).await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["version"], 1);
    let (status, _) = put(&server, &admin, path, body).await;
    assert_eq!(status, 409, "a stale version");
    let (status, _) = put(&server, &manager, path, json!({})).await;
    assert_eq!(status, 403);

    let case = server.open_case(&manager, &intake("ปิดคัดกรอง")).await;
    let all = suggestions(&server, &manager, &case).await;
    assert_eq!(all["enabled"], false);
    assert!(all["suggestions"].as_array().unwrap().is_empty());
    let (status, p) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/screenings"),
        json!({}),
    )
    .await;
    assert_eq!(status, 409);
    assert!(p["type"].as_str().unwrap().ends_with("/screening_off"));

    // Switched on again with that rule: the new suggestion uses version 2 of the settings.
    let body = json!({"enabled": true, "complex_at": 1, "highly_complex_at": 2, "version": 1,
        "rules": [{"label_th": "อายุน้อย", "label_en": "Young", "rule": "age < 25", "points": 1}]});
    let (status, _) = put(&server, &admin, path, body).await;
    assert_eq!(status, 200);
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/screenings"),
        json!({}),
    )
    .await;
    assert_eq!(status, 201);
    let all = suggestions(&server, &manager, &case).await;
    assert_eq!(all["suggestions"][0]["config_version"], 2);
    assert_eq!(all["suggestions"][0]["level"], "standard");
    server.stop().await;
}

/// Issue 22 item 6: two clients alike in everything but sex and nationality get the same
/// screening, through the whole path (facts gathered from the stored person).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sex_and_nationality_never_change_the_level() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let mut screenings = Vec::new();
    for (sex, nationality) in [("female", "ไทย"), ("male", "เมียนมา"), ("unknown", "กัมพูชา")]
    {
        let mut input = intake("เท่าเทียม");
        input["client"]["sex"] = json!(sex);
        input["client"]["nationality"] = json!(nationality);
        input["safety"]["perpetrator_has_access"] = json!(true);
        let case = server.open_case(&manager, &input).await;
        let all = suggestions(&server, &manager, &case).await;
        let s = all["suggestions"][0]["screening"].clone();
        assert!(
            !s.to_string().contains(nationality),
            "a protected fact reached the screening: {s}"
        );
        screenings.push(s);
    }
    assert_eq!(screenings[0]["level"], "complex");
    assert!(screenings.iter().all(|s| *s == screenings[0]));
    server.stop().await;
}

/// Issue 22 items 2 and 5: services of a need's category ranked by fit with their reasons
/// (the nearer, eligible service with room first); the worker's choice is recorded with the
/// list she saw, a reason when she goes against the first; on the timeline; switched off by an
/// administrator.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn services_are_ranked_for_a_need_and_the_choice_is_recorded() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;
    let analyst = server.token("demo-analyst").await;
    let (_, p) = post(
        &server,
        &admin,
        "/api/v1/resources/providers",
        json!({"name": "มูลนิธิทดสอบจับคู่"}),
    )
    .await;
    let provider = p["id"].as_str().unwrap().to_string();
    let mut ids = Vec::new();
    for body in [
        json!({"name": "บ้านพักระดับประเทศ", "categories": ["shelter"], "national": true, "vacancy": 0, "capacity": 10}),
        json!({"name": "บ้านพักอำเภอเมือง", "categories": ["shelter"], "areas": ["5001"], "vacancy": 2, "capacity": 10,
               "eligibility_rule": "age >= 18", "languages": ["th"]}),
        json!({"name": "บ้านพักเด็ก", "categories": ["shelter"], "areas": ["50"], "eligibility_rule": "age < 18"}),
        json!({"name": "บ้านพักต่างจังหวัด", "categories": ["shelter"], "areas": ["10"]}),
    ] {
        let (status, s) = post(
            &server,
            &admin,
            &format!("/api/v1/resources/providers/{provider}/services"),
            body,
        )
        .await;
        assert_eq!(status, 201, "{s}");
        ids.push(s["id"].as_str().unwrap().to_string());
    }
    let mut input = intake("จับคู่บริการ");
    input["address"] =
        json!({"province_code": "50", "district_code": "5001", "subdistrict_code": "500101"});
    input["client"]["languages"] = json!("ไทย");
    let case = server.open_case(&manager, &input).await;
    let path = format!("/api/v1/cases/{case}/service-matches");

    let (status, m) = get(&server, &manager, &format!("{path}?category=shelter")).await;
    assert_eq!(status, 200, "{m}");
    let order: Vec<&str> = m["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["service_id"].as_str().unwrap())
        .collect();
    // The district's shelter (eligible, room, Thai) first; the out-of-province one is not
    // listed (the directory search keeps to the client's area and national services); the
    // child shelter, not eligible, last.
    assert_eq!(order, [ids[1].as_str(), ids[0].as_str(), ids[2].as_str()]);
    let codes: Vec<&str> = m["matches"][0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "area_district",
            "eligible",
            "vacancy",
            "language_match",
            "outcomes_few"
        ]
    );
    let (status, _) = get(&server, &manager, &format!("{path}?category=spaceships")).await;
    assert_eq!(status, 422);
    let (status, _) = get(&server, &analyst, &path).await;
    assert_eq!(status, 403);

    // Choosing the second needs a reason; with one, it is recorded as a change.
    let (status, p) = post(
        &server,
        &manager,
        &path,
        json!({"category": "shelter", "service_id": ids[0]}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_codes(&p),
        [(
            "reason".to_string(),
            "screening.reason_required".to_string()
        )]
    );
    let (status, _) = post(
        &server,
        &manager,
        &path,
        json!({"category": "shelter", "service_id": ids[0], "reason": "ผู้รับบริการต้องการอยู่ไกลจากผู้กระทำ"}),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = post(
        &server,
        &manager,
        &path,
        json!({"category": "shelter", "service_id": ids[1]}),
    )
    .await;
    assert_eq!(status, 201, "choosing the first needs no reason");
    let (_, m) = get(&server, &manager, &format!("{path}?category=shelter")).await;
    let choices = m["choices"].as_array().unwrap();
    assert_eq!(choices.len(), 2);
    assert_eq!(choices[0]["decision"], "accepted");
    assert_eq!(choices[1]["decision"], "changed");
    assert_eq!(choices[1]["service_id"], ids[0].as_str());
    assert_eq!(choices[1]["list"].as_array().unwrap().len(), 3);
    let (_, timeline) = get(&server, &manager, &format!("/api/v1/cases/{case}/timeline")).await;
    assert!(timeline
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "service_match" && e["code"] == "changed"));
    assert_eq!(server.audit_count("match.decide", "success").await, 2);

    // Switched off: nothing is ranked, a choice is refused.
    let (status, _) = put(
        &server,
        &admin,
        "/api/v1/decision-support/service-match",
        json!({"enabled": false, "version": 0}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, m) = get(&server, &manager, &format!("{path}?category=shelter")).await;
    assert_eq!(m["enabled"], false);
    assert!(m["matches"].as_array().unwrap().is_empty());
    let (status, p) = post(
        &server,
        &manager,
        &path,
        json!({"category": "shelter", "service_id": ids[1]}),
    )
    .await;
    assert_eq!(status, 409);
    assert!(p["type"].as_str().unwrap().ends_with("/matching_off"));
    server.stop().await;
}
