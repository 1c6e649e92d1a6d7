//! Trends and forecasts (issue 22, item 4) on both databases: a history of new cases month by
//! month, the months ahead forecast with an interval and a backtest against seasonal-naive;
//! too short a history said so; small counts suppressed; filters refused by field; a supervisor
//! held to her unit; the page draws the chart beside its tables, and the downloads hold them.

use crate::common::TestServer;
use crate::tasks::{field_codes, get, intake, post};
use chrono::{Datelike, Months, TimeZone, Utc};
use serde_json::json;

/// The `YYYY-MM` of `back` months before this one (Bangkok and UTC agree on the 15th).
fn month_back(back: u32) -> chrono::DateTime<Utc> {
    let now = Utc::now();
    let first = Utc
        .with_ymd_and_hms(now.year(), now.month(), 15, 3, 0, 0)
        .unwrap();
    first.checked_sub_months(Months::new(back)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_cases_are_forecast_with_a_backtest_and_small_counts_suppressed() {
    let server = TestServer::accounts_only().await;
    let manager = server.token("demo-manager").await;
    let analyst = server.token("demo-analyst").await;
    let supervisor = server.token("demo-supervisor").await;
    // 36 months back to last month: one case a month, six in the month a year ago; three of
    // the cases of the last three months are of another type.
    let mut plan: Vec<(u32, bool)> = (1..=36).map(|back| (back, back <= 3)).collect();
    plan.extend((0..5).map(|_| (12, false)));
    let mut unit = String::new();
    for (i, (back, poverty)) in plan.iter().enumerate() {
        let mut body = intake(&format!("แนวโน้ม{i}"));
        if *poverty {
            body["case_types"] = json!(["poverty_homelessness"]);
        }
        let (status, c) = post(&server, &manager, "/api/v1/cases", body).await;
        assert_eq!(status, 201, "{c}");
        let id = c["case_id"].as_str().unwrap().to_string();
        let mut tx = server.app.db.begin().await.unwrap();
        sqlx::query("UPDATE case_file SET opened_at = $1 WHERE id = $2")
            .bind(karuna_store::time::to_db(month_back(*back)))
            .bind(&id)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        if unit.is_empty() {
            unit = sqlx::query_scalar("SELECT unit_id FROM case_file WHERE id = $1")
                .bind(&id)
                .fetch_one(server.app.db.read())
                .await
                .unwrap();
        }
    }

    let (status, f) = get(&server, &analyst, "/api/v1/reports/trends/new-cases").await;
    assert_eq!(status, 200, "{f}");
    let history = f["history"].as_array().unwrap();
    assert_eq!(history.len(), 36, "from the first case to last month");
    let last_month = month_back(1).format("%Y-%m").to_string();
    assert_eq!(history[35]["month"], last_month.as_str());
    assert_eq!(history[35]["cases"]["kind"], "suppressed");
    assert_eq!(history[24]["cases"], json!({"kind": "count", "value": 6}));
    assert_eq!(
        (f["horizon"].as_i64(), f["months_needed"].as_i64()),
        (Some(6), Some(30))
    );
    assert_eq!(f["level_percent"], 80);
    assert!(f["unavailable"].is_null(), "{f}");
    let ahead = f["forecast"].as_array().unwrap();
    assert_eq!(ahead.len(), 6);
    assert_eq!(
        ahead[0]["month"],
        month_back(0).format("%Y-%m").to_string().as_str(),
        "the forecast starts with this month"
    );
    for m in ahead {
        let (lo, e, hi) = (
            m["lower"].as_f64().unwrap(),
            m["expected"].as_f64().unwrap(),
            m["upper"].as_f64().unwrap(),
        );
        assert!(0.0 <= lo && lo <= e && e <= hi, "{m}");
    }
    let bt = &f["backtest"];
    assert_eq!(bt["origins"], 6, "{bt}");
    assert_eq!(bt["months"].as_array().unwrap().len(), 6);
    assert_eq!(bt["months"][5]["month"], last_month.as_str());
    assert_eq!(bt["months"][5]["actual"]["kind"], "suppressed");
    assert!(bt["mase"].as_f64().is_some() && bt["seasonal_naive_mase"].as_f64().is_some());
    assert!((0..=100).contains(&bt["coverage_percent"].as_i64().unwrap()));

    // A shorter horizon; one case type with three months of history is too short to forecast.
    let (_, f) = get(
        &server,
        &analyst,
        "/api/v1/reports/trends/new-cases?horizon=3",
    )
    .await;
    assert_eq!(
        (
            f["months_needed"].as_i64(),
            f["forecast"].as_array().map(Vec::len)
        ),
        (Some(27), Some(3))
    );
    let (status, f) = get(
        &server,
        &analyst,
        "/api/v1/reports/trends/new-cases?case_type=poverty_homelessness",
    )
    .await;
    assert_eq!(status, 200, "{f}");
    assert_eq!(f["unavailable"], "too_short");
    assert_eq!(f["history"].as_array().unwrap().len(), 3);
    assert!(f["forecast"].as_array().unwrap().is_empty() && f["backtest"].is_null());

    // A supervisor sees her unit's; filters that do not read are named; others are refused.
    let (status, f) = get(&server, &supervisor, "/api/v1/reports/trends/new-cases").await;
    assert_eq!(status, 200, "{f}");
    assert_eq!(f["unit_id"], unit.as_str());
    let (status, p) = get(
        &server,
        &analyst,
        "/api/v1/reports/trends/new-cases?unit=nobody&case_type=nothing&horizon=12",
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(
        field_codes(&p),
        vec![
            ("unit".to_string(), "report.unit_unknown".to_string()),
            (
                "case_type".to_string(),
                "trends.case_type_unknown".to_string()
            ),
            ("horizon".to_string(), "trends.horizon_range".to_string()),
        ]
    );
    let (status, _) = get(&server, &manager, "/api/v1/reports/trends/new-cases").await;
    assert_eq!(status, 403);
    assert!(server.audit_count("report.trends", "success").await >= 4);

    // The page: the chart beside its tables; the backtest's verdict in words; the downloads.
    let (browser, _) = server.login("demo-analyst").await;
    let page = |path: &str| {
        let (browser, url) = (browser.clone(), server.url(path));
        async move {
            let resp = browser.get(url).send().await.unwrap();
            (resp.status().as_u16(), resp.text().await.unwrap())
        }
    };
    let (status, html) = page("/reports/trends").await;
    assert_eq!(status, 200);
    for id in [
        "trends-chart",
        "trends-ahead-table",
        "trends-backtest-table",
        "trends-history-table",
        "trends-verdict",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id} missing");
    }
    assert!(html.contains("class=\"band\"") && html.contains("class=\"hollow\""));
    let (status, html) = page("/reports/trends?case_type=poverty_homelessness").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("id=\"trends-unavailable\"") && !html.contains("id=\"trends-ahead-table\"")
    );
    let (status, html) = page("/reports/trends?horizon=9").await;
    assert_eq!(status, 422);
    assert!(html.contains("id=\"horizon-error\""));
    let (status, csv) = page("/reports/trends.csv?horizon=3").await;
    assert_eq!(status, 200);
    assert!(csv.contains(",<5"), "{csv}");
    assert_eq!(
        csv.lines().filter(|l| l.contains("MASE")).count(),
        2,
        "{csv}"
    );
    let (status, _) = page("/reports/trends.xlsx").await;
    assert_eq!(status, 200);
}
