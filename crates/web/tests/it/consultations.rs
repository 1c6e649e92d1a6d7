//! Consultation threads (issue 18 item 3): a worker asks colleagues who may open the case for
//! advice, they are told and reply, the one who asked records the advice taken; nobody outside
//! the case's access rule sees a thread, and nobody who may not open the case can be asked.

use crate::common::TestServer;
use crate::tasks::{get, intake, post};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn advice_is_asked_given_and_taken_within_the_case_team() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let psy = server.token("demo-psychologist").await;
    let supervisor = server.token("demo-supervisor").await;
    let case = server.open_case(&manager, &intake("ขอคำปรึกษา")).await;
    let psychologist = server.user_id("demo-psychologist").await.to_string();
    let supervisor_id = server.user_id("demo-supervisor").await.to_string();
    let path = format!("/api/v1/cases/{case}/consultations");

    // The psychologist is not on the case yet: she cannot be asked, and cannot read.
    let (status, p) = post(
        &server,
        &manager,
        &path,
        json!({"subject": "ส่งต่อหรือไม่", "question": "ครอบครัวไม่ยินยอม", "mention_ids": [psychologist]}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(p["errors"][0]["code"], "consultation.mention_cannot_open");
    let (status, p) = post(
        &server,
        &manager,
        &path,
        json!({"subject": "", "question": ""}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(p["errors"].as_array().unwrap().len(), 2);

    // Asked of the supervisor (on the case through her unit): she is told, replies, and brings
    // in the psychologist once she is on the team.
    let (status, created) = post(
        &server,
        &manager,
        &path,
        json!({"subject": "ส่งต่อบ้านพักหรือไม่", "question": "<script>x</script> ครอบครัวไม่ยินยอมให้ส่งต่อ", "mention_ids": [supervisor_id]}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let thread = created["id"].as_str().unwrap().to_string();
    let (_, inbox) = get(&server, &supervisor, "/api/v1/me/notifications?unread=true").await;
    assert!(inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["kind"] == "consultation_mention"
            && n["href"] == format!("/cases/{case}/consultations#thread-{thread}")));
    post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/team"),
        json!({"account_id": psychologist}),
    )
    .await;
    let (status, _) = post(
        &server,
        &supervisor,
        &format!("/api/v1/consultations/{thread}/replies"),
        json!({"body": "ประเมินความปลอดภัยก่อน แล้วคุยกับครอบครัวอีกครั้ง", "mention_ids": [psychologist]}),
    )
    .await;
    assert_eq!(status, 201);
    let (_, inbox) = get(&server, &psy, "/api/v1/me/notifications?unread=true").await;
    assert!(inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["kind"] == "consultation_mention"));
    let (_, inbox) = get(&server, &manager, "/api/v1/me/notifications?unread=true").await;
    assert!(
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "consultation_reply"),
        "the one who asked hears of the reply"
    );

    // Only the one who asked (or whoever steers the case) resolves it; the version read counts.
    let (_, t) = get(&server, &psy, &format!("/api/v1/consultations/{thread}")).await;
    assert_eq!(t["replies"].as_array().unwrap().len(), 1);
    assert_eq!(
        t["replies"][0]["mentioned"][0]["account_id"],
        psychologist.as_str()
    );
    let version = t["version"].as_i64().unwrap();
    let resolve = format!("/api/v1/consultations/{thread}/resolve");
    let (status, _) = post(
        &server,
        &psy,
        &resolve,
        json!({"version": version, "summary": "x"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = post(
        &server,
        &manager,
        &resolve,
        json!({"version": version - 1, "summary": "x"}),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = post(
        &server,
        &manager,
        &resolve,
        json!({"version": version, "summary": "ประเมินความปลอดภัยด้วยแบบคัดกรอง แล้วนัดครอบครัวสัปดาห์หน้า"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, p) = post(
        &server,
        &psy,
        &format!("/api/v1/consultations/{thread}/replies"),
        json!({"body": "เพิ่มเติม"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(p["errors"][0]["code"], "consultation.resolved");

    // On the timeline; off the team, the psychologist sees nothing of it.
    let (_, timeline) = get(&server, &manager, &format!("/api/v1/cases/{case}/timeline")).await;
    let kinds: Vec<&str> = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "consultation")
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 2, "{kinds:?}");
    let resp = server
        .client()
        .delete(server.url(&format!("/api/v1/cases/{case}/team/{psychologist}")))
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    let (status, _) = get(&server, &psy, &format!("/api/v1/consultations/{thread}")).await;
    assert_eq!(status, 403);
    let (status, _) = get(&server, &psy, &path).await;
    assert_eq!(status, 403);
    let (_, inbox) = get(&server, &psy, "/api/v1/me/notifications").await;
    assert!(!inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["case_id"] == case.as_str()));

    // The page: the thread, its reply, the resolution; HTML kept as text.
    let (web, csrf) = server.login("demo-manager").await;
    let html = web
        .get(server.url(&format!("/cases/{case}/consultations")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"tab-consultations\" aria-current=\"page\""));
    assert!(html.contains("&#60;script&#62;x&#60;/script&#62;"));
    assert!(html.contains("ประเมินความปลอดภัยด้วยแบบคัดกรอง"));
    // An empty question on the page: 422 with the messages, the input kept.
    let resp = web
        .post(server.url(&format!("/cases/{case}/consultations")))
        .form(&[("csrf", csrf.as_str()), ("subject", "ยังไม่ได้พิมพ์คำถาม")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("href=\"#question\""));
    assert!(html.contains("value=\"ยังไม่ได้พิมพ์คำถาม\""));
    assert!(server.audit_count("consultation.read", "success").await >= 1);
    assert!(server.audit_count("consultation.resolve", "denied").await >= 1);
}
