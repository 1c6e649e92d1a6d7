//! Promises to clients: recorded by any team member, open until kept, missed, renegotiated or
//! released (with a note that the client was told; a case closes only with none open).

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::Utc;
use karuna_domain::access::Action;
use karuna_domain::audit::Outcome;
use karuna_domain::promise::{
    check_change, validate_promise, PromiseChange, PromiseInput, PromiseStatus,
};
use karuna_domain::FieldError;
use karuna_store::audit;
use karuna_store::promise::{self as store, KeepingRow, PromiseEvent, PromiseRow};
use karuna_thai::calendar::{bangkok_date, parse_date, Era};
use uuid::Uuid;

/// A change to a promise: `action` is `keep`, `miss` (with `reason`), `renegotiate` (with
/// `due` and `reason`) or `release` (with `reason`, the note of how the client was told, and
/// `client_told`); `version` is the one read.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PromiseUpdate {
    /// The version read.
    pub version: i64,
    /// `keep`, `miss`, `renegotiate` or `release`.
    pub action: String,
    /// Why (required to miss, renegotiate or release; for a release, also how the client was
    /// told).
    pub reason: String,
    /// The new date, for `renegotiate`, in the user's calendar.
    pub due: String,
    /// For `release`: the worker confirms the client was told (required).
    pub client_told: bool,
}

impl App {
    /// Records a promise made to the client (or another person of the case).
    pub async fn add_promise(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        input: &PromiseInput,
    ) -> Result<Uuid, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "promise.create")
            .await?;
        let era = Era::from_code(&user.era).unwrap_or_default();
        let (what, due) = validate_promise(input, era)?;
        let to = match input.to_person_id.trim() {
            "" => case.client_id,
            p => {
                let id = Uuid::parse_str(p)
                    .map_err(|_| FieldError::new("to_person_id", "person.unknown"))?;
                let on_case = karuna_store::case::persons(&self.db, case_id)
                    .await?
                    .iter()
                    .any(|(x, _)| *x == id);
                if !on_case {
                    return Err(FieldError::new("to_person_id", "person.unknown").into());
                }
                id
            }
        };
        let mut tx = self.db.begin().await?;
        let id =
            store::insert(&mut tx, case.org_id, case_id, user.actor.id, to, &what, due).await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "promise.create", Outcome::Success),
                "promise",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Marks a promise kept, missed or released, or moves its date; `action` is `keep`,
    /// `miss`, `renegotiate` (with `due`) or `release`; history is kept.
    pub async fn change_promise(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        promise_id: Uuid,
        update: &PromiseUpdate,
    ) -> Result<i64, AppError> {
        let case_id = self.promise_case(promise_id).await?;
        self.case_for(user, ctx, case_id, CaseAccess::Edit, "promise.update")
            .await?;
        let era = Era::from_code(&user.era).unwrap_or_default();
        let (version, reason, due) = (
            update.version,
            update.reason.trim().to_string(),
            update.due.as_str(),
        );
        let change = match update.action.as_str() {
            "keep" => PromiseChange::Keep,
            "miss" => PromiseChange::Miss(reason.clone()),
            "renegotiate" => {
                let d = parse_date(due, era).map_err(|e| FieldError::new("due", e.code()))?;
                PromiseChange::Renegotiate(d.date, reason.clone())
            }
            "release" => PromiseChange::Release {
                note: reason.clone(),
                client_told: update.client_told,
            },
            _ => return Err(FieldError::new("action", "promise.action_unknown").into()),
        };
        if reason.chars().count() > 1000 {
            return Err(FieldError::new("reason", "too_long").into());
        }
        let mut tx = self.db.begin().await?;
        let p = store::by_id_tx(&mut tx, promise_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if p.version != version {
            return Err(AppError::Conflict);
        }
        let status = PromiseStatus::from_code(&p.status)
            .ok_or(AppError::Internal("stored promise status".into()))?;
        check_change(status, &change, bangkok_date(Utc::now()))?;
        let reason_opt = Some(reason.as_str()).filter(|r| !r.is_empty());
        let (new_status, new_due, kind) = match &change {
            PromiseChange::Keep => ("kept", p.due_date, "kept"),
            PromiseChange::Miss(_) => ("missed", p.due_date, "missed"),
            PromiseChange::Renegotiate(d, _) => ("open", *d, "renegotiated"),
            PromiseChange::Release { .. } => ("released", p.due_date, "released"),
        };
        let v = store::update(
            &mut tx,
            promise_id,
            version,
            new_status,
            reason_opt.filter(|_| new_status == "missed" || new_status == "released"),
            new_due,
        )
        .await?;
        let (old_due, changed_due) = match &change {
            PromiseChange::Renegotiate(d, _) => (Some(p.due_date), Some(*d)),
            _ => (None, None),
        };
        store::insert_event(
            &mut tx,
            promise_id,
            kind,
            old_due,
            changed_due,
            reason_opt,
            user.actor.id,
        )
        .await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        let mut e = on(
            event(Some(user), ctx, "promise.update", Outcome::Success),
            "promise",
            Some(promise_id),
        );
        e.reason = Some(kind.to_string());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// The case a promise belongs to (`NotFound` when there is no such promise).
    pub async fn promise_case(&self, promise_id: Uuid) -> Result<Uuid, AppError> {
        store::case_of(&self.db, promise_id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A case's promises and their history.
    pub async fn case_promises(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<(Vec<PromiseRow>, Vec<PromiseEvent>), AppError> {
        self.case_for(user, ctx, case_id, CaseAccess::Open, "promise.list")
            .await?;
        let found = (
            store::for_case(&self.db, case_id).await?,
            store::events_for_case(&self.db, case_id).await?,
        );
        self.audit_read(user, ctx, "promise.list", ("case", case_id))
            .await?;
        Ok(found)
    }

    /// My open promises due today or overdue (the home page), audited as a read
    /// (`promise.due`): they name the clients' cases and what was promised.
    pub async fn my_due_promises(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<PromiseRow>, AppError> {
        let rows =
            store::open_due_for(&self.db, user.actor.id, bangkok_date(Utc::now()), 50).await?;
        karuna_store::audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "promise.due", Outcome::Success),
                "promise",
                None,
            ),
        )
        .await?;
        Ok(rows)
    }

    /// Promise keeping per worker of the supervisor's unit (or the organisation for analysts).
    pub async fn promise_keeping(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<KeepingRow>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewAggregates,
            "report.promise_keeping",
            ("report", None),
        )
        .await?;
        let unit = if user.role() == karuna_domain::access::Role::Supervisor {
            user.actor.unit_id
        } else {
            None
        };
        Ok(
            store::keeping_by_worker(&self.db, user.actor.org_id, unit, bangkok_date(Utc::now()))
                .await?,
        )
    }
}
