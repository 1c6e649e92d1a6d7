//! One's own sessions (issue 23 item 7) on SQLite and PostgreSQL: a worker signed in on two
//! browsers sees both, with the browser and system in words and this one marked; she signs
//! the other out (it is sent to the login page), then signs out everywhere else; the API lists
//! and signs out the same way; every sign-out is audited.

use crate::common::{csrf_of, TestServer};
use crate::tasks::get;

const CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";

/// A browser with its own cookies and User-Agent, signed in as demo-manager; its CSRF token.
async fn browser(server: &TestServer, ua: &str) -> (reqwest::Client, String) {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(ua)
        .build()
        .unwrap();
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
            ("username", "demo-manager"),
            ("password", crate::common::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let home = c
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    (c.clone(), csrf_of(&home).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_sees_her_sessions_and_signs_them_out() {
    let server = TestServer::demo().await;
    let (office, office_csrf) = browser(&server, CHROME).await;
    let (phone, _) = browser(&server, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1").await;

    let html = office
        .get(server.url("/profile"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Chrome 142 · Linux"), "{html}");
    assert!(html.contains("Safari 17 · iPhone"), "{html}");
    assert!(html.contains("id=\"session-current\""));
    let handle = html
        .split("/profile/sessions/")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("the other session's sign-out form")
        .to_string();
    assert_eq!(handle.len(), 16);

    // The phone is signed out from the office: its next page is the login page.
    let resp = office
        .post(server.url(&format!("/profile/sessions/{handle}/sign-out")))
        .form(&[("csrf", office_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let resp = phone.get(server.url("/")).send().await.unwrap();
    assert_eq!(resp.headers()["location"], "/login");
    // Signing it out again, or a session that is not hers: not found.
    let resp = office
        .post(server.url(&format!("/profile/sessions/{handle}/sign-out")))
        .form(&[("csrf", office_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);

    // The API: two more sessions, then everywhere else from the office.
    let token = server.token("demo-manager").await;
    browser(&server, CHROME).await;
    let (third, _) = browser(&server, CHROME).await;
    let (status, list) = get(&server, &token, "/api/v1/me/sessions").await;
    assert_eq!(status, 200);
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 3, "{list:?}");
    assert!(
        list.iter().all(|s| s["current"] == false),
        "a token is no session"
    );
    let resp = office
        .post(server.url("/profile/sessions/sign-out-others"))
        .form(&[("csrf", office_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let resp = third.get(server.url("/")).send().await.unwrap();
    assert_eq!(resp.headers()["location"], "/login");
    let (_, list) = get(&server, &token, "/api/v1/me/sessions").await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(
        office.get(server.url("/")).send().await.unwrap().status(),
        200
    );

    // From a token, every session goes; the token stays.
    let resp = server
        .client()
        .post(server.url("/api/v1/me/sessions/sign-out-others"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.json::<serde_json::Value>().await.unwrap()["signed_out"],
        1
    );
    assert_eq!(
        office.get(server.url("/")).send().await.unwrap().status(),
        303
    );
    let (status, list) = get(&server, &token, "/api/v1/me/sessions").await;
    assert_eq!((status, list.as_array().map(Vec::len)), (200, Some(0)));
    let resp = server
        .client()
        .post(server.url("/api/v1/me/sessions/0123456789abcdef/sign-out"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);

    assert_eq!(
        server.audit_count("auth.sign_out_session", "success").await,
        1
    );
    assert_eq!(
        server
            .audit_count("auth.sign_out_everywhere", "success")
            .await,
        2
    );
}
