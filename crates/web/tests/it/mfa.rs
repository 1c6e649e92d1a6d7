//! Two-step verification (issue 23 item 2) on SQLite and PostgreSQL: an administrator requires
//! it of case managers; a case manager's next login sets it up (QR code and key, first code,
//! recovery codes shown once) before any session exists; later logins ask for a code; a code
//! is good once, a recovery code is good once; a wrong code is refused and counted; five end the
//! step and lock the account; the policy keeps her from turning it off; an administrator's
//! reset ends her sessions and tokens and she sets it up again. Audited throughout.

use crate::common::{csrf_of, TestServer, DEMO_PASSWORD};
use crate::tasks::{get, post, put};
use chrono::Utc;
use serde_json::json;

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Username and password on the login page; the pre-session token and where it sent us.
async fn password_step(
    server: &TestServer,
    c: &reqwest::Client,
    username: &str,
) -> (String, String) {
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
            ("username", username),
            ("password", DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    (pre, crate::common::location(&resp))
}

async fn answer(
    server: &TestServer,
    c: &reqwest::Client,
    pre: &str,
    code: &str,
) -> (u16, String, String) {
    let resp = c
        .post(server.url("/login/verify"))
        .form(&[("csrf", pre), ("code", code)])
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let location = crate::common::location(&resp);
    (status, location, resp.text().await.unwrap())
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).map(|i| i + start.len()).unwrap_or(0);
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

fn recovery_codes(html: &str) -> Vec<String> {
    between(html, "id=\"recovery-codes\"", "</ol>")
        .split("<code>")
        .skip(1)
        .map(|s| s.split("</code>").next().unwrap().to_string())
        .collect()
}

/// A page form with a code, as a signed-in browser sends it.
async fn send_code(
    server: &TestServer,
    c: &reqwest::Client,
    path: &str,
    csrf: &str,
    code: &str,
) -> reqwest::Response {
    c.post(server.url(path))
        .form(&[("csrf", csrf), ("code", code)])
        .send()
        .await
        .unwrap()
}

/// A six-digit code other than `right`.
fn wrong(right: &str) -> String {
    right
        .chars()
        .map(|c| {
            if c == '9' {
                '0'
            } else {
                char::from(c as u8 + 1)
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_required_second_step_is_set_up_used_once_and_reset_by_an_administrator() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager_token = server.token("demo-manager").await;

    // Only administrators set the policy; every account reads it.
    let (status, _) = put(
        &server,
        &manager_token,
        "/api/v1/mfa-policy",
        json!({"roles": ["case_manager"], "version": 0}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = put(
        &server,
        &admin,
        "/api/v1/mfa-policy",
        json!({"roles": ["case_manager", "wizard"], "version": 0}),
    )
    .await;
    assert_eq!(status, 422);
    let (status, _) = put(
        &server,
        &admin,
        "/api/v1/mfa-policy",
        json!({"roles": ["case_manager", "supervisor"], "version": 0}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, policy) = get(&server, &manager_token, "/api/v1/mfa-policy").await;
    assert_eq!(status, 200);
    assert_eq!(policy["roles"], json!(["case_manager", "supervisor"]));
    assert_eq!(policy["version"], 1);
    // A login for scripts refuses an account with a second step.
    assert!(matches!(
        server
            .app
            .login("demo-manager", DEMO_PASSWORD, &karuna_app::Ctx::default())
            .await,
        Err(karuna_app::AppError::Refused("second_step_required"))
    ));

    // The next login sets it up before any session exists.
    let office = browser();
    let (pre, next) = password_step(&server, &office, "demo-manager").await;
    assert_eq!(next, "/login/verify");
    assert_eq!(
        office.get(server.url("/")).send().await.unwrap().headers()["location"],
        "/login",
        "no session before the second step"
    );
    let html = office
        .get(server.url("/login/verify"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<svg"), "a QR code: {html}");
    let secret = between(&html, "id=\"mfa-secret\">", "</code>").replace(' ', "");
    assert_eq!(secret.len(), 32, "{html}");
    let code = karuna_app::mfa::code_at(&secret, Utc::now()).unwrap();
    let (status, _, html) = answer(&server, &office, &pre, &wrong(&code)).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("aria-invalid=\"true\""));
    let (status, _, html) = answer(&server, &office, &pre, &code).await;
    assert_eq!(status, 200, "{html}");
    let codes = recovery_codes(&html);
    assert_eq!(codes.len(), 10, "{html}");
    assert_eq!(
        office.get(server.url("/")).send().await.unwrap().status(),
        200
    );
    let (_, me) = get(&server, &manager_token, "/api/v1/me/mfa").await;
    assert_eq!(me["enrolled"], true);
    assert_eq!(me["required"], true);
    assert_eq!(me["recovery_codes_left"], 10);

    // The same code again at another login: refused (good once); a recovery code: in, once.
    let phone = browser();
    let (pre, _) = password_step(&server, &phone, "demo-manager").await;
    let html = phone
        .get(server.url("/login/verify"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("mfa-secret"), "no set-up the second time");
    let (status, _, _) = answer(&server, &phone, &pre, &code).await;
    assert_eq!(status, 422, "a code is good once");
    let (status, location, _) = answer(&server, &phone, &pre, &codes[0].to_uppercase()).await;
    assert_eq!((status, location.as_str()), (303, "/"));
    let tablet = browser();
    let (pre, _) = password_step(&server, &tablet, "demo-manager").await;
    let (status, _, _) = answer(&server, &tablet, &pre, &codes[0]).await;
    assert_eq!(status, 422, "a recovery code is good once");
    let (_, me) = get(&server, &manager_token, "/api/v1/me/mfa").await;
    assert_eq!(me["recovery_codes_left"], 9);

    // Required of her role: she cannot turn it off.
    let (status, body) = post(
        &server,
        &manager_token,
        "/api/v1/me/mfa/off",
        json!({"code": codes[1]}),
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        body["type"].as_str().unwrap().ends_with("/mfa_required"),
        "{body}"
    );

    // Lost phone and codes: the administrator resets it; her sessions and tokens end.
    let manager_id = server.user_id("demo-manager").await;
    let reset = format!("/api/v1/users/{manager_id}/mfa/reset");
    let (status, _) = post(&server, &manager_token, &reset, json!({})).await;
    assert_eq!(status, 403, "only administrators reset");
    let (status, _) = post(&server, &admin, &reset, json!({})).await;
    assert_eq!(status, 204);
    assert_eq!(
        office.get(server.url("/")).send().await.unwrap().headers()["location"],
        "/login"
    );
    let (status, _) = get(&server, &manager_token, "/api/v1/me/mfa").await;
    assert_eq!(status, 401);
    let (status, _) = post(&server, &admin, &reset, json!({})).await;
    assert_eq!(status, 409, "nothing left to reset");
    // She sets it up again with a new key.
    let again = browser();
    let (_, next) = password_step(&server, &again, "demo-manager").await;
    assert_eq!(next, "/login/verify");
    let html = again
        .get(server.url("/login/verify"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let new_secret = between(&html, "id=\"mfa-secret\">", "</code>").replace(' ', "");
    assert_ne!(new_secret, secret);

    // Five wrong codes end the step and lock the account (a supervisor, set-up required).
    let guess = browser();
    let (pre, _) = password_step(&server, &guess, "demo-supervisor").await;
    guess.get(server.url("/login/verify")).send().await.unwrap();
    for _ in 0..4 {
        let (status, _, _) = answer(&server, &guess, &pre, "000000").await;
        assert_eq!(status, 422);
    }
    let (status, _, _) = answer(&server, &guess, &pre, "000000").await;
    assert_eq!(status, 429, "the fifth wrong code locks the account");
    let (status, location, _) = answer(&server, &guess, &pre, "000000").await;
    assert_eq!((status, location.as_str()), (303, "/login?expired=1"));
    let html = guess
        .get(server.url("/login?expired=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("role=\"alert\""));

    assert_eq!(server.audit_count("mfa.policy", "success").await, 1);
    assert_eq!(server.audit_count("mfa.enrol", "success").await, 1);
    assert_eq!(server.audit_count("mfa.reset", "success").await, 1);
    assert!(server.audit_count("auth.login", "failure").await >= 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_turns_it_on_from_her_profile_and_off_again() {
    let server = TestServer::demo().await;
    let (c, csrf) = server.login("demo-supervisor").await;
    let html = c
        .get(server.url("/profile"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"mfa-setup-link\""), "{html}");
    let html = c
        .get(server.url("/profile/mfa"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let secret = between(&html, "id=\"mfa-secret\">", "</code>").replace(' ', "");
    // A reload shows the same key (the set-up in progress).
    let again = c
        .get(server.url("/profile/mfa"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        between(&again, "id=\"mfa-secret\">", "</code>").replace(' ', ""),
        secret
    );
    let code = karuna_app::mfa::code_at(&secret, Utc::now()).unwrap();
    let resp = send_code(&server, &c, "/profile/mfa", &csrf, wrong(&code).as_str()).await;
    assert_eq!(resp.status(), 422);
    let resp = send_code(&server, &c, "/profile/mfa", &csrf, code.as_str()).await;
    assert_eq!(resp.status(), 200);
    let codes = recovery_codes(&resp.text().await.unwrap());
    assert_eq!(codes.len(), 10);

    // New recovery codes cancel the old ones.
    let resp = send_code(
        &server,
        &c,
        "/profile/mfa/recovery-codes",
        &csrf,
        codes[0].as_str(),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let fresh = recovery_codes(&resp.text().await.unwrap());
    assert_eq!(fresh.len(), 10);
    let resp = send_code(&server, &c, "/profile/mfa/off", &csrf, codes[1].as_str()).await;
    assert_eq!(resp.status(), 422, "an old recovery code no longer works");
    let resp = send_code(&server, &c, "/profile/mfa/off", &csrf, fresh[0].as_str()).await;
    assert_eq!(resp.status(), 303);
    let token = server.token("demo-supervisor").await;
    let (_, me) = get(&server, &token, "/api/v1/me/mfa").await;
    assert_eq!(me["enrolled"], false);
    // Logins are back to the password alone.
    server.login("demo-supervisor").await;

    // The same over the API.
    let (status, body) = post(&server, &token, "/api/v1/me/mfa/setup", json!({})).await;
    assert_eq!(status, 200);
    let setup = body;
    assert!(setup["otpauth_uri"]
        .as_str()
        .unwrap()
        .starts_with("otpauth://totp/Karuna:demo-supervisor?"));
    let secret = setup["secret"].as_str().unwrap().replace(' ', "");
    let code = karuna_app::mfa::code_at(&secret, Utc::now()).unwrap();
    let (status, body) = post(
        &server,
        &token,
        "/api/v1/me/mfa/setup/confirm",
        json!({"code": code}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["recovery_codes"].as_array().unwrap().len(), 10);
    let (status, _) = post(&server, &token, "/api/v1/me/mfa/setup", json!({})).await;
    assert_eq!(status, 409, "set up already");
    assert_eq!(server.audit_count("mfa.enrol", "success").await, 2);
    assert_eq!(server.audit_count("mfa.recovery_codes", "success").await, 1);
    assert_eq!(server.audit_count("mfa.disable", "success").await, 1);
    assert_eq!(server.audit_count("mfa.code", "failure").await, 1);
}
