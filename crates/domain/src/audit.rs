//! The audit trail's pure part: what an event says and how the hash chain is computed, so the
//! sealer and `karuna audit verify` agree byte for byte.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash that precedes the first sealed row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// How an audited attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Done.
    Success,
    /// Refused by the access policy or missing credentials.
    Denied,
    /// Attempted and failed (for example a wrong password).
    Failure,
}

impl Outcome {
    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::Failure => "failure",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Outcome> {
        [Outcome::Success, Outcome::Denied, Outcome::Failure]
            .into_iter()
            .find(|o| o.code() == code)
    }
}

/// The fields of an audit row that the chain protects, in their canonical order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// Row id (UUIDv7).
    pub id: String,
    /// When it happened, RFC 3339 UTC with microseconds.
    pub occurred_at: String,
    /// The organisation, when known.
    pub org_id: Option<String>,
    /// The acting account, when known.
    pub actor_id: Option<String>,
    /// The acting account's username at the time (or the attempted one for failed logins).
    pub actor_username: Option<String>,
    /// What was attempted, e.g. `account.create`.
    pub action: String,
    /// The kind of record touched.
    pub entity_type: Option<String>,
    /// The record(s) touched.
    pub entity_id: Option<String>,
    /// How it ended.
    pub outcome: String,
    /// Why: a deny reason, an override reason, a failure cause.
    pub reason: Option<String>,
    /// The request that caused it, to join with application logs.
    pub request_id: Option<String>,
}

impl AuditRecord {
    /// The canonical byte string hashed into the chain: a JSON array of the fields in order.
    pub fn canonical(&self) -> String {
        serde_json::json!([
            self.id,
            self.occurred_at,
            self.org_id,
            self.actor_id,
            self.actor_username,
            self.action,
            self.entity_type,
            self.entity_id,
            self.outcome,
            self.reason,
            self.request_id,
        ])
        .to_string()
    }

    /// `SHA-256(prev_hash ‖ canonical row)` in lowercase hex.
    pub fn chain_hash(&self, prev_hash: &str) -> String {
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        h.update(self.canonical().as_bytes());
        hex::encode(h.finalize())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec() -> AuditRecord {
        AuditRecord {
            id: "0192".into(),
            occurred_at: "2026-11-23T09:00:00.000000Z".into(),
            org_id: None,
            actor_id: Some("a".into()),
            actor_username: Some("demo-admin".into()),
            action: "login".into(),
            entity_type: None,
            entity_id: None,
            outcome: "success".into(),
            reason: None,
            request_id: Some("r1".into()),
        }
    }

    #[test]
    fn hash_depends_on_every_field_and_the_previous_hash() {
        let base = rec().chain_hash(GENESIS_HASH);
        assert_eq!(base.len(), 64);
        assert_ne!(base, rec().chain_hash(&base));
        let mut changed = rec();
        changed.outcome = "failure".into();
        assert_ne!(base, changed.chain_hash(GENESIS_HASH));
        let mut moved = rec();
        moved.actor_id = None;
        moved.actor_username = Some("a".into());
        assert_ne!(
            base,
            moved.chain_hash(GENESIS_HASH),
            "fields must not run together"
        );
    }
}
