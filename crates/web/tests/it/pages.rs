//! The server-rendered shell: every page in Thai and English with no untranslated key, the
//! user's calendar, forms that re-render with field messages, the audit viewer.

use crate::common;

use common::{csrf_of, TestServer};

/// Text of a page with the markup removed.
fn text_of(html: &str) -> String {
    let re = regex_lite::Regex::new(r"<[^>]*>").unwrap();
    re.replace_all(html, " ").to_string()
}

/// A catalogue key left in the text means a missing translation (`<code>` is left out: it
/// shows identifiers such as the API's `/api/v1/audit-events`).
fn assert_translated(path: &str, html: &str) {
    let code = regex_lite::Regex::new(r"<code>[^<]*</code>").unwrap();
    let html = &code.replace_all(html, " ").to_string();
    let re = regex_lite::Regex::new(
        r"\b(app|nav|lang|login|home|role|profession|profile|users|audit|problem|error|era|api-docs|choose|table|date|skip|footer)-[a-z0-9-]+\b",
    )
    .unwrap();
    let text = text_of(html);
    if let Some(m) = re.find(&text) {
        panic!("{path}: untranslated key `{}`", m.as_str());
    }
}

async fn get_ok(c: &reqwest::Client, server: &TestServer, path: &str) -> String {
    let resp = c.get(server.url(path)).send().await.unwrap();
    assert_eq!(resp.status(), 200, "{path}");
    resp.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_in_both_languages() {
    let server = TestServer::demo().await;
    let pages: &[(&str, &[&str])] = &[
        (
            "demo-admin",
            &[
                "/",
                "/profile",
                "/admin/users",
                "/admin/users/new",
                "/admin/case-types",
                "/admin/case-types/new",
                "/admin/case-types/child_protection",
                "/api/docs",
            ],
        ),
        (
            "demo-auditor",
            &["/", "/profile", "/audit", "/audit?outcome=denied"],
        ),
        ("demo-manager", &["/", "/profile"]),
        ("demo-psychologist", &["/", "/profile"]),
        ("demo-analyst", &["/"]),
        ("demo-supervisor", &["/"]),
    ];
    let anon = server.client();
    let login_th = get_ok(&anon, &server, "/login").await;
    assert!(login_th.contains("<html lang=\"th\">"));
    assert!(login_th.contains("เข้าสู่ระบบ"));
    assert_translated("/login", &login_th);
    // Pages stay Thai whatever the browser's Accept-Language says, until English is picked.
    let with_header = anon
        .get(server.url("/login"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert!(with_header
        .text()
        .await
        .unwrap()
        .contains("<html lang=\"th\">"));
    let login_en = reqwest::Client::new()
        .get(server.url("/login"))
        .header("cookie", "karuna_lang=en")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(login_en.contains("<html lang=\"en\">") && login_en.contains("Log in"));
    assert_translated("/login en", &login_en);

    for (user, paths) in pages {
        let (c, csrf) = server.login(user).await;
        let admin_target = server.user_id("demo-manager").await;
        for lang in ["th", "en"] {
            let resp = c
                .post(server.url("/language"))
                .form(&[("csrf", csrf.as_str()), ("lang", lang), ("next", "/")])
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 303);
            let mut all: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
            if *user == "demo-admin" {
                all.push(format!("/admin/users/{admin_target}"));
            }
            for path in &all {
                let html = get_ok(&c, &server, path).await;
                assert!(
                    html.contains(&format!("<html lang=\"{lang}\">")),
                    "{path} in {lang}"
                );
                assert_translated(path, &html);
                // Tables scroll inside a focusable, labelled region (keyboard users).
                if html.contains("class=\"table-wrap\"") {
                    assert!(html.contains(
                        "class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label="
                    ));
                }
            }
        }
    }
    let missing = get_ok(&anon, &server, "/login").await;
    assert_translated("/login", &missing);
    let not_found = anon.get(server.url("/no/such/page")).send().await.unwrap();
    assert_eq!(not_found.status(), 404);
    let body = not_found.text().await.unwrap();
    assert!(body.contains("ไม่พบหน้าที่ต้องการ"));
    assert_translated("404", &body);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dates_follow_the_users_calendar() {
    let server = TestServer::demo().await;
    let (c, csrf) = server.login("demo-auditor").await;
    let year_ce = chrono::Utc::now().format("%Y").to_string();
    let year_be = (year_ce.parse::<i32>().unwrap() + 543).to_string();
    let be = get_ok(&c, &server, "/audit").await;
    assert!(be.contains(&year_be), "Buddhist-era year shown by default");
    let resp = c
        .post(server.url("/profile/preferences"))
        .form(&[("csrf", csrf.as_str()), ("lang", "en"), ("era", "ce")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let ce = get_ok(&c, &server, "/audit").await;
    assert!(
        ce.contains(&year_ce)
            && !regex_lite::Regex::new(&format!(r"{year_be} \d\d:\d\d"))
                .unwrap()
                .is_match(&text_of(&ce)),
        "Common-era year after the switch"
    );
    assert!(ce.contains("Audit log"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_auditor_filters_the_log() {
    let server = TestServer::demo().await;
    server.login("demo-manager").await;
    let _ = server.login_with("demo-analyst", "wrong-password!").await;
    let (c, _) = server.login("demo-auditor").await;
    let html = get_ok(&c, &server, "/audit?actor=demo-manager&action=auth.login").await;
    assert!(html.contains("demo-manager"));
    assert!(!html.contains("<code>demo-analyst</code>"));
    let failed = get_ok(&c, &server, "/audit?outcome=failure").await;
    assert!(failed.contains("title=\"auth.login\""));
    assert!(!failed.contains("<code>demo-manager</code>"));
    // A date in Buddhist era works; a bad one is named beside its field.
    let year_be = chrono::Utc::now()
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap()
        + 543;
    let ok = get_ok(&c, &server, &format!("/audit?from=01/01/{year_be}")).await;
    assert!(ok.contains("title=\"auth.login\""));
    let bad = c
        .get(server.url("/audit?from=31/02/2569"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let bad = bad.text().await.unwrap();
    assert!(bad.contains("id=\"from-error\""));
    // Reading the log is itself audited.
    assert!(server.audit_count("audit.read", "success").await >= 3);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_creates_an_account_through_the_form() {
    let server = TestServer::demo().await;
    let (c, csrf) = server.login("demo-admin").await;
    let form = get_ok(&c, &server, "/admin/users/new").await;
    assert!(csrf_of(&form).is_some());
    // Bad input: the form comes back with the user's values and a message per field.
    let resp = c
        .post(server.url("/admin/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "x"),
            ("display_name", "นิดา"),
            ("role", "team_member"),
            ("profession", ""),
            ("unit_id", ""),
            ("password", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"username-error\""));
    assert!(html.contains("id=\"profession-error\""));
    assert!(html.contains("value=\"นิดา\""), "values are kept");
    // Good input: created, password shown once.
    let resp = c
        .post(server.url("/admin/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "nida.k"),
            ("display_name", "นิดา แก้วกล้า"),
            ("role", "team_member"),
            ("profession", "nurse"),
            ("unit_id", ""),
            ("password", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"generated-password\""));
    let list = get_ok(&c, &server, "/admin/users").await;
    assert!(list.contains("nida.k") && list.contains("นิดา แก้วกล้า"));
    assert_eq!(server.audit_count("account.create", "success").await, 7);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_favicon_is_linked_and_served_under_the_csp() {
    let server = TestServer::demo().await;
    let c = server.client();
    let login = get_ok(&c, &server, "/login").await;
    assert!(login.contains("<link rel=\"icon\" href=\"/static/favicon.svg\""));
    for path in ["/static/favicon.svg", "/favicon.ico"] {
        let resp = c.get(server.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        let headers = resp.headers();
        assert_eq!(headers["content-type"], "image/svg+xml", "{path}");
        assert!(headers.contains_key("content-security-policy"), "{path}");
        assert!(resp.text().await.unwrap().starts_with("<svg"), "{path}");
    }
}

/// RFC 9116: the deployment's security contact, without signing in, with an expiry under a
/// year away and the security headers of every response.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_txt_names_the_contact_and_expires_within_a_year() {
    let server = TestServer::demo().await;
    let resp = server
        .client()
        .get(server.url("/.well-known/security.txt"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "text/plain; charset=utf-8");
    assert!(resp.headers().contains_key("x-content-type-options"));
    let body = resp.text().await.unwrap();
    assert!(
        body.starts_with("Contact: mailto:security@example.go.th\n"),
        "{body}"
    );
    let expires = body
        .lines()
        .find_map(|l| l.strip_prefix("Expires: "))
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .expect("an RFC 3339 expiry");
    let days = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_days();
    assert!((1..365).contains(&days), "{days}");
    assert!(body.contains("Preferred-Languages: th, en\n"));
}
