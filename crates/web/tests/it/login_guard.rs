//! Logins under attack: parallel wrong guesses, account discovery through the lockout, the
//! throttles per address and per name, and the bound on password-hashing work.

use crate::common;

use common::{csrf_of, TestServer};
use karuna_app::login_guard::{LoginLimits, Quota};
use karuna_app::Settings;
use karuna_domain::account::LOCKOUT_THRESHOLD;
use std::num::NonZeroU32;

/// One login attempt from a fresh client; the status and the page's error message.
async fn attempt(server: &TestServer, username: &str, password: &str) -> (u16, String) {
    let c = server.client();
    let html = c
        .get(server.url("/login"))
        .send()
        .await
        .expect("GET /login")
        .text()
        .await
        .expect("body");
    let pre = csrf_of(&html).expect("csrf");
    let resp = c
        .post(server.url("/login"))
        .form(&[
            ("csrf", pre.as_str()),
            ("username", username),
            ("password", password),
        ])
        .send()
        .await
        .expect("POST /login");
    let status = resp.status().as_u16();
    let body = resp.text().await.expect("body");
    (status, form_error(&body))
}

/// The text of the login form's error banner (`id="form-error"`), if any.
fn form_error(html: &str) -> String {
    let Some(at) = html.find("role=\"alert\"") else {
        return String::new();
    };
    let rest = &html[at..];
    let end = rest.find("</").unwrap_or(rest.len());
    rest[..end].to_string()
}

async fn failed_logins(server: &TestServer, username: &str) -> i64 {
    karuna_store::account::account_by_username(&server.app.db, username)
        .await
        .expect("query")
        .expect("account")
        .failed_logins
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_passwords_are_all_counted() {
    let server = TestServer::demo().await;
    let n = LOCKOUT_THRESHOLD as usize;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..n {
        let c = server.client();
        let base = server.base.clone();
        tasks.spawn(async move {
            let html = c
                .get(format!("{base}/login"))
                .send()
                .await
                .expect("GET")
                .text()
                .await
                .expect("body");
            let pre = csrf_of(&html).expect("csrf");
            c.post(format!("{base}/login"))
                .form(&[
                    ("csrf", pre.as_str()),
                    ("username", "demo-analyst"),
                    ("password", "wrong-password!"),
                ])
                .send()
                .await
                .expect("POST")
                .status()
                .as_u16()
        });
    }
    let mut statuses = Vec::new();
    while let Some(s) = tasks.join_next().await {
        statuses.push(s.expect("task"));
    }
    statuses.sort();
    // Every guess was checked and counted: none overwrote another's count.
    assert_eq!(failed_logins(&server, "demo-analyst").await, n as i64);
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), n - 1);
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 1);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lockout_answers_alike_for_accounts_and_unknown_names() {
    let server = TestServer::demo().await;
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..LOCKOUT_THRESHOLD + 2 {
        known.push(attempt(&server, "demo-analyst", "wrong-password!").await);
        unknown.push(attempt(&server, "no-such-person", "wrong-password!").await);
    }
    let statuses = |v: &[(u16, String)]| v.iter().map(|(s, _)| *s).collect::<Vec<_>>();
    assert_eq!(statuses(&known), statuses(&unknown));
    assert_eq!(
        statuses(&known),
        [401, 401, 401, 401, 429, 429, 429],
        "locked from the fifth failure on"
    );
    // The same message, word for word (digits masked: the two locks may end a minute apart).
    let masked = |t: &str| t.replace(|c: char| c.is_ascii_digit(), "#");
    for (k, u) in known.iter().zip(&unknown) {
        assert_eq!(masked(&k.1), masked(&u.1));
    }
    server.stop().await;
}

async fn server_with(limits: LoginLimits) -> TestServer {
    let dir = common::temp_dir();
    let url = common::fresh_database_url(&dir).await;
    let settings = Settings {
        demo: true,
        login: limits,
        ..Settings::default()
    };
    TestServer::start_on(url, dir, true, settings).await
}

fn per_hour(n: u32) -> Quota {
    Quota::per_hour(NonZeroU32::new(n).expect("non-zero"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_is_throttled_after_its_burst() {
    let server = server_with(LoginLimits {
        per_address: per_hour(3),
        ..LoginLimits::default()
    })
    .await;
    let mut statuses = Vec::new();
    for i in 0..5 {
        statuses.push(
            attempt(&server, &format!("guess-{i}"), "wrong-password!")
                .await
                .0,
        );
    }
    assert_eq!(statuses, [401, 401, 401, 429, 429]);
    // Even the right password waits: nothing is looked up or hashed while throttled.
    assert!(
        attempt(&server, "demo-manager", common::DEMO_PASSWORD)
            .await
            .0
            == 429
    );
    assert_eq!(server.audit_count("auth.login", "failure").await, 3);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_is_throttled_after_its_burst_and_says_when_to_retry() {
    let server = server_with(LoginLimits {
        per_name: per_hour(2),
        ..LoginLimits::default()
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(attempt(&server, "demo-analyst", "wrong-password!").await.0);
    }
    assert_eq!(statuses, [401, 401, 429]);
    // Another name from the same address is not affected.
    assert_eq!(
        attempt(&server, "demo-manager", "wrong-password!").await.0,
        401
    );
    // The refusal carries Retry-After (whole seconds).
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
            ("password", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    let secs: u64 = resp.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(secs >= 1);
    assert_eq!(failed_logins(&server, "demo-analyst").await, 2);
    server.stop().await;
}
