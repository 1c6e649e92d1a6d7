//! Data-subject requests (domain::data_request): a case manager or supervisor who may edit a
//! case a person is on records what the person asked of the agency about her data; the
//! register shows a unit's requests to its supervisors (a case manager sees those she
//! recorded), open ones first by due date, with due-soon and overdue marked; a request is
//! answered once — completed, or refused naming its legal ground. For an access request the
//! export gathers what is held about the person: her record and every case of hers the worker
//! may open (`case_export`, each audited as usual); cases held by other units are named by unit
//! only, for their supervisors to export. Erasure as anonymisation is not built yet: an erasure
//! request can be refused on a ground, or stays open.

use crate::case::CaseExport;
use crate::person::PersonView;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{NaiveDate, Utc};
use karuna_domain::access::{Action, Role};
use karuna_domain::audit::Outcome;
use karuna_domain::data_request::{
    urgency, validate_answer, validate_request, AnswerInput, Kind, RequestInput, Status, Urgency,
};
use karuna_store::audit;
use karuna_store::data_request::{self as store, NewRequest, RequestRow, Scope};
use uuid::Uuid;

/// The most requests the register lists.
pub const LIST_LIMIT: i64 = 500;

/// A request with how pressing it is today.
#[derive(Debug, Clone)]
pub struct DataRequest {
    /// The stored request.
    pub row: RequestRow,
    /// For an open request: on time, due soon or overdue.
    pub urgency: Option<Urgency>,
}

/// What an access request's export holds.
#[derive(Debug, Clone)]
pub struct AccessExport {
    /// The request.
    pub request: RequestRow,
    /// The person's record.
    pub person: PersonView,
    /// Her cases the worker may open, each as its printed case file.
    pub cases: Vec<CaseExport>,
    /// Names of the units holding her other cases (their supervisors export those).
    pub other_units: Vec<String>,
    /// The organisation's case types, to name the cases' types.
    pub types: Vec<karuna_domain::case_type::CaseType>,
}

fn today() -> NaiveDate {
    karuna_thai::calendar::bangkok_date(Utc::now())
}

fn with_urgency(row: RequestRow) -> DataRequest {
    let urgency = (row.status == Status::Open.code()).then(|| urgency(row.due_on, today()));
    DataRequest { row, urgency }
}

impl App {
    /// Refuses (audited as `action`) anyone but case managers and supervisors.
    pub async fn check_data_requests(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        action: &str,
    ) -> Result<(), AppError> {
        self.authorize(
            user,
            ctx,
            Action::HandleDataRequests,
            action,
            ("data_request", None),
        )
        .await
    }

    /// A request the user may see: one she recorded, or (a supervisor) one of her unit.
    async fn visible_request(&self, user: &CurrentUser, id: Uuid) -> Result<RequestRow, AppError> {
        let row = store::get(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mine = row.recorded_by == user.actor.id;
        let my_unit = user.actor.role == Role::Supervisor
            && row.unit_id.is_some()
            && row.unit_id == user.actor.unit_id;
        if mine || my_unit {
            Ok(row)
        } else {
            Err(AppError::NotFound)
        }
    }

    /// Records a request about person `person_id`; its id. The user must be able to edit a
    /// case the person is on.
    pub async fn record_data_request(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        person_id: Uuid,
        input: &RequestInput,
    ) -> Result<Uuid, AppError> {
        self.check_data_requests(user, ctx, "data_request.record")
            .await?;
        self.check_person(user, ctx, person_id).await?;
        let r = validate_request(input, today())?;
        let mut tx = self.db.begin().await?;
        let id = store::insert(
            &mut tx,
            &NewRequest {
                org_id: user.actor.org_id,
                person_id,
                kind: r.kind.code(),
                received_on: r.received_on,
                due_on: r.due_on,
                details: &r.details,
                recorded_by: user.actor.id,
                unit_id: user.actor.unit_id,
            },
        )
        .await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "data_request.record", Outcome::Success),
                "data_request",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The register: a supervisor's unit's requests, a case manager's own; open ones first by
    /// due date. Audited as a read (it names persons).
    pub async fn data_requests(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<DataRequest>, AppError> {
        self.check_data_requests(user, ctx, "data_request.list")
            .await?;
        let scope = match (user.actor.role, user.actor.unit_id) {
            (Role::Supervisor, Some(unit)) => Scope::Unit(unit),
            _ => Scope::Recorder(user.actor.id),
        };
        let rows = store::list(&self.db, user.actor.org_id, scope, LIST_LIMIT).await?;
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "data_request.list", Outcome::Success),
                "data_request",
                None,
            ),
        )
        .await?;
        Ok(rows.into_iter().map(with_urgency).collect())
    }

    /// One request (audited read).
    pub async fn data_request(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<DataRequest, AppError> {
        self.check_data_requests(user, ctx, "data_request.read")
            .await?;
        let row = self.visible_request(user, id).await?;
        self.audit_read(user, ctx, "data_request.read", ("data_request", id))
            .await?;
        Ok(with_urgency(row))
    }

    /// Answers a request once, over the version read: completed, or refused on a legal ground.
    /// An erasure request cannot be marked completed yet (`erasure_not_available`): Karuna
    /// does not anonymise records yet.
    pub async fn answer_data_request(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &AnswerInput,
    ) -> Result<i64, AppError> {
        self.check_data_requests(user, ctx, "data_request.answer")
            .await?;
        let row = self.visible_request(user, id).await?;
        let (status, ground, note) = validate_answer(input)?;
        if row.status != Status::Open.code() {
            return Err(AppError::Refused("data_request_answered"));
        }
        if status == Status::Completed && row.kind == Kind::Erasure.code() {
            return Err(AppError::Refused("erasure_not_available"));
        }
        let mut tx = self.db.begin().await?;
        let v = store::answer(
            &mut tx,
            id,
            input.version,
            (status.code(), ground.map(|g| g.code()), &note),
            user.actor.id,
        )
        .await?;
        let mut e = on(
            event(Some(user), ctx, "data_request.answer", Outcome::Success),
            "data_request",
            Some(id),
        );
        e.reason = Some(status.code().to_string());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Everything held about the person of an access request that the user may open: her
    /// record and her cases' files; her other cases' units by name. Audited
    /// (`data_request.export`, and each case file as `case.export`).
    pub async fn data_request_export(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<AccessExport, AppError> {
        self.check_data_requests(user, ctx, "data_request.export")
            .await?;
        let request = self.visible_request(user, id).await?;
        if request.kind != Kind::Access.code() {
            return Err(AppError::Refused("data_request_not_access"));
        }
        let person =
            crate::person::person_view(&self.db, user.actor.org_id, request.person_id, None)
                .await?
                .ok_or(AppError::NotFound)?;
        let mut cases = Vec::new();
        let mut other_units: Vec<String> = Vec::new();
        let units = self.units(user).await?;
        for case_id in karuna_store::person::cases_of(&self.db, request.person_id).await? {
            if self.can_open(user, case_id).await? {
                cases.push(self.case_export(user, ctx, case_id).await?);
            } else if let Some(c) = karuna_store::case::case_by_id(&self.db, case_id).await? {
                let unit = units
                    .iter()
                    .find(|x| x.id == c.unit_id)
                    .map(|x| x.name.clone())
                    .unwrap_or_default();
                if !other_units.contains(&unit) {
                    other_units.push(unit);
                }
            }
        }
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "data_request.export", Outcome::Success),
                "data_request",
                Some(id),
            ),
        )
        .await?;
        Ok(AccessExport {
            request,
            person,
            cases,
            other_units,
            types: self.case_types(user, ctx).await?,
        })
    }
}
