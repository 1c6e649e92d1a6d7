//! Assessments: template versions managed by admins (import, preview, export, publish — never
//! case content), and assessments of a case by its team (start with the latest published
//! version, save, complete with scores, compare over time).

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::Action;
use karuna_domain::assessment::{
    check_notes, export_template, parse_template, score, validate_answers, Answers, DomainNotes,
    Mode, Scores, Template, Text,
};
use karuna_domain::audit::Outcome;
use karuna_domain::case::Urgency;
use karuna_domain::case_type::default_template;
use karuna_domain::FieldError;
use karuna_store::assessment::{self as store, AssessmentRow, TemplateRow};
use karuna_store::audit;
use karuna_store::case::CaseRow;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// What the case team sends when saving or completing an assessment.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssessmentInput {
    /// The version read (a stale one is refused with 409).
    pub version: i64,
    /// Answers by question id.
    #[schema(value_type = Object)]
    pub answers: Answers,
    /// The worker's notes by domain code.
    pub notes: BTreeMap<String, DomainNotes>,
}

/// An assessment with the template version it was made with.
#[derive(Debug, Clone)]
pub struct AssessmentView {
    /// The assessment.
    pub assessment: AssessmentRow,
    /// Its template version.
    pub template: TemplateRow,
    /// The files attached to it (names and sizes).
    pub files: Vec<karuna_store::attachment::AttachmentInfo>,
}

/// One completed assessment in a comparison.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComparedAssessment {
    /// Id.
    pub id: Uuid,
    /// Template version it was made with.
    pub template_version: i64,
    /// Completed.
    pub completed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Scores.
    pub scores: Scores,
}

/// A domain in a comparison.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComparedDomain {
    /// The domain's code.
    pub code: String,
    /// Its title.
    pub title: Text,
}

/// Completed assessments of one template key on a case, oldest first, side by side.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Comparison {
    /// Template key.
    pub template_key: String,
    /// Title (of the latest version used).
    pub title: Text,
    /// Scored domains in template order.
    pub domains: Vec<ComparedDomain>,
    /// The assessments.
    pub assessments: Vec<ComparedAssessment>,
}

fn merge(
    a: Result<Answers, Vec<FieldError>>,
    b: Result<BTreeMap<String, DomainNotes>, Vec<FieldError>>,
) -> Result<(Answers, BTreeMap<String, DomainNotes>), AppError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(mut e), Err(more)) => {
            e.extend(more);
            Err(AppError::Invalid(e))
        }
        (Err(e), _) | (_, Err(e)) => Err(AppError::Invalid(e)),
    }
}

/// The urgency a completed assessment calls for when it is above the case's (a level that names
/// an urgency, like the safety assessment's); never lower: lowering is the manager's judgement.
fn raises_urgency(case: &CaseRow, scores: &Scores) -> Option<Urgency> {
    let wanted = Urgency::from_code(scores.urgency.as_deref()?)?;
    let current = Urgency::from_code(&case.urgency).unwrap_or(Urgency::Routine);
    (wanted > current).then_some(wanted)
}

impl App {
    /// Raises the case's urgency in the completing transaction, keeping the earlier details as a
    /// revision that names the assessment, and audits it.
    async fn raise_urgency(
        &self,
        tx: &mut karuna_store::Tx,
        user: &CurrentUser,
        ctx: &Ctx,
        case: &CaseRow,
        urgency: Urgency,
        assessment_id: Uuid,
    ) -> Result<(), AppError> {
        let snapshot = serde_json::json!({
            "urgency": case.urgency, "sensitive": case.sensitive, "case_types": case.case_types,
            "presenting_problem": case.presenting_problem,
        });
        karuna_store::case::set_details(
            tx,
            case.id,
            case.version,
            urgency.code(),
            case.sensitive,
            &case.case_types,
            &case.presenting_problem,
        )
        .await?;
        let why = format!("assessment {assessment_id}");
        karuna_store::revision::record(
            tx,
            "case",
            case.id,
            case.version,
            &snapshot,
            Some(user.actor.id),
            Some(&why),
        )
        .await?;
        let mut e = on(
            event(Some(user), ctx, "case.urgency_raised", Outcome::Success),
            "case",
            Some(case.id),
        );
        e.reason = Some(format!("{} → {} ({why})", case.urgency, urgency.code()));
        audit::append(tx, &e).await?;
        Ok(())
    }

    async fn templates_allowed(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        audit_action: &str,
    ) -> Result<(), AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageTemplates,
            audit_action,
            ("assessment_template", None),
        )
        .await
    }

    /// Every template version of the admin's organisation (shipped ones seeded if missing).
    pub async fn list_templates(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<TemplateRow>, AppError> {
        self.templates_allowed(user, ctx, "assessment_template.list")
            .await?;
        store::seed_shipped(&self.db, user.actor.org_id).await?;
        Ok(store::templates(&self.db, user.actor.org_id).await?)
    }

    /// One template version (admins).
    pub async fn template_version(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<TemplateRow, AppError> {
        self.templates_allowed(user, ctx, "assessment_template.read")
            .await?;
        store::template_by_id(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Parses and validates a template without saving it (the preview).
    pub async fn preview_template(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        text: &str,
    ) -> Result<Template, AppError> {
        self.templates_allowed(user, ctx, "assessment_template.preview")
            .await?;
        Ok(parse_template(text)?)
    }

    /// Imports a template (JSON or YAML) as the next draft version of its key.
    pub async fn import_template(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        text: &str,
    ) -> Result<TemplateRow, AppError> {
        self.templates_allowed(user, ctx, "assessment_template.import")
            .await?;
        let template = parse_template(text)?;
        store::seed_shipped(&self.db, user.actor.org_id).await?;
        let mut tx = self.db.begin().await?;
        let version =
            store::next_template_version(&mut tx, user.actor.org_id, &template.key).await?;
        let id = store::insert_template(
            &mut tx,
            user.actor.org_id,
            version,
            &template,
            false,
            Some(user.actor.id),
        )
        .await?;
        let mut e = on(
            event(
                Some(user),
                ctx,
                "assessment_template.import",
                Outcome::Success,
            ),
            "assessment_template",
            Some(id),
        );
        e.reason = Some(format!("{} v{version}", template.key));
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        store::template_by_id(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Publishes a draft version; a published version never changes.
    pub async fn publish_template(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<(), AppError> {
        self.templates_allowed(user, ctx, "assessment_template.publish")
            .await?;
        store::template_by_id(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut tx = self.db.begin().await?;
        if !store::publish_template(&mut tx, id, user.actor.id).await? {
            return Err(AppError::field("id", "assessment.template.not_draft"));
        }
        audit::append(
            &mut tx,
            &on(
                event(
                    Some(user),
                    ctx,
                    "assessment_template.publish",
                    Outcome::Success,
                ),
                "assessment_template",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A template version as YAML or JSON, for editing and importing again.
    pub async fn export_template(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        yaml: bool,
    ) -> Result<(TemplateRow, String), AppError> {
        let row = self.template_version(user, ctx, id).await?;
        let text = export_template(&row.template, yaml).map_err(AppError::Internal)?;
        Ok((row, text))
    }

    /// The latest published version of every template, for the case team to choose from.
    pub async fn available_templates(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<TemplateRow>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ListCases,
            "assessment_template.list",
            ("assessment_template", None),
        )
        .await?;
        self.published_templates(user.actor.org_id).await
    }

    /// The latest published version of every template of an organisation, shipped ones seeded
    /// if missing (internal: no access check).
    pub(crate) async fn published_templates(
        &self,
        org_id: Uuid,
    ) -> Result<Vec<TemplateRow>, AppError> {
        store::seed_shipped(&self.db, org_id).await?;
        let mut latest: Vec<TemplateRow> = Vec::new();
        for t in store::templates(&self.db, org_id).await? {
            if t.status == "published" && !latest.iter().any(|l| l.key == t.key) {
                latest.push(t);
            }
        }
        Ok(latest)
    }

    /// The template a new assessment of a case starts with: its types' template (the first
    /// of its types whose template is published), else the holistic one.
    pub async fn case_default_template(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<Option<String>, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Open, "case.read")
            .await?;
        self.default_template_of(&case).await
    }

    async fn default_template_of(&self, case: &CaseRow) -> Result<Option<String>, AppError> {
        let published = self.published_templates(case.org_id).await?;
        let keys: Vec<&str> = published.iter().map(|t| t.key.as_str()).collect();
        let types = self.case_types_of(case.org_id).await?;
        Ok(default_template(&types, &case.case_types, &keys))
    }

    /// Starts an assessment of a case with the latest published version of a template (an
    /// empty key: the case type's, `case_default_template`); the assessment keeps that version
    /// whatever is published later.
    pub async fn start_assessment(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        key: &str,
    ) -> Result<Uuid, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "assessment.create")
            .await?;
        store::seed_shipped(&self.db, case.org_id).await?;
        let key = match key.trim() {
            "" => self.default_template_of(&case).await?.unwrap_or_default(),
            k => k.to_string(),
        };
        let template = store::latest_published(&self.db, case.org_id, &key)
            .await?
            .ok_or_else(|| AppError::field("template_key", "assessment.template.unknown"))?;
        let mut tx = self.db.begin().await?;
        let id = store::insert(&mut tx, case.org_id, case_id, &template, user.actor.id).await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        let mut e = on(
            event(Some(user), ctx, "assessment.create", Outcome::Success),
            "assessment",
            Some(id),
        );
        e.reason = Some(format!(
            "{} {} v{}",
            case.number, template.key, template.version
        ));
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The case an assessment belongs to (`NotFound` when there is none).
    pub async fn assessment_case(&self, id: Uuid) -> Result<Uuid, AppError> {
        store::case_of(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    async fn load_assessment(&self, id: Uuid) -> Result<AssessmentView, AppError> {
        let assessment = store::by_id(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let template = store::template_of(&self.db, assessment.template_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let files = karuna_store::attachment::of_assessment(&self.db, id).await?;
        Ok(AssessmentView {
            assessment,
            template,
            files,
        })
    }

    /// One assessment with its template version (audited as a read of case content).
    pub async fn assessment(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<AssessmentView, AppError> {
        let case_id = self.assessment_case(id).await?;
        self.case_for(user, ctx, case_id, CaseAccess::Open, "assessment.read")
            .await?;
        let view = self.load_assessment(id).await?;
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "assessment.read", Outcome::Success),
                "assessment",
                Some(id),
            ),
        )
        .await?;
        Ok(view)
    }

    /// A case's assessments, oldest first.
    pub async fn case_assessments(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<Vec<AssessmentRow>, AppError> {
        self.case_for(user, ctx, case_id, CaseAccess::Open, "assessment.list")
            .await?;
        let rows = store::for_case(&self.db, case_id).await?;
        self.audit_read(user, ctx, "assessment.list", ("case", case_id))
            .await?;
        Ok(rows)
    }

    /// Saves answers and notes of a draft (what is there must fit; gaps are fine), or with
    /// `complete` checks every shown required question, computes the scores and completes it.
    /// Returns the new version; nothing is saved when anything does not fit.
    pub async fn save_assessment(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &AssessmentInput,
        complete: bool,
    ) -> Result<i64, AppError> {
        let case_id = self.assessment_case(id).await?;
        let action = if complete {
            "assessment.complete"
        } else {
            "assessment.save"
        };
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, action)
            .await?;
        let view = self.load_assessment(id).await?;
        if view.assessment.status != "draft" {
            return Err(AppError::field("status", "assessment.not_draft"));
        }
        let t = &view.template.template;
        let mode = if complete {
            Mode::Complete
        } else {
            Mode::Draft
        };
        let (answers, notes) = merge(
            validate_answers(t, &input.answers, mode),
            check_notes(t, &input.notes),
        )?;
        let scores = complete.then(|| score(t, &answers));
        let mut tx = self.db.begin().await?;
        let v = store::save(
            &mut tx,
            id,
            input.version,
            &answers,
            &notes,
            scores.as_ref(),
            user.actor.id,
        )
        .await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        let mut e = on(
            event(Some(user), ctx, action, Outcome::Success),
            "assessment",
            Some(id),
        );
        e.reason = scores.as_ref().and_then(|s| s.level.clone());
        audit::append(&mut tx, &e).await?;
        if let Some(raised) = scores.as_ref().and_then(|s| raises_urgency(&case, s)) {
            self.raise_urgency(&mut tx, user, ctx, &case, raised, id)
                .await?;
        }
        tx.commit().await?;
        if complete {
            self.screen_after(user, ctx, case_id, "assessment").await;
        }
        Ok(v)
    }

    /// The case's completed assessments of one template key side by side, with domain scores.
    pub async fn compare_assessments(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        key: &str,
    ) -> Result<Comparison, AppError> {
        let rows = self.case_assessments(user, ctx, case_id).await?;
        let done: Vec<AssessmentRow> = rows
            .into_iter()
            .filter(|a| a.template_key == key && a.status == "completed")
            .collect();
        let template = match done.last() {
            Some(a) => store::template_of(&self.db, a.template_id)
                .await?
                .map(|t| t.template),
            None => store::latest_published(&self.db, user.actor.org_id, key)
                .await?
                .map(|t| t.template),
        }
        .ok_or(AppError::NotFound)?;
        let mut domains: Vec<ComparedDomain> = template
            .sections
            .iter()
            .filter(|s| s.questions.iter().any(|q| q.is_scored()))
            .map(|s| ComparedDomain {
                code: s.code.clone(),
                title: s.title.clone(),
            })
            .collect();
        // Domains scored only by an earlier version still appear.
        for a in &done {
            for d in a.scores.iter().flat_map(|s| &s.domains) {
                if !domains.iter().any(|x| x.code == d.code) {
                    domains.push(ComparedDomain {
                        code: d.code.clone(),
                        title: Text {
                            th: d.code.clone(),
                            en: d.code.clone(),
                        },
                    });
                }
            }
        }
        Ok(Comparison {
            template_key: key.to_string(),
            title: template.title,
            domains,
            assessments: done
                .into_iter()
                .map(|a| ComparedAssessment {
                    id: a.id,
                    template_version: a.template_version,
                    completed_at: a.completed_at,
                    scores: a.scores.unwrap_or_default(),
                })
                .collect(),
        })
    }
}
