//! Single sign-on (issue 23 item 3) on SQLite and PostgreSQL, against an identity provider run
//! in-process: discovery, an authorization endpoint that consents at once, a token endpoint
//! that checks the code, the client secret and the PKCE verifier, and ID tokens signed RS256
//! with a test key published at its JWKS address. The administrator sets the provider up and
//! turns passwords off for workers; a case manager signs in through it (linked by username at
//! the first sign-in, by subject after); a password no longer opens her account but still
//! opens the administrator's; a replayed state, an unknown username, or a token for another
//! client is refused and audited.

use crate::common::{TestServer, DEMO_PASSWORD};
use crate::tasks::{get, put};
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect};
use axum::routing::{get as get_route, post as post_route};
use axum::{Json, Router};
use base64::Engine;
use openidconnect::core::{
    CoreIdToken, CoreIdTokenClaims, CoreJsonWebKeySet, CoreJwsSigningAlgorithm,
    CoreRsaPrivateSigningKey,
};
use openidconnect::{
    Audience, EmptyAdditionalClaims, EndUserUsername, IssuerUrl, JsonWebKeyId, Nonce,
    PrivateSigningKey, StandardClaims, SubjectIdentifier,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const KEY: &str = include_str!("fixtures/oidc-test-key.pem");
const CLIENT_ID: &str = "karuna-test";
const CLIENT_SECRET: &str = "provider-secret-for-tests";

/// What the provider knows between its endpoints.
#[derive(Default)]
struct Provider {
    issuer: String,
    /// The username the next sign-in is for, and its subject.
    next: (String, String),
    /// The audience the next ID token names (the client id unless a test says otherwise).
    audience: Option<String>,
    /// Issued codes: nonce, PKCE challenge, username, subject.
    codes: HashMap<String, (String, String, String, String)>,
}

type Shared = Arc<Mutex<Provider>>;

async fn discovery(State(p): State<Shared>) -> Json<serde_json::Value> {
    let issuer = p.lock().unwrap().issuer.clone();
    Json(json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/authorize"),
        "token_endpoint": format!("{issuer}/token"),
        "jwks_uri": format!("{issuer}/jwks"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

fn signing_key() -> CoreRsaPrivateSigningKey {
    CoreRsaPrivateSigningKey::from_pem(KEY, Some(JsonWebKeyId::new("test".into()))).unwrap()
}

async fn jwks() -> Json<CoreJsonWebKeySet> {
    Json(CoreJsonWebKeySet::new(vec![
        signing_key().as_verification_key()
    ]))
}

async fn authorize(
    State(p): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> impl IntoResponse {
    let mut p = p.lock().unwrap();
    assert_eq!(q["client_id"], CLIENT_ID);
    assert_eq!(q["code_challenge_method"], "S256");
    let code = format!("code-{}", p.codes.len());
    let (user, sub) = p.next.clone();
    p.codes.insert(
        code.clone(),
        (q["nonce"].clone(), q["code_challenge"].clone(), user, sub),
    );
    Redirect::to(&format!(
        "{}?code={code}&state={}",
        q["redirect_uri"], q["state"]
    ))
}

async fn token(
    State(p): State<Shared>,
    headers: axum::http::HeaderMap,
    Form(f): Form<HashMap<String, String>>,
) -> axum::response::Response {
    let mut p = p.lock().unwrap();
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    let authorised = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == format!("Basic {basic}"));
    let Some((nonce, challenge, user, sub)) = p.codes.remove(&f["code"]) else {
        return (
            axum::http::StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    };
    let verified = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(f["code_verifier"].as_bytes()))
        == challenge;
    if !authorised || !verified {
        return (
            axum::http::StatusCode::BAD_REQUEST,
            Json(json!({"error": "invalid_grant"})),
        )
            .into_response();
    }
    let now = chrono::Utc::now();
    let claims = CoreIdTokenClaims::new(
        IssuerUrl::new(p.issuer.clone()).unwrap(),
        vec![Audience::new(
            p.audience.clone().unwrap_or_else(|| CLIENT_ID.into()),
        )],
        now + chrono::Duration::minutes(5),
        now,
        StandardClaims::new(SubjectIdentifier::new(sub))
            .set_preferred_username(Some(EndUserUsername::new(user))),
        EmptyAdditionalClaims {},
    )
    .set_nonce(Some(Nonce::new(nonce)));
    let id_token = CoreIdToken::new(
        claims,
        &signing_key(),
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        None,
        None,
    )
    .unwrap();
    Json(json!({
        "access_token": "access",
        "token_type": "Bearer",
        "expires_in": 300,
        "id_token": id_token.to_string(),
    }))
    .into_response()
}

/// Starts the provider; its issuer URL and state.
async fn provider() -> (String, Shared) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let shared: Shared = Arc::new(Mutex::new(Provider {
        issuer: issuer.clone(),
        ..Provider::default()
    }));
    let app = Router::new()
        .route("/.well-known/openid-configuration", get_route(discovery))
        .route("/jwks", get_route(jwks))
        .route("/authorize", get_route(authorize))
        .route("/token", post_route(token))
        .with_state(shared.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (issuer, shared)
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Follows a sign-in from the login page's button through the provider; the callback address
/// the provider sends the browser back to.
async fn to_callback(server: &TestServer, c: &reqwest::Client) -> String {
    let html = c
        .get(server.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = html
        .split("href=\"/auth/oidc/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .map(|rest| format!("/auth/oidc/{rest}"))
        .expect("a single sign-on button");
    let resp = c.get(server.url(&start)).send().await.unwrap();
    assert_eq!(resp.status(), 303);
    let resp = c.get(crate::common::location(&resp)).send().await.unwrap();
    let callback = crate::common::location(&resp);
    assert!(callback.contains("/auth/oidc/callback?code="), "{callback}");
    callback
}

/// A whole sign-in; where Karuna's answer to the callback sends the browser.
async fn sign_in(server: &TestServer, c: &reqwest::Client) -> String {
    let callback = to_callback(server, c).await;
    let resp = c.get(&callback).send().await.unwrap();
    crate::common::location(&resp)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workers_sign_in_through_the_organisations_identity_provider() {
    let server = TestServer::demo().await;
    let (issuer, shared) = provider().await;
    let admin = server.token("demo-admin").await;
    let (status, body) = put(
        &server,
        &admin,
        "/api/v1/sso-settings",
        json!({"version": 0, "issuer": "http://sso.example.go.th", "client_id": CLIENT_ID,
               "client_secret": "", "label": "", "base_url": server.base, "enabled": true}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = put(
        &server,
        &admin,
        "/api/v1/sso-settings",
        json!({"version": 0, "issuer": issuer, "client_id": CLIENT_ID,
               "client_secret": CLIENT_SECRET, "label": "บัญชีกระทรวง", "base_url": server.base,
               "enabled": true, "passwords_allowed": false}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, s) = get(&server, &admin, "/api/v1/sso-settings").await;
    assert_eq!(s["has_secret"], true);
    assert!(
        s.get("client_secret").is_none(),
        "the secret is never shown"
    );
    assert_eq!(
        s["redirect_url"],
        format!("{}/auth/oidc/callback", server.base)
    );

    // A case manager signs in through the provider: linked at the first time by username.
    shared.lock().unwrap().next = ("demo-manager".into(), "sub-manager".into());
    let c = browser();
    assert_eq!(sign_in(&server, &c).await, "/");
    assert_eq!(c.get(server.url("/")).send().await.unwrap().status(), 200);
    assert_eq!(server.audit_count("auth.sso_link", "success").await, 1);
    // After that by the subject, whatever the username claim says.
    shared.lock().unwrap().next = ("someone-else".into(), "sub-manager".into());
    let again = browser();
    assert_eq!(sign_in(&server, &again).await, "/");
    assert_eq!(server.audit_count("auth.sso_link", "success").await, 1);

    // Passwords are off for workers, not for administrators.
    assert_eq!(
        server.login_with("demo-manager", DEMO_PASSWORD).await.err(),
        Some(403)
    );
    server.login("demo-admin").await;

    // Refused and audited: an unknown username, a replayed callback, another client's token.
    shared.lock().unwrap().next = ("nobody-here".into(), "sub-unknown".into());
    assert_eq!(sign_in(&server, &browser()).await, "/login?sso=failed");
    shared.lock().unwrap().next = ("demo-supervisor".into(), "sub-supervisor".into());
    let c = browser();
    let callback = to_callback(&server, &c).await;
    let resp = c.get(&callback).send().await.unwrap();
    assert_eq!(crate::common::location(&resp), "/");
    let resp = browser().get(&callback).send().await.unwrap();
    assert_eq!(
        crate::common::location(&resp),
        "/login?sso=failed",
        "a state is good once"
    );
    shared.lock().unwrap().audience = Some("another-client".into());
    shared.lock().unwrap().next = ("demo-psychologist".into(), "sub-psy".into());
    assert_eq!(sign_in(&server, &browser()).await, "/login?sso=failed");
    assert_eq!(server.audit_count("auth.sso", "failure").await, 3);
    let html = browser()
        .get(server.url("/login?sso=failed"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("role=\"alert\""));
}
