//! Credentials end when they should: a password change revokes every session and API token
//! of the account (the changer's page session is replaced by a fresh one), deactivation
//! revokes them, and reactivation revives none.

use crate::common;

use common::TestServer;
use serde_json::{json, Value};

async fn me_status(server: &TestServer, token: &str) -> u16 {
    server
        .client()
        .get(server.url("/api/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .expect("GET /api/v1/me")
        .status()
        .as_u16()
}

async fn home_status(server: &TestServer, c: &reqwest::Client) -> u16 {
    c.get(server.url("/"))
        .send()
        .await
        .expect("GET /")
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_on_the_profile_page_revokes_api_tokens() {
    let server = TestServer::demo().await;
    let token = server.token("demo-psychologist").await;
    assert_eq!(me_status(&server, &token).await, 200);
    let (a, csrf) = server.login("demo-psychologist").await;
    let resp = a
        .post(server.url("/profile/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current_password", common::DEMO_PASSWORD),
            ("new_password", "a much longer pass phrase"),
            ("confirm_password", "a much longer pass phrase"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        me_status(&server, &token).await,
        401,
        "the token is revoked"
    );
    assert_eq!(home_status(&server, &a).await, 200, "the changer stays in");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_change_through_the_api_revokes_the_token_and_sessions() {
    let server = TestServer::demo().await;
    let token = server.token("demo-manager").await;
    let (page, _) = server.login("demo-manager").await;
    let resp = server
        .client()
        .post(server.url("/api/v1/me/password"))
        .bearer_auth(&token)
        .json(&json!({"current_password": common::DEMO_PASSWORD,
                      "new_password": "another long pass phrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    assert_eq!(me_status(&server, &token).await, 401);
    assert_eq!(
        home_status(&server, &page).await,
        303,
        "back to the login page"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivation_revokes_and_reactivation_revives_nothing() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let token = server.token("demo-analyst").await;
    let (page, _) = server.login("demo-analyst").await;
    let id = server.user_id("demo-analyst").await;
    let c = server.client();
    let set_active = |active: bool| {
        let c = c.clone();
        let admin = admin.clone();
        let url = server.url(&format!("/api/v1/users/{id}"));
        async move {
            let user: Value = c
                .get(&url)
                .bearer_auth(&admin)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            let change = json!({"version": user["version"], "display_name": user["display_name"],
                "role": user["role"], "profession": user["profession"], "active": active});
            let resp = c
                .patch(&url)
                .bearer_auth(&admin)
                .json(&change)
                .send()
                .await
                .unwrap();
            assert_eq!(
                resp.status(),
                200,
                "{}",
                resp.text().await.unwrap_or_default()
            );
        }
    };
    set_active(false).await;
    assert_eq!(me_status(&server, &token).await, 401);
    assert_eq!(home_status(&server, &page).await, 303);
    set_active(true).await;
    assert_eq!(
        me_status(&server, &token).await,
        401,
        "the old token stays dead"
    );
    assert_eq!(
        home_status(&server, &page).await,
        303,
        "the old session stays dead"
    );
    // A fresh login works again.
    let (fresh, _) = server.login("demo-analyst").await;
    assert_eq!(home_status(&server, &fresh).await, 200);
    server.stop().await;
}
