//! The audit log over the API (auditors).

use crate::api::extract::Query;
use crate::auth::ApiUser;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use karuna_domain::access::Action;
use karuna_store::audit::EventFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One audit event.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEvent {
    /// Id (UUIDv7, time-ordered).
    pub id: String,
    /// When (RFC 3339 UTC).
    pub occurred_at: String,
    /// Acting account id.
    pub actor_id: Option<String>,
    /// Acting (or attempted) username.
    pub actor_username: Option<String>,
    /// What was attempted.
    pub action: String,
    /// Kind of record.
    pub entity_type: Option<String>,
    /// Record id.
    pub entity_id: Option<String>,
    /// success, denied or failure.
    pub outcome: String,
    /// Why.
    pub reason: Option<String>,
    /// Request id.
    pub request_id: Option<String>,
    /// Position in the hash chain once sealed.
    pub chain_seq: Option<i64>,
}

/// A page of events, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPage {
    /// Events.
    pub items: Vec<AuditEvent>,
    /// Pass as `before` for the next page.
    pub next_before: Option<String>,
}

/// Filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Exact username.
    pub actor: Option<String>,
    /// Action prefix, e.g. `auth.`.
    pub action: Option<String>,
    /// success, denied or failure.
    pub outcome: Option<String>,
    /// Entity type.
    pub entity_type: Option<String>,
    /// Entity id.
    pub entity_id: Option<String>,
    /// From (RFC 3339, inclusive).
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    /// To (RFC 3339, exclusive).
    pub to: Option<chrono::DateTime<chrono::Utc>>,
    /// Keyset cursor.
    pub before: Option<String>,
    /// Page size (1–200, default 50).
    pub limit: Option<i64>,
}

/// `GET /api/v1/audit-events`.
#[utoipa::path(get, path = "/api/v1/audit-events", operation_id = "listAuditEvents", tag = "audit", params(AuditQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = AuditPage), (status = 403, description = "not an auditor", content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
    Query(q): Query<AuditQuery>,
) -> Result<Json<AuditPage>, WebError> {
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let filter = EventFilter {
        actor: q.actor.map(|a| a.to_lowercase()),
        action: q.action,
        outcome: q.outcome,
        entity_type: q.entity_type,
        entity_id: q.entity_id,
        from: q.from.map(karuna_store::time::to_db),
        to: q.to.map(karuna_store::time::to_db),
        before_id: q.before,
    };
    let rows = state
        .app
        .list_audit(&u.user, &u.ctx, &filter, limit)
        .await
        .map_err(|e| u.err(e))?;
    let next_before = if rows.len() as i64 == limit {
        rows.last().map(|r| r.record.id.clone())
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|e| AuditEvent {
            id: e.record.id,
            occurred_at: e.record.occurred_at,
            actor_id: e.record.actor_id,
            actor_username: e.record.actor_username,
            action: e.record.action,
            entity_type: e.record.entity_type,
            entity_id: e.record.entity_id,
            outcome: e.record.outcome,
            reason: e.record.reason,
            request_id: e.record.request_id,
            chain_seq: e.chain_seq,
        })
        .collect();
    Ok(Json(AuditPage { items, next_before }))
}

/// The chain's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyResult {
    /// True when no tampering was found.
    pub intact: bool,
    /// Sealed rows checked.
    pub checked: i64,
    /// Rows not yet sealed.
    pub unsealed: i64,
    /// Of those, rows older than the chain head (forged or restored): never sealed.
    pub late: i64,
    /// The first problem, described.
    pub problem: Option<String>,
}

/// `GET /api/v1/audit/verify`: walks the chain (auditors).
#[utoipa::path(get, path = "/api/v1/audit/verify", operation_id = "verifyAuditChain", tag = "audit", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = VerifyResult), (status = 403, description = "not an auditor", content_type = "application/problem+json")))]
pub async fn verify(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<VerifyResult>, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ViewAuditLog,
            "audit.verify",
            ("audit_event", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let r = state.app.verify_audit(None).await.map_err(|e| u.err(e))?;
    Ok(Json(VerifyResult {
        intact: r.tamper.is_none(),
        checked: r.checked,
        unsealed: r.unsealed,
        late: r.late,
        problem: r.tamper.map(|t| format!("{t:?}")),
    }))
}
