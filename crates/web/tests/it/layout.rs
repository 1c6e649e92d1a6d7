//! The page frame and its language: the language switch returns to the same page with its
//! query, every case page carries the case header, forms list their errors as links, and no
//! page mixes languages (no catalogue key, no Thai interface text on English pages, no English
//! message on Thai pages).

use crate::common;

use common::{complete_holistic, intake_form, location, TestServer};
use karuna_thai::lang::Lang;
use karuna_web::i18n::Catalog;
use serde_json::json;

/// Every Thai string this module stores as user data (with the demo organisation's, units'
/// and accounts' names): on an English page, these are the only Thai a reader may see.
const THAI_DATA: &[&str] = &[
    "ทดสอบภาษา",
    "สองภาษา",
    "ต้องการที่พักชั่วคราว ตกงาน",
    "เยี่ยมบ้าน พูดคุยกับผู้รับบริการ",
    "มีที่พักถาวร",
    "ได้ห้องเช่า",
    "ยังไม่มีที่พัก",
    "ที่พักถาวร",
    "อยากอยู่ใกล้ที่ทำงาน",
    "บ้านพักเด็กและครอบครัว",
];

/// A page's visible text: markup removed, entities decoded, the words the page marks as
/// Thai (`lang="th"`, such as the language switch's "ไทย") left out.
fn visible_text(html: &str) -> String {
    let body = html.split_once("<body>").map_or(html, |(_, b)| b);
    let re_th = regex_lite::Regex::new(r#"lang="th"[^>]*>[^<]*<"#).unwrap();
    let body = re_th.replace_all(body, ">");
    let re = regex_lite::Regex::new(r"<[^>]*>").unwrap();
    re.replace_all(&body, " ")
        .replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

fn is_thai(c: char) -> bool {
    ('\u{0E00}'..='\u{0E7F}').contains(&c)
}

/// What is wrong with a rendered page in `lang`: a catalogue key in its text; on an English
/// page, Thai that is not user data; on a Thai page, a sentence of the English catalogue.
fn language_faults(
    catalog: &Catalog,
    lang: Lang,
    user_data: &[String],
    path: &str,
    html: &str,
) -> Vec<String> {
    let text = visible_text(html);
    let mut faults = Vec::new();
    let word = regex_lite::Regex::new(r"[a-z0-9]+(?:-[a-z0-9]+)+").unwrap();
    for m in word.find_iter(&text) {
        if catalog.keys(lang).contains(m.as_str()) {
            faults.push(format!("{path}: catalogue key `{}`", m.as_str()));
        }
    }
    match lang {
        Lang::En => {
            // Compared without spaces: search snippets show user data segmented into words.
            let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            let mut rest = squeeze(&text);
            let mut data: Vec<String> = user_data.iter().map(|d| squeeze(d)).collect();
            data.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
            for d in data {
                rest = rest.replace(d.as_str(), "|");
            }
            let chars: Vec<char> = rest.chars().collect();
            if let Some(at) = chars.iter().position(|c| is_thai(*c)) {
                let from = at.saturating_sub(30);
                let to = (at + 30).min(chars.len());
                let around: String = chars[from..to].iter().collect();
                faults.push(format!("{path}: Thai on an English page: `{around}`"));
            }
        }
        Lang::Th => {
            for key in catalog.keys(Lang::En) {
                let en = catalog.message(Lang::En, key, &[]);
                let th = catalog.message(Lang::Th, key, &[]);
                if en == th || en.contains('{') || en.chars().count() < 14 || !en.contains(' ') {
                    continue;
                }
                if text.contains(&en) {
                    faults.push(format!("{path}: English message `{key}`: {en}"));
                }
            }
        }
    }
    faults
}

/// A day `days` from today in Bangkok as typed in forms, Buddhist era: dd/mm/yyyy.
fn day_be(days: i64) -> String {
    use chrono::Datelike;
    let d = karuna_thai::calendar::bangkok_date(chrono::Utc::now() + chrono::Duration::days(days));
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year() + 543)
}

async fn get_html(c: &reqwest::Client, server: &TestServer, path: &str) -> String {
    let resp = c.get(server.url(path)).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{path}");
    resp.text().await.unwrap()
}

async fn set_lang(c: &reqwest::Client, server: &TestServer, csrf: &str, lang: &str) {
    let resp = c
        .post(server.url("/language"))
        .form(&[("csrf", csrf), ("lang", lang), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
}

/// One case with Thai user data in every part the main pages show.
async fn seed_case(server: &TestServer) -> String {
    let manager = server.token("demo-manager").await;
    let intake = json!({
        "client": {"first_name_th": "ทดสอบภาษา", "last_name_th": "สองภาษา", "birth_year": "2520", "sex": "male"},
        "documents": [{"kind": "none"}],
        "address": {"house_no": "9", "province_code": "10", "district_code": "1001", "subdistrict_code": "100101", "postcode": ""},
        "consent": {"status": "granted"}, "safety": crate::common::no_risk(),
        "referral_source": "self", "presenting_problem": "ต้องการที่พักชั่วคราว ตกงาน",
        "case_types": ["poverty_homelessness"],
    });
    let id = server.open_case(&manager, &intake).await;
    complete_holistic(server, &manager, &id).await;
    let (web, csrf) = server.login("demo-manager").await;
    let resp = web
        .post(server.url(&format!("/cases/{id}/contacts")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "home_visit"),
            ("date", day_be(-1).as_str()),
            ("time", "09:30"),
            ("sources", "home_visit"),
            ("note", "เยี่ยมบ้าน พูดคุยกับผู้รับบริการ"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303, "contact");
    let resp = web
        .post(server.url(&format!("/cases/{id}/plan")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("based_on", "0"),
            ("goals[0].dimension", "economic"),
            ("goals[0].statement", "มีที่พักถาวร"),
            ("goals[0].indicator", "ได้ห้องเช่า"),
            ("goals[0].baseline", "ยังไม่มีที่พัก"),
            ("goals[0].target", "ที่พักถาวร"),
            ("goals[0].target_date", "31/12/2599"),
            ("goals[0].priority", "high"),
            ("goals[0].weight", "1"),
            ("goals[0].client_agreement", "อยากอยู่ใกล้ที่ทำงาน"),
            ("goals[0].interventions[0].method", "shelter"),
            ("goals[0].interventions[0].provider", "บ้านพักเด็กและครอบครัว"),
            ("goals[0].interventions[0].provider", "บ้านพักเด็กและครอบครัว"),
            ("goals[0].interventions[0].start", "01/01/2569"),
            ("goals[0].interventions[0].status", "planned"),
        ])
        .send()
        .await
        .unwrap();
    let status = resp.status();
    assert_eq!(
        status,
        303,
        "plan: {}",
        visible_text(&resp.text().await.unwrap())
    );
    id
}

/// The user data an English page may show in Thai: this module's, and the demo
/// organisation's, units' and accounts' names.
async fn user_data(server: &TestServer) -> Vec<String> {
    let mut out: Vec<String> = THAI_DATA.iter().map(|s| s.to_string()).collect();
    out.extend(
        karuna_app::demo::DEMO_ACCOUNTS
            .iter()
            .map(|(_, name, ..)| name.to_string()),
    );
    for table in ["org", "unit"] {
        let names: Vec<String> = sqlx::query_scalar(&format!("SELECT name FROM {table}"))
            .fetch_all(server.app.db.read())
            .await
            .expect("names");
        out.extend(names);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_page_mixes_the_two_languages() {
    let server = TestServer::accounts_only().await;
    let case = seed_case(&server).await;
    let assessment: String = sqlx::query_scalar("SELECT id FROM assessment WHERE case_id = $1")
        .bind(&case)
        .fetch_one(server.app.db.read())
        .await
        .expect("assessment");
    let catalog = Catalog::load().expect("catalogues");
    let data = user_data(&server).await;
    let manager_pages = vec![
        "/".to_string(),
        "/cases".into(),
        "/cases/new".into(),
        "/profile".into(),
        format!("/search?q={}", "ทดสอบภาษา"),
        format!("/cases/{case}?tab=overview"),
        format!("/cases/{case}?tab=persons"),
        format!("/cases/{case}?tab=contacts"),
        format!("/cases/{case}?tab=promises"),
        format!("/cases/{case}?tab=team"),
        format!("/cases/{case}?tab=history"),
        format!("/cases/{case}/assessments"),
        format!("/assessments/{assessment}"),
        format!("/cases/{case}/plan"),
        format!("/cases/{case}/plan/edit"),
        format!("/cases/{case}/closure"),
        format!("/cases/{case}/timeline"),
        "/areas/options?address.province_code=10".into(),
    ];
    let roles: Vec<(&str, Vec<String>)> = vec![
        ("demo-manager", manager_pages),
        (
            "demo-supervisor",
            vec![
                "/".into(),
                "/cases".into(),
                "/persons/duplicates".into(),
                "/persons/merges".into(),
            ],
        ),
        (
            "demo-admin",
            vec![
                "/".into(),
                "/admin/users".into(),
                "/admin/users/new".into(),
                "/admin/case-types".into(),
                "/admin/assessment-templates".into(),
            ],
        ),
        ("demo-auditor", vec!["/".into(), "/audit".into()]),
        ("demo-analyst", vec!["/".into()]),
    ];
    let mut faults = Vec::new();
    for (user, paths) in &roles {
        let (c, csrf) = server.login(user).await;
        for (code, lang) in [("th", Lang::Th), ("en", Lang::En)] {
            set_lang(&c, &server, &csrf, code).await;
            for path in paths {
                let html = get_html(&c, &server, path).await;
                faults.extend(language_faults(
                    &catalog,
                    lang,
                    &data,
                    &format!("{user} {code} {path}"),
                    &html,
                ));
            }
        }
    }
    assert!(
        faults.is_empty(),
        "{} fault(s):\n{}",
        faults.len(),
        faults.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_returns_to_the_page_with_its_query() {
    let server = TestServer::accounts_only().await;
    let case = seed_case(&server).await;
    let (c, csrf) = server.login("demo-manager").await;
    for path in [
        format!("/cases/{case}?tab=contacts"),
        "/search?q=%E0%B8%97%E0%B8%94%E0%B8%AA%E0%B8%AD%E0%B8%9A&type=contact".to_string(),
        format!("/cases/{case}/timeline"),
    ] {
        let html = get_html(&c, &server, &path).await;
        let next = html
            .split("name=\"next\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_default()
            .replace("&amp;", "&")
            .replace("&#38;", "&")
            .replace("&#x2f;", "/");
        assert_eq!(next, path, "the switch should return to the page");
        let resp = c
            .post(server.url("/language"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("lang", "en"),
                ("next", path.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303);
        assert_eq!(location(&resp), path);
    }
    // A form that failed re-renders at its POST address; the switch returns to the form page.
    let mut form = intake_form(&csrf, "", "");
    form.retain(|(k, _)| k != "client.first_name_th");
    let resp = c
        .post(server.url("/cases"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("name=\"next\" value=\"/cases/new\""));
    // Never another site.
    for bad in [
        "//evil.example/",
        "/\t/evil.example",
        "https://evil.example/",
    ] {
        let resp = c
            .post(server.url("/language"))
            .form(&[("csrf", csrf.as_str()), ("lang", "th"), ("next", bad)])
            .send()
            .await
            .unwrap();
        assert_eq!(location(&resp), "/", "{bad:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_case_page_names_the_case_and_has_its_tabs() {
    let server = TestServer::accounts_only().await;
    let case = seed_case(&server).await;
    let assessment: String = sqlx::query_scalar("SELECT id FROM assessment WHERE case_id = $1")
        .bind(&case)
        .fetch_one(server.app.db.read())
        .await
        .expect("assessment");
    let (c, _) = server.login("demo-manager").await;
    for path in [
        format!("/cases/{case}"),
        format!("/cases/{case}/assessments"),
        format!("/assessments/{assessment}"),
        format!("/cases/{case}/plan"),
        format!("/cases/{case}/plan/edit"),
        format!("/cases/{case}/closure"),
        format!("/cases/{case}/timeline"),
    ] {
        let html = get_html(&c, &server, &path).await;
        assert!(html.contains("id=\"case-head\""), "{path}: no case header");
        assert!(
            html.contains("ทดสอบภาษา สองภาษา"),
            "{path}: the client is not named"
        );
        assert!(html.contains("id=\"tab-timeline\""), "{path}: no tabs");
        assert_eq!(
            html.matches("aria-current=\"page\"").count(),
            2,
            "{path}: one nav item and one tab are current"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sensitive_case_header_hides_the_client_from_the_team() {
    let server = TestServer::accounts_only().await;
    let manager = server.token("demo-manager").await;
    let intake = json!({
        "client": {"first_name_th": "ลับมาก", "last_name_th": "ปกปิด", "birth_year": "2530"},
        "documents": [{"kind": "none"}],
        "consent": {"lawful_basis": "vital_interest"}, "safety": crate::common::no_risk(),
        "referral_source": "self", "presenting_problem": "ถูกทำร้าย",
        "case_types": ["domestic_violence"], "sensitive": true,
    });
    let case = server.open_case(&manager, &intake).await;
    let (web, csrf) = server.login("demo-manager").await;
    let psychologist = server.user_id("demo-psychologist").await.to_string();
    let resp = web
        .post(server.url(&format!("/cases/{case}/team")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("account_id", psychologist.as_str()),
            ("role_in_case", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let (c, _) = server.login("demo-psychologist").await;
    for path in [
        format!("/cases/{case}/timeline"),
        format!("/cases/{case}/plan"),
    ] {
        let html = get_html(&c, &server, &path).await;
        assert!(html.contains("id=\"case-head\""), "{path}");
        assert!(
            !html.contains("ลับมาก"),
            "{path}: the sensitive client is named to the team"
        );
    }
    let html = get_html(&web, &server, &format!("/cases/{case}/timeline")).await;
    assert!(html.contains("ลับมาก"), "the case manager sees who it is");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_form_adds_goals_and_its_summary_links_each_field() {
    let server = TestServer::accounts_only().await;
    let case = seed_case(&server).await;
    let (c, csrf) = server.login("demo-manager").await;
    let mut form: Vec<(String, String)> = [
        ("csrf", csrf.as_str()),
        ("based_on", "1"),
        ("reason", "เพิ่มเป้าหมาย"),
        ("goals[0].dimension", "economic"),
        ("goals[0].statement", "มีที่พักถาวร"),
        ("goals[0].indicator", "ได้ห้องเช่า"),
        ("goals[0].baseline", ""),
        ("goals[0].target", "ที่พักถาวร"),
        ("goals[0].target_date", "31/12/2599"),
        ("goals[0].priority", "high"),
        ("goals[0].weight", "1"),
        ("goals[0].client_agreement", ""),
        ("goals[0].interventions[0].method", "shelter"),
        ("goals[0].interventions[0].provider", "บ้านพักเด็กและครอบครัว"),
        ("goals[0].interventions[0].start", "01/01/2569"),
        ("goals[0].interventions[0].status", "planned"),
        ("add", "goal"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    // "Add a goal": the same input back with a second goal slot, nothing saved.
    let resp = c
        .post(server.url(&format!("/cases/{case}/plan")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("name=\"goals[1].statement\""),
        "a second goal slot"
    );
    assert!(html.contains("มีที่พักถาวร"), "the first goal's input is kept");
    assert!(
        html.contains("data-unsaved"),
        "the page knows its input is not saved"
    );
    // A second goal missing its indicator: the summary names and links it.
    form.retain(|(k, _)| k != "add");
    for (k, v) in [
        ("goals[1].dimension", "economic"),
        ("goals[1].statement", "มีรายได้"),
        ("goals[1].indicator", ""),
        ("goals[1].target", "มีงานทำ"),
        ("goals[1].target_date", "31/12/2599"),
        ("goals[1].priority", "medium"),
        ("goals[1].weight", "1"),
        ("goals[1].interventions[0].method", ""),
    ] {
        form.push((k.into(), v.into()));
    }
    let resp = c
        .post(server.url(&format!("/cases/{case}/plan")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"error-summary\""), "a banner");
    assert!(
        html.contains("href=\"#goals-1-indicator\""),
        "the banner links the field"
    );
    assert!(
        html.contains("id=\"goals-1-indicator\""),
        "the link has a target"
    );
    // The plan page: no ": →" for a goal without a baseline.
    let html = get_html(&c, &server, &format!("/cases/{case}/plan")).await;
    assert!(!html.contains(": →"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_intake_summary_links_each_field_at_fault() {
    let server = TestServer::accounts_only().await;
    let (c, csrf) = server.login("demo-manager").await;
    let mut form = intake_form(&csrf, "", "");
    for (k, v) in form.iter_mut() {
        if k == "presenting_problem" || k == "referral_source" {
            v.clear();
        }
    }
    let resp = c
        .post(server.url("/cases"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"error-summary\""));
    for target in ["#presenting-problem", "#referral-source"] {
        assert!(
            html.contains(&format!("href=\"{target}\"")),
            "{target} linked"
        );
    }
    assert!(
        !visible_text(&html).contains("presenting_problem"),
        "no field key shown"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_and_dates_read_as_a_person_writes_them() {
    let server = TestServer::accounts_only().await;
    let case = seed_case(&server).await;
    let manager = server.token("demo-manager").await;
    let (c, csrf) = server.login("demo-manager").await;
    // An income typed as a whole number is kept whole and shown grouped.
    let started: serde_json::Value = server
        .client()
        .post(server.url(&format!("/api/v1/cases/{case}/assessments")))
        .bearer_auth(&manager)
        .json(&json!({"template_key": "holistic"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = started["id"].as_str().unwrap().to_string();
    let resp = c
        .post(server.url(&format!("/assessments/{id}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", "1"),
            ("a.eco_income", "9000"),
            ("action", "save"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let html = get_html(&c, &server, &format!("/assessments/{id}")).await;
    assert!(html.contains("value=\"9000\""), "the form shows 9000");
    assert!(!html.contains("9000.0"));
    // Progress is dated, not timed, on the timeline.
    let plan = get_html(&c, &server, &format!("/cases/{case}/plan")).await;
    let goal = plan
        .split("name=\"goal_id\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a goal id on the plan page")
        .to_string();
    let resp = c
        .post(server.url(&format!("/cases/{case}/progress")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("goal_id", goal.as_str()),
            ("gas", "1"),
            ("source", "observation"),
            ("date", ""),
            ("note", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303, "progress");
    let timeline = get_html(&c, &server, &format!("/cases/{case}/timeline")).await;
    let progress = timeline
        .split("class=\"timeline-progress\"")
        .nth(1)
        .and_then(|s| s.split("</small>").next())
        .expect("a progress entry on the timeline");
    assert!(
        !progress.contains(':'),
        "a date-only entry shows no time of day: {progress}"
    );
}

/// A contact recorded without a time of day shows its date only — on the case page, the
/// timeline and the API — never an invented 12:00; its correction form leaves the time empty.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_contact_without_a_time_shows_its_date_only() {
    let server = TestServer::demo().await;
    let case = seed_case(&server).await;
    let token = server.token("demo-manager").await;
    let api = server.client();
    for (time, note) in [("", "ไม่ได้บันทึกเวลา"), ("09:15", "บันทึกเวลาไว้")]
    {
        let resp = api
            .post(server.url(&format!("/api/v1/cases/{case}/contacts")))
            .bearer_auth(&token)
            .json(
                &serde_json::json!({"kind": "phone_call", "date": "03/11/2569",
                                      "time": time, "note": note}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
    }
    let contacts: serde_json::Value = api
        .get(server.url(&format!("/api/v1/cases/{case}/contacts")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let known = |note: &str| {
        contacts
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["note"] == note)
            .map(|c| c["time_known"].clone())
    };
    assert_eq!(known("ไม่ได้บันทึกเวลา"), Some(serde_json::json!(false)));
    assert_eq!(known("บันทึกเวลาไว้"), Some(serde_json::json!(true)));

    let (web, _) = server.login("demo-manager").await;
    for path in [
        format!("/cases/{case}?tab=contacts"),
        format!("/cases/{case}/timeline"),
    ] {
        let html = get_html(&web, &server, &path).await;
        assert!(html.contains("09:15"), "{path}: the recorded time is shown");
        assert!(!html.contains("12:00"), "{path}: no invented noon");
    }
    server.stop().await;
}
