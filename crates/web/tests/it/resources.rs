//! The resource directory (issue 19 item 1) over the API and in the browser's pages: an
//! administrator or a designated resource editor adds a provider, a location and services; anyone
//! signed in finds them by Thai words, category and area (the district's first, then its
//! province's, then national ones); bad entries are refused field by field; changes are
//! versioned and audited; entries never verified are flagged stale until confirmed.

use crate::common::{csrf_of, TestServer};
use crate::tasks::{field_codes, get, post, put};
use serde_json::{json, Value};

fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["fields"]["name"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editors_maintain_the_directory_and_everyone_finds_services_near_the_client() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;

    // Only an administrator (or a designated editor) adds entries.
    let (status, _) = post(
        &server,
        &manager,
        "/api/v1/resources/providers",
        json!({"name": "มูลนิธิทดสอบ"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, p) = post(
        &server,
        &admin,
        "/api/v1/resources/providers",
        json!({"name": " ", "website": "javascript:alert(1)", "email": "a@b"}),
    )
    .await;
    assert_eq!(status, 422);
    let codes = field_codes(&p);
    for c in [
        ("name", "required"),
        ("website", "resource.link_invalid"),
        ("email", "email.invalid"),
    ] {
        assert!(
            codes.contains(&(c.0.to_string(), c.1.to_string())),
            "{codes:?}"
        );
    }
    let (status, created) = post(
        &server,
        &admin,
        "/api/v1/resources/providers",
        json!({"name": "บ้านพักเด็กและครอบครัวจังหวัดเชียงใหม่", "alternate_name": "บพด.เชียงใหม่",
               "source": "https://www.dcy.go.th", "verify_locally": true}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let provider = created["id"].as_str().unwrap().to_string();
    let (status, loc) = post(
        &server,
        &admin,
        &format!("/api/v1/resources/providers/{provider}/locations"),
        json!({"name": "บ้านพักฯ สันทราย", "province_code": "50", "district_code": "1001"}),
    )
    .await;
    assert_eq!(status, 422, "a district of another province");
    assert_eq!(field_codes(&loc)[0].0, "district_code");
    let (status, loc) = post(
        &server,
        &admin,
        &format!("/api/v1/resources/providers/{provider}/locations"),
        json!({"name": "บ้านพักฯ สันทราย", "province_code": "50", "district_code": "5007"}),
    )
    .await;
    assert_eq!(status, 201, "{loc}");
    let location = loc["id"].as_str().unwrap().to_string();

    // A bad service: every field at fault, nothing written.
    let (status, p) = post(
        &server,
        &admin,
        &format!("/api/v1/resources/providers/{provider}/services"),
        json!({"name": "", "categories": ["magic"], "areas": ["99"], "capacity": 3, "vacancy": 9,
               "location_id": "00000000-0000-0000-0000-000000000000"}),
    )
    .await;
    assert_eq!(status, 422);
    let codes = field_codes(&p);
    for c in [
        ("name", "required"),
        ("categories", "resource.category_unknown"),
        ("areas", "resource.area_unknown"),
        ("vacancy", "resource.vacancy_above_capacity"),
        ("location_id", "resource.location_unknown"),
    ] {
        assert!(
            codes.contains(&(c.0.to_string(), c.1.to_string())),
            "{c:?} in {codes:?}"
        );
    }

    // A shelter for the district of San Sai, one for the whole province, and a national line.
    let mut ids = Vec::new();
    for (name, areas, national, categories) in [
        (
            "ที่พักฉุกเฉินสำหรับเด็กและครอบครัว สันทราย",
            vec!["5007"],
            false,
            vec!["shelter", "child_protection"],
        ),
        ("บ้านพักชั่วคราวเชียงใหม่", vec!["50"], false, vec!["shelter"]),
        (
            "ศูนย์ช่วยเหลือสังคม สายด่วน",
            vec![],
            true,
            vec!["general_welfare"],
        ),
        ("ที่พักฉุกเฉินลำพูน", vec!["51"], false, vec!["shelter"]),
    ] {
        let (status, s) = post(
            &server,
            &admin,
            &format!("/api/v1/resources/providers/{provider}/services"),
            json!({"name": name, "areas": areas, "national": national, "categories": categories,
                   "capacity": 20, "vacancy": 3, "languages": ["th", "MY"], "location_id": location,
                   "source": "https://www.dcy.go.th"}),
        )
        .await;
        assert_eq!(status, 201, "{s}");
        ids.push(s["id"].as_str().unwrap().to_string());
    }

    // A manager finds a shelter near the client's district by a Thai search.
    let (status, page) = get(
        &server,
        &manager,
        "/api/v1/resources/services?q=%E0%B8%9E%E0%B8%B1%E0%B8%81&district=5007",
    )
    .await;
    assert_eq!(status, 200, "{page}");
    let found = names(&page);
    assert_eq!(
        found,
        vec![
            "ที่พักฉุกเฉินสำหรับเด็กและครอบครัว สันทราย".to_string(),
            "บ้านพักชั่วคราวเชียงใหม่".to_string(),
            "ศูนย์ช่วยเหลือสังคม สายด่วน".to_string(),
        ],
        "the district's first, then the province's, then national ones (its provider's name \
         has the word); not Lamphun's"
    );
    let first = &page["items"][0];
    assert_eq!(first["fields"]["languages"], json!(["th", "my"]));
    assert_eq!(first["stale"], true, "never verified");
    assert_eq!(first["provider_name"], "บ้านพักเด็กและครอบครัวจังหวัดเชียงใหม่");
    // The provider's abbreviation finds its services too; a category narrows.
    let (_, page) = get(
        &server,
        &manager,
        "/api/v1/resources/services?q=%E0%B8%AA%E0%B8%B2%E0%B8%A2%E0%B8%94%E0%B9%88%E0%B8%A7%E0%B8%99&province=50",
    )
    .await;
    assert_eq!(names(&page), vec!["ศูนย์ช่วยเหลือสังคม สายด่วน".to_string()]);
    let (_, page) = get(
        &server,
        &manager,
        "/api/v1/resources/services?category=child_protection",
    )
    .await;
    assert_eq!(page["total"], 1);
    // Bad filters are field errors.
    let (status, p) = get(
        &server,
        &manager,
        "/api/v1/resources/services?category=x&province=99&district=1001",
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<String> = field_codes(&p).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, vec!["category", "province", "district"]);

    // Verified today: no longer stale nor "to be verified locally"; a stale version conflicts.
    let id = &ids[0];
    let (_, s) = get(
        &server,
        &manager,
        &format!("/api/v1/resources/services/{id}"),
    )
    .await;
    let version = s["version"].as_i64().unwrap();
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/resources/services/{id}/verify"),
        json!({"version": version}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, v) = post(
        &server,
        &admin,
        &format!("/api/v1/resources/services/{id}/verify"),
        json!({"version": version}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let (_, s) = get(
        &server,
        &manager,
        &format!("/api/v1/resources/services/{id}"),
    )
    .await;
    assert_eq!(s["stale"], false);
    assert!(s["fields"]["last_verified_on"].as_str().unwrap().len() == 10);
    let mut fields = s["fields"].clone();
    fields["status"] = json!("temporarily_closed");
    let (status, _) = put(
        &server,
        &admin,
        &format!("/api/v1/resources/services/{id}"),
        json!({"version": version, "fields": fields}),
    )
    .await;
    assert_eq!(status, 409, "stale version");
    let (status, _) = put(
        &server,
        &admin,
        &format!("/api/v1/resources/services/{id}"),
        json!({"version": s["version"], "fields": fields}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, s) = get(
        &server,
        &manager,
        &format!("/api/v1/resources/services/{id}"),
    )
    .await;
    assert_eq!(s["fields"]["status"], "temporarily_closed");
    let versions: Vec<i64> = s["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, vec![3, 2, 1], "created, verified, closed");
    assert_eq!(s["history"][0]["actor"], "ธนพล ระบบดี");

    // Renaming the provider renames what its services are found by.
    let (_, p) = get(
        &server,
        &manager,
        &format!("/api/v1/resources/providers/{provider}"),
    )
    .await;
    assert_eq!(p["services"].as_array().unwrap().len(), 4);
    assert_eq!(p["locations"].as_array().unwrap().len(), 1);
    let mut pf = p["fields"].clone();
    pf["alternate_name"] = json!("ศูนย์คุ้มครองเด็กเชียงใหม่");
    let (status, _) = put(
        &server,
        &admin,
        &format!("/api/v1/resources/providers/{provider}"),
        json!({"version": p["version"], "fields": pf}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, page) = get(
        &server,
        &manager,
        "/api/v1/resources/services?q=%E0%B8%A8%E0%B8%B9%E0%B8%99%E0%B8%A2%E0%B9%8C%E0%B8%84%E0%B8%B8%E0%B9%89%E0%B8%A1%E0%B8%84%E0%B8%A3%E0%B8%AD%E0%B8%87",
    )
    .await;
    assert_eq!(page["total"], 4, "{page}");

    // Every change is versioned and audited.
    let revisions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM revision WHERE entity_type LIKE 'resource_%'")
            .fetch_one(server.app.db.read())
            .await
            .unwrap();
    // provider: created, renamed; location: created; services: 4 created, verified, changed.
    assert_eq!(revisions, 2 + 1 + 4 + 2);
    assert!(server.audit_count("resource.create", "success").await >= 6);
    assert!(server.audit_count("resource.update", "denied").await >= 1);

    // An administrator designates a supervisor a resource editor; she may then add entries.
    let supervisor = server.token("demo-supervisor").await;
    let sid = server.user_id("demo-supervisor").await;
    let (_, user) = get(&server, &admin, &format!("/api/v1/users/{sid}")).await;
    assert_eq!(user["resource_editor"], false);
    let mut patch = json!({"version": user["version"], "display_name": user["display_name"],
        "role": user["role"], "profession": user["profession"], "unit_id": user["unit_id"], "active": true});
    patch["resource_editor"] = json!(true);
    let resp = server
        .client()
        .patch(server.url(&format!("/api/v1/users/{sid}")))
        .bearer_auth(&admin)
        .json(&patch)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let (status, _) = post(
        &server,
        &supervisor,
        "/api/v1/resources/providers",
        json!({"name": "ศูนย์ช่วยเหลือทางกฎหมาย"}),
    )
    .await;
    assert_eq!(status, 201, "a designated editor adds entries");

    // The pages: the directory with its filters, and a service's page, pass for a manager.
    let (web, _) = server.login("demo-manager").await;
    let html = web
        .get(server.url("/resources?q=ที่พัก&province=50&district=5007"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("ที่พักฉุกเฉินสำหรับเด็กและครอบครัว สันทราย"));
    assert!(!html.contains("ที่พักฉุกเฉินลำพูน"));
    let resp = web
        .get(server.url("/resources?province=99"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = web
        .get(server.url(&format!("/resources/services/{}", ids[1])))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("บ้านพักชั่วคราวเชียงใหม่"));
    assert!(!html.contains("id=\"service-edit\""), "not an editor");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_adds_a_service_through_the_forms() {
    let server = TestServer::demo().await;
    let (web, _) = server.login("demo-admin").await;
    let page = web
        .get(server.url("/resources/providers/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&page).unwrap();
    let resp = web
        .post(server.url("/resources/providers"))
        .form(&[("csrf", csrf.as_str()), ("name", "มูลนิธิกระจกเงา")])
        .send()
        .await
        .unwrap();
    let location = crate::common::location(&resp);
    assert!(location.starts_with("/resources/providers/"), "{location}");
    let provider = location
        .trim_start_matches("/resources/providers/")
        .trim_end_matches("?saved=1")
        .to_string();
    // A service whose numbers and date are not numbers and dates: field errors, kept values.
    let resp = web
        .post(server.url(&format!("/resources/providers/{provider}/services")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "ตามหาคนหาย"),
            ("categories", "anti_trafficking"),
            ("categories", "general_welfare"),
            ("national", "on"),
            ("capacity", "ยี่สิบ"),
            ("last_verified_on", "31/2/2569"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"error-summary\""));
    assert!(html.contains("value=\"ตามหาคนหาย\""));
    assert!(
        html.contains("id=\"category-general_welfare\" checked"),
        "{html}"
    );
    let resp = web
        .post(server.url(&format!("/resources/providers/{provider}/services")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "ตามหาคนหาย"),
            ("categories", "general_welfare"),
            ("national", "on"),
            ("last_verified_on", "1/12/2569"),
        ])
        .send()
        .await
        .unwrap();
    let location = crate::common::location(&resp);
    assert!(location.starts_with("/resources/services/"), "{location}");
    let html = web
        .get(server.url(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("1 ธ.ค. 2569"),
        "the date in the user's era: {html}"
    );
    assert!(html.contains("id=\"service-edit\""));
}

async fn post_raw(server: &TestServer, token: &str, path: &str, body: String) -> (u16, Value) {
    let resp = server
        .client()
        .post(server.url(path))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_national_seed_set_loads_and_the_directory_round_trips_through_hsds() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;

    let (status, _) = post(
        &server,
        &manager,
        "/api/v1/resources/import-seed",
        json!({}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, first) = post(&server, &admin, "/api/v1/resources/import-seed", json!({})).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["providers_added"], 81, "{first}");
    assert_eq!(first["services_added"], 157, "{first}");
    let (_, again) = post(&server, &admin, "/api/v1/resources/import-seed", json!({})).await;
    assert_eq!(
        again["services_added"], 0,
        "a second import adds nothing: {again}"
    );
    assert_eq!(again["services_updated"], 157);

    // The seed answers a search near a client in Chiang Mai: the hotline and the shelter.
    let (_, page) = get(
        &server,
        &manager,
        "/api/v1/resources/services?district=5001",
    )
    .await;
    let found = names(&page);
    assert!(found.iter().any(|n| n.contains("1300")), "{found:?}");
    assert!(
        found.iter().any(|n| n == "บ้านพักเด็กและครอบครัวจังหวัดเชียงใหม่"),
        "{found:?}"
    );
    assert!(page["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["fields"]["phone"] == "" || s["fields"]["phone"] == "1300"));

    // Export, then import the export: everything overwritten in place, nothing added.
    let (status, exported) = get(&server, &manager, "/api/v1/resources/export").await;
    assert_eq!(status, 200);
    assert_eq!(exported.as_array().unwrap().len(), 81);
    let (status, report) = post_raw(
        &server,
        &admin,
        "/api/v1/resources/import",
        exported.to_string(),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["providers_added"], 0);
    assert_eq!(report["services_added"], 0);
    assert_eq!(report["services_updated"], 157);
    let (_, exported_again) = get(&server, &manager, "/api/v1/resources/export").await;
    assert_eq!(exported, exported_again, "the round trip changes nothing");

    // Bad files: a clear error per record and field, nothing written.
    for (body, field, code) in [
        ("not json".to_string(), "file", "import.not_json"),
        (
            json!([{"id": "9d0c7a3e-1111-4c2b-9b1e-000000000001", "name": " ",
                    "services": [{"id": "9d0c7a3e-1111-4c2b-9b1e-000000000002", "name": "x",
                                  "service_areas": [{"extent": "99", "extent_type": "text"}]}]}])
            .to_string(),
            "organizations[0]",
            "required",
        ),
    ] {
        let (status, p) = post_raw(&server, &admin, "/api/v1/resources/import", body).await;
        assert_eq!(status, 422, "{p}");
        let codes = field_codes(&p);
        assert!(
            codes.iter().any(|(f, c)| f.starts_with(field) && c == code),
            "{field} {code} in {codes:?}"
        );
    }
    let services: Vec<Value> = (0..20_001)
        .map(|i| json!({"id": format!("00000000-0000-4000-8000-{i:012}"), "name": "s"}))
        .collect();
    let big = json!([{"id": "00000000-0000-4000-9000-000000000000", "name": "ใหญ่", "services": services}]);
    let (status, p) = post_raw(&server, &admin, "/api/v1/resources/import", big.to_string()).await;
    assert_eq!(status, 422);
    assert!(field_codes(&p)
        .iter()
        .any(|(_, c)| c == "import.too_many_records"));
    let (_, page) = get(&server, &manager, "/api/v1/resources/services").await;
    assert_eq!(page["total"], 157, "nothing half-written");

    // The same through the page, as the CSV files of the HSDS tabular form.
    let dir = karuna_domain::resource_hsds::from_hsds_json(&exported.to_string()).unwrap();
    let csv = karuna_domain::resource_hsds::to_hsds_csv(&dir);
    let (web, _) = server.login("demo-admin").await;
    let html = web
        .get(server.url("/resources"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_of(&html).unwrap();
    let mut form = reqwest::multipart::Form::new().text("csrf", csrf.clone());
    for (name, text) in csv {
        form = form.part(
            "file",
            reqwest::multipart::Part::bytes(text.into_bytes()).file_name(name),
        );
    }
    let resp = web
        .post(server.url("/resources/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let location = crate::common::location(&resp);
    assert!(
        location.starts_with("/resources?imported=0.81.0.157"),
        "{location}"
    );
    let html = web
        .get(server.url(&location))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"resource-flash\""));
    // A file that is not UTF-8 is refused on the page with the reason.
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "file",
        reqwest::multipart::Part::bytes(vec![0xff, 0xfe, 0x00]).file_name("x.json"),
    );
    let resp = web
        .post(server.url("/resources/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("UTF-8"));
}
