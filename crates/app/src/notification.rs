//! The in-app inbox: what was written for me (a task assigned, work awaiting my approval, a case
//! transferred to me, reminders of promises, tasks and follow-ups falling due), listed and
//! counted only for cases I may still open, marked read one by one or all at once; and the
//! reminder job that writes the reminders.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::Utc;
use karuna_domain::audit::Outcome;
use karuna_store::audit;
use karuna_store::notification::{self as store, NotificationRow};
use karuna_thai::calendar::bangkok_date;
use uuid::Uuid;

/// The most notifications a list returns.
pub const INBOX_LIMIT: i64 = 200;

impl App {
    /// My notifications, newest first (only the unread ones when `unread_only`), on cases I may
    /// still open; an audited read (`notification.list`: they name cases).
    pub async fn inbox(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        unread_only: bool,
    ) -> Result<Vec<NotificationRow>, AppError> {
        let rows = store::list(&self.db, user.case_scope(), unread_only, INBOX_LIMIT).await?;
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "notification.list", Outcome::Success),
                "notification",
                None,
            ),
        )
        .await?;
        Ok(rows)
    }

    /// How many of my notifications are unread (the navigation's badge): a count only, on cases
    /// I may still open; not audited (no personal data).
    pub async fn unread_notifications(&self, user: &CurrentUser) -> Result<i64, AppError> {
        Ok(store::unread_count(&self.db, user.case_scope()).await?)
    }

    /// Marks one of my notifications read and returns it (to follow its link); `NotFound` when
    /// it is not mine or its case is no longer mine to open.
    pub async fn open_notification(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<NotificationRow, AppError> {
        let row = store::get(&self.db, user.case_scope(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        if row.read_at.is_none() {
            self.mark_read(user, ctx, &[id]).await?;
        }
        Ok(row)
    }

    /// Marks all my notifications read; returns how many changed.
    pub async fn mark_all_notifications_read(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<u64, AppError> {
        self.mark_read(user, ctx, &[]).await
    }

    async fn mark_read(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        ids: &[Uuid],
    ) -> Result<u64, AppError> {
        let mut tx = self.db.begin().await?;
        let n = store::mark_read(&mut tx, user.actor.id, ids).await?;
        let id = (ids.len() == 1).then(|| ids[0]);
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "notification.read", Outcome::Success),
                "notification",
                id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    /// The reminder job: writes a reminder of each open promise, task and follow-up after
    /// closure falling due from today to `settings.reminder_days` ahead (Bangkok dates) that has
    /// none yet, and the alerts of referrals unanswered or with a check-in missed
    /// (`referral_alerts`). Safe to run from any number of servers at once (see
    /// `store::notification::write_reminders`); returns how many were written.
    pub async fn send_reminders(&self) -> Result<u64, AppError> {
        let today = bangkok_date(Utc::now());
        let until = today + chrono::Duration::days(self.settings.reminder_days.clamp(0, 60));
        let reminders = store::write_reminders(&self.db, today, until).await?;
        Ok(reminders + self.referral_alerts(today).await?)
    }
}
