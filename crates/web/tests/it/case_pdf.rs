//! The printed case file (issue 21, item 4) on both databases: the case's team downloads it
//! over the API and from the page as a PDF with Sarabun embedded, named by the case number
//! alone; each print is audited; anyone else is refused and an unknown case is not found.

use crate::common::TestServer;
use crate::tasks::{get, intake, post};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_case_file_prints_for_its_team_only() {
    let server = TestServer::accounts_only().await;
    let manager = server.token("demo-manager").await;
    let case = server.open_case(&manager, &intake("พิมพ์แฟ้ม")).await;
    let (status, body) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/contacts"),
        json!({"kind": "home_visit", "date": "01/11/2569",
               "note": "เยี่ยมบ้าน ผู้รับบริการปลอดภัยดี ซึ่งครอบครัวให้ความร่วมมือ"}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (_, file) = get(&server, &manager, &format!("/api/v1/cases/{case}")).await;
    let number = file["number"].as_str().unwrap_or_default().to_string();
    assert!(!number.is_empty(), "{file}");

    let resp = server
        .client()
        .get(server.url(&format!("/api/v1/cases/{case}/pdf")))
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let disposition = resp.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains(&format!("karuna-case-{number}.pdf")),
        "{disposition}"
    );
    let pdf = resp.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.windows(7).any(|w| w == b"Sarabun"));
    assert_eq!(server.audit_count("case.export", "success").await, 1);

    let (browser, _) = server.login("demo-manager").await;
    let resp = browser
        .get(server.url(&format!("/cases/{case}/file.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.bytes().await.unwrap().starts_with(b"%PDF-"));
    let html = browser
        .get(server.url(&format!("/cases/{case}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("href=\"/cases/{case}/file.pdf\"")));

    let analyst = server.token("demo-analyst").await;
    let (status, _) = get(&server, &analyst, &format!("/api/v1/cases/{case}/pdf")).await;
    assert_eq!(status, 403);
    let unknown = uuid::Uuid::now_v7();
    let (status, _) = get(&server, &manager, &format!("/api/v1/cases/{unknown}/pdf")).await;
    assert_eq!(status, 404);
    assert_eq!(server.audit_count("case.export", "success").await, 2);
}
