//! The daily e-mail digest (issue 18 item 5): one's address and opt-in (checked, audited), and
//! the job that sends each account one digest a day through SMTP — first names and case
//! numbers only — however many servers run it, trying again after a failed send.

use crate::common::{self, csrf_of, TestServer};
use crate::tasks::{due_in, field_codes, get, intake, post, put};
use base64::Engine;
use karuna_web::i18n::Catalog;
use karuna_web::mail::{DigestRun, MailSettings, Mailer};
use serde_json::json;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A mail as the fake server received it.
#[derive(Debug, Clone)]
struct Received {
    to: Vec<String>,
    data: String,
}

/// A minimal SMTP server on loopback that keeps what it receives, or refuses every message
/// with a temporary failure (451) when `refuse`.
async fn fake_smtp(refuse: bool) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let kept = inbox.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 fake ESMTP\r\n").await;
                let mut to = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 fake\r\n",
                        "MAIL" => b"250 OK\r\n",
                        "RCPT" => {
                            to.push(line[8..].trim().to_string());
                            b"250 OK\r\n"
                        }
                        "DATA" if refuse => b"451 try again later\r\n",
                        "DATA" => {
                            let _ = write.write_all(b"354 go on\r\n").await;
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(&l);
                                data.push('\n');
                            }
                            kept.lock().unwrap().push(Received {
                                to: std::mem::take(&mut to),
                                data,
                            });
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        }
                        _ => b"250 OK\r\n",
                    };
                    let _ = write.write_all(reply).await;
                }
            });
        }
    });
    (url, inbox)
}

fn mailer(smtp_url: &str) -> Mailer {
    Mailer::new(
        &MailSettings {
            smtp_url: smtp_url.to_string(),
            from: "Karuna <karuna@pmj.example.go.th>".into(),
            public_url: "https://karuna.example.go.th/".into(),
            digest_hour: 0,
        },
        Arc::new(Catalog::load().unwrap()),
    )
    .unwrap()
}

/// The text of a received mail's body (lettre encodes Thai text as base64).
fn body_of(mail: &Received) -> String {
    let (headers, body) = mail.data.split_once("\n\n").expect("headers and body");
    assert!(
        headers.contains("Content-Transfer-Encoding: base64"),
        "{headers}"
    );
    let compact: String = body.split_whitespace().collect();
    String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(compact)
            .unwrap(),
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_digest_goes_once_a_day_with_first_names_and_case_numbers_only() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let psy = server.token("demo-psychologist").await;

    // Bad settings are refused field by field; nothing changes.
    for (body, code) in [
        (
            json!({"email": "Malee <malee@x.go.th>", "daily_digest": false}),
            "email.invalid",
        ),
        (
            json!({"email": "malee@localhost", "daily_digest": false}),
            "email.invalid",
        ),
        (
            json!({"email": null, "daily_digest": true}),
            "email.required_for_digest",
        ),
        (
            json!({"email": format!("{}@x.go.th", "a".repeat(300)), "daily_digest": true}),
            "too_long",
        ),
    ] {
        let (status, p) = put(&server, &psy, "/api/v1/me/email", body).await;
        assert_eq!(status, 422, "{p}");
        assert_eq!(
            field_codes(&p),
            vec![("email".to_string(), code.to_string())]
        );
    }
    let (status, p) = put(
        &server,
        &psy,
        "/api/v1/me/email",
        json!({"email": "x@y.z", "daily_digest": true, "cc": "a@b.c"}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    let (_, settings) = get(&server, &psy, "/api/v1/me/email").await;
    assert_eq!(
        settings,
        json!({"email": null, "daily_digest": false, "mail_enabled": false})
    );
    let (status, settings) = put(
        &server,
        &psy,
        "/api/v1/me/email",
        json!({"email": " psy@pmj.example.go.th ", "daily_digest": true}),
    )
    .await;
    assert_eq!(status, 200, "{settings}");
    assert_eq!(settings["email"], "psy@pmj.example.go.th");
    assert_eq!(server.audit_count("account.email", "success").await, 1);

    // Work for the psychologist: a task assigned on a case by the manager (มาลี ศรีสุข).
    let case = server.open_case(&manager, &intake("ทองใบ")).await;
    let psychologist = server.user_id("demo-psychologist").await.to_string();
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/team"),
        json!({"account_id": psychologist}),
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/tasks"),
        json!({"title": "ประเมินสภาพจิตใจ", "assignee_id": psychologist, "due": due_in(5)}),
    )
    .await;
    assert_eq!(status, 201);
    let (_, file) = get(&server, &manager, &format!("/api/v1/cases/{case}")).await;
    let number = file["number"].as_str().unwrap().to_string();

    // A server that refuses: the digest is given up and tried again later.
    let (refusing, refused) = fake_smtp(true).await;
    let run = mailer(&refusing)
        .send_digests(&server.app, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(run, DigestRun { sent: 0, failed: 1 });
    assert!(refused.lock().unwrap().is_empty());

    // Two servers at once: one mail.
    let (url, received) = fake_smtp(false).await;
    let (a, b) = (mailer(&url), mailer(&url));
    let now = chrono::Utc::now();
    let (ra, rb) = tokio::join!(
        a.send_digests(&server.app, now),
        b.send_digests(&server.app, now)
    );
    assert_eq!(ra.unwrap().sent + rb.unwrap().sent, 1);
    let mails = received.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, vec!["<psy@pmj.example.go.th>".to_string()]);
    let text = body_of(&mails[0]);
    assert!(text.contains(&number), "{text}");
    assert!(text.contains("มาลี"), "the assigner's first name: {text}");
    assert!(!text.contains("ศรีสุข"), "no last names: {text}");
    assert!(!text.contains("ทองใบ"), "no client names: {text}");
    assert!(!text.contains("ประเมินสภาพจิตใจ"), "no task titles: {text}");
    assert!(
        text.contains("https://karuna.example.go.th/inbox"),
        "{text}"
    );
    assert!(
        mails[0].data.contains("Subject: =?utf-8?"),
        "{}",
        mails[0].data
    );
    assert_eq!(
        server.audit_count("notification.digest", "success").await,
        1
    );

    // Later the same day: nothing twice.
    let again = a.send_digests(&server.app, now).await.unwrap();
    assert_eq!(again, DigestRun::default());
    assert_eq!(received.lock().unwrap().len(), 1);

    // Turned off: no candidates at all (the opt-in is the account's own).
    let (status, _) = put(
        &server,
        &psy,
        "/api/v1/me/email",
        json!({"email": "psy@pmj.example.go.th", "daily_digest": false}),
    )
    .await;
    assert_eq!(status, 200);
    let tomorrow = now + chrono::Duration::days(1);
    assert_eq!(
        a.send_digests(&server.app, tomorrow).await.unwrap(),
        DigestRun::default()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_profile_page_sets_the_address_with_field_errors_in_thai() {
    let server = TestServer::demo().await;
    let (web, _) = server.login("demo-manager").await;
    let page = web
        .get(server.url("/profile"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("การแจ้งเตือนทางอีเมล"), "{page}");
    assert!(
        page.contains("id=\"mail-off\""),
        "SMTP is not configured here"
    );
    assert!(
        page.contains("<title>ข้อมูลของฉัน · "),
        "the title holds the title only"
    );
    let csrf = csrf_of(&page).unwrap();
    let resp = web
        .post(server.url("/profile/email"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "not-an-address"),
            ("daily_digest", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("อีเมลไม่ถูกต้อง"), "{html}");
    assert!(
        html.contains("value=\"not-an-address\""),
        "what was typed stays"
    );
    let resp = web
        .post(server.url("/profile/email"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "manager@pmj.example.go.th"),
            ("daily_digest", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(common::location(&resp), "/profile?saved=email");
    let html = web
        .get(server.url("/profile?saved=email"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("บันทึกการตั้งค่าอีเมลแล้ว"));
    assert!(html.contains("value=\"manager@pmj.example.go.th\""));
    assert!(html.contains("id=\"daily_digest\" value=\"on\" checked"));
}
