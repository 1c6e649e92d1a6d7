//! Group commit of the events written on their own (reads, denials, failed logins): a request
//! hands its event to one committer task per database handle and waits until it is committed,
//! as before, but the events that arrive while a commit is under way go in together — one
//! transaction and one multi-row `INSERT` for up to [`MAX_BATCH`] events instead of a
//! transaction each. Reads therefore no longer queue one by one behind the single SQLite
//! writer, and the durability promise is unchanged: a request that read a record returns only
//! after its read event is committed. There is no timer: a lone event is written at once.

use crate::audit::NewEvent;
use crate::error::{Result, StoreError};
use crate::time::real_now_db;
use sqlx::AnyPool;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

/// The most events written in one transaction (11 parameters each, well under both
/// databases' limits).
pub const MAX_BATCH: usize = 256;

/// An event waiting for the committer, with its id and time taken when it was handed over.
struct Pending {
    id: Uuid,
    at: String,
    event: NewEvent,
    done: oneshot::Sender<std::result::Result<(), String>>,
}

/// The handle to a database's committer task (cheap to clone; the task ends when the last
/// handle is dropped).
#[derive(Clone, Debug)]
pub struct GroupCommit {
    tx: mpsc::Sender<Pending>,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending").field("id", &self.id).finish()
    }
}

impl GroupCommit {
    /// Starts the committer for `writer` on the current Tokio runtime.
    pub fn start(writer: AnyPool) -> GroupCommit {
        let (tx, rx) = mpsc::channel(4 * MAX_BATCH);
        tokio::spawn(run(writer, rx));
        GroupCommit { tx }
    }

    /// Writes one event, in a batch with whatever else is waiting, and returns its id once it
    /// is committed.
    pub async fn append(&self, event: &NewEvent) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let (done, committed) = oneshot::channel();
        let pending = Pending {
            id,
            at: real_now_db(),
            event: event.clone(),
            done,
        };
        self.tx
            .send(pending)
            .await
            .map_err(|_| StoreError::Open("the audit committer has stopped".into()))?;
        match committed.await {
            Ok(Ok(())) => Ok(id),
            Ok(Err(e)) => Err(StoreError::Open(format!("audit batch: {e}"))),
            Err(_) => Err(StoreError::Open("the audit committer has stopped".into())),
        }
    }
}

async fn run(writer: AnyPool, mut rx: mpsc::Receiver<Pending>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let result = write(&writer, &batch).await.map_err(|e| e.to_string());
        for p in batch.drain(..) {
            // A caller that gave up waiting no longer needs the answer.
            let _ = p.done.send(result.clone());
        }
    }
}

async fn write(writer: &AnyPool, batch: &[Pending]) -> Result<()> {
    let mut sql = String::from(
        "INSERT INTO audit_event (id, occurred_at, org_id, actor_id, actor_username, action, \
         entity_type, entity_id, outcome, reason, request_id) VALUES ",
    );
    for i in 0..batch.len() {
        let b = i * 11;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for k in 1..=11 {
            if k > 1 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", b + k));
        }
        sql.push(')');
    }
    let mut q = sqlx::query(&sql);
    for p in batch {
        let e = &p.event;
        q = q
            .bind(p.id.to_string())
            .bind(p.at.clone())
            .bind(e.org_id.map(|u| u.to_string()))
            .bind(e.actor_id.map(|u| u.to_string()))
            .bind(e.actor_username.clone())
            .bind(e.action.clone())
            .bind(e.entity_type.clone())
            .bind(e.entity_id.clone())
            .bind(e.outcome.clone())
            .bind(e.reason.clone())
            .bind(e.request_id.clone());
    }
    let mut tx = writer.begin().await?;
    q.execute(&mut *tx).await.map_err(StoreError::from_insert)?;
    tx.commit().await?;
    Ok(())
}
