//! New passwords: common ones (and their decorations) and the published demo password are
//! refused with a field message in the user's language.

use crate::common;

use common::TestServer;
use karuna_app::account::NewUserInput;
use karuna_app::{Ctx, Settings};
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_cannot_give_a_common_password() {
    let server = TestServer::demo().await;
    let token = server.token("demo-admin").await;
    for (weak, lang, message) in [
        ("Password1!", "en", "This password is too easy to guess"),
        ("Qwerty123456", "th", "รหัสผ่านนี้คาดเดาง่ายเกินไป"),
    ] {
        let resp = server
            .client()
            .post(server.url("/api/v1/users"))
            .bearer_auth(&token)
            .header("accept-language", lang)
            .json(&json!({"username": "new.worker", "display_name": "ผู้ใช้ใหม่",
                          "role": "case_manager", "password": weak}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 422, "{weak}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["errors"][0]["field"], "password");
        assert_eq!(body["errors"][0]["code"], "password.too_common");
        assert_eq!(body["errors"][0]["message"], message);
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_password_is_refused_outside_demo_mode() {
    let dir = common::temp_dir();
    let url = common::fresh_database_url(&dir).await;
    let server = TestServer::start_on(url, dir, false, Settings::default()).await;
    let ctx = Ctx::default();
    let (org, _) = server
        .app
        .bootstrap_org(&ctx, "Agency", None)
        .await
        .unwrap();
    let input = |password: &str| NewUserInput {
        username: "somsri".into(),
        display_name: "สมศรี".into(),
        role: "case_manager".into(),
        password: Some(password.into()),
        ..NewUserInput::default()
    };
    let refused = server
        .app
        .create_user_in(org, None, &ctx, input(common::DEMO_PASSWORD), false)
        .await;
    assert!(
        matches!(&refused, Err(karuna_app::AppError::Invalid(f)) if f[0].code == "password.demo"),
        "{refused:?}"
    );
    server
        .app
        .create_user_in(org, None, &ctx, input("a long enough phrase"), false)
        .await
        .unwrap();
    let (c, csrf) = server
        .login_with("somsri", "a long enough phrase")
        .await
        .unwrap();
    let resp = c
        .post(server.url("/profile/password"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("current_password", "a long enough phrase"),
            ("new_password", common::DEMO_PASSWORD),
            ("confirm_password", common::DEMO_PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("รหัสผ่านนี้คือรหัสผ่านของระบบทดลองที่เผยแพร่อยู่"));
    server.stop().await;
}
