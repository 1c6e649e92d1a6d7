//! The people of a case over HTTP: the era a birth year was read in, promise keeping for
//! supervisors, consent with an evidence file, correcting a person.

use crate::common;

use common::{intake_form, location, TestServer};

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
            ("phones[0]".to_string(), phone.to_string()),
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
