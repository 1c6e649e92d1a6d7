//! Accounts and sessions over real HTTP: login, logout, restart, lockout, idle timeout, CSRF,
//! cookie flags, demo mode, bearer tokens, password change.

use crate::common;

use common::{csrf_of, temp_dir, TestServer};
use karuna_app::{Ctx, Settings};
use karuna_web::WebSettings;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_survives_a_restart_and_logout_revokes() {
    let server = TestServer::demo().await;
    let (client, csrf) = server.login("demo-manager").await;
    let home = client.get(server.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 200);
    assert!(home.text().await.unwrap().contains("มาลี ศรีสุข"));
    assert_eq!(server.audit_count("auth.login", "success").await, 1);

    // Restart over the same database: the session is still valid.
    let (url, dir) = server.stop().await;
    let server = TestServer::start_on(
        url,
        dir,
        true,
        Settings {
            demo: true,
            ..Settings::default()
        },
    )
    .await;
    let home = client.get(server.url("/")).send().await.unwrap();
    assert_eq!(home.status(), 200, "the session survives a restart");

    // Logout ends it for good, even if the old cookie is replayed.
    let jar_cookie = client.get(server.url("/")).send().await.unwrap();
    assert_eq!(jar_cookie.status(), 200);
    let out = client
        .post(server.url("/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(out.headers()["location"], "/login");
    let after = client.get(server.url("/")).send().await.unwrap();
    assert_eq!(after.status(), 303);
    assert_eq!(server.audit_count("auth.logout", "success").await, 1);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_session_cookie_is_refused_after_logout() {
    let server = TestServer::demo().await;
    let (client, csrf) = server.login("demo-supervisor").await;
    // Capture the raw cookie value by asking the API who we are with it.
    let me = client.get(server.url("/api/v1/me")).send().await.unwrap();
    assert_eq!(me.status(), 200);
    let session_cookie = {
        let c = server.client();
        let html = c
            .get(server.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let pre = csrf_of(&html).unwrap();
        let resp = c
            .post(server.url("/login"))
            .form(&[
                ("csrf", pre.as_str()),
                ("username", "demo-supervisor"),
                ("password", common::DEMO_PASSWORD),
            ])
            .send()
            .await
            .unwrap();
        let set = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_string())
            .find(|v| v.starts_with("karuna_session="))
            .expect("session cookie");
        assert!(set.contains("HttpOnly"), "{set}");
        assert!(set.contains("SameSite=Lax"), "{set}");
        assert!(set.contains("Path=/"), "{set}");
        let home = c
            .get(server.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf2 = csrf_of(&home).unwrap();
        let value = set.split(';').next().unwrap().to_string();
        c.post(server.url("/logout"))
            .form(&[("csrf", csrf2.as_str())])
            .send()
            .await
            .unwrap();
        value
    };
    let raw = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let replay = raw
        .get(server.url("/api/v1/me"))
        .header("cookie", &session_cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401);
    // The first session is untouched by the second one's logout.
    assert_eq!(
        client.get(server.url("/")).send().await.unwrap().status(),
        200
    );
    let _ = csrf;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_passwords_lock_the_account_with_back_off() {
    let server = TestServer::demo().await;
    for _ in 0..4 {
        let err = server
            .login_with("demo-analyst", "wrong-password!")
            .await
            .err();
        assert_eq!(err, Some(401));
    }
    // The fifth failure locks the account and says so.
    assert_eq!(
        server
            .login_with("demo-analyst", "wrong-password!")
            .await
            .err(),
        Some(429)
    );
    // Locked now, even with the right password.
    let c = server.client();
    let html = c
        .get(server.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let pre = csrf_of(&html).unwrap();
    let resp = c
        .post(server.url("/login"))
        .form(&[
            ("csrf", pre.as_str()),
            ("username", "demo-analyst"),
            ("password", common::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    let body = resp.text().await.unwrap();
    assert!(
        body.contains("ใส่รหัสผ่านผิดหลายครั้ง"),
        "the lockout is explained"
    );
    assert_eq!(server.audit_count("auth.login", "failure").await, 5);
    assert_eq!(
        server.audit_count("auth.login", "denied").await,
        1,
        "a login while locked is a denial"
    );
    // An unknown user fails the same way (no user enumeration) and is audited.
    assert_eq!(
        server
            .login_with("nobody-here", "whatever-password")
            .await
            .err(),
        Some(401)
    );
    assert_eq!(server.audit_count("auth.login", "failure").await, 6);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sessions_end() {
    let dir = temp_dir();
    let url = common::fresh_database_url(&dir).await;
    let settings = Settings {
        demo: true,
        idle_timeout: Duration::from_secs(1),
        ..Settings::default()
    };
    let server = TestServer::start_on(url, dir, true, settings).await;
    let (client, _) = server.login("demo-manager").await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let resp = client.get(server.url("/")).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(resp.headers()["location"], "/login");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_changing_requests_need_the_csrf_token() {
    let server = TestServer::demo().await;
    let (client, csrf) = server.login("demo-manager").await;
    // A form without or with a wrong token.
    for token in ["", "not-the-token"] {
        let resp = client
            .post(server.url("/profile/preferences"))
            .form(&[("csrf", token), ("lang", "en"), ("era", "ce")])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 403);
    }
    // The login form too.
    let resp = server
        .client()
        .post(server.url("/login"))
        .form(&[("username", "demo-manager"), ("password", "karuna-demo")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    // Cookie-authenticated API writes need the X-CSRF-Token header.
    let body = serde_json::json!({"lang": "en", "era": "ce"});
    let resp = client
        .put(server.url("/api/v1/me/preferences"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(resp.headers()["content-type"], "application/problem+json");
    let resp = client
        .put(server.url("/api/v1/me/preferences"))
        .header("x-csrf-token", &csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    // With the token the form works and the page follows the new preferences.
    let resp = client
        .post(server.url("/profile/preferences"))
        .form(&[("csrf", csrf.as_str()), ("lang", "th"), ("era", "be")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secure_flag_is_set_off_localhost() {
    let dir = temp_dir();
    let url = common::fresh_database_url(&dir).await;
    let server = TestServer::start_full(
        url,
        dir,
        true,
        Settings {
            demo: true,
            ..Settings::default()
        },
        WebSettings {
            secure_cookies: true,
            demo: true,
            mail_enabled: false,
            security_contact: None,
        },
    )
    .await;
    let resp = server
        .client()
        .get(server.url("/login"))
        .send()
        .await
        .unwrap();
    let set = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set.contains("Secure"), "{set}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_accounts_exist_only_in_demo_mode() {
    let server = TestServer::demo().await;
    let page = server
        .client()
        .get(server.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for name in [
        "demo-admin",
        "demo-supervisor",
        "demo-manager",
        "demo-psychologist",
        "demo-analyst",
        "demo-auditor",
    ] {
        assert!(page.contains(name), "{name} listed in demo mode");
    }
    let (url, dir) = server.stop().await;
    let server = TestServer::start_on(url, dir, false, Settings::default()).await;
    let page = server
        .client()
        .get(server.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("demo-admin"), "not listed outside demo mode");
    assert_eq!(
        server
            .login_with("demo-admin", common::DEMO_PASSWORD)
            .await
            .err(),
        Some(401)
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bearer_tokens_work_until_revoked() {
    let server = TestServer::demo().await;
    let ctx = Ctx::default();
    let (id, token) = server
        .app
        .issue_token(None, &ctx, "demo-auditor", "test")
        .await
        .unwrap();
    let c = server.client();
    let me = c
        .get(server.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let me: serde_json::Value = me.json().await.unwrap();
    assert_eq!(me["username"], "demo-auditor");
    // Tokens need no CSRF header: they are not sent automatically by browsers.
    let ok = c
        .get(server.url("/api/v1/audit/verify"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    // Only the hash is stored.
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM api_token WHERE token_hash = $1")
        .bind(&token)
        .fetch_one(server.app.db.read())
        .await
        .unwrap();
    assert_eq!(stored, 0);
    server
        .app
        .revoke_token(None, &ctx, "demo-auditor", id)
        .await
        .unwrap();
    let me = c
        .get(server.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401);
    assert_eq!(me.headers()["www-authenticate"], "Bearer");
    let bad = c
        .get(server.url("/api/v1/me"))
        .bearer_auth("made-up")
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changing_the_password_ends_other_sessions() {
    let server = TestServer::demo().await;
    let (a, csrf_a) = server.login("demo-psychologist").await;
    let (b, _) = server.login("demo-psychologist").await;
    // Too short, mismatched: field messages, nothing changed.
    let resp = a
        .post(server.url("/profile/password"))
        .form(&[
            ("csrf", csrf_a.as_str()),
            ("current_password", "karuna-demo"),
            ("new_password", "short"),
            ("confirm_password", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("รหัสผ่านต้องยาวอย่างน้อย 10 ตัวอักษร"));
    let resp = a
        .post(server.url("/profile/password"))
        .form(&[
            ("csrf", csrf_a.as_str()),
            ("current_password", "karuna-demo"),
            ("new_password", "a much longer pass phrase"),
            ("confirm_password", "a much longer pass phrase"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        a.get(server.url("/")).send().await.unwrap().status(),
        200,
        "the changer stays signed in"
    );
    assert_eq!(
        b.get(server.url("/")).send().await.unwrap().status(),
        303,
        "other sessions end"
    );
    assert!(server
        .login_with("demo-psychologist", "a much longer pass phrase")
        .await
        .is_ok());
    server.stop().await;
}
