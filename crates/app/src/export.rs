//! Export of persons, cases and contacts to CSV or XLSX (`karuna export
//! persons|cases|contacts`), in the import's own columns so an export imports again (a cases
//! export leads with Karuna's number and status, which an import does not read). Access follows the case list
//! exactly: the persons on the cases the acting user may open, without the clients of
//! sensitive cases whose identity she may not see (`SeeClientIdentity`); the contacts of the
//! cases she may open; roles with no case access are refused. Pages of 1,000 rows stream from
//! the database to the file; the export is audited with its count.

use crate::import::columns::{CASE_COLUMNS, CONTACT_COLUMNS, PERSON_COLUMNS};
use crate::import::source::Format;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::{Action, Role};
use karuna_domain::audit::Outcome;
use karuna_store::case_list::Scope;
use karuna_store::person::{AddressRow, PersonRow};
use karuna_store::{audit, matching, person_export as store};
use rust_xlsxwriter::Workbook;
use std::path::Path;
use uuid::Uuid;

/// Persons per page read from the database.
const PAGE: i64 = 1000;

/// Where exported rows go.
enum Sink {
    Csv(Box<csv::Writer<std::fs::File>>),
    Xlsx { book: Box<Workbook>, row: u32 },
}

fn io(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("export: {e}"))
}

impl Sink {
    fn create(path: &Path, format: Format, sheet: &str) -> Result<Sink, AppError> {
        Ok(match format {
            Format::Csv => Sink::Csv(Box::new(csv::Writer::from_path(path).map_err(io)?)),
            Format::Xlsx => {
                let mut book = Box::new(Workbook::new());
                book.add_worksheet_with_constant_memory()
                    .map_err(io)?
                    .set_name(sheet)
                    .map_err(io)?;
                Sink::Xlsx { book, row: 0 }
            }
        })
    }

    fn write(&mut self, cells: &[String]) -> Result<(), AppError> {
        match self {
            Sink::Csv(w) => {
                let safe: Vec<String> = cells.iter().map(|c| csv_safe(c)).collect();
                w.write_record(&safe).map_err(io)
            }
            Sink::Xlsx { book, row } => {
                let sheet = book.worksheet_from_index(0).map_err(io)?;
                for (i, c) in cells.iter().enumerate() {
                    if !c.is_empty() {
                        // Text cells always: a national ID stays 13 digits, never a number.
                        sheet.write_string(*row, i as u16, c).map_err(io)?;
                    }
                }
                *row += 1;
                Ok(())
            }
        }
    }

    fn finish(self, path: &Path) -> Result<(), AppError> {
        match self {
            Sink::Csv(mut w) => w.flush().map_err(io),
            Sink::Xlsx { mut book, .. } => book.save(path).map_err(io),
        }
    }
}

/// A CSV cell a spreadsheet will not run as a formula (a leading `=`, `+`, `-` or `@` gets an
/// apostrophe).
pub fn csv_safe(c: &str) -> String {
    if c.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{c}")
    } else {
        c.to_string()
    }
}

/// One person as a row of the import's columns.
fn person_cells(
    p: &PersonRow,
    phones: &[String],
    docs: &[(String, String, Option<String>)],
    address: Option<&AddressRow>,
) -> Vec<String> {
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    let national = docs.iter().find(|d| d.0 == "thai_national_id");
    let other = docs.iter().find(|d| d.0 != "thai_national_id");
    let a = address.cloned().unwrap_or_default();
    PERSON_COLUMNS
        .iter()
        .map(|c| match c.key {
            "prefix" => s(&p.prefix),
            "first_name" => s(&p.first_name_th),
            "middle_name" => s(&p.middle_name_th),
            "last_name" => s(&p.last_name_th),
            "first_name_latin" => s(&p.first_name_latin),
            "middle_name_latin" => s(&p.middle_name_latin),
            "last_name_latin" => s(&p.last_name_latin),
            "nickname" => s(&p.nickname),
            "sex" => p.sex.clone(),
            "birth_date" => p.birth_date.map(|d| d.to_string()).unwrap_or_default(),
            "birth_year" if p.birth_estimated => {
                p.birth_year.map(|y| y.to_string()).unwrap_or_default()
            }
            "national_id" => national.map(|d| d.1.clone()).unwrap_or_default(),
            "document_kind" => other.map(|d| d.0.clone()).unwrap_or_default(),
            "document_number" => other.map(|d| d.1.clone()).unwrap_or_default(),
            "document_country" => other.and_then(|d| d.2.clone()).unwrap_or_default(),
            "phone" => phones
                .iter()
                .map(|e| karuna_thai::format_phone_th(e))
                .collect::<Vec<_>>()
                .join(", "),
            "nationality" => s(&p.nationality),
            "ethnicity" => s(&p.ethnicity),
            "languages" => p.languages.clone(),
            "house_no" => s(&a.house_no),
            "moo" => s(&a.moo),
            "village" => s(&a.village),
            "soi" => s(&a.soi),
            "road" => s(&a.road),
            "subdistrict_code" => a.subdistrict_code.clone(),
            "district_code" => a.district_code.clone(),
            "province_code" => a.province_code.clone(),
            "postcode" => a.postcode.clone(),
            _ => String::new(),
        })
        .collect()
}

impl App {
    /// An export's access check (`ListCases`: roles without case access are refused and the
    /// refusal audited) and its scope: the case list's need-to-know set; also the unit a
    /// supervisor supervises.
    async fn export_scope(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        entity: &str,
    ) -> Result<(Scope, Option<Uuid>), AppError> {
        self.authorize(
            user,
            ctx,
            Action::ListCases,
            &format!("{entity}.export"),
            (entity, None),
        )
        .await?;
        let supervised = if user.role() == Role::Supervisor {
            user.actor.unit_id
        } else {
            None
        };
        let scope = Scope {
            org_id: user.actor.org_id,
            actor_id: user.actor.id,
            supervisor_unit: supervised,
        };
        Ok((scope, supervised))
    }

    /// Audits a finished export with its row count.
    async fn export_audit(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        entity: &str,
        count: u64,
    ) -> Result<(), AppError> {
        let mut e = on(
            event(
                Some(user),
                ctx,
                &format!("{entity}.export"),
                Outcome::Success,
            ),
            entity,
            None,
        );
        e.reason = Some(format!("rows={count}"));
        audit::append_alone(&self.db, &e).await?;
        Ok(())
    }

    /// Writes the persons `user` may see to `path`; returns how many. `progress` is told each
    /// page's count.
    pub async fn export_persons(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        path: &Path,
        format: Format,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<u64, AppError> {
        let (scope, supervised) = self.export_scope(user, ctx, "person").await?;
        let mut sink = Sink::create(path, format, "persons")?;
        let header: Vec<String> = PERSON_COLUMNS.iter().map(|c| c.key.to_string()).collect();
        sink.write(&header)?;
        let mut after: Option<Uuid> = None;
        let mut count = 0u64;
        loop {
            let page = store::persons_in_scope(&self.db, scope, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            let ids: Vec<Uuid> = page.iter().map(|p| p.id).collect();
            let hidden =
                matching::hidden_clients(&self.db, &ids, user.actor.id, supervised).await?;
            let phones = store::phones_of(&self.db, &ids).await?;
            let docs = store::documents_of(&self.db, &ids).await?;
            let addresses = store::addresses_of(&self.db, &ids).await?;
            for p in page.iter().filter(|p| !hidden.contains(&p.id)) {
                sink.write(&person_cells(
                    p,
                    phones.get(&p.id).map(Vec::as_slice).unwrap_or(&[]),
                    docs.get(&p.id).map(Vec::as_slice).unwrap_or(&[]),
                    addresses.get(&p.id),
                ))?;
                count += 1;
            }
            progress(page.len() as u64);
        }
        sink.finish(path)?;
        self.export_audit(user, ctx, "person", count).await?;
        Ok(count)
    }

    /// Writes the cases `user` may open to `path`: their Karuna number and status, then the
    /// cases import's columns; the client's document number is left empty where the client's
    /// identity is hidden from her (a sensitive case); returns how many.
    pub async fn export_cases(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        path: &Path,
        format: Format,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<u64, AppError> {
        let (scope, supervised) = self.export_scope(user, ctx, "case").await?;
        let mut sink = Sink::create(path, format, "cases")?;
        let header: Vec<String> = CASE_EXPORT_LEAD
            .iter()
            .copied()
            .chain(CASE_COLUMNS.iter().map(|c| c.key))
            .map(str::to_string)
            .collect();
        sink.write(&header)?;
        let mut after: Option<Uuid> = None;
        let mut count = 0u64;
        loop {
            let page =
                karuna_store::case_bulk::cases_in_scope(&self.db, scope, after, PAGE).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.case.id);
            let clients: Vec<Uuid> = page.iter().map(|c| c.case.client_id).collect();
            let hidden =
                matching::hidden_clients(&self.db, &clients, user.actor.id, supervised).await?;
            for c in &page {
                sink.write(&case_cells(c, hidden.contains(&c.case.client_id)))?;
                count += 1;
            }
            progress(page.len() as u64);
        }
        sink.finish(path)?;
        self.export_audit(user, ctx, "case", count).await?;
        Ok(count)
    }

    /// Writes the contacts of the cases `user` may open to `path` (case number, kind, Bangkok
    /// date and time, …: the contacts import's columns); returns how many.
    pub async fn export_contacts(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        path: &Path,
        format: Format,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<u64, AppError> {
        let (scope, _) = self.export_scope(user, ctx, "contact").await?;
        let mut sink = Sink::create(path, format, "contacts")?;
        let header: Vec<String> = CONTACT_COLUMNS.iter().map(|c| c.key.to_string()).collect();
        sink.write(&header)?;
        let mut after: Option<Uuid> = None;
        let mut count = 0u64;
        loop {
            let page =
                karuna_store::contact::contacts_in_scope(&self.db, scope, after, PAGE).await?;
            let Some((_, last)) = page.last() else { break };
            after = Some(last.id);
            for (number, c) in &page {
                sink.write(&contact_cells(number, c))?;
                count += 1;
            }
            progress(page.len() as u64);
        }
        sink.finish(path)?;
        self.export_audit(user, ctx, "contact", count).await?;
        Ok(count)
    }
}

/// The cases export's columns before the import's: Karuna's own, which an import does not
/// read (docs/IMPORT.md).
const CASE_EXPORT_LEAD: [&str; 2] = ["case_number", "status"];

/// One case as a row of the cases export (Bangkok opening date, ISO, Common era).
fn case_cells(c: &karuna_store::case_bulk::CaseExportRow, client_hidden: bool) -> Vec<String> {
    let case = &c.case;
    let (consent, basis, note) = c.consent.clone().unwrap_or_default();
    let lead = [case.number.clone(), case.status.clone()];
    let rest = CASE_COLUMNS.iter().map(|col| match col.key {
        "client_id_number" if client_hidden => String::new(),
        "client_id_number" => c.client_number.clone().unwrap_or_default(),
        "legacy_number" => case.legacy_number.clone().unwrap_or_default(),
        "case_types" => case.case_types.join(","),
        "referral_source" => case.referral_source.clone(),
        "referral_note" => case.referral_note.clone().unwrap_or_default(),
        "presenting_problem" => case.presenting_problem.clone(),
        "urgency" => case.urgency.clone(),
        "sensitive" => if case.sensitive { "1" } else { "0" }.to_string(),
        "opened_on" => (case.opened_at + chrono::Duration::hours(7))
            .format("%Y-%m-%d")
            .to_string(),
        "manager" => c.manager.clone(),
        "consent" => consent.clone(),
        "lawful_basis" => basis.clone().unwrap_or_default(),
        "consent_note" => note.clone().unwrap_or_default(),
        _ => String::new(),
    });
    lead.into_iter().chain(rest).collect()
}

/// One contact as a row of the contacts import's columns (Bangkok date and time).
fn contact_cells(number: &str, c: &karuna_store::contact::ContactRow) -> Vec<String> {
    let local = c.occurred_at + chrono::Duration::hours(7);
    CONTACT_COLUMNS
        .iter()
        .map(|col| match col.key {
            "case_number" => number.to_string(),
            "kind" => c.kind.clone(),
            "date" => local.format("%Y-%m-%d").to_string(),
            "time" if c.time_known => local.format("%H:%M").to_string(),
            "duration_minutes" => c
                .duration_minutes
                .map(|m| m.to_string())
                .unwrap_or_default(),
            "place" => c.place.clone().unwrap_or_default(),
            "note" => c.note.clone(),
            "sources" => c.sources.join(","),
            "follow_up_needed" => if c.follow_up_needed { "1" } else { "0" }.to_string(),
            "follow_up_note" => c.follow_up_note.clone().unwrap_or_default(),
            _ => String::new(),
        })
        .collect()
}
