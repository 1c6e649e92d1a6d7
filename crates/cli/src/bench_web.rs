//! The HTTP side of `karuna bench load`: a virtual user signed in through the login page,
//! reading the pages a worker uses and writing through the JSON API with the session cookie
//! and its CSRF header.

use crate::bench_load::{Op, Rng, VirtualUser, NOTES, SEARCHES};

/// A signed-in virtual user over HTTP.
pub(crate) struct WebUser {
    client: reqwest::Client,
    base: String,
    csrf: String,
    cases: Vec<String>,
    next_list: Option<String>,
}

fn csrf_of(html: &str) -> Option<String> {
    let key = "name=\"csrf\" value=\"";
    let at = html.find(key)? + key.len();
    let rest = &html[at..];
    Some(rest[..rest.find('"')?].to_string())
}

/// Case ids linked from a page (`href="/cases/<uuid>"`).
fn case_links(html: &str, into: &mut Vec<String>) {
    let key = "href=\"/cases/";
    let mut rest = html;
    while let Some(at) = rest.find(key) {
        rest = &rest[at + key.len()..];
        let id: String = rest.chars().take(36).collect();
        if id.len() == 36 && uuid::Uuid::parse_str(&id).is_ok() && !into.contains(&id) {
            if into.len() >= 500 {
                into.remove(0);
            }
            into.push(id);
        }
    }
}

fn next_link(html: &str) -> Option<String> {
    let key = "href=\"/cases?";
    let at = html.rfind(key)? + "href=\"".len();
    let rest = &html[at..];
    Some(rest[..rest.find('"')?].replace("&amp;", "&"))
}

async fn text_ok(resp: Result<reqwest::Response, reqwest::Error>) -> Result<String, String> {
    let resp = resp.map_err(|e| e.to_string())?;
    let status = resp.status();
    let body = resp.text().await.map_err(|e| e.to_string())?;
    if status.is_success() {
        Ok(body)
    } else {
        Err(format!(
            "{status}: {}",
            body.chars().take(200).collect::<String>()
        ))
    }
}

pub(crate) async fn web_login(base: &str, user: &str, password: &str) -> Result<WebUser, String> {
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(2)
        .build()
        .map_err(|e| e.to_string())?;
    let html = text_ok(client.get(format!("{base}/login")).send().await).await?;
    let csrf = csrf_of(&html).ok_or("no CSRF field on the login page")?;
    let resp = client
        .post(format!("{base}/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", user),
            ("password", password),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !resp.status().is_redirection() {
        return Err(format!("login as {user} answered {}", resp.status()));
    }
    let home = text_ok(client.get(format!("{base}/")).send().await).await?;
    let csrf = csrf_of(&home).ok_or("no CSRF token on the home page")?;
    let mut cases = Vec::new();
    case_links(&home, &mut cases);
    Ok(WebUser {
        client,
        base: base.to_string(),
        csrf,
        cases,
        next_list: None,
    })
}

impl WebUser {
    async fn get(&self, path: &str) -> Result<String, String> {
        text_ok(self.client.get(format!("{}{path}", self.base)).send().await).await
    }

    async fn post_json(&self, path: &str, body: &serde_json::Value) -> Result<String, String> {
        text_ok(
            self.client
                .post(format!("{}{path}", self.base))
                .header("x-csrf-token", &self.csrf)
                .json(body)
                .send()
                .await,
        )
        .await
    }

    async fn step(&mut self, op: Op, rng: &mut Rng) -> Result<(), String> {
        match op {
            Op::Login => Ok(()),
            Op::Home => self.get("/").await.map(|_| ()),
            Op::List => {
                // Page on through the list now and then, as people do.
                let path = match self.next_list.take() {
                    Some(next) if rng.below(2) == 0 => next,
                    _ => "/cases".to_string(),
                };
                let html = self.get(&path).await?;
                case_links(&html, &mut self.cases);
                self.next_list = next_link(&html);
                Ok(())
            }
            Op::Search => {
                let q = rng.pick(SEARCHES);
                let html = self.get(&format!("/search?q={}", urlencode(q))).await?;
                case_links(&html, &mut self.cases);
                Ok(())
            }
            Op::Open => match self.cases.is_empty() {
                true => self
                    .get("/cases")
                    .await
                    .map(|h| case_links(&h, &mut self.cases)),
                false => {
                    let id = rng.pick(&self.cases).clone();
                    self.get(&format!("/cases/{id}")).await.map(|_| ())
                }
            },
            Op::Note => {
                let Some(id) = (!self.cases.is_empty()).then(|| rng.pick(&self.cases).clone())
                else {
                    return Err("no case to write a note on yet".into());
                };
                let body = serde_json::json!({
                    "kind": "phone_call",
                    "date": today_be(),
                    "note": rng.pick(NOTES),
                });
                self.post_json(&format!("/api/v1/cases/{id}/contacts"), &body)
                    .await
                    .map(|_| ())
            }
            Op::Create => {
                let n = rng.below(1_000_000);
                let body = serde_json::json!({
                    "client": {"first_name_th": "ทดสอบ", "last_name_th": format!("โหลด{n}"),
                               "birth_year": "2530", "sex": "female"},
                    "consent": {"lawful_basis": "vital_interest"},
                "safety": {"in_danger_now": false, "injured_needs_care": false,
                           "child_without_carer": false, "perpetrator_has_access": false,
                           "no_safe_place_tonight": false, "self_harm_risk": false},
                    "referral_source": "self",
                    "presenting_problem": "ขอความช่วยเหลือด้านที่พักอาศัย",
                    "case_types": ["poverty_homelessness"],
                });
                let created = self.post_json("/api/v1/cases", &body).await?;
                let v: serde_json::Value =
                    serde_json::from_str(&created).map_err(|e| e.to_string())?;
                if let Some(id) = v["case_id"].as_str() {
                    self.cases.push(id.to_string());
                }
                Ok(())
            }
        }
    }
}

/// Today's date as the API reads it (d/m/yyyy, Buddhist era).
pub fn today_be() -> String {
    use chrono::Datelike;
    let d = chrono::Utc::now().date_naive();
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year() + 543)
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl VirtualUser for WebUser {
    async fn run(&mut self, op: Op, rng: &mut Rng) -> Result<(), String> {
        self.step(op, rng).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_tokens_are_read_from_pages() {
        let html = r#"<input type="hidden" name="csrf" value="abc">
            <a href="/cases/0190a1b2-0000-7000-8000-000000000001">x</a>
            <a href="/cases/new">new</a>
            <a href="/cases?after=xyz&amp;sort=updated">next</a>"#;
        assert_eq!(csrf_of(html).as_deref(), Some("abc"));
        let mut ids = Vec::new();
        case_links(html, &mut ids);
        assert_eq!(
            ids,
            vec!["0190a1b2-0000-7000-8000-000000000001".to_string()]
        );
        assert_eq!(
            next_link(html).as_deref(),
            Some("/cases?after=xyz&sort=updated")
        );
        assert_eq!(urlencode("a b"), "a%20b");
    }
}
