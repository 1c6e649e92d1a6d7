//! Possible duplicates, merges and their undo over HTTP (page and API), on the backend chosen
//! by `KARUNA_TEST_DB`: the list shows a planted pair with reasons and only to supervisors; a
//! merge moves every link and leaves a tombstone; search finds the survivor only; undo restores
//! exactly; stale or impossible requests get clear 4xx answers and change nothing.

use crate::common;

use common::{csrf_of, TestServer, DEMO_PASSWORD};
use karuna_app::Ctx;
use serde_json::{json, Value};

const NID: &str = "1101700230074";

struct Seeded {
    case1: String,
    case2: String,
    p1: String,
    p2: String,
}

/// Two cases of demo-manager whose clients are one man registered twice (same name, birth
/// year and national ID; different phones), each with a contact, a promise and a consent.
async fn seed(server: &TestServer) -> Seeded {
    let app = &server.app;
    let ctx = Ctx::default();
    let manager = app
        .login("demo-manager", DEMO_PASSWORD, &ctx)
        .await
        .unwrap()
        .user;
    let mut ids = Vec::new();
    for phone in ["081-234-5678", "089-999-0000"] {
        let input = karuna_app::intake::IntakeInput {
            client: karuna_domain::person::PersonInput {
                first_name_th: "สมชาย".into(),
                last_name_th: "ใจดี".into(),
                birth_year: "2523".into(),
                sex: "male".into(),
                phones: vec![phone.into()],
                ..Default::default()
            },
            documents: vec![karuna_domain::person::DocumentInput {
                kind: "thai_national_id".into(),
                number: NID.into(),
                ..Default::default()
            }],
            consent: karuna_app::intake::ConsentInput {
                status: "granted".into(),
                ..Default::default()
            },
            referral_source: "self".into(),
            presenting_problem: "ทดสอบการรวมระเบียน".into(),
            case_types: vec!["other".into()],
            safety: karuna_domain::case::all_answered(karuna_domain::case::SafetyAnswer::No),
            ..Default::default()
        };
        let created = app.intake(&manager, &ctx, &input).await.unwrap();
        let contact = karuna_domain::contact::ContactInput {
            kind: "home_visit".into(),
            date: "01/11/2569".into(),
            note: "เยี่ยมบ้าน".into(),
            person_ids: vec![created.client_id.to_string()],
            ..Default::default()
        };
        app.add_contact(&manager, &ctx, created.case_id, &contact)
            .await
            .unwrap();
        let promise = karuna_domain::promise::PromiseInput {
            what: "พาไปทำบัตร".into(),
            due: "01/01/2570".into(),
            to_person_id: created.client_id.to_string(),
        };
        app.add_promise(&manager, &ctx, created.case_id, &promise)
            .await
            .unwrap();
        ids.push((created.case_id.to_string(), created.client_id.to_string()));
    }
    Seeded {
        case1: ids[0].0.clone(),
        case2: ids[1].0.clone(),
        p1: ids[0].1.clone(),
        p2: ids[1].1.clone(),
    }
}

/// Every row that links either person, as sorted text (what an exact undo must restore).
async fn links(server: &TestServer, s: &Seeded) -> Vec<String> {
    let queries = [
        "SELECT 'case_file', id, client_id, '' FROM case_file WHERE client_id IN ($1, $2)",
        "SELECT 'case_person', case_id, person_id, relationship || added_at FROM case_person WHERE person_id IN ($1, $2)",
        "SELECT 'consent', id, person_id, '' FROM consent WHERE person_id IN ($1, $2)",
        "SELECT 'promise', id, to_person_id, '' FROM promise WHERE to_person_id IN ($1, $2)",
        "SELECT 'participant', contact_id, person_id, CAST(position AS TEXT) FROM contact_participant WHERE person_id IN ($1, $2)",
        "SELECT 'document', id, person_id, number FROM identity_document WHERE person_id IN ($1, $2)",
        "SELECT 'phone', id, person_id, e164 || ':' || CAST(position AS TEXT) FROM person_phone WHERE person_id IN ($1, $2)",
        "SELECT 'key', match_key, person_id, '' FROM person_match_key WHERE person_id IN ($1, $2)",
        "SELECT 'search', case_id, entity_id, body FROM search_doc WHERE entity_type = 'person' AND entity_id IN ($1, $2)",
    ];
    let mut out = Vec::new();
    for q in queries {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(q)
            .bind(&s.p1)
            .bind(&s.p2)
            .fetch_all(server.app.db.read())
            .await
            .unwrap();
        out.extend(
            rows.into_iter()
                .map(|r| format!("{}|{}|{}|{}", r.0, r.1, r.2, r.3)),
        );
    }
    out.sort();
    out
}

async fn list(c: &reqwest::Client, server: &TestServer, token: &str) -> Value {
    let resp = c
        .get(server.url("/api/v1/persons/duplicates"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

fn has_pair(list: &Value, a: &str, b: &str) -> bool {
    list["items"].as_array().unwrap().iter().any(|p| {
        let (x, y) = (p["a"]["id"].as_str(), p["b"]["id"].as_str());
        (x == Some(a) && y == Some(b)) || (x == Some(b) && y == Some(a))
    })
}

fn version_of(list: &Value, id: &str) -> i64 {
    for p in list["items"].as_array().unwrap() {
        for side in ["a", "b"] {
            if p[side]["id"].as_str() == Some(id) {
                return p[side]["version"].as_i64().unwrap();
            }
        }
    }
    panic!("{id} not listed")
}

async fn scalar(server: &TestServer, sql: &str, id: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .bind(id)
        .fetch_one(server.app.db.read())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicates_merge_and_undo() {
    let server = TestServer::demo().await;
    let s = seed(&server).await;
    let c = server.client();
    let sup = server.token("demo-supervisor").await;
    let mgr = server.token("demo-manager").await;

    // Only supervisors see the list.
    let resp = c
        .get(server.url("/api/v1/persons/duplicates"))
        .bearer_auth(&mgr)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    let resp = c
        .post(server.url("/api/v1/persons/merges"))
        .bearer_auth(&mgr)
        .json(&json!({"survivor_id": s.p1, "loser_id": s.p2, "reason": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);

    // The planted pair, with its reasons.
    let l = list(&c, &server, &sup).await;
    assert!(has_pair(&l, &s.p1, &s.p2), "{l}");
    let pair = &l["items"][0];
    let reasons: Vec<&str> = pair["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r.as_str())
        .collect();
    assert!(reasons.contains(&"same_document"), "{reasons:?}");
    assert!(pair["score"].as_u64().unwrap() >= 95);
    let bad = c
        .get(server.url("/api/v1/persons/duplicates?limit=0"))
        .bearer_auth(&sup)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);

    // The page, linked from the navigation, shows the pair and its reasons.
    let (page_client, csrf) = server.login("demo-supervisor").await;
    let html = page_client
        .get(server.url("/persons/duplicates"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("href=\"/persons/duplicates\""));
    assert!(html.contains(&s.p1) && html.contains(&s.p2));
    assert!(html.contains("สมชาย"));

    let before = links(&server, &s).await;
    let (v1, v2) = (version_of(&l, &s.p1), version_of(&l, &s.p2));

    // Invalid and stale requests: clear 4xx, nothing written.
    let merge = |body: Value| {
        c.post(server.url("/api/v1/persons/merges"))
            .bearer_auth(&sup)
            .json(&body)
            .send()
    };
    let resp = merge(json!({"survivor_id": s.p1, "loser_id": s.p1, "reason": ""}))
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.unwrap();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert!(fields.contains(&"loser_id") && fields.contains(&"reason"));
    let resp = merge(
        json!({"survivor_id": s.p1, "loser_id": s.p2, "survivor_version": v1,
        "loser_version": v2 + 7, "reason": "same ID"}),
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 409);
    assert_eq!(links(&server, &s).await, before, "nothing partial");

    // The merge moves every link; the loser becomes a tombstone.
    let resp = merge(
        json!({"survivor_id": s.p1, "loser_id": s.p2, "survivor_version": v1,
        "loser_version": v2, "reason": "same national ID"}),
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), 201);
    let done: Value = resp.json().await.unwrap();
    let merge_id = done["merge_id"].as_str().unwrap().to_string();
    let on = |table: &str, col: &str| format!("SELECT COUNT(*) FROM {table} WHERE {col} = $1");
    assert_eq!(
        scalar(&server, &on("case_file", "client_id"), &s.p1).await,
        2
    );
    for (table, col) in [
        ("case_file", "client_id"),
        ("case_person", "person_id"),
        ("consent", "person_id"),
        ("promise", "to_person_id"),
        ("contact_participant", "person_id"),
        ("person_phone", "person_id"),
        ("person_match_key", "person_id"),
    ] {
        assert_eq!(
            scalar(&server, &on(table, col), &s.p2).await,
            0,
            "{table} still names the loser"
        );
    }
    assert_eq!(scalar(&server, &on("consent", "person_id"), &s.p1).await, 2);
    assert_eq!(
        scalar(&server, &on("promise", "to_person_id"), &s.p1).await,
        2
    );
    assert_eq!(
        scalar(&server, &on("person_phone", "person_id"), &s.p1).await,
        2
    );
    // The same document twice: the survivor's stays, the loser's stays with the tombstone.
    assert_eq!(
        scalar(&server, &on("identity_document", "person_id"), &s.p1).await,
        1
    );
    assert_eq!(
        scalar(&server, &on("identity_document", "person_id"), &s.p2).await,
        1
    );
    let tomb: Option<String> = sqlx::query_scalar("SELECT merged_into FROM person WHERE id = $1")
        .bind(&s.p2)
        .fetch_one(server.app.db.read())
        .await
        .unwrap();
    assert_eq!(tomb.as_deref(), Some(s.p1.as_str()));
    assert_eq!(server.audit_count("person.merge", "success").await, 1);

    // Search finds the survivor on both cases (by the loser's phone too), never the loser.
    let hits: Value = c
        .get(server.url("/api/v1/search"))
        .bearer_auth(&sup)
        .query(&[("q", "0899990000"), ("type", "person")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = hits["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{hits}");
    assert!(items
        .iter()
        .all(|i| i["id"].as_str() == Some(s.p1.as_str())));
    let _ = (&s.case1, &s.case2);

    // The pair has left the list; the tombstone points to the survivor.
    assert!(!has_pair(&list(&c, &server, &sup).await, &s.p1, &s.p2));
    let resp = c
        .patch(server.url(&format!("/api/v1/persons/{}", s.p2)))
        .bearer_auth(&mgr)
        .header("if-match", "1")
        .json(&json!({"version": 1, "first_name_th": "สมชาย"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
    let body: Value = resp.json().await.unwrap();
    assert!(body["type"].as_str().unwrap().ends_with("person_merged"));
    assert!(body["detail"].as_str().unwrap().contains(&s.p1), "{body}");

    // Undo: a reason is required; then exactly the moved rows go back; once only.
    let undo = |body: Value| {
        c.post(server.url(&format!("/api/v1/persons/merges/{merge_id}/undo")))
            .bearer_auth(&sup)
            .json(&body)
            .send()
    };
    assert_eq!(undo(json!({})).await.unwrap().status(), 422);
    let resp = undo(json!({"reason": "two brothers"})).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(links(&server, &s).await, before, "undo restores exactly");
    let resp = undo(json!({"reason": "again"})).await.unwrap();
    assert_eq!(resp.status(), 409);
    let body: Value = resp.json().await.unwrap();
    assert!(body["type"].as_str().unwrap().ends_with("merge_undone"));
    assert_eq!(server.audit_count("person.merge_undo", "success").await, 1);

    // A row changed since a merge: the undo is refused and nothing moves.
    let l = list(&c, &server, &sup).await;
    assert!(
        has_pair(&l, &s.p1, &s.p2),
        "the pair is back after the undo"
    );
    let resp = merge(json!({"survivor_id": s.p2, "loser_id": s.p1,
        "survivor_version": version_of(&l, &s.p2), "loser_version": version_of(&l, &s.p1),
        "reason": "same national ID"}))
    .await
    .unwrap();
    assert_eq!(resp.status(), 201);
    let second: Value = resp.json().await.unwrap();
    let second_id = second["merge_id"].as_str().unwrap();
    sqlx::query("DELETE FROM contact_participant WHERE person_id = $1")
        .bind(&s.p2)
        .execute(server.app.db.read())
        .await
        .unwrap();
    let resp = c
        .post(server.url(&format!("/api/v1/persons/merges/{second_id}/undo")))
        .bearer_auth(&sup)
        .json(&json!({"reason": "mistake"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
    let body: Value = resp.json().await.unwrap();
    assert!(body["type"].as_str().unwrap().ends_with("merge_changed"));
    let tomb: Option<String> = sqlx::query_scalar("SELECT merged_into FROM person WHERE id = $1")
        .bind(&s.p1)
        .fetch_one(server.app.db.read())
        .await
        .unwrap();
    assert_eq!(tomb.as_deref(), Some(s.p2.as_str()), "still merged");
    server.stop().await;
    let _ = csrf;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_the_same_person_and_same_case_conflict() {
    let server = TestServer::demo().await;
    let s = seed(&server).await;
    let c = server.client();
    let sup = server.token("demo-supervisor").await;
    let (page_client, _) = server.login("demo-supervisor").await;
    let html = page_client
        .get(server.url("/persons/duplicates"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&html).unwrap();

    // One is put on the other's case: a merge is refused and nothing is written.
    let mut tx = server.app.db.begin().await.unwrap();
    karuna_store::case::add_person(
        &mut tx,
        uuid::Uuid::parse_str(&s.case1).unwrap(),
        uuid::Uuid::parse_str(&s.p2).unwrap(),
        "sibling",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let before = links(&server, &s).await;
    let l = list(&c, &server, &sup).await;
    let resp = page_client
        .post(server.url("/persons/merges"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("person_a", s.p1.as_str()),
            ("person_b", s.p2.as_str()),
            ("version_a", &version_of(&l, &s.p1).to_string()),
            ("version_b", &version_of(&l, &s.p2).to_string()),
            ("keep", "a"),
            ("reason", "same ID"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);
    assert!(resp.text().await.unwrap().contains("duplicates-error"));
    assert_eq!(links(&server, &s).await, before);
    let merges: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM person_merge")
        .fetch_one(server.app.db.read())
        .await
        .unwrap();
    assert_eq!(merges, 0);

    // Without the token the form is refused.
    let resp = page_client
        .post(server.url("/persons/duplicates/dismissals"))
        .form(&[("person_a", s.p1.as_str()), ("person_b", s.p2.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    // "Not the same person": the pair leaves the list, audited.
    let resp = page_client
        .post(server.url("/persons/duplicates/dismissals"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("person_a", s.p2.as_str()),
            ("person_b", s.p1.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success() || resp.status().is_redirection());
    assert!(!has_pair(&list(&c, &server, &sup).await, &s.p1, &s.p2));
    assert_eq!(
        server.audit_count("person.not_duplicate", "success").await,
        1
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_merge_history_lists_merges_and_undoes_them() {
    let server = TestServer::demo().await;
    let s = seed(&server).await;
    let c = server.client();
    let sup = server.token("demo-supervisor").await;
    let history = || {
        c.get(server.url("/api/v1/persons/merges"))
            .bearer_auth(&sup)
            .send()
    };
    let empty: Value = history().await.unwrap().json().await.unwrap();
    assert_eq!(empty["total"], 0, "{empty}");
    let l = list(&c, &server, &sup).await;
    let resp = c
        .post(server.url("/api/v1/persons/merges"))
        .bearer_auth(&sup)
        .json(&json!({"survivor_id": s.p1, "loser_id": s.p2,
            "survivor_version": version_of(&l, &s.p1), "loser_version": version_of(&l, &s.p2),
            "reason": "same national ID"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let done: Value = resp.json().await.unwrap();
    let merge_id = done["merge_id"].as_str().unwrap().to_string();

    // The API lists it: who is kept, who merged, why, how many rows moved, not undone.
    let h: Value = history().await.unwrap().json().await.unwrap();
    assert_eq!(h["total"], 1, "{h}");
    let m = &h["items"][0];
    assert_eq!(m["id"], merge_id.as_str());
    assert_eq!(m["survivor"]["id"], s.p1.as_str());
    assert_eq!(m["loser"]["id"], s.p2.as_str());
    assert_eq!(m["reason"], "same national ID");
    assert_eq!(m["rows"], done["rows"]);
    assert!(m["undone_at"].is_null());
    assert!(!m["merged_by"].as_str().unwrap().is_empty());
    assert_eq!(server.audit_count("person.merges", "success").await, 2);
    let bad = c
        .get(server.url("/api/v1/persons/merges?after=x"))
        .bearer_auth(&sup)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);

    // The page, linked from the navigation, offers the undo; a reason is required.
    let (page_client, csrf) = server.login("demo-supervisor").await;
    let html = page_client
        .get(server.url("/persons/merges"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("href=\"/persons/merges\""));
    assert!(html.contains(&format!("/persons/merges/{merge_id}/undo")));
    assert!(html.contains("same national ID") && html.contains("สมชาย"));
    let undo = |reason: &str| {
        page_client
            .post(server.url(&format!("/persons/merges/{merge_id}/undo")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("back", "history"),
                ("reason", reason),
            ])
            .send()
    };
    let resp = undo("").await.unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("id=\"merges-error\""),
        "the history again, with the error"
    );
    let resp = undo("two brothers").await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(common::location(&resp), "/persons/merges?undone=1");

    // Undone: who undid it and why; no undo form any more.
    let h: Value = history().await.unwrap().json().await.unwrap();
    let m = &h["items"][0];
    assert!(!m["undone_at"].is_null(), "{m}");
    assert_eq!(m["undo_reason"], "two brothers");
    let html = page_client
        .get(server.url("/persons/merges?undone=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"merges-flash\"") && html.contains("two brothers"));
    assert!(!html.contains(&format!("/persons/merges/{merge_id}/undo")));
    server.stop().await;
}
