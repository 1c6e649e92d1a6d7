//! Files attached to contacts and assessments (issue 16 item 28): the same checks as a
//! consent's evidence (type by content, size, audit), listed on the contact card, the
//! assessment page and the timeline, and refused to whoever may not edit the case.

use crate::common;

use common::{csrf_of, TestServer};
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

const PDF: &[u8] = b"%PDF-1.4\n% a police report\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";

fn intake() -> Value {
    json!({
        "client": {"first_name_th": "แนบไฟล์", "last_name_th": "ทดสอบ", "birth_year": "2530"},
        "documents": [{"kind": "none"}],
        "consent": {"lawful_basis": "vital_interest"},
        "referral_source": "self", "presenting_problem": "ทดสอบไฟล์แนบ",
        "safety": common::no_risk(),
        "case_types": ["other"],
    })
}

fn upload(bytes: &[u8], name: &str, description: &str) -> Form {
    Form::new()
        .part(
            "file",
            Part::bytes(bytes.to_vec()).file_name(name.to_string()),
        )
        .text("description", description.to_string())
}

async fn files(server: &TestServer) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM attachment")
        .fetch_one(server.app.db.read())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_on_contacts_and_assessments_over_the_api() {
    let server = TestServer::demo().await;
    let token = server.token("demo-manager").await;
    let c = server.client();
    let case = server.open_case(&token, &intake()).await;
    let resp = c
        .post(server.url(&format!("/api/v1/cases/{case}/contacts")))
        .bearer_auth(&token)
        .json(
            &json!({"kind": "home_visit", "date": "01/11/2569", "time": "10:00",
                      "note": "เยี่ยมบ้าน ถ่ายภาพสภาพบ้าน"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let contact = resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // A PDF on the contact.
    let resp = c
        .post(server.url(&format!("/api/v1/contacts/{contact}/attachments")))
        .bearer_auth(&token)
        .multipart(upload(PDF, "รายงานตำรวจ.pdf", "สำเนาบันทึกประจำวัน"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let a: Value = resp.json().await.unwrap();
    assert_eq!(a["attached_to"], "contact");
    assert_eq!(a["record_id"], contact.as_str());
    assert_eq!(a["content_type"], "application/pdf");
    assert_eq!(a["filename"], "รายงานตำรวจ.pdf");
    assert_eq!(a["size"], PDF.len());
    let file_id = a["id"].as_str().unwrap().to_string();

    // A PNG on an assessment.
    let resp = c
        .post(server.url(&format!("/api/v1/cases/{case}/assessments")))
        .bearer_auth(&token)
        .json(&json!({"template_key": "holistic"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    let assessment = resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let resp = c
        .post(server.url(&format!("/api/v1/assessments/{assessment}/attachments")))
        .bearer_auth(&token)
        .multipart(upload(PNG, "ใบรับรองแพทย์.png", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    assert_eq!(
        resp.json::<Value>().await.unwrap()["attached_to"],
        "assessment"
    );

    // Listed, downloaded byte for byte, and on the timeline.
    let list: Value = c
        .get(server.url(&format!("/api/v1/cases/{case}/attachments")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
    let resp = c
        .get(server.url(&format!("/api/v1/attachments/{file_id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    assert!(resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment;"));
    assert_eq!(resp.bytes().await.unwrap().as_ref(), PDF);
    let timeline: Value = c
        .get(server.url(&format!("/api/v1/cases/{case}/timeline")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kinds: Vec<(&str, &str)> = timeline
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "attachment")
        .map(|e| (e["code"].as_str().unwrap(), e["text"].as_str().unwrap()))
        .collect();
    assert!(
        kinds.contains(&("contact", "รายงานตำรวจ.pdf — สำเนาบันทึกประจำวัน")),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("assessment", "ใบรับรองแพทย์.png")),
        "{kinds:?}"
    );
    assert_eq!(server.audit_count("attachment.create", "success").await, 2);
    assert!(server.audit_count("attachment.read", "success").await >= 1);

    // Bad input: field errors, and nothing written.
    let before = files(&server).await;
    let bad = |form: Form| {
        c.post(server.url(&format!("/api/v1/contacts/{contact}/attachments")))
            .bearer_auth(&token)
            .multipart(form)
            .send()
    };
    let field_of = |p: Value| p["errors"][0]["field"].as_str().unwrap_or("").to_string();
    let resp = bad(upload(b"MZ\x90\x00not a document", "setup.exe", ""))
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let p: Value = resp.json().await.unwrap();
    assert_eq!(p["errors"][0]["code"], "attachment.type", "{p}");
    let resp = bad(Form::new().text("description", "ไม่มีไฟล์"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert_eq!(field_of(resp.json().await.unwrap()), "file");
    let resp = bad(upload(PDF, "a.pdf", &"ก".repeat(201))).await.unwrap();
    assert_eq!(resp.status(), 422);
    assert_eq!(field_of(resp.json().await.unwrap()), "description");
    let resp = bad(upload(b"", "empty.pdf", "")).await.unwrap();
    assert_eq!(resp.status(), 422);
    // Just over the limit: the server answers 413 once the limit is passed, and what the client
    // still has to send then fits in the socket's buffers (a far larger body can see its
    // connection reset before the answer is read, under load).
    let big = [
        PDF,
        &vec![b'x'; karuna_app::attachment::MAX_FILE_BYTES + 66 * 1024],
    ]
    .concat();
    let resp = bad(upload(&big, "big.pdf", "")).await.unwrap();
    assert_eq!(resp.status(), 413);
    let resp = c
        .post(server.url(&format!("/api/v1/contacts/{contact}/attachments")))
        .bearer_auth(&token)
        .json(&json!({"file": "JVBERi0="}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 415);
    let resp = c
        .post(server.url(&format!(
            "/api/v1/contacts/{}/attachments",
            uuid::Uuid::now_v7()
        )))
        .bearer_auth(&token)
        .multipart(upload(PDF, "a.pdf", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert_eq!(files(&server).await, before);

    // A colleague not on the case may neither add, list nor download.
    let other = server.token("demo-psychologist").await;
    let resp = c
        .post(server.url(&format!("/api/v1/contacts/{contact}/attachments")))
        .bearer_auth(&other)
        .multipart(upload(PDF, "a.pdf", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    for path in [
        format!("/api/v1/cases/{case}/attachments"),
        format!("/api/v1/attachments/{file_id}"),
    ] {
        let resp = c
            .get(server.url(&path))
            .bearer_auth(&other)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 403, "{path}");
    }
    assert_eq!(files(&server).await, before);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_on_the_contact_card_and_the_assessment_page() {
    let server = TestServer::demo().await;
    let token = server.token("demo-manager").await;
    let case = server.open_case(&token, &intake()).await;
    let api = server.client();
    let resp = api
        .post(server.url(&format!("/api/v1/cases/{case}/contacts")))
        .bearer_auth(&token)
        .json(&json!({"kind": "phone_call", "date": "02/11/2569", "note": "โทรนัดหมาย"}))
        .send()
        .await
        .unwrap();
    let contact = resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (web, _) = server.login("demo-manager").await;
    let page = web
        .get(server.url(&format!("/cases/{case}?tab=contacts")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&page).unwrap();
    assert!(page.contains(&format!("action=\"/contacts/{contact}/attachments\"")));

    // A wrong type re-renders the contacts with the message beside the file field.
    let resp = web
        .post(server.url(&format!("/contacts/{contact}/attachments")))
        .multipart(
            upload(b"<script>alert(1)</script>", "x.html", "<b>ภาพ</b>").text("csrf", csrf.clone()),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("รับเฉพาะไฟล์ PDF, JPEG หรือ PNG"),
        "the message is shown"
    );
    assert!(
        html.contains("&#60;b&#62;ภาพ&#60;/b&#62;"),
        "the description is kept, escaped"
    );

    // A PDF goes on the card with its description, as a download link.
    let resp = web
        .post(server.url(&format!("/contacts/{contact}/attachments")))
        .multipart(upload(PDF, "บันทึก.pdf", "<b>รายงาน</b>").text("csrf", csrf.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let to = common::location(&resp);
    let html = web
        .get(server.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("แนบไฟล์แล้ว"), "{to}");
    assert!(html.contains("บันทึก.pdf"));
    assert!(html.contains("&#60;b&#62;รายงาน&#60;/b&#62;"));
    assert!(!html.contains("<b>รายงาน</b>"));

    // The assessment page has its own files box.
    let resp = api
        .post(server.url(&format!("/api/v1/cases/{case}/assessments")))
        .bearer_auth(&token)
        .json(&json!({"template_key": "holistic"}))
        .send()
        .await
        .unwrap();
    let assessment = resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let resp = web
        .post(server.url(&format!("/assessments/{assessment}/attachments")))
        .multipart(
            Form::new()
                .text("csrf", csrf.clone())
                .text("description", "ไม่มีไฟล์"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("กรุณาเลือกไฟล์ที่จะแนบ"));
    let resp = web
        .post(server.url(&format!("/assessments/{assessment}/attachments")))
        .multipart(upload(PNG, "ใบรับรองแพทย์.png", "").text("csrf", csrf.clone()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let html = web
        .get(server.url(&common::location(&resp)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("ใบรับรองแพทย์.png"));

    // The timeline names both, in words.
    let html = web
        .get(server.url(&format!("/cases/{case}/timeline")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("แนบกับบันทึกการติดต่อ"));
    assert!(html.contains("แนบกับการประเมิน"));

    // Without the form's token nothing is written.
    let before = files(&server).await;
    let resp = web
        .post(server.url(&format!("/contacts/{contact}/attachments")))
        .multipart(upload(PDF, "a.pdf", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(files(&server).await, before);
    server.stop().await;
}

/// The one attachment's stored value.
async fn stored(server: &TestServer, id: &str) -> String {
    sqlx::query_scalar::<_, String>("SELECT content FROM attachment WHERE id = $1")
        .bind(id)
        .fetch_one(server.app.db.read())
        .await
        .unwrap()
}

/// Uploads `bytes` to a new contact of a new case; the file's id.
async fn upload_one(server: &TestServer, token: &str, bytes: &[u8]) -> String {
    let c = server.client();
    let case = server.open_case(token, &intake()).await;
    let contact: Value = c
        .post(server.url(&format!("/api/v1/cases/{case}/contacts")))
        .bearer_auth(token)
        .json(&json!({"kind": "phone_call", "date": "01/11/2569", "note": "โทร"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let resp = c
        .post(server.url(&format!(
            "/api/v1/contacts/{}/attachments",
            contact["id"].as_str().unwrap()
        )))
        .bearer_auth(token)
        .multipart(upload(bytes, "รายงาน.pdf", ""))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn download(server: &TestServer, token: &str, id: &str) -> Vec<u8> {
    let resp = server
        .client()
        .get(server.url(&format!("/api/v1/attachments/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.bytes().await.unwrap().to_vec()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_are_sealed_at_rest_with_the_configured_key() {
    use karuna_store::attachment_key::AttachmentKey;
    // A file stored before any key was configured…
    let plain_server = TestServer::demo().await;
    let token = plain_server.token("demo-manager").await;
    let old = upload_one(&plain_server, &token, PDF).await;
    assert!(!stored(&plain_server, &old).await.starts_with("enc1:"));
    let (url, dir) = plain_server.stop().await;

    // …then the server restarts with a key: new files are sealed, old ones still open.
    let key = AttachmentKey::from_text(&AttachmentKey::generate_text()).unwrap();
    let server = TestServer::start_on(
        url,
        dir,
        true,
        karuna_app::Settings {
            demo: true,
            attachment_key: Some(key.clone()),
            ..karuna_app::Settings::default()
        },
    )
    .await;
    let token = server.token("demo-manager").await;
    let new = upload_one(&server, &token, PDF).await;
    let value = stored(&server, &new).await;
    assert!(value.starts_with("enc1:"), "{value}");
    use base64::Engine;
    let clear = base64::engine::general_purpose::STANDARD.encode(PDF);
    assert!(!value.contains(&clear[..16]));
    assert_eq!(download(&server, &token, &new).await, PDF);
    assert_eq!(download(&server, &token, &old).await, PDF);

    // Sealing the old ones (`karuna attachments encrypt`): all sealed, all still open.
    let mut found = 0;
    loop {
        let n = karuna_store::attachment::seal_stored(&server.app.db, &key, 200)
            .await
            .unwrap();
        if n == 0 {
            break;
        }
        found += n;
    }
    assert_eq!(found, 1);
    assert!(stored(&server, &old).await.starts_with("enc1:"));
    assert_eq!(download(&server, &token, &old).await, PDF);
}
