//! Thai administrative areas for address pickers (public reference data; any signed-in user).

use crate::api::extract::Path;
use crate::auth::ApiUser;
use crate::error::WebError;
use axum::Json;
use karuna_app::AppError;
use karuna_thai::address;
use serde::Serialize;
use utoipa::ToSchema;

/// One area.
#[derive(Debug, Serialize, ToSchema)]
pub struct Area {
    /// DOPA code.
    pub code: String,
    /// Thai name (with อำเภอ/เขต, ตำบล/แขวง).
    pub name_th: String,
    /// English name.
    pub name_en: String,
    /// Postcodes (subdistricts only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub postcodes: Vec<String>,
}

/// `GET /api/v1/areas/provinces`.
#[utoipa::path(get, path = "/api/v1/areas/provinces", operation_id = "listProvinces", tag = "areas", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<Area>)))]
pub async fn provinces(_u: ApiUser) -> Json<Vec<Area>> {
    Json(
        address::provinces()
            .iter()
            .map(|p| Area {
                code: p.code.into(),
                name_th: p.full_name_th(),
                name_en: p.name_en.into(),
                postcodes: Vec::new(),
            })
            .collect(),
    )
}

/// `GET /api/v1/areas/provinces/{code}/districts`.
#[utoipa::path(get, path = "/api/v1/areas/provinces/{code}/districts", operation_id = "listDistricts", tag = "areas", params(("code" = String, Path, description = "province code")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Area>)))]
pub async fn districts(u: ApiUser, Path(code): Path<String>) -> Result<Json<Vec<Area>>, WebError> {
    if address::province(&code).is_none() {
        return Err(u.err(AppError::NotFound));
    }
    Ok(Json(
        address::districts(&code)
            .into_iter()
            .map(|d| Area {
                code: d.code.into(),
                name_th: d.full_name_th(),
                name_en: d.name_en.into(),
                postcodes: Vec::new(),
            })
            .collect(),
    ))
}

/// `GET /api/v1/areas/districts/{code}/subdistricts`.
#[utoipa::path(get, path = "/api/v1/areas/districts/{code}/subdistricts", operation_id = "listSubdistricts", tag = "areas", params(("code" = String, Path, description = "district code")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Area>)))]
pub async fn subdistricts(
    u: ApiUser,
    Path(code): Path<String>,
) -> Result<Json<Vec<Area>>, WebError> {
    if address::district(&code).is_none() {
        return Err(u.err(AppError::NotFound));
    }
    Ok(Json(
        address::subdistricts(&code)
            .into_iter()
            .map(|s| Area {
                code: s.code.into(),
                name_th: s.full_name_th(),
                name_en: s.name_en.into(),
                postcodes: s.postcodes.iter().map(|p| p.to_string()).collect(),
            })
            .collect(),
    ))
}
