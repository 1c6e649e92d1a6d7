//! Files on a case: a consent's evidence (see `consent`), and files attached to a contact, an
//! assessment — a police report, a medical certificate, a photo of a home visit. One set of
//! checks for all of them: not empty, at most [`MAX_FILE_BYTES`], a PDF, JPEG or PNG by its
//! first bytes; uploads need the right to edit the case, downloads the right to see the
//! client's identity, and both are audited.

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::audit::Outcome;
use karuna_domain::FieldError;
use karuna_store::attachment::{self as store, AttachedTo, AttachmentInfo, NewAttachment};
use karuna_store::audit;
use sha2::Digest;
use uuid::Uuid;

/// An uploaded file.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    /// The name it had on the user's computer.
    pub filename: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The largest file accepted.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;

/// The longest description of a file, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 200;

/// The record a new file is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachTarget {
    /// A contact (its case is looked up).
    Contact(Uuid),
    /// An assessment (its case is looked up).
    Assessment(Uuid),
    /// A payment recorded against an allocation (its receipt; the case is the request's).
    Payment(Uuid),
}

/// Checks a file: not empty, not too large, a PDF, JPEG or PNG by its first bytes (never by
/// its name). Returns the content type and a safe file name (`fallback` when none is left).
pub(crate) fn check_file(
    field: &str,
    f: &UploadedFile,
    fallback: &str,
) -> Result<(&'static str, String), FieldError> {
    if f.bytes.is_empty() {
        return Err(FieldError::new(field, "attachment.empty"));
    }
    if f.bytes.len() > MAX_FILE_BYTES {
        return Err(FieldError::new(field, "attachment.too_large")
            .arg("max_mb", MAX_FILE_BYTES / (1024 * 1024)));
    }
    let content_type = if f.bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else if f.bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        "image/jpeg"
    } else if f.bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else {
        return Err(FieldError::new(field, "attachment.type"));
    };
    let base = f.filename.rsplit(['/', '\\']).next().unwrap_or("");
    let mut name: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>'))
        .take(200)
        .collect();
    if name.trim().is_empty() {
        name = fallback.into();
    }
    Ok((content_type, name))
}

impl App {
    /// The case a new file's record belongs to (for the adapters' access check before the
    /// body is read, and for `attach_file`); not found when the record is unknown.
    pub async fn attachment_case(&self, target: AttachTarget) -> Result<Uuid, AppError> {
        match target {
            AttachTarget::Contact(id) => self.contact_case(id).await,
            AttachTarget::Assessment(id) => self.assessment_case(id).await,
            AttachTarget::Payment(id) => self.allocation_case(self.entry_request(id).await?).await,
        }
    }

    /// Attaches a file to a contact or an assessment of a case the user may edit, and returns
    /// its description. The file and its audit event are written together.
    pub async fn attach_file(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        target: AttachTarget,
        description: &str,
        file: Option<&UploadedFile>,
    ) -> Result<AttachmentInfo, AppError> {
        let case_id = self.attachment_case(target).await?;
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "attachment.create")
            .await?;
        if let AttachTarget::Payment(id) = target {
            // Only a payment has a receipt: not a commitment, a release or a reversal.
            let entry = karuna_store::budget::entry(&self.db, id)
                .await?
                .ok_or(AppError::NotFound)?;
            if entry.kind != karuna_domain::gatekeeping::budget::EntryKind::Disbursement.code() {
                return Err(AppError::Refused("receipt_not_payment"));
            }
        }
        let mut errors = Vec::new();
        let description = Some(description.trim()).filter(|d| !d.is_empty());
        if description.is_some_and(|d| d.chars().count() > MAX_DESCRIPTION_CHARS) {
            errors
                .push(FieldError::new("description", "too_long").arg("max", MAX_DESCRIPTION_CHARS));
        }
        let checked = match file {
            None => {
                errors.push(FieldError::new("file", "attachment.required"));
                None
            }
            Some(f) => check_file("file", f, "file")
                .map_err(|e| errors.push(e))
                .ok(),
        };
        let (Some(f), Some((content_type, filename))) = (file, checked) else {
            return Err(AppError::Invalid(errors));
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let sha = hex::encode(sha2::Sha256::digest(&f.bytes));
        let to = match target {
            AttachTarget::Contact(id) => AttachedTo::Contact(id),
            AttachTarget::Assessment(id) => AttachedTo::Assessment(id),
            AttachTarget::Payment(id) => AttachedTo::Payment(id),
        };
        let mut tx = self.db.begin().await?;
        let id = store::insert(
            &mut tx,
            &NewAttachment {
                org_id: case.org_id,
                case_id,
                to,
                filename: &filename,
                description,
                content_type,
                content: &f.bytes,
                sha256: &sha,
                created_by: user.actor.id,
            },
            self.settings.attachment_key.as_ref(),
        )
        .await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "attachment.create", Outcome::Success),
                "attachment",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        store::info(&self.db, id).await?.ok_or(AppError::NotFound)
    }

    /// A file, for someone who may open its case and see the client's identity (a signed form
    /// or a police report names the client); every download is audited.
    pub async fn attachment(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<(AttachmentInfo, Vec<u8>), AppError> {
        let (info, bytes) = store::get(&self.db, id, self.settings.attachment_key.as_ref())
            .await?
            .ok_or(AppError::NotFound)?;
        let (_, facts) = self
            .case_for(user, ctx, info.case_id, CaseAccess::Open, "attachment.read")
            .await?;
        self.authorize(
            user,
            ctx,
            karuna_domain::access::Action::SeeClientIdentity(&facts),
            "attachment.read",
            ("attachment", Some(id)),
        )
        .await?;
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "attachment.read", Outcome::Success),
                "attachment",
                Some(id),
            ),
        )
        .await?;
        Ok((info, bytes))
    }

    /// The files of a case (names and sizes only).
    pub async fn case_attachments(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<Vec<AttachmentInfo>, AppError> {
        self.case_for(user, ctx, case_id, CaseAccess::Open, "attachment.list")
            .await?;
        let rows = store::of_case(&self.db, case_id).await?;
        self.audit_read(user, ctx, "attachment.list", ("case", case_id))
            .await?;
        Ok(rows)
    }
}
