//! Consultation threads on a case: asked, answered and read by whoever may open the case (the
//! access rule of the case, nothing wider); colleagues are mentioned only if they may open it
//! too, and are told in their inbox; the one who asked, or whoever steers the case, marks it
//! resolved with the advice taken.

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::{decide, is_on_case, Action, CaseFacts, DenyReason};
use karuna_domain::audit::Outcome;
use karuna_domain::consultation::{
    validate_consultation, validate_reply, validate_resolution, ConsultationInput, ReplyInput,
    ResolveInput,
};
use karuna_domain::FieldError;
use karuna_store::audit;
use karuna_store::consultation::{self as store, ConsultationRow, MentionRow, ReplyRow};
use karuna_store::db::Tx;
use karuna_store::notification::{notify, NewNotification};
use uuid::Uuid;

/// A case's threads with their replies and mentions.
#[derive(Debug, Clone)]
pub struct CaseConsultations {
    /// Threads, open ones first.
    pub threads: Vec<ConsultationRow>,
    /// Replies, oldest first.
    pub replies: Vec<ReplyRow>,
    /// Mentions, oldest first.
    pub mentions: Vec<MentionRow>,
    /// The viewer may steer the case (resolve any thread).
    pub can_manage: bool,
}

impl App {
    /// Checks the mentioned ids: active colleagues who may open the case (the writer herself is
    /// dropped).
    async fn mentioned(
        &self,
        user: &CurrentUser,
        facts: &CaseFacts,
        ids: &[String],
    ) -> Result<Vec<Uuid>, AppError> {
        let mut out = Vec::new();
        for raw in ids {
            let Some(a) = self.colleague(facts.org_id, raw).await? else {
                return Err(FieldError::new("mention_ids", "task.assignee_unknown").into());
            };
            if !is_on_case(&a, facts) {
                return Err(
                    FieldError::new("mention_ids", "consultation.mention_cannot_open").into(),
                );
            }
            if a.id != user.actor.id {
                out.push(a.id);
            }
        }
        Ok(out)
    }

    async fn tell(
        tx: &mut Tx,
        facts: &CaseFacts,
        case_id: Uuid,
        thread: Uuid,
        kind: &str,
        from: Uuid,
        to: &[Uuid],
    ) -> Result<(), AppError> {
        for a in to.iter().filter(|a| **a != from) {
            let n = NewNotification {
                org_id: facts.org_id,
                kind,
                case_id,
                entity_id: Some(thread),
                actor_id: Some(from),
            };
            notify(tx, *a, &n).await?;
        }
        Ok(())
    }

    /// Asks for advice on a case.
    pub async fn ask(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        input: &ConsultationInput,
    ) -> Result<Uuid, AppError> {
        let (case, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "consultation.create")
            .await?;
        let (subject, question, ids) = validate_consultation(input)?;
        let asked = self.mentioned(user, &facts, &ids).await?;
        let mut tx = self.db.begin().await?;
        let id = store::insert(
            &mut tx,
            case.org_id,
            case_id,
            &subject,
            &question,
            user.actor.id,
        )
        .await?;
        store::insert_mentions(&mut tx, id, None, &asked).await?;
        Self::tell(
            &mut tx,
            &facts,
            case_id,
            id,
            "consultation_mention",
            user.actor.id,
            &asked,
        )
        .await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "consultation.create", Outcome::Success),
                "consultation",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The case a thread belongs to (`NotFound` when there is no such thread).
    pub async fn consultation_case(&self, id: Uuid) -> Result<Uuid, AppError> {
        store::case_of(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Replies to a thread still open; the one who asked is told, and anyone mentioned.
    pub async fn reply(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &ReplyInput,
    ) -> Result<Uuid, AppError> {
        let case_id = self.consultation_case(id).await?;
        let (_, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "consultation.reply")
            .await?;
        let (text, ids) = validate_reply(input)?;
        let mentioned = self.mentioned(user, &facts, &ids).await?;
        let mut tx = self.db.begin().await?;
        let thread = store::by_id_tx(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        if thread.status != "open" {
            return Err(FieldError::new("body", "consultation.resolved").into());
        }
        let reply = store::insert_reply(&mut tx, id, &text, user.actor.id).await?;
        store::insert_mentions(&mut tx, id, Some(reply), &mentioned).await?;
        Self::tell(
            &mut tx,
            &facts,
            case_id,
            id,
            "consultation_mention",
            user.actor.id,
            &mentioned,
        )
        .await?;
        // The one who asked hears of every reply she did not write (unless mentioned above).
        if thread.asked_by != user.actor.id && !mentioned.contains(&thread.asked_by) {
            let still_on_case = self
                .colleague(facts.org_id, &thread.asked_by.to_string())
                .await?
                .is_some_and(|a| is_on_case(&a, &facts));
            if still_on_case {
                Self::tell(
                    &mut tx,
                    &facts,
                    case_id,
                    id,
                    "consultation_reply",
                    user.actor.id,
                    &[thread.asked_by],
                )
                .await?;
            }
        }
        karuna_store::case::touch(&mut tx, case_id).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "consultation.reply", Outcome::Success),
                "consultation",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(reply)
    }

    /// Marks a thread resolved with the advice taken: the one who asked, or whoever steers
    /// the case.
    pub async fn resolve_consultation(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &ResolveInput,
    ) -> Result<i64, AppError> {
        let case_id = self.consultation_case(id).await?;
        let (_, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "consultation.resolve")
            .await?;
        let summary = validate_resolution(input)?;
        let mut tx = self.db.begin().await?;
        let thread = store::by_id_tx(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let steers = decide(&user.actor, Action::ManageCase(&facts)).is_allowed();
        if thread.asked_by != user.actor.id && !steers {
            drop(tx);
            let mut e = on(
                event(Some(user), ctx, "consultation.resolve", Outcome::Denied),
                "consultation",
                Some(id),
            );
            e.reason = Some("not_asker".into());
            audit::append_alone(&self.db, &e).await?;
            return Err(AppError::Forbidden(DenyReason::NotOnCase));
        }
        if thread.status != "open" {
            return Err(FieldError::new("summary", "consultation.resolved").into());
        }
        if thread.version != input.version {
            return Err(AppError::Conflict);
        }
        let v = store::resolve(&mut tx, id, input.version, &summary, user.actor.id).await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "consultation.resolve", Outcome::Success),
                "consultation",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// A case's threads, replies and mentions (audited).
    pub async fn case_consultations(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<CaseConsultations, AppError> {
        let (_, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Open, "consultation.list")
            .await?;
        let threads = store::for_case(&self.db, case_id).await?;
        let ids: Vec<Uuid> = threads.iter().map(|t| t.id).collect();
        let (replies, mentions) = store::replies_and_mentions(&self.db, &ids).await?;
        self.audit_read(user, ctx, "consultation.list", ("case", case_id))
            .await?;
        Ok(CaseConsultations {
            threads,
            replies,
            mentions,
            can_manage: decide(&user.actor, Action::ManageCase(&facts)).is_allowed(),
        })
    }

    /// One thread with its replies and mentions (audited).
    pub async fn consultation(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<(ConsultationRow, Vec<ReplyRow>, Vec<MentionRow>), AppError> {
        let case_id = self.consultation_case(id).await?;
        self.case_for(user, ctx, case_id, CaseAccess::Open, "consultation.read")
            .await?;
        let thread = store::by_id(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (replies, mentions) = store::replies_and_mentions(&self.db, &[id]).await?;
        self.audit_read(user, ctx, "consultation.read", ("consultation", id))
            .await?;
        Ok((thread, replies, mentions))
    }
}
