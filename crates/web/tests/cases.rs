//! Intake and the case file over HTTP: the form flow with the duplicate check, every tab in
//! both languages, contacts and promises through the forms, and the JSON API.

mod common;

use common::{csrf_of, TestServer};
use serde_json::{json, Value};

fn intake_form(csrf: &str, first: &str, id_number: &str) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = [
        ("csrf", csrf),
        ("client.prefix", "miss"),
        ("client.first_name_th", first),
        ("client.last_name_th", "ทดสอบระบบ"),
        ("client.sex", "female"),
        ("client.birth_date", "14/02/2540"),
        ("client.phones[0]", "081-234-5678"),
        ("documents[0].kind", "thai_national_id"),
        ("documents[0].number", id_number),
        ("address.house_no", "12/3"),
        ("address.province_code", "10"),
        ("address.district_code", "1001"),
        ("address.subdistrict_code", "100101"),
        ("address.postcode", ""),
        ("consent.status", "granted"),
        ("referral_source", "hotline_1300"),
        ("presenting_problem", "ถูกทำร้ายร่างกาย ต้องการที่พักปลอดภัย"),
        ("safety.in_danger_now", "no"),
        ("safety.no_safe_place_tonight", "yes"),
        ("case_types", "domestic_violence"),
        ("case_types", "poverty_homelessness"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    f.push(("unit_id".into(), String::new()));
    f
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intake_through_the_form_with_the_duplicate_check() {
    let server = TestServer::demo().await;
    let (c, csrf) = server.login("demo-manager").await;
    let page = c.get(server.url("/cases/new")).send().await.unwrap();
    assert_eq!(page.status(), 200);

    // A bad ID number: 422, the message beside the field, the input kept, nothing written.
    let resp = c
        .post(server.url("/cases"))
        .form(&intake_form(&csrf, "กาญจนา", "1103700123459"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("id=\"doc0-number-error\""),
        "error beside the number"
    );
    assert!(html.contains("value=\"กาญจนา\""));
    assert!(html.contains("เลขตรวจสอบหลักสุดท้ายไม่ถูกต้อง"));

    // A good one: the case opens; the Bangkok postcode was filled from the subdistrict.
    let resp = c
        .post(server.url("/cases"))
        .form(&intake_form(&csrf, "กาญจนา", "1103700123458"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let first = location(&resp);
    assert!(
        first.starts_with("/cases/") && first.ends_with("?created=1"),
        "{first}"
    );
    let file = c
        .get(server.url(&first))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(file.contains("CM-") && file.contains("กาญจนา"));
    assert!(file.contains("เร่งด่วน"), "urgent from the screening");
    let persons = c
        .get(server.url(&first.replace("?created=1", "?tab=persons")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(persons.contains("10200"), "postcode filled");
    assert!(persons.contains("1103700123458"));

    // The same person again: the candidates are offered before anyone new is created.
    let resp = c
        .post(server.url("/cases"))
        .form(&intake_form(&csrf, "กาญจนา", "1103700123458"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"candidates\""));
    assert!(html.contains("เลขเอกสารตรงกัน"));
    let person_id = {
        let at = html.find("name=\"existing_client_id\" value=\"").unwrap()
            + "name=\"existing_client_id\" value=\"".len();
        html[at..at + 36].to_string()
    };
    let mut again = intake_form(&csrf, "กาญจนา", "1103700123458");
    again.push(("existing_client_id".into(), person_id));
    let resp = c
        .post(server.url("/cases"))
        .form(&again)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let persons: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM person WHERE first_name_th = 'กาญจนา'")
            .fetch_one(server.app.db.read())
            .await
            .unwrap();
    assert_eq!(persons, 1, "the second case reuses the person");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_home_visit_and_a_promise_kept_through_the_case_file() {
    let server = TestServer::demo().await;
    let (c, csrf) = server.login("demo-manager").await;
    let resp = c
        .post(server.url("/cases"))
        .form(&intake_form(&csrf, "สมใจ", ""))
        .send()
        .await
        .unwrap();
    let case = location(&resp).replace("?created=1", "");
    // The case is in my list.
    let list = c
        .get(server.url("/cases?mine=true"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("สมใจ"));

    let visit = [
        ("csrf", csrf.as_str()),
        ("kind", "home_visit"),
        ("date", "20/11/2569"),
        ("time", "10:30"),
        ("duration_minutes", "45"),
        ("place", "บ้านเลขที่ 12/3"),
        ("note", "เยี่ยมบ้าน พบผู้รับบริการและบุตรสาว สภาพบ้านปลอดภัย"),
        ("sources", "home_visit"),
        ("sources", "client_interview"),
    ];
    let resp = c
        .post(server.url(&format!("{case}/contacts")))
        .form(&visit)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let contacts = c
        .get(server.url(&format!("{case}?tab=contacts")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(contacts.contains("เยี่ยมบ้าน พบผู้รับบริการ") && contacts.contains("45 นาที"));
    // A contact in the future is refused beside its field.
    let future = [
        ("csrf", csrf.as_str()),
        ("kind", "phone_call"),
        ("date", "01/01/2580"),
        ("note", "x"),
    ];
    let resp = c
        .post(server.url(&format!("{case}/contacts")))
        .form(&future)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("id=\"contact-date-error\""));

    let promise = [
        ("csrf", csrf.as_str()),
        ("what", "พาไปทำบัตรประชาชนใหม่"),
        ("due", "30/11/2569"),
    ];
    let resp = c
        .post(server.url(&format!("{case}/promises")))
        .form(&promise)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let promises = c
        .get(server.url(&format!("{case}?tab=promises")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let form_at = promises.find("action=\"/promises/").unwrap() + "action=\"".len();
    let action = &promises[form_at..form_at + "/promises/".len() + 36];
    let resp = c
        .post(server.url(action))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", "1"),
            ("action", "keep"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let promises = c
        .get(server.url(&format!("{case}?tab=promises")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(promises.contains("รักษาแล้ว"));
    // Keeping it twice: the stale version is a conflict.
    let resp = c
        .post(server.url(action))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", "1"),
            ("action", "keep"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);

    // Every tab renders in both languages without a missing message.
    for lang in ["th", "en"] {
        c.post(server.url("/language"))
            .form(&[("csrf", csrf.as_str()), ("lang", lang), ("next", "/")])
            .send()
            .await
            .unwrap();
        for tab in [
            "overview", "persons", "contacts", "promises", "team", "history",
        ] {
            let resp = c
                .get(server.url(&format!("{case}?tab={tab}")))
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200);
            let html = resp.text().await.unwrap();
            let text = regex_lite::Regex::new(r"<[^>]*>")
                .unwrap()
                .replace_all(&html, " ")
                .to_string();
            let key = regex_lite::Regex::new(r"\b(case|cases|contact|promise|person|consent|document|intake|status|urgency|relationship|source|history)-[a-z0-9-]+\b").unwrap();
            assert!(
                !key.is_match(&text),
                "{tab} ({lang}): {:?}",
                key.find(&text).map(|m| m.as_str())
            );
        }
        for path in ["/cases", "/cases/new", "/"] {
            assert_eq!(
                c.get(server.url(path)).send().await.unwrap().status(),
                200,
                "{path}"
            );
        }
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_opens_and_updates_cases() {
    let server = TestServer::demo().await;
    let ctx = karuna_app::Ctx::default();
    let (_, token) = server
        .app
        .issue_token(None, &ctx, "demo-manager", "test")
        .await
        .unwrap();
    let (_, other) = server
        .app
        .issue_token(None, &ctx, "demo-psychologist", "test")
        .await
        .unwrap();
    let c = server.client();
    let body = json!({
        "client": {"first_name_th": "อรุณี", "last_name_th": "แสงทอง", "birth_year": "2500", "phones": ["053 123 456"]},
        "documents": [{"kind": "passport", "number": "MA1234567", "country": "MMR"}],
        "address": {"province_code": "50", "district_code": "5001", "subdistrict_code": "500101"},
        "consent": {"lawful_basis": "vital_interest"},
        "referral_source": "hospital_crisis_centre",
        "presenting_problem": "ผู้สูงอายุถูกทอดทิ้ง",
        "safety": {"in_danger_now": true},
        "case_types": ["older_person"]
    });
    let resp = c
        .post(server.url("/api/v1/cases"))
        .bearer_auth(&token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let created: Value = resp.json().await.unwrap();
    assert_eq!(created["urgency"], "emergency");
    let id = created["case_id"].as_str().unwrap().to_string();

    let file: Value = c
        .get(server.url(&format!("/api/v1/cases/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        file["persons"][0]["person"]["documents"][0]["country"],
        "MMR"
    );
    assert_eq!(file["persons"][0]["person"]["birth_estimated"], true);
    let version = file["version"].as_i64().unwrap();

    // Not on the case: 403, audited.
    let resp = c
        .get(server.url(&format!("/api/v1/cases/{id}")))
        .bearer_auth(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert!(server.audit_count("case.read", "denied").await >= 1);

    // Two updates with the same version: one wins, the other is 409.
    let upd = |urgency: &str| json!({"version": version, "urgency": urgency, "sensitive": false, "case_types": ["older_person"], "presenting_problem": "ปรับปรุง"});
    let a = c
        .patch(server.url(&format!("/api/v1/cases/{id}")))
        .bearer_auth(&token)
        .json(&upd("urgent"))
        .send()
        .await
        .unwrap();
    let b = c
        .patch(server.url(&format!("/api/v1/cases/{id}")))
        .bearer_auth(&token)
        .json(&upd("routine"))
        .send()
        .await
        .unwrap();
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);

    // A person is versioned too: one update wins, the stale one is 409; strangers get 403.
    let person = &file["persons"][0]["person"];
    let pid = person["id"].as_str().unwrap().to_string();
    let change = json!({"version": person["version"], "person": {"first_name_th": "อรุณี", "last_name_th": "แสงทองดี", "birth_year": "2500"}});
    let ok = c
        .patch(server.url(&format!("/api/v1/persons/{pid}")))
        .bearer_auth(&token)
        .json(&change)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let stale = c
        .patch(server.url(&format!("/api/v1/persons/{pid}")))
        .bearer_auth(&token)
        .json(&change)
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 409);
    let stranger = c
        .patch(server.url(&format!("/api/v1/persons/{pid}")))
        .bearer_auth(&other)
        .json(&change)
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), 403);

    // Field-level errors in the requested language.
    let bad = json!({"client": {"first_name_th": "ก", "birth_date": "31/02/2569"}, "consent": {"status": "granted"},
        "referral_source": "self", "presenting_problem": "x", "case_types": ["other"],
        "address": {"province_code": "50", "district_code": "1001", "subdistrict_code": "100101"}});
    let resp = c
        .post(server.url("/api/v1/cases"))
        .bearer_auth(&token)
        .header("accept-language", "en")
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let p: Value = resp.json().await.unwrap();
    let errors = p["errors"].as_array().unwrap();
    let has = |field: &str, code: &str| {
        errors
            .iter()
            .any(|e| e["field"] == field && e["code"] == code)
    };
    assert!(has("client.birth_date", "thai.date.day"), "{errors:?}");
    assert!(
        has(
            "address.district_code",
            "thai.address.district_not_in_province"
        ),
        "{errors:?}"
    );
    assert!(errors
        .iter()
        .all(|e| !e["message"].as_str().unwrap().starts_with("error-")));

    // Areas for the pickers.
    let districts: Value = c
        .get(server.url("/api/v1/areas/provinces/50/districts"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(districts.as_array().unwrap().len() >= 20);
    let none = c
        .get(server.url("/api/v1/areas/provinces/99/districts"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 404);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn area_pickers_answer_htmx() {
    let server = TestServer::demo().await;
    let (c, _) = server.login("demo-manager").await;
    let html = c
        .get(server.url("/areas/options?address.province_code=50"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<option value=\"5001\">"));
    let html = c
        .get(server.url("/areas/postcode?address.subdistrict_code=100101"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("value=\"10200\""));
    let _ = csrf_of(&html);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_year_in_the_other_era_is_said_and_supervisors_see_promise_keeping() {
    let server = TestServer::demo().await;
    let (c, csrf) = server.login("demo-manager").await;
    let mut form = intake_form(&csrf, "ปรียา", "");
    for (k, v) in form.iter_mut() {
        if k == "client.birth_date" {
            *v = "14/02/1997".into();
        }
    }
    let resp = c
        .post(server.url("/cases"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let to = location(&resp);
    assert!(to.contains("understood=ce"), "{to}");
    let file = c
        .get(server.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(file.contains("คริสต์ศักราช"), "the era understood is said");

    let (s, _) = server.login("demo-supervisor").await;
    let home = s
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("id=\"keeping-heading\""),
        "the demo unit's promise keeping is shown"
    );
    assert!(home.contains("ทั้งหน่วยงาน"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consent_with_an_evidence_file() {
    let server = TestServer::demo().await;
    let (c, csrf) = server.login("demo-manager").await;
    let resp = c
        .post(server.url("/cases"))
        .form(&intake_form(&csrf, "ดวงใจ", ""))
        .send()
        .await
        .unwrap();
    let case = location(&resp).replace("?created=1", "");
    let persons = c
        .get(server.url(&format!("{case}?tab=persons")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = persons.find("name=\"person_id\"><option value=\"").unwrap()
        + "name=\"person_id\"><option value=\"".len();
    let person = persons[at..at + 36].to_string();
    let form = |file: reqwest::multipart::Part| {
        reqwest::multipart::Form::new()
            .text("csrf", csrf.clone())
            .text("person_id", person.clone())
            .text("purpose", "sharing")
            .text("agency", "สำนักงานสวัสดิการและคุ้มครองแรงงานจังหวัด")
            .text("status", "granted")
            .text("evidence_note", "ลงนามต่อหน้าพยาน")
            .part("evidence_file", file)
    };
    let pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n".to_vec();
    let part = reqwest::multipart::Part::bytes(pdf.clone())
        .file_name("แบบยินยอม.pdf")
        .mime_str("application/pdf")
        .unwrap();
    let resp = c
        .post(server.url(&format!("{case}/consents")))
        .multipart(form(part))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let persons = c
        .get(server.url(&format!("{case}?tab=persons")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = persons.find("href=\"/attachments/").unwrap() + "href=\"".len();
    let link = persons[at..at + "/attachments/".len() + 36].to_string();
    let file = c.get(server.url(&link)).send().await.unwrap();
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert!(file.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    assert_eq!(file.bytes().await.unwrap().to_vec(), pdf);
    assert_eq!(server.audit_count("attachment.read", "success").await, 1);

    // Not a PDF, JPEG or PNG, whatever its name says: refused beside the field, nothing saved.
    let exe = reqwest::multipart::Part::bytes(b"MZ\x90\x00fake".to_vec())
        .file_name("form.pdf")
        .mime_str("application/pdf")
        .unwrap();
    let resp = c
        .post(server.url(&format!("{case}/consents")))
        .multipart(form(exe))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("รับเฉพาะไฟล์ PDF, JPEG หรือ PNG"));
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attachment")
        .fetch_one(server.app.db.read())
        .await
        .unwrap();
    let consents: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM consent WHERE purpose = 'sharing' AND person_id = $1",
    )
    .bind(&person)
    .fetch_one(server.app.db.read())
    .await
    .unwrap();
    assert_eq!((stored, consents), (1, 1));
    // Someone not on the case cannot download it.
    let (other, _) = server.login("demo-analyst").await;
    assert_eq!(
        other.get(server.url(&link)).send().await.unwrap().status(),
        403
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_is_corrected_from_the_case_file() {
    let server = TestServer::demo().await;
    let (c, csrf) = server.login("demo-manager").await;
    let resp = c
        .post(server.url("/cases"))
        .form(&intake_form(&csrf, "ศรีสุดา", ""))
        .send()
        .await
        .unwrap();
    let case = location(&resp).replace("?created=1", "");
    let case_id = case.trim_start_matches("/cases/").to_string();
    let persons = c
        .get(server.url(&format!("{case}?tab=persons")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = persons.find("action=\"/persons/").unwrap() + "action=\"".len();
    let action = persons[at..at + "/persons/".len() + 36].to_string();
    let form = |first: &str, phone: &str, version: &str| {
        vec![
            ("csrf".to_string(), csrf.clone()),
            ("case_id".to_string(), case_id.clone()),
            ("version".to_string(), version.to_string()),
            ("first_name_th".to_string(), first.to_string()),
            ("last_name_th".to_string(), "ทดสอบระบบ".to_string()),
            ("sex".to_string(), "female".to_string()),
            ("birth_date".to_string(), "14/02/2540".to_string()),
            ("phone0".to_string(), phone.to_string()),
        ]
    };
    let bad = c
        .post(server.url(&action))
        .form(&form("ศรีสุดา", "12", "1"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text().await.unwrap().contains("-phone0-error\""),
        "the phone error is beside the phone field"
    );
    let ok = c
        .post(server.url(&action))
        .form(&form("ศรีสุดารัตน์", "0812345678", "1"))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    let persons = c
        .get(server.url(&format!("{case}?tab=persons")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(persons.contains("ศรีสุดารัตน์"));
    let stale = c
        .post(server.url(&action))
        .form(&form("ศรี", "0812345678", "1"))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 409);
    server.stop().await;
}
