//! Forecasts of a monthly count (new cases) for staffing and budget planning, and how well the
//! same method would have done on the count's own history.
//!
//! The model is augurs' MSTL — the series split into a yearly seasonal part (12 months) and a
//! trend by LOESS — with the trend forecast by an exponential-smoothing model that AutoETS
//! chooses (error, trend and damping by AICc), and the season carried forward. Prediction
//! intervals come from the ETS model at [`LEVEL`]. Counts cannot go below zero, so neither can a
//! forecast or its interval.
//!
//! The backtest cuts the history at several origins (the last [`MAX_ORIGINS`] months that leave
//! at least two years to learn from), forecasts the next `horizon` months from each, and
//! compares with what happened, beside the seasonal-naive forecast (each month as the same
//! month a year before). Both are scored by MASE: the mean absolute error divided by the mean
//! absolute error a seasonal-naive forecast made within the training months, one year ahead.
//! Under 1 beats that yardstick; the seasonal-naive forecast's own MASE shows what "doing
//! nothing clever" scores on the same months.

use augurs::ets::AutoETS;
use augurs::mstl::MSTLModel;
use augurs::prelude::*;
use std::ops::RangeInclusive;

/// Months in a season: the yearly pattern.
pub const SEASON: usize = 12;

/// Months a model learns from at the least: two seasons.
pub const MIN_TRAINING: usize = 2 * SEASON;

/// The prediction interval's level.
pub const LEVEL: f64 = 0.8;

/// The horizons offered, in months.
pub const HORIZONS: RangeInclusive<usize> = 3..=6;

/// The backtest's origins at the most.
pub const MAX_ORIGINS: usize = 6;

/// Months of history a forecast with its backtest needs for `horizon`.
pub fn months_needed(horizon: usize) -> usize {
    MIN_TRAINING + horizon
}

/// Why there is no forecast.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ForecastError {
    /// Fewer months than [`months_needed`].
    #[error("{have} months of history, {need} needed")]
    TooShort {
        /// Months given.
        have: usize,
        /// Months needed.
        need: usize,
    },
    /// The horizon is outside [`HORIZONS`].
    #[error("a horizon of {0} months is outside 3–6")]
    Horizon(usize),
    /// The model could not be fitted (the library's message).
    #[error("the model could not be fitted: {0}")]
    Fit(String),
}

/// A forecast, month by month: the expected count and its interval at [`LEVEL`].
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Expected.
    pub point: Vec<f64>,
    /// Lower bound.
    pub lower: Vec<f64>,
    /// Upper bound.
    pub upper: Vec<f64>,
}

/// One backtest month of the last origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    /// What happened.
    pub actual: f64,
    /// The model's forecast and interval.
    pub model: f64,
    /// Lower bound.
    pub lower: f64,
    /// Upper bound.
    pub upper: f64,
    /// The seasonal-naive forecast.
    pub seasonal_naive: f64,
}

/// How the method would have done on the history.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    /// Origins the history was cut at.
    pub origins: usize,
    /// The model's MASE over every origin (none when the yardstick is zero: a history that
    /// repeats exactly every year).
    pub mase: Option<f64>,
    /// The seasonal-naive forecast's MASE on the same months.
    pub seasonal_naive_mase: Option<f64>,
    /// Share of the months that fell inside the model's interval (0–1).
    pub coverage: f64,
    /// The months forecast from the last origin (the latest `horizon` months of history).
    pub last: Vec<Checked>,
}

/// The forecast of the next `horizon` months after `history` (one count per month, oldest
/// first, ending with the last complete month), and its backtest.
pub fn forecast(history: &[f64], horizon: usize) -> Result<(Band, Backtest), ForecastError> {
    if !HORIZONS.contains(&horizon) {
        return Err(ForecastError::Horizon(horizon));
    }
    let need = months_needed(horizon);
    if history.len() < need {
        return Err(ForecastError::TooShort {
            have: history.len(),
            need,
        });
    }
    Ok((fit(history, horizon)?, backtest(history, horizon)?))
}

/// The model fitted to `y`, forecasting `horizon` months.
fn fit(y: &[f64], horizon: usize) -> Result<Band, ForecastError> {
    let model = MSTLModel::new(vec![SEASON], AutoETS::non_seasonal().into_trend_model());
    let fitted = model
        .fit(y)
        .map_err(|e| ForecastError::Fit(e.to_string()))?;
    let f = fitted
        .predict(horizon, LEVEL)
        .map_err(|e| ForecastError::Fit(e.to_string()))?;
    let clean = |v: Vec<f64>| -> Result<Vec<f64>, ForecastError> {
        if v.len() != horizon || v.iter().any(|x| !x.is_finite()) {
            return Err(ForecastError::Fit("no finite forecast".into()));
        }
        Ok(v.into_iter().map(|x| x.max(0.0)).collect())
    };
    let point = clean(f.point)?;
    let (lower, upper) = match f.intervals {
        Some(i) => (clean(i.lower)?, clean(i.upper)?),
        None => (point.clone(), point.clone()),
    };
    Ok(Band {
        point,
        lower,
        upper,
    })
}

/// Each of the next `horizon` months as the same month a year before the end of `y`.
pub fn seasonal_naive(y: &[f64], horizon: usize) -> Vec<f64> {
    let n = y.len();
    (0..horizon)
        .map(|k| {
            n.checked_sub(SEASON)
                .and_then(|start| y.get(start + k % SEASON))
                .copied()
                .unwrap_or(0.0)
        })
        .collect()
}

/// MASE's yardstick: the mean absolute error of the seasonal-naive forecast within `train`
/// (none when there is no full year before a month, or when it is zero).
fn scale(train: &[f64]) -> Option<f64> {
    let errors: Vec<f64> = train
        .iter()
        .skip(SEASON)
        .zip(train)
        .map(|(now, year_before)| (now - year_before).abs())
        .collect();
    let mean = errors.iter().sum::<f64>() / errors.len().max(1) as f64;
    (!errors.is_empty() && mean > 0.0).then_some(mean)
}

fn mean_absolute_error(actual: &[f64], forecast: &[f64]) -> f64 {
    let sum: f64 = actual
        .iter()
        .zip(forecast)
        .map(|(a, f)| (a - f).abs())
        .sum();
    sum / actual.len().max(1) as f64
}

/// Rolling-origin backtest: from each origin (the latest first), the next `horizon` months.
fn backtest(y: &[f64], horizon: usize) -> Result<Backtest, ForecastError> {
    let latest = y.len() - horizon;
    let origins: Vec<usize> = (MIN_TRAINING..=latest).rev().take(MAX_ORIGINS).collect();
    let (mut model_scaled, mut naive_scaled, mut scaled_origins) = (0.0, 0.0, 0usize);
    let (mut inside, mut months) = (0usize, 0usize);
    let mut last = Vec::new();
    for &origin in &origins {
        let (train, test) = (&y[..origin], &y[origin..origin + horizon]);
        let band = fit(train, horizon)?;
        let naive = seasonal_naive(train, horizon);
        if let Some(s) = scale(train) {
            model_scaled += mean_absolute_error(test, &band.point) / s;
            naive_scaled += mean_absolute_error(test, &naive) / s;
            scaled_origins += 1;
        }
        for (k, actual) in test.iter().enumerate() {
            months += 1;
            if band.lower[k] <= *actual && *actual <= band.upper[k] {
                inside += 1;
            }
        }
        if origin == latest {
            last = test
                .iter()
                .enumerate()
                .map(|(k, actual)| Checked {
                    actual: *actual,
                    model: band.point[k],
                    lower: band.lower[k],
                    upper: band.upper[k],
                    seasonal_naive: naive[k],
                })
                .collect();
        }
    }
    let mean = |sum: f64| (scaled_origins > 0).then(|| sum / scaled_origins as f64);
    Ok(Backtest {
        origins: origins.len(),
        mase: mean(model_scaled),
        seasonal_naive_mase: mean(naive_scaled),
        coverage: inside as f64 / months.max(1) as f64,
        last,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A growing count with a yearly peak in the rainy season, and some noise.
    fn seasonal_growth(months: usize) -> Vec<f64> {
        (0..months)
            .map(|i| {
                let season = [
                    0.0, 2.0, 5.0, 8.0, 12.0, 15.0, 14.0, 10.0, 6.0, 3.0, 1.0, 0.0,
                ];
                let noise = ((i * 7919) % 7) as f64 - 3.0;
                40.0 + i as f64 * 0.8 + season[i % SEASON] + noise
            })
            .collect()
    }

    #[test]
    fn too_short_a_history_is_named_with_what_it_needs() {
        assert_eq!(
            forecast(&[3.0; 29], 6),
            Err(ForecastError::TooShort { have: 29, need: 30 })
        );
        assert_eq!(forecast(&[3.0; 60], 7), Err(ForecastError::Horizon(7)));
        assert_eq!(forecast(&[3.0; 60], 2), Err(ForecastError::Horizon(2)));
    }

    #[test]
    fn a_trend_with_a_season_is_forecast_better_than_seasonal_naive() {
        let y = seasonal_growth(60);
        let (band, bt) = forecast(&y, 6).expect("a regular series fits");
        assert_eq!(band.point.len(), 6);
        for k in 0..6 {
            assert!(band.lower[k] <= band.point[k] && band.point[k] <= band.upper[k]);
        }
        // The next months follow the growth: above the same months a year before.
        let naive = seasonal_naive(&y, 6);
        assert!(band.point.iter().zip(&naive).all(|(f, n)| f > n));
        assert_eq!(bt.origins, MAX_ORIGINS);
        assert_eq!(bt.last.len(), 6);
        let (m, s) = (
            bt.mase.expect("scaled"),
            bt.seasonal_naive_mase.expect("scaled"),
        );
        assert!(m < s, "model MASE {m} should beat seasonal naive {s}");
        assert!((0.0..=1.0).contains(&bt.coverage));
    }

    #[test]
    fn no_forecast_goes_below_zero() {
        // A count falling fast to nothing.
        let y: Vec<f64> = (0..36).map(|i| (36 - i) as f64 * 2.0).collect();
        let (band, _) = forecast(&y, 6).expect("fits");
        assert!(band.lower.iter().chain(&band.point).all(|x| *x >= 0.0));
    }

    #[test]
    fn a_history_repeating_every_year_has_no_mase() {
        let y: Vec<f64> = (0..36).map(|i| (i % SEASON) as f64).collect();
        let (_, bt) = forecast(&y, 3).expect("fits");
        assert_eq!((bt.mase, bt.seasonal_naive_mase), (None, None));
    }

    #[test]
    fn seasonal_naive_repeats_the_year_before() {
        let y: Vec<f64> = (0..24).map(|i| i as f64).collect();
        assert_eq!(seasonal_naive(&y, 3), vec![12.0, 13.0, 14.0]);
        assert_eq!(scale(&y), Some(12.0));
        assert_eq!(scale(&y[..12]), None);
    }
}
