//! Gatekeeping of scarce resources (issue 20) over the API on both databases: criteria are
//! checked when written and explained when evaluated; a request is decided by the person
//! whose authority covers it (one level up to override a failed check); approvals commit
//! from the fiscal year's budget and race for the last baht exactly once; payments and their
//! reversals keep the ledger's identity; a full programme keeps a waiting list that freed
//! capacity offers in order.

use crate::common::TestServer;
use crate::tasks::{field_codes, get, intake, post, put};
use serde_json::{json, Value};

fn this_year() -> i64 {
    i64::from(karuna_thai::calendar::fiscal_year_be(
        karuna_thai::calendar::bangkok_date(chrono::Utc::now()),
    ))
}

/// An emergency-cash programme with three criteria (published), case managers up to 3,000
/// baht, supervisors up to 20,000 and the director without limit, and a budget of `budget`
/// baht this fiscal year; returns (programme, budget).
async fn cash_programme(server: &TestServer, admin: &str, budget: &str) -> (String, String) {
    let (status, p) = post(
        server,
        admin,
        "/api/v1/programmes",
        json!({"name_th": "เงินสงเคราะห์ผู้ประสบปัญหาทางสังคมกรณีฉุกเฉิน", "unit": "baht",
               "documents": ["สำเนาบัตรประชาชน", "หนังสือรับรองรายได้"],
               "authorities": [{"role": "case_manager", "limit": "3,000"},
                               {"role": "supervisor", "limit": "20000"},
                               {"username": "demo-supervisor2"}]}),
    )
    .await;
    assert_eq!(status, 422, "an unknown person is refused: {p}");
    assert_eq!(
        field_codes(&p),
        vec![(
            "authorities[2].username".to_string(),
            "gatekeeping.person_unknown".to_string()
        )]
    );
    let (status, p) = post(
        server,
        admin,
        "/api/v1/programmes",
        json!({"name_th": "เงินสงเคราะห์ผู้ประสบปัญหาทางสังคมกรณีฉุกเฉิน", "unit": "baht",
               "documents": ["สำเนาบัตรประชาชน"],
               "authorities": [{"role": "case_manager", "limit": "3,000"},
                               {"role": "supervisor", "limit": "20000"}]}),
    )
    .await;
    assert_eq!(status, 201, "{p}");
    let programme = p["id"].as_str().unwrap().to_string();
    let (status, c) = put(
        server,
        admin,
        &format!("/api/v1/programmes/{programme}/criteria"),
        json!({"criteria": [
            {"label_th": "อายุ 18 ปีขึ้นไป", "label_en": "Aged 18 or over", "rule": "age >= 18"},
            {"label_th": "เป็นรายกรณีประเภทที่กำหนด", "rule": "\"other\" in case_types || \"poverty\" in case_types"},
            {"label_th": "ได้รับไม่เกิน 3 ครั้งใน 12 เดือน", "rule": "allocations_12m < 3"}]}),
    )
    .await;
    assert_eq!(status, 200, "{c}");
    let (status, _) = post(
        server,
        admin,
        &format!("/api/v1/programmes/{programme}/criteria/publish"),
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, b) = post(
        server,
        admin,
        &format!("/api/v1/programmes/{programme}/budgets"),
        json!({"fiscal_year": this_year(), "amount": budget, "note": "มติคณะกรรมการ"}),
    )
    .await;
    assert_eq!(status, 201, "{b}");
    (programme, b["id"].as_str().unwrap().to_string())
}

async fn request(
    server: &TestServer,
    token: &str,
    case: &str,
    programme: &str,
    amount: &str,
) -> (u16, Value) {
    post(
        server,
        token,
        &format!("/api/v1/cases/{case}/allocations"),
        json!({"programme_id": programme, "amount": amount, "purpose": "ค่าเช่าบ้านค้างชำระ",
               "justification": "ถูกเลิกจ้าง ไม่มีรายได้"}),
    )
    .await
}

async fn decide(server: &TestServer, token: &str, id: &str, body: Value) -> (u16, Value) {
    post(
        server,
        token,
        &format!("/api/v1/allocations/{id}/decision"),
        body,
    )
    .await
}

async fn version(server: &TestServer, token: &str, id: &str) -> i64 {
    let (_, r) = get(server, token, &format!("/api/v1/allocations/{id}")).await;
    r["allocation"]["version"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_are_checked_explained_and_decided_within_authority() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;
    let supervisor = server.token("demo-supervisor").await;
    let analyst = server.token("demo-analyst").await;
    let psychologist = server.token("demo-psychologist").await;
    let (programme, budget) = cash_programme(&server, &admin, "50,000").await;

    // Rules that do not parse, name an unknown fact, divide by zero or give no boolean.
    let (status, p) = put(
        &server,
        &admin,
        &format!("/api/v1/programmes/{programme}/criteria"),
        json!({"criteria": [
            {"label_th": "ก", "rule": "age >="},
            {"label_th": "ข", "rule": "salary < 3000"},
            {"label_th": "ค", "rule": "household_income / dependants > 500"},
            {"label_th": "ง", "rule": "age + 1"}]}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    let codes: Vec<String> = field_codes(&p)
        .into_iter()
        .map(|(f, c)| format!("{f} {c}"))
        .collect();
    assert_eq!(
        codes,
        vec![
            "criteria[0].rule criteria.syntax",
            "criteria[1].rule criteria.unknown_fact",
            "criteria[2].rule criteria.divides_by_zero",
            "criteria[3].rule criteria.not_boolean"
        ]
    );
    // Trying rules on a sample case stores nothing and explains each one.
    let (status, t) = post(
        &server,
        &admin,
        &format!("/api/v1/programmes/{programme}/criteria/test"),
        json!({"facts": {"age": 67, "case_types": ["other"]}}),
    )
    .await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["result"], "unknown", "allocations_12m is not given: {t}");
    assert_eq!(t["criteria"][0]["outcome"], "met");
    assert_eq!(t["criteria"][0]["facts"]["age"], 67);
    assert_eq!(t["criteria"][2]["missing"][0], "allocations_12m");
    let (status, t) = post(
        &server,
        &admin,
        &format!("/api/v1/programmes/{programme}/criteria/test"),
        json!({"facts": {"salary": 1}}),
    )
    .await;
    assert_eq!(status, 422, "{t}");

    // An eligible case: the manager requests 2,000 and approves it within her authority.
    let adult = server.open_case(&manager, &intake("สมศรี")).await;
    let (status, r) = request(&server, &manager, &adult, &programme, "2,000").await;
    assert_eq!(status, 201, "{r}");
    let small = r["id"].as_str().unwrap().to_string();
    let (_, detail) = get(&server, &manager, &format!("/api/v1/allocations/{small}")).await;
    assert_eq!(detail["allocation"]["eligibility"], "eligible", "{detail}");
    assert_eq!(detail["allocation"]["required_limit"], "3000");
    assert_eq!(detail["check"]["criteria"][0]["label_th"], "อายุ 18 ปีขึ้นไป");
    assert_eq!(detail["check"]["criteria"][0]["outcome"], "met");
    assert!(
        detail["check"]["criteria"][0]["facts"]["age"]
            .as_i64()
            .unwrap()
            >= 30
    );
    assert_eq!(
        detail["check"]["criteria"][1]["facts"]["case_types"][0],
        "other"
    );
    assert_eq!(
        detail["check"]["criteria"][2]["facts"]["allocations_12m"],
        0
    );
    assert_eq!(detail["can_decide"], true);
    assert_eq!(detail["documents"][0], "สำเนาบัตรประชาชน");
    let (status, _) = decide(
        &server,
        &manager,
        &small,
        json!({"decision": "approve", "version": 1}),
    )
    .await;
    assert_eq!(status, 200);
    // Deciding twice is a conflict.
    let (status, _) = decide(
        &server,
        &manager,
        &small,
        json!({"decision": "approve", "version": 2}),
    )
    .await;
    assert_eq!(status, 409);

    // 8,000 is beyond the manager's 3,000: the supervisor decides.
    let (_, r) = request(&server, &manager, &adult, &programme, "8000").await;
    let big = r["id"].as_str().unwrap().to_string();
    let (status, p) = decide(
        &server,
        &manager,
        &big,
        json!({"decision": "approve", "version": 1}),
    )
    .await;
    assert_eq!(status, 403, "{p}");
    assert!(p["type"].as_str().unwrap().ends_with("/authority"), "{p}");
    let (status, _) = decide(
        &server,
        &supervisor,
        &big,
        json!({"decision": "approve", "version": 1}),
    )
    .await;
    assert_eq!(status, 200);

    // A child fails one criterion: the manager may not override, the supervisor may, with a reason.
    let mut young = intake("เด็กชาย");
    young["client"]["birth_year"] = json!("2560");
    let child = server.open_case(&manager, &young).await;
    let (_, r) = request(&server, &manager, &child, &programme, "1500").await;
    let failed = r["id"].as_str().unwrap().to_string();
    let (_, d) = get(
        &server,
        &supervisor,
        &format!("/api/v1/allocations/{failed}"),
    )
    .await;
    assert_eq!(d["allocation"]["eligibility"], "not_eligible");
    assert_eq!(d["check"]["criteria"][0]["outcome"], "not_met");
    assert_eq!(d["allocation"]["required_limit"], "20000", "one level up");
    let (status, _) = decide(
        &server,
        &manager,
        &failed,
        json!({"decision": "approve", "version": 1, "override_reason": "ผู้ปกครองป่วย"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, p) = decide(
        &server,
        &supervisor,
        &failed,
        json!({"decision": "approve", "version": 1}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(field_codes(&p)[0].1, "gatekeeping.override_reason_required");
    let (status, _) = decide(
        &server,
        &supervisor,
        &failed,
        json!({"decision": "approve", "version": 1,
        "override_reason": "เด็กอยู่ในความดูแลของยาย ค่าเช่าเป็นของครัวเรือน"}),
    )
    .await;
    assert_eq!(status, 200);

    // A decline carries a reason the client can be told.
    let (_, r) = request(&server, &manager, &adult, &programme, "500").await;
    let declined = r["id"].as_str().unwrap().to_string();
    let (status, p) = decide(
        &server,
        &manager,
        &declined,
        json!({"decision": "decline", "version": 1}),
    )
    .await;
    assert_eq!((status, field_codes(&p)[0].0.as_str()), (422, "reason"));
    let (status, _) = decide(
        &server,
        &manager,
        &declined,
        json!({"decision": "decline", "version": 1,
        "reason": "ได้รับความช่วยเหลือจากกองทุนอื่นแล้วในเดือนนี้"}),
    )
    .await;
    assert_eq!(status, 200);

    // The budget: 50,000 − 2,000 − 8,000 − 1,500 committed.
    let (status, b) = get(&server, &supervisor, &format!("/api/v1/budgets/{budget}")).await;
    assert_eq!(status, 200, "{b}");
    assert_eq!(b["budget"]["committed"], "11500");
    assert_eq!(b["budget"]["balance"], "38500");
    assert_eq!(
        b["entries"].as_array().unwrap().len(),
        4,
        "an allocation and three commitments"
    );
    // The analyst sees the totals, never the ledger's cases.
    let (status, b) = get(&server, &analyst, &format!("/api/v1/budgets/{budget}")).await;
    assert_eq!(status, 200);
    assert_eq!(b["budget"]["balance"], "38500");
    assert!(b["entries"].as_array().unwrap().is_empty());
    // … and decides nothing.
    let (status, _) = get(&server, &analyst, "/api/v1/allocations").await;
    assert_eq!(status, 403);
    let (status, _) = get(&server, &analyst, &format!("/api/v1/allocations/{small}")).await;
    assert_eq!(status, 403);
    // The psychologist on the team may read, not decide.
    let (status, _) = get(
        &server,
        &psychologist,
        &format!("/api/v1/allocations/{big}"),
    )
    .await;
    assert_eq!(status, 403, "the psychologist is not on the adult's case");

    // Payments: no more than approved; a reversal restores the commitment.
    let pay = |amount: &str| json!({"amount": amount, "method": "transfer", "receipt_ref": "ใบสำคัญ 12/2570"});
    let (status, p) = post(
        &server,
        &manager,
        &format!("/api/v1/allocations/{small}/disbursements"),
        pay("2500"),
    )
    .await;
    assert_eq!(
        (status, field_codes(&p)[0].1.as_str()),
        (422, "gatekeeping.more_than_approved")
    );
    let (status, p) = post(
        &server,
        &manager,
        &format!("/api/v1/allocations/{small}/disbursements"),
        pay("1500"),
    )
    .await;
    assert_eq!(status, 201, "{p}");
    let payment = p["id"].as_str().unwrap().to_string();
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/budget-entries/{payment}/reverse"),
        json!({"reason": "โอนผิดบัญชี"}),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/budget-entries/{payment}/reverse"),
        json!({"reason": "ซ้ำ"}),
    )
    .await;
    assert_eq!(status, 409, "a payment is reversed once");
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/allocations/{small}/disbursements"),
        pay("2000"),
    )
    .await;
    assert_eq!(status, 201);
    // Closing releases what was not paid.
    let v = version(&server, &manager, &big).await;
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/allocations/{big}/close"),
        json!({"reason": "ย้ายไปต่างจังหวัด", "version": v}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, b) = get(&server, &supervisor, &format!("/api/v1/budgets/{budget}")).await;
    assert_eq!(b["budget"]["disbursed"], "2000");
    assert_eq!(b["budget"]["committed"], "1500");
    assert_eq!(b["budget"]["balance"], "46500");
    let totals = karuna_store::budget::ledger_totals(
        &server.app.db,
        uuid::Uuid::parse_str(&budget).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(
        (totals.allocated, totals.committed, totals.disbursed),
        (5_000_000, 150_000, 200_000),
        "the carried totals equal the ledger"
    );

    // The timeline shows the decisions.
    let (_, t) = get(
        &server,
        &manager,
        &format!("/api/v1/cases/{adult}/timeline"),
    )
    .await;
    let kinds: Vec<String> = t
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "allocation")
        .map(|e| e["code"].as_str().unwrap().to_string())
        .collect();
    for k in [
        "requested",
        "approve",
        "decline",
        "disburse",
        "reverse",
        "close",
    ] {
        assert!(kinds.contains(&k.to_string()), "{k} missing from {kinds:?}");
    }

    // Bad input: amounts, above every authority, a closed programme's unknown id.
    for (amount, code) in [
        ("-5", "gatekeeping.amount_positive"),
        ("abc", "gatekeeping.amount_invalid"),
        ("1.234", "gatekeeping.amount_satang"),
        ("0", "gatekeeping.amount_positive"),
        ("25000", "gatekeeping.above_every_authority"),
    ] {
        let (status, p) = request(&server, &manager, &adult, &programme, amount).await;
        assert_eq!(status, 422, "{amount}: {p}");
        assert_eq!(field_codes(&p)[0].1, code, "{amount}");
    }
    let (status, p) = request(&server, &manager, &adult, "not-a-programme", "100").await;
    assert_eq!(
        (status, field_codes(&p)[0].1.as_str()),
        (422, "gatekeeping.programme_unknown")
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_approvals_race_for_a_budget_that_pays_ten() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;
    let (programme, budget) = cash_programme(&server, &admin, "10000").await;
    let case = server.open_case(&manager, &intake("สมปอง")).await;
    let mut ids = Vec::new();
    for _ in 0..50 {
        let (status, r) = request(&server, &manager, &case, &programme, "1000").await;
        assert_eq!(status, 201, "{r}");
        ids.push(r["id"].as_str().unwrap().to_string());
    }
    let server = std::sync::Arc::new(server);
    let mut tasks = Vec::new();
    for id in ids {
        let server = server.clone();
        let manager = manager.clone();
        tasks.push(tokio::spawn(async move {
            decide(
                &server,
                &manager,
                &id,
                json!({"decision": "approve", "version": 1}),
            )
            .await
        }));
    }
    let mut won = 0;
    let mut lost = 0;
    for t in tasks {
        let (status, p) = t.await.unwrap();
        match status {
            200 => won += 1,
            409 => {
                assert!(
                    p["type"]
                        .as_str()
                        .unwrap()
                        .ends_with("/allocation_budget_exhausted"),
                    "{p}"
                );
                lost += 1
            }
            other => panic!("unexpected {other}: {p}"),
        }
    }
    assert_eq!((won, lost), (10, 40));
    let (_, b) = get(&server, &manager, &format!("/api/v1/budgets/{budget}")).await;
    assert_eq!(b["budget"]["balance"], "0");
    assert_eq!(b["budget"]["committed"], "10000");
    let totals = karuna_store::budget::ledger_totals(
        &server.app.db,
        uuid::Uuid::parse_str(&budget).unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(totals.balance(), 0);
    assert_eq!(totals.committed, 1_000_000);
    if let Ok(server) = std::sync::Arc::try_unwrap(server) {
        server.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ledger_identity_holds_after_random_operations() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;
    let supervisor = server.token("demo-supervisor").await;
    let (programme, budget) = cash_programme(&server, &admin, "20000").await;
    let case = server.open_case(&manager, &intake("สมชาย")).await;
    // A fixed xorshift sequence: the same operations on every run and both databases.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move |below: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below
    };
    let mut approved: Vec<String> = Vec::new();
    let mut payments: Vec<String> = Vec::new();
    for _ in 0..60 {
        match next(5) {
            0 | 1 => {
                let amount = (1 + next(2999)).to_string();
                let (_, r) = request(&server, &manager, &case, &programme, &amount).await;
                let id = r["id"].as_str().unwrap().to_string();
                // From the fourth in a year the check fails: the supervisor overrides.
                let (status, p) = decide(
                    &server,
                    &supervisor,
                    &id,
                    json!({"decision": "approve", "version": 1,
                    "override_reason": "ยังมีความจำเป็น"}),
                )
                .await;
                assert!(status == 200 || status == 409, "{status} {p}");
                if status == 200 {
                    approved.push(id);
                }
            }
            2 if !approved.is_empty() => {
                let id = &approved[next(approved.len() as u64) as usize];
                let amount = format!("{}.{:02}", next(1500), 1 + next(99));
                let (status, p) = post(
                    &server,
                    &manager,
                    &format!("/api/v1/allocations/{id}/disbursements"),
                    json!({"amount": amount, "method": "cash"}),
                )
                .await;
                assert!(
                    status == 201 || status == 422 || status == 409,
                    "{status} {p}"
                );
                if status == 201 {
                    payments.push(p["id"].as_str().unwrap().to_string());
                }
            }
            3 if !payments.is_empty() => {
                let id = payments.swap_remove(next(payments.len() as u64) as usize);
                let (status, _) = post(
                    &server,
                    &manager,
                    &format!("/api/v1/budget-entries/{id}/reverse"),
                    json!({"reason": "แก้ไข"}),
                )
                .await;
                assert!(status == 201 || status == 409, "{status}");
            }
            4 if !approved.is_empty() => {
                let id = approved.swap_remove(next(approved.len() as u64) as usize);
                let v = version(&server, &manager, &id).await;
                let (status, _) = post(
                    &server,
                    &manager,
                    &format!("/api/v1/allocations/{id}/close"),
                    json!({"reason": "เสร็จสิ้น", "version": v}),
                )
                .await;
                assert_eq!(status, 200);
            }
            _ => {}
        }
        let id = uuid::Uuid::parse_str(&budget).unwrap();
        let carried = karuna_store::budget::budget(&server.app.db, id)
            .await
            .unwrap()
            .unwrap();
        let ledger = karuna_store::budget::ledger_totals(&server.app.db, id)
            .await
            .unwrap();
        assert_eq!(
            (carried.allocated, carried.committed, carried.disbursed),
            (ledger.allocated, ledger.committed, ledger.disbursed)
        );
        assert!(ledger.balance() >= 0, "never overspent: {ledger:?}");
        assert!(ledger.committed >= 0 && ledger.disbursed >= 0);
    }
    let (_, detail) = get(&server, &admin, &format!("/api/v1/budgets/{budget}")).await;
    workbook_agrees_with_the_ledger(&server, &budget, &detail).await;
    server.stop().await;
}

/// Satang from a spreadsheet's baht.
fn satang(cell: &calamine::Data) -> i64 {
    match cell {
        calamine::Data::Float(f) => (f * 100.0).round() as i64,
        calamine::Data::Int(i) => i * 100,
        other => panic!("not a number: {other:?}"),
    }
}

/// The budget's XLSX download (administrator: with the ledger; analyst: figures only) says
/// what the API says, its ledger sheet adds up to the totals, and each download is audited.
async fn workbook_agrees_with_the_ledger(server: &TestServer, budget: &str, detail: &Value) {
    use calamine::Reader;
    let book = |who: &'static str| async move {
        let token = server.token(who).await;
        let resp = server
            .client()
            .get(server.url(&format!("/api/v1/budgets/{budget}/export")))
            .bearer_auth(&token)
            .header("accept-language", "en")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{who}");
        assert_eq!(
            resp.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let bytes = resp.bytes().await.unwrap().to_vec();
        calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(std::io::Cursor::new(bytes))
            .unwrap()
    };
    let to_satang = |v: &Value| {
        let s = v.as_str().unwrap().replace(',', "");
        let (b, st) = s.split_once('.').unwrap_or((&s, "0"));
        b.parse::<i64>().unwrap() * 100 + format!("{st:0<2}").parse::<i64>().unwrap()
    };
    let mut admin = book("demo-admin").await;
    let names = admin.sheet_names();
    assert_eq!(names.len(), 4, "{names:?}");
    let summary = admin.worksheet_range(&names[0]).unwrap();
    let figure = |row: u32| satang(summary.get_value((row, 1)).unwrap());
    let disbursed = figure(6);
    assert_eq!(figure(4), to_satang(&detail["budget"]["allocated"]));
    assert_eq!(figure(5), to_satang(&detail["budget"]["committed"]));
    assert_eq!(disbursed, to_satang(&detail["budget"]["disbursed"]));
    assert_eq!(figure(7), to_satang(&detail["budget"]["balance"]));
    // The months add up to the year, and the ledger's payments less reversals to what was paid.
    let months = admin.worksheet_range(&names[1]).unwrap();
    let paid_by_month: i64 = (1..=12)
        .map(|r| satang(months.get_value((r, 3)).unwrap()))
        .sum();
    assert_eq!(paid_by_month, disbursed);
    assert_eq!(satang(months.get_value((13, 3)).unwrap()), disbursed);
    let ledger = admin.worksheet_range(&names[3]).unwrap();
    let paid: i64 = ledger
        .rows()
        .skip(1)
        .map(|r| match r[1].to_string().as_str() {
            "Payment" => satang(&r[2]),
            "Reversal" => -satang(&r[2]),
            _ => 0,
        })
        .sum();
    assert_eq!(paid, disbursed);
    let analyst = book("demo-analyst").await;
    assert_eq!(analyst.sheet_names().len(), 3, "no ledger for an analyst");
    let exports: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_event WHERE action = 'budget.export' AND entity_id = $1",
    )
    .bind(budget)
    .fetch_one(server.app.db.read())
    .await
    .unwrap();
    assert_eq!(exports, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_programme_keeps_a_waiting_list_that_freed_places_offer_in_order() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;
    let supervisor = server.token("demo-supervisor").await;
    let (status, p) = post(
        &server,
        &admin,
        "/api/v1/programmes",
        json!({"name_th": "เตียงบ้านพักฉุกเฉิน", "unit": "places", "capacity": "1",
               "authorities": [{"role": "supervisor", "limit": "1"}]}),
    )
    .await;
    assert_eq!(status, 201, "{p}");
    let programme = p["id"].as_str().unwrap().to_string();
    let first = server.open_case(&manager, &intake("หนึ่ง")).await;
    let second = server.open_case(&manager, &intake("สอง")).await;
    let (_, a) = request(&server, &manager, &first, &programme, "1").await;
    let (_, b) = request(&server, &manager, &second, &programme, "1").await;
    let (a, b) = (
        a["id"].as_str().unwrap().to_string(),
        b["id"].as_str().unwrap().to_string(),
    );
    let (status, _) = decide(
        &server,
        &supervisor,
        &a,
        json!({"decision": "approve", "version": 1}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = decide(
        &server,
        &supervisor,
        &b,
        json!({"decision": "approve", "version": 1}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, d) = get(&server, &supervisor, &format!("/api/v1/allocations/{b}")).await;
    assert_eq!(d["allocation"]["status"], "waiting");
    let (_, q) = get(&server, &supervisor, "/api/v1/allocations").await;
    let waiting: Vec<&Value> = q
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["place"] == 1)
        .collect();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0]["allocation"]["id"], b.as_str());
    // The queue downloads in the same order: the waiting request in first place.
    let (browser, _) = server.login("demo-supervisor").await;
    let csv = browser
        .get(server.url("/allocations.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csv = csv.trim_start_matches('\u{feff}');
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(
        rows.iter()
            .any(|r| r.starts_with("1,") && r.contains("เตียงบ้านพักฉุกเฉิน")),
        "{csv}"
    );
    let xlsx = browser
        .get(server.url("/allocations.xlsx"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(xlsx.starts_with(b"PK"));
    // The place is freed: the waiting request is offered again and its manager told.
    let v = version(&server, &manager, &a).await;
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/allocations/{a}/close"),
        json!({"reason": "กลับบ้านได้", "version": v}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, d) = get(&server, &supervisor, &format!("/api/v1/allocations/{b}")).await;
    assert_eq!(d["allocation"]["status"], "pending");
    let (_, n) = get(&server, &manager, "/api/v1/me/notifications").await;
    assert!(n.to_string().contains("allocation_offered"), "{n}");
    let v = d["allocation"]["version"].as_i64().unwrap();
    let (status, _) = decide(
        &server,
        &supervisor,
        &b,
        json!({"decision": "approve", "version": v}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, p) = get(
        &server,
        &manager,
        &format!("/api/v1/programmes/{programme}"),
    )
    .await;
    assert_eq!(p["programme"]["in_use"], 1);
    server.stop().await;
}

/// A small PDF (checked by its first bytes).
const RECEIPT: &[u8] = b"%PDF-1.4\n% a receipt signed by the client\n";

async fn upload_receipt(
    server: &TestServer,
    token: &str,
    entry: &str,
    bytes: &[u8],
) -> (u16, Value) {
    let form = reqwest::multipart::Form::new()
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("ใบสำคัญรับเงิน.pdf"),
        )
        .text("description", "ใบสำคัญรับเงินที่ผู้รับลงนาม");
    let resp = server
        .client()
        .post(server.url(&format!("/api/v1/budget-entries/{entry}/receipts")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_payment_keeps_its_receipt_and_a_clients_spending_spans_the_cases_one_may_open() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;
    let supervisor = server.token("demo-supervisor").await;
    let psychologist = server.token("demo-psychologist").await;
    let (programme, budget) = cash_programme(&server, &admin, "50000").await;
    let (status, c) = post(&server, &manager, "/api/v1/cases", intake("สมหญิง")).await;
    assert_eq!(status, 201, "{c}");
    let first = c["case_id"].as_str().unwrap().to_string();
    let client = c["client_id"].as_str().unwrap().to_string();
    let mut again = intake("สมหญิง");
    again["existing_client_id"] = json!(client);
    let second = server.open_case(&manager, &again).await;
    // A third case of hers that the manager may not open (the supervisor's own).
    let third = server.open_case(&supervisor, &again).await;
    let (status, _) = get(&server, &manager, &format!("/api/v1/cases/{third}")).await;
    assert_eq!(
        status, 403,
        "precondition: the manager may not open the third case"
    );

    let mut granted = Vec::new();
    for (case, amount, who) in [
        (&first, "2000", &manager),
        (&first, "500", &manager),
        (&second, "1000", &manager),
        (&third, "700", &supervisor),
    ] {
        let (status, r) = request(&server, who, case, &programme, amount).await;
        assert_eq!(status, 201, "{r}");
        let id = r["id"].as_str().unwrap().to_string();
        let (status, p) = decide(
            &server,
            &supervisor,
            &id,
            // The fourth in twelve months fails a criterion: the supervisor overrides.
            json!({"decision": "approve", "version": 1, "override_reason": "ยังมีความจำเป็น"}),
        )
        .await;
        assert_eq!(status, 200, "{p}");
        granted.push(id);
    }

    // A payment and its receipt, kept on the case and listed with the request.
    let (status, p) = post(
        &server,
        &manager,
        &format!("/api/v1/allocations/{}/disbursements", granted[0]),
        json!({"amount": "1,250.50", "method": "cash", "receipt_ref": "บค 7/2570"}),
    )
    .await;
    assert_eq!(status, 201, "{p}");
    let payment = p["id"].as_str().unwrap().to_string();
    let (status, a) = upload_receipt(&server, &manager, &payment, RECEIPT).await;
    assert_eq!(status, 201, "{a}");
    assert_eq!(a["attached_to"], "payment");
    assert_eq!(a["record_id"], payment);
    assert_eq!(a["case_id"], first);
    let (_, d) = get(
        &server,
        &manager,
        &format!("/api/v1/allocations/{}", granted[0]),
    )
    .await;
    assert_eq!(d["receipts"][0]["id"], a["id"], "{d}");
    let (_, files) = get(
        &server,
        &manager,
        &format!("/api/v1/cases/{first}/attachments"),
    )
    .await;
    assert_eq!(files.as_array().unwrap().len(), 1);
    let (_, t) = get(
        &server,
        &manager,
        &format!("/api/v1/cases/{first}/timeline"),
    )
    .await;
    assert!(
        t.as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "attachment" && e["code"] == "payment"),
        "{t}"
    );
    // Not a file Karuna keeps, not a payment, not someone on the case: refused, nothing kept.
    let (status, p) = upload_receipt(&server, &manager, &payment, b"plain text").await;
    assert_eq!(
        (status, field_codes(&p)),
        (
            422,
            vec![("file".to_string(), "attachment.type".to_string())]
        )
    );
    let (_, b) = get(&server, &supervisor, &format!("/api/v1/budgets/{budget}")).await;
    let commitment = b["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "commitment")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, p) = upload_receipt(&server, &manager, &commitment, RECEIPT).await;
    assert_eq!(status, 409, "{p}");
    assert!(
        p["type"]
            .as_str()
            .unwrap()
            .ends_with("/receipt_not_payment"),
        "{p}"
    );
    let (status, _) = upload_receipt(&server, &psychologist, &payment, RECEIPT).await;
    assert_eq!(status, 403);
    let (status, _) = upload_receipt(
        &server,
        &manager,
        &uuid::Uuid::now_v7().to_string(),
        RECEIPT,
    )
    .await;
    assert_eq!(status, 404);
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attachment")
        .fetch_one(server.app.db.read())
        .await
        .unwrap();
    assert_eq!(kept, 1);

    // The client's spending: per case and programme, this case first; the third case is
    // neither counted nor named for the manager, and is for the supervisor.
    let (status, s) = get(
        &server,
        &manager,
        &format!("/api/v1/cases/{first}/client-spending"),
    )
    .await;
    assert_eq!(status, 200, "{s}");
    let lines = s.as_array().unwrap();
    assert_eq!(lines.len(), 2, "{s}");
    assert_eq!(lines[0]["case_id"], first);
    assert_eq!(lines[0]["this_case"], true);
    assert_eq!(lines[0]["requests"], 2);
    assert_eq!(lines[0]["approved"], "2500");
    assert_eq!(lines[0]["disbursed"], "1250.50");
    assert_eq!(lines[1]["case_id"], second);
    assert_eq!(lines[1]["approved"], "1000");
    assert!(!s.to_string().contains(&third));
    let (_, s) = get(
        &server,
        &supervisor,
        &format!("/api/v1/cases/{first}/client-spending"),
    )
    .await;
    assert_eq!(s.as_array().unwrap().len(), 3, "{s}");
    let (status, _) = get(
        &server,
        &psychologist,
        &format!("/api/v1/cases/{first}/client-spending"),
    )
    .await;
    assert_eq!(status, 403);
    // The case's page shows the same table.
    let (browser, _) = server.login("demo-manager").await;
    let html = browser
        .get(server.url(&format!("/cases/{first}/allocations")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"spending-table\""));
    assert!(html.contains(&format!("/cases/{second}/allocations")));
    assert!(!html.contains(&third));
    server.stop().await;
}
