//! The dashboard (issue 21, item 1) on both databases: figures for a period and a scope, small
//! counts suppressed, durations only over five cases; a supervisor held to her unit; filters
//! that do not read refused by field; the page draws each figure beside its table.

use crate::common::TestServer;
use crate::tasks::{field_codes, get, intake, post};
use serde_json::{json, Value};

fn count(f: &Value) -> i64 {
    assert_eq!(f["kind"], "count", "{f}");
    f["value"].as_i64().unwrap()
}

fn row<'a>(list: &'a Value, key: &str) -> &'a Value {
    &list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("{key} missing from {list}"))["figure"]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_counts_its_period_and_scope_and_suppresses_small_counts() {
    let server = TestServer::accounts_only().await;
    let manager = server.token("demo-manager").await;
    let analyst = server.token("demo-analyst").await;
    let supervisor = server.token("demo-supervisor").await;
    let mut unit = String::new();
    for i in 0..7 {
        let mut body = intake(&format!("แดชบอร์ด{i}"));
        if i < 2 {
            body["case_types"] = json!(["poverty_homelessness"]);
        }
        let (status, c) = post(&server, &manager, "/api/v1/cases", body).await;
        assert_eq!(status, 201, "{c}");
        if unit.is_empty() {
            let (_, case) = get(
                &server,
                &manager,
                &format!("/api/v1/cases/{}", c["case_id"].as_str().unwrap()),
            )
            .await;
            unit = case["unit_id"].as_str().unwrap_or_default().to_string();
        }
    }

    // This fiscal year, the whole organisation.
    let (status, d) = get(&server, &analyst, "/api/v1/reports/dashboard").await;
    assert_eq!(status, 200, "{d}");
    assert!(d["period"].as_str().unwrap().starts_with("fy-"));
    assert_eq!(count(&d["opened"]), 7);
    assert_eq!(count(&d["closed"]), 0);
    let by_status: i64 = d["by_status"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["figure"]["kind"] == "count")
        .map(|c| c["figure"]["value"].as_i64().unwrap())
        .sum();
    assert_eq!(by_status, 7);
    assert_eq!(count(row(&d["by_type"], "other")), 5);
    assert_eq!(
        row(&d["by_type"], "poverty_homelessness")["kind"],
        "suppressed"
    );
    let months: i64 = d["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["opened"]["kind"] == "count")
        .map(|m| m["opened"]["value"].as_i64().unwrap())
        .sum();
    assert_eq!(months, 7, "every opening falls in a month of the year");
    assert_eq!(d["by_month"].as_array().unwrap().len(), 12);
    let assessment = &d["stages"][0];
    assert_eq!(assessment["stage"], "assessment");
    assert_eq!(count(&assessment["cases"]), 0);
    assert!(assessment["median_days"].is_null());
    let keys = |list: &Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| c["key"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(keys(&d["promises"]), ["open", "kept", "missed", "released"]);
    assert_eq!(keys(&d["gas_at_closure"]), ["-2", "-1", "0", "1", "2"]);
    assert_eq!(count(&d["promises_kept_on_time"]), 0);
    // The demo's programmes have budgets this year; nothing of them is committed yet.
    assert_eq!(d["budget"]["committed"], "0");
    assert_eq!(d["budget"]["disbursed"], "0");
    assert_eq!(d["budget"]["balance"], d["budget"]["allocated"]);

    // One unit, one province (the test's clients have no address), another period.
    let (status, d) = get(
        &server,
        &analyst,
        &format!("/api/v1/reports/dashboard?unit={unit}"),
    )
    .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(count(&d["opened"]), 7);
    let (_, d) = get(&server, &analyst, "/api/v1/reports/dashboard?province=10").await;
    assert_eq!(count(&d["opened"]), 0);
    assert_eq!(d["province_code"], "10");
    let (_, d) = get(
        &server,
        &analyst,
        "/api/v1/reports/dashboard?period=fy-2560",
    )
    .await;
    assert_eq!(count(&d["opened"]), 0);
    assert_eq!(d["from"], "2016-10-01");
    assert_eq!(d["until"], "2017-09-30");

    // A supervisor sees her own unit's, and is told so when she asks for another.
    let (status, d) = get(&server, &supervisor, "/api/v1/reports/dashboard").await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["unit_id"], unit.as_str());
    // The demo organisation has two units: the office and the shelter.
    let other: String = sqlx::query_scalar("SELECT id FROM unit WHERE id <> $1 LIMIT 1")
        .bind(&unit)
        .fetch_one(server.app.db.read())
        .await
        .unwrap();
    let (status, p) = get(
        &server,
        &supervisor,
        &format!("/api/v1/reports/dashboard?unit={other}"),
    )
    .await;
    assert_eq!(
        (status, field_codes(&p)),
        (
            422,
            vec![("unit".to_string(), "report.unit_not_yours".to_string())]
        )
    );

    // Filters that do not read.
    let (status, p) = get(
        &server,
        &analyst,
        "/api/v1/reports/dashboard?period=fy-99&unit=nobody&province=99",
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(
        field_codes(&p),
        vec![
            ("period".to_string(), "report.period_unknown".to_string()),
            ("unit".to_string(), "report.unit_unknown".to_string()),
            (
                "province".to_string(),
                "report.province_unknown".to_string()
            ),
        ]
    );
    let (status, _) = get(
        &server,
        &analyst,
        "/api/v1/reports/dashboard?period=fy-2570&period=fy-2569",
    )
    .await;
    assert_eq!(status, 400);
    // Who may not see aggregates is refused.
    let (status, _) = get(&server, &manager, "/api/v1/reports/dashboard").await;
    assert_eq!(status, 403);

    // The page: each figure as a chart beside its table, "<5" in both; a bad filter is shown
    // next to its field.
    let (browser, _) = server.login("demo-analyst").await;
    let page = |path: &str| {
        let (browser, url) = (browser.clone(), server.url(path));
        async move {
            let resp = browser.get(url).send().await.unwrap();
            (resp.status().as_u16(), resp.text().await.unwrap())
        }
    };
    let (status, html) = page("/reports/dashboard").await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"by-type-table\""));
    assert!(
        html.contains("class=\"bar bar-suppressed\""),
        "a suppressed bar is drawn as such"
    );
    assert!(
        html.contains("<td class=\"num\">&#60;5</td>")
            || html.contains("<td class=\"num\">&lt;5</td>")
    );
    assert_eq!(html.matches("<svg class=\"bar-chart\"").count(), 8);
    // The downloads carry the same figures under the same filters.
    let (status, csv) = page("/reports/dashboard.csv?province=").await;
    assert_eq!(status, 200);
    assert!(
        csv.starts_with('\u{feff}'),
        "a byte-order mark for spreadsheets"
    );
    assert!(csv.contains(",<5"), "{csv}");
    let xlsx = browser
        .get(server.url("/reports/dashboard.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    let bytes = xlsx.bytes().await.unwrap().to_vec();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let name = book.sheet_names()[0].clone();
    let sheet = book.worksheet_range(&name).unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert!(rows.iter().any(|r| r[2] == "<5"), "{rows:?}");
    assert!(
        rows.iter().any(|r| r[2] == "7"),
        "the seven openings as a number: {rows:?}"
    );
    let (status, html) = page("/reports/dashboard.csv?period=fy-1").await;
    assert_eq!(status, 422, "a filter that does not read gives the page");
    assert!(html.contains("id=\"period-error\""));
    let (status, html) = page("/reports/dashboard?period=fy-1").await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"period-error\""));
    let (status, _) = page("/reports/dashboard?unit=a&unit=b").await;
    assert_eq!(status, 400);
    server.stop().await;
}

/// On the demo's year of work, the closed cases' goals have GAS levels and the promises due
/// have outcomes: the figures are there, each published (a count or "<5").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_year_has_outcomes_and_promises_on_the_dashboard() {
    let server = TestServer::demo().await;
    let analyst = server.token("demo-analyst").await;
    let (status, d) = get(&server, &analyst, "/api/v1/reports/dashboard").await;
    assert_eq!(status, 200, "{d}");
    let present = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .filter(|c| {
                c["figure"]["kind"] == "suppressed" || c["figure"]["value"].as_i64() > Some(0)
            })
            .count()
    };
    assert!(count(&d["closed"]) > 0, "{d}");
    assert!(present(&d["gas_at_closure"]) > 0, "{}", d["gas_at_closure"]);
    assert!(present(&d["promises"]) > 0, "{}", d["promises"]);
    let closure = &d["stages"][2];
    assert_eq!(closure["stage"], "closure");
    assert!(closure["median_days"].as_i64().unwrap() <= closure["p90_days"].as_i64().unwrap());
    // The demo's cases in implementation with a plan in force are followed; the overdue ones
    // are among them.
    let monitored = &d["reviews_monitored"];
    let overdue = &d["reviews_overdue"];
    assert!(
        monitored["kind"] == "suppressed" || count(monitored) > 0,
        "{monitored}"
    );
    if overdue["kind"] == "count" && monitored["kind"] == "count" {
        assert!(count(overdue) <= count(monitored));
    }
    server.stop().await;
}
