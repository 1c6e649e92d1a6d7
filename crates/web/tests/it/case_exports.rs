//! The printed case file and the case list's downloads (issue 21, item 4) on both databases.
//! The case's team downloads the file over the API and from the page as a PDF with Sarabun
//! embedded, named by the case number alone; the list downloads as CSV or XLSX under the
//! page's filters. Each is audited; anyone else is refused and an unknown case is not found.

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_case_list_downloads_with_its_filters() {
    let server = TestServer::accounts_only().await;
    let manager = server.token("demo-manager").await;
    for i in 0..3 {
        server
            .open_case(&manager, &intake(&format!("ดาวน์โหลด{i}")))
            .await;
    }
    let (browser, _) = server.login("demo-manager").await;
    let html = browser
        .get(server.url("/cases?mine=true"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("href=\"/cases.csv?mine=true\""),
        "the filters go along"
    );
    let resp = browser
        .get(server.url("/cases.csv?mine=true"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let body = resp.text().await.unwrap();
    let body = body.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines.len(), 4, "a header and three cases: {body}");
    assert!(lines[0].starts_with("เลขที่รายกรณี,ผู้รับบริการ"));
    assert!(body.contains("ดาวน์โหลด0"));
    // A filter that matches nothing gives the header alone.
    let resp = browser
        .get(server.url("/cases.csv?mine=true&status=closed"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.text().await.unwrap().lines().count(), 1);
    let resp = browser
        .get(server.url("/cases.xlsx?mine=true"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.bytes().await.unwrap().starts_with(b"PK"));
    assert_eq!(server.audit_count("case.export_list", "success").await, 3);
    let (analyst, _) = server.login("demo-analyst").await;
    let resp = analyst.get(server.url("/cases.csv")).send().await.unwrap();
    assert_eq!(resp.status(), 403);
}
