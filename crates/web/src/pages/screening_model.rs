//! The learned layer of the complexity screening in the browser: the administrators' page
//! (`/admin/screening/model`: switch, training runs, validation figures, calibration and the
//! features with their weights) and the words for a feature, shared with a case's screening.

use super::cases::case_type_label;
use super::intake::Pairs;
use super::{render, Chrome};
use crate::auth::{PageUser, WebForm};
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::screening_model::Run;
use karuna_domain::case_type::CaseType;
use karuna_domain::screening_model::{
    Model, COUNT_FEATURES, LONG_CASE_DAYS, MIN_CLOSED, MIN_EACH, TRAIN_MAX,
};
use serde::Deserialize;

/// The words for a model's feature.
pub(crate) fn feature_label(u: &PageUser, types: &[CaseType], key: &str) -> String {
    match key.strip_prefix("type:") {
        Some(code) => u.tr.get1(
            "screening-feature-type",
            "type",
            &case_type_label(u, types, code),
        ),
        None => {
            u.tr.get(&format!("screening-feature-{}", key.replace('_', "-")))
        }
    }
}

/// A feature with a case's value of it, when the feature is a count ("Domains in need: 4").
pub(crate) fn feature_with_value(
    u: &PageUser,
    types: &[CaseType],
    key: &str,
    value: i64,
) -> String {
    let label = feature_label(u, types, key);
    if COUNT_FEATURES.contains(&key) {
        format!("{label}: {value}")
    } else {
        label
    }
}

/// A feature's weight as words and a number.
struct FeatureLine {
    label: String,
    weight: String,
    direction: String,
}

/// One tenth of predicted chance.
struct BinLine {
    range: String,
    cases: usize,
    predicted: String,
    observed: String,
}

/// A model's figures as the page shows them.
struct ModelView {
    title: String,
    trained_on: usize,
    validated_on: usize,
    long_share: String,
    auc: Option<String>,
    brier: String,
    base_brier: String,
    better: bool,
    bins: Vec<BinLine>,
    features: Vec<FeatureLine>,
}

/// The latest run as the page shows it.
struct RunView {
    title: String,
    status: String,
    status_code: String,
    requested: String,
    finished: Option<String>,
    too_few: Option<String>,
}

#[derive(Template)]
#[template(path = "screening_model.html")]
struct ModelPage {
    c: Chrome,
    intro: String,
    needs: String,
    enabled: bool,
    version: i64,
    latest: Option<RunView>,
    in_use: Option<ModelView>,
    flash: Option<String>,
}

fn percent(x: f64) -> String {
    format!("{x:.0}%")
}

fn model_view(u: &PageUser, types: &[CaseType], number: i64, m: &Model) -> ModelView {
    let v = &m.validation;
    let mut features: Vec<&karuna_domain::screening_model::Feature> = m.features.iter().collect();
    features.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
    ModelView {
        title: u.tr.get1("model-run", "number", &number.to_string()),
        trained_on: v.trained_on,
        validated_on: v.validated_on,
        long_share: percent(v.long_percent),
        auc: v.auc.map(|a| format!("{a:.2}")),
        brier: format!("{:.3}", v.brier),
        base_brier: format!("{:.3}", v.base_brier),
        better: v.brier < v.base_brier,
        bins: v
            .calibration
            .iter()
            .map(|b| BinLine {
                range: u.tr.args(
                    "model-bin-range",
                    &[
                        ("from", b.from_percent.to_string()),
                        ("to", (b.from_percent + 10).to_string()),
                    ],
                ),
                cases: b.cases,
                predicted: percent(b.predicted_percent),
                observed: percent(b.observed_percent),
            })
            .collect(),
        features: features
            .into_iter()
            .map(|f| FeatureLine {
                label: feature_label(u, types, &f.key),
                weight: format!("{:+.2}", f.weight),
                direction: u.tr.get(if f.weight.abs() < 0.005 {
                    "model-no-effect"
                } else if f.weight > 0.0 {
                    "model-raises"
                } else {
                    "model-lowers"
                }),
            })
            .collect(),
    }
}

fn run_view(u: &PageUser, r: &Run) -> RunView {
    let row = &r.row;
    RunView {
        title: u.tr.get1("model-run", "number", &row.number.to_string()),
        status: u.tr.code("model-status", &row.status),
        status_code: row.status.clone(),
        requested: u.tr.args(
            "model-requested",
            &[
                ("who", row.requested_by_name.clone()),
                ("when", u.tr.datetime(&row.requested_at)),
            ],
        ),
        finished: row
            .finished_at
            .map(|t| u.tr.get1("model-finished", "when", &u.tr.datetime(&t))),
        too_few: (row.status == "too_few").then(|| {
            u.tr.args(
                "model-too-few",
                &[
                    ("closed", row.closed_cases.to_string()),
                    ("long", row.long_cases.to_string()),
                    ("short", (row.closed_cases - row.long_cases).to_string()),
                ],
            )
        }),
    }
}

/// `?done=started|switched` after a post.
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// `GET /admin/screening/model`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<DoneQuery>,
) -> Result<Response, WebError> {
    let s = state
        .app
        .screening_model(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let types = state
        .app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let page = ModelPage {
        c: Chrome::for_user(&u, "/admin/screening/model"),
        intro: u.tr.args(
            "model-intro",
            &[
                ("days", LONG_CASE_DAYS.to_string()),
                ("max", karuna_thai::number::group(&TRAIN_MAX.to_string())),
            ],
        ),
        needs: u.tr.args(
            "model-needs",
            &[
                ("closed", MIN_CLOSED.to_string()),
                ("each", MIN_EACH.to_string()),
            ],
        ),
        enabled: s.enabled,
        version: s.version,
        latest: s.latest.as_ref().map(|r| run_view(&u, r)),
        in_use: s.in_use.as_ref().and_then(|r| {
            r.model
                .as_ref()
                .map(|m| model_view(&u, &types, r.row.number, m))
        }),
        flash: q.done.map(|d| {
            u.tr.get(if d == "started" {
                "model-started"
            } else {
                "model-switched"
            })
        }),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /admin/screening/model`: start training.
pub async fn train(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    state
        .app
        .train_screening_model(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Redirect::to("/admin/screening/model?done=started").into_response())
}

/// `POST /admin/screening/model/switch`: switch the learned layer on or off (the version is
/// the one the page showed; someone else's change in between is a 409 page).
pub async fn switch(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let version = p.get("version").trim().parse().unwrap_or(0);
    state
        .app
        .switch_screening_model(&u.user, &u.ctx, p.get("enabled") == "on", version)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Redirect::to("/admin/screening/model?done=switched").into_response())
}
