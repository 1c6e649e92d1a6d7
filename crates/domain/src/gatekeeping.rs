//! Gatekeeping of scarce resources (การควบคุมการเข้าถึงทรัพยากร): programmes of a resource with a
//! unit of allocation, documents required and eligibility criteria (`criteria`); authority
//! limits per role or person; requests for an allocation that the person whose authority
//! covers them decides; budgets by Thai fiscal year kept as an append-only ledger (`budget`).
//!
//! Amounts are whole numbers in the programme's **minor unit**: satang for baht, otherwise
//! the unit itself (nights, places, items). Never a float.

pub mod budget;
pub mod criteria;

use crate::error::{FieldError, Validation};
use serde::{Deserialize, Serialize};

/// The longest name of a programme.
pub const NAME_MAX: usize = 200;
/// The longest description, justification or reason.
pub const TEXT_MAX: usize = 4000;
/// The most documents a programme lists.
pub const DOCUMENTS_MAX: usize = 20;
/// The most authority lines a programme has.
pub const AUTHORITIES_MAX: usize = 30;
/// The largest amount anything can be (one trillion baht in satang): far beyond any budget,
/// far inside an `i64`, so sums never overflow.
pub const AMOUNT_MAX: i64 = 100_000_000_000_000;

/// What a programme allocates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Money (amounts in satang).
    Baht,
    /// Nights (of a shelter bed).
    Nights,
    /// Places (in a programme).
    Places,
    /// Items (devices, kits).
    Items,
}

impl Unit {
    /// Every unit.
    pub const ALL: [Unit; 4] = [Unit::Baht, Unit::Nights, Unit::Places, Unit::Items];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Unit::Baht => "baht",
            Unit::Nights => "nights",
            Unit::Places => "places",
            Unit::Items => "items",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Unit> {
        Unit::ALL.into_iter().find(|u| u.code() == code)
    }

    /// Minor units in one unit (100 satang in a baht).
    pub fn scale(self) -> i64 {
        match self {
            Unit::Baht => 100,
            _ => 1,
        }
    }

    /// Parses an amount typed in this unit (`2,000`, `1250.50`, Thai digits) into minor
    /// units; baht take at most two decimals, the others whole numbers. Zero and negatives
    /// are refused unless `signed` allows a negative (a budget reduction).
    pub fn parse(self, text: &str, signed: bool) -> Result<i64, &'static str> {
        let t: String = text
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '_' && !c.is_whitespace())
            .map(|c| match c {
                '๐'..='๙' => char::from(b'0' + (c as u32 - '๐' as u32) as u8),
                c => c,
            })
            .collect();
        if t.is_empty() {
            return Err("required");
        }
        let (neg, rest) = match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t.strip_prefix('+').unwrap_or(&t)),
        };
        let (whole, frac) = rest.split_once('.').unwrap_or((rest, ""));
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty()
            || !digits(whole)
            || !digits(frac)
            || (rest.contains('.') && frac.is_empty())
        {
            return Err("gatekeeping.amount_invalid");
        }
        let places = if self == Unit::Baht { 2 } else { 0 };
        if frac.len() > places {
            return Err(if places == 0 {
                "gatekeeping.amount_whole"
            } else {
                "gatekeeping.amount_satang"
            });
        }
        if whole.len() > 15 {
            return Err("gatekeeping.amount_too_large");
        }
        let w: i64 = whole.parse().map_err(|_| "gatekeeping.amount_invalid")?;
        let mut f: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| "gatekeeping.amount_invalid")?
        };
        if places == 2 && frac.len() == 1 {
            f *= 10;
        }
        let minor = w
            .checked_mul(self.scale())
            .and_then(|m| m.checked_add(f))
            .filter(|m| *m <= AMOUNT_MAX)
            .ok_or("gatekeeping.amount_too_large")?;
        if minor == 0 {
            return Err("gatekeeping.amount_positive");
        }
        if neg && !signed {
            return Err("gatekeeping.amount_positive");
        }
        Ok(if neg { -minor } else { minor })
    }

    /// Minor units as typed back (`200000` satang → `2000`, `125050` → `1250.50`).
    pub fn plain(self, minor: i64) -> String {
        if self == Unit::Baht {
            let sign = if minor < 0 { "-" } else { "" };
            let a = minor.unsigned_abs();
            if a.is_multiple_of(100) {
                format!("{sign}{}", a / 100)
            } else {
                format!("{sign}{}.{:02}", a / 100, a % 100)
            }
        } else {
            minor.to_string()
        }
    }

    /// Minor units for a reader: thousands grouped, satang only when there are some.
    pub fn show(self, minor: i64) -> String {
        if self == Unit::Baht {
            karuna_thai::number::baht(minor)
        } else {
            karuna_thai::number::group_int(minor)
        }
    }
}

/// One line of who may decide how much.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AuthorityInput {
    /// A role code (`case_manager`, `supervisor`); or leave empty and name a person.
    pub role: String,
    /// A person's username (for example a committee member); or leave empty.
    pub username: String,
    /// The most they may approve, in the programme's unit (empty: no limit — a committee).
    pub limit: String,
}

/// A programme as typed by an administrator.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ProgrammeInput {
    /// Name in Thai.
    pub name_th: String,
    /// Name in English (optional).
    pub name_en: String,
    /// What it gives and to whom.
    pub description: String,
    /// `baht`, `nights`, `places` or `items` (cannot change once requests exist).
    pub unit: String,
    /// For nights, places and items: how many can be allocated at once (empty: no limit).
    pub capacity: String,
    /// The documents a request needs, one per entry.
    pub documents: Vec<String>,
    /// Who may decide how much.
    pub authorities: Vec<AuthorityInput>,
    /// `active` (default) or `closed` (no new requests).
    pub status: String,
    /// The version read (a change only).
    pub version: Option<i64>,
}

/// An authority line after checking (the person's id is the use case's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidAuthority {
    /// Role code.
    pub role: Option<String>,
    /// Username.
    pub username: Option<String>,
    /// Limit in minor units; `None` is no limit.
    pub limit: Option<i64>,
}

/// A programme after checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProgramme {
    /// Name in Thai.
    pub name_th: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Unit.
    pub unit: Unit,
    /// Capacity (not for baht).
    pub capacity: Option<i64>,
    /// Documents.
    pub documents: Vec<String>,
    /// Authorities.
    pub authorities: Vec<ValidAuthority>,
    /// `active` or `closed`.
    pub status: String,
}

/// The roles that may hold an authority to decide (they open cases).
pub const DECIDING_ROLES: [&str; 2] = ["case_manager", "supervisor"];

/// Checks a programme.
pub fn validate_programme(input: &ProgrammeInput) -> Result<ValidProgramme, Vec<FieldError>> {
    let mut v = Validation::new();
    let name_th = v.required("name_th", &input.name_th, NAME_MAX);
    let name_en = v.text("name_en", &input.name_en, NAME_MAX);
    let description = v.text("description", &input.description, TEXT_MAX);
    let unit = match Unit::from_code(input.unit.trim()) {
        Some(u) => u,
        None => {
            v.push(FieldError::new(
                "unit",
                if input.unit.trim().is_empty() {
                    "required"
                } else {
                    "gatekeeping.unit_unknown"
                },
            ));
            Unit::Baht
        }
    };
    let capacity = match input.capacity.trim() {
        "" => None,
        c if unit == Unit::Baht => {
            let _ = c;
            v.push(FieldError::new(
                "capacity",
                "gatekeeping.capacity_not_money",
            ));
            None
        }
        c => match unit.parse(c, false) {
            Ok(n) => Some(n),
            Err(code) => {
                v.push(FieldError::new("capacity", code));
                None
            }
        },
    };
    if input.documents.len() > DOCUMENTS_MAX {
        v.push(FieldError::new("documents", "gatekeeping.too_many").arg("max", DOCUMENTS_MAX));
    }
    let mut documents = Vec::new();
    for (i, d) in input.documents.iter().enumerate() {
        if let Some(d) = v.text(&format!("documents[{i}]"), d, NAME_MAX) {
            if !documents.contains(&d) {
                documents.push(d);
            }
        }
    }
    if input.authorities.len() > AUTHORITIES_MAX {
        v.push(FieldError::new("authorities", "gatekeeping.too_many").arg("max", AUTHORITIES_MAX));
    }
    let mut authorities = Vec::new();
    for (i, a) in input.authorities.iter().enumerate() {
        let role = v.text(&format!("authorities[{i}].role"), &a.role, 40);
        let username = v.text(&format!("authorities[{i}].username"), &a.username, 40);
        let limit_text = a.limit.trim();
        if role.is_none() && username.is_none() && limit_text.is_empty() {
            continue; // an empty row of the form
        }
        match (&role, &username) {
            (None, None) => v.push(FieldError::new(
                format!("authorities[{i}].role"),
                "gatekeeping.authority_who",
            )),
            (Some(_), Some(_)) => v.push(FieldError::new(
                format!("authorities[{i}].username"),
                "gatekeeping.authority_one",
            )),
            (Some(r), None) if !DECIDING_ROLES.contains(&r.as_str()) => v.push(FieldError::new(
                format!("authorities[{i}].role"),
                "gatekeeping.role_cannot_decide",
            )),
            _ => {}
        }
        let limit = if limit_text.is_empty() {
            None
        } else {
            match unit.parse(limit_text, false) {
                Ok(n) => Some(n),
                Err(code) => {
                    v.push(FieldError::new(format!("authorities[{i}].limit"), code));
                    None
                }
            }
        };
        let dup = authorities
            .iter()
            .any(|x: &ValidAuthority| x.role == role && x.username == username);
        if dup {
            v.push(FieldError::new(
                format!("authorities[{i}].role"),
                "gatekeeping.authority_twice",
            ));
        }
        authorities.push(ValidAuthority {
            role,
            username,
            limit,
        });
    }
    let status = match input.status.trim() {
        "" | "active" => "active",
        "closed" => "closed",
        _ => {
            v.push(FieldError::new("status", "gatekeeping.status_unknown"));
            "active"
        }
    };
    v.finish()?;
    Ok(ValidProgramme {
        name_th,
        name_en,
        description,
        unit,
        capacity,
        documents,
        authorities,
        status: status.into(),
    })
}

/// The authority a request needs: the smallest limit that covers `amount`, or — when the
/// eligibility check did not pass — the next level above it (an override belongs to a wider
/// authority). `Some(None)` is the unlimited level (a committee); `None`: no one has it.
pub fn required_level(limits: &[Option<i64>], amount: i64, eligible: bool) -> Option<Option<i64>> {
    let mut levels: Vec<Option<i64>> = limits.to_vec();
    // `None` (unlimited) sorts last.
    levels.sort_by_key(|l| l.map_or((1, 0), |n| (0, n)));
    levels.dedup();
    let covering = levels.iter().position(|l| l.is_none_or(|n| n >= amount))?;
    let at = if eligible { covering } else { covering + 1 };
    levels.get(at).copied()
}

/// True when a person whose widest authority is `held` may decide at level `needed`.
pub fn covers(held: Option<Option<i64>>, needed: Option<i64>) -> bool {
    match (held, needed) {
        (None, _) => false,
        (Some(None), _) => true,
        (Some(Some(_)), None) => false,
        (Some(Some(h)), Some(n)) => h >= n,
    }
}

/// The widest of a person's authority lines (`Some(None)` is unlimited).
pub fn widest(limits: &[Option<i64>]) -> Option<Option<i64>> {
    if limits.is_empty() {
        None
    } else if limits.iter().any(|l| l.is_none()) {
        Some(None)
    } else {
        limits.iter().flatten().max().copied().map(Some)
    }
}

/// A request for an allocation, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RequestInput {
    /// The programme (its id).
    pub programme_id: String,
    /// How much, in the programme's unit (`2000`, `1,250.50` baht; `3` nights).
    pub amount: String,
    /// The plan goal it serves (its id), if any.
    pub goal_id: String,
    /// What it is for.
    pub purpose: String,
    /// Why the client needs it.
    pub justification: String,
}

/// A request's own fields after checking (the programme, goal and amount's unit are the use
/// case's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRequest {
    /// Programme id as typed.
    pub programme_id: String,
    /// Goal id as typed.
    pub goal_id: Option<String>,
    /// Purpose.
    pub purpose: String,
    /// Justification.
    pub justification: String,
}

/// Checks a request's text fields.
pub fn validate_request(input: &RequestInput) -> Result<ValidRequest, Vec<FieldError>> {
    let mut v = Validation::new();
    let programme_id = v.required("programme_id", &input.programme_id, 64);
    let goal_id = v.text("goal_id", &input.goal_id, 64);
    let purpose = v.required("purpose", &input.purpose, NAME_MAX);
    let justification = v.required("justification", &input.justification, TEXT_MAX);
    v.check(input.amount.trim().is_empty(), "amount", "required");
    v.finish()?;
    Ok(ValidRequest {
        programme_id,
        goal_id,
        purpose,
        justification,
    })
}

/// Where a request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// Waiting for a decision.
    Pending,
    /// Eligible, but the programme is full: on the waiting list.
    Waiting,
    /// Approved (committed from the budget or capacity).
    Approved,
    /// Declined, with a reason the client can be told.
    Declined,
    /// Withdrawn by the case team before a decision.
    Withdrawn,
    /// Approved, then finished: what was not paid out (or the place) is given back.
    Closed,
}

impl RequestStatus {
    /// Every status.
    pub const ALL: [RequestStatus; 6] = [
        RequestStatus::Pending,
        RequestStatus::Waiting,
        RequestStatus::Approved,
        RequestStatus::Declined,
        RequestStatus::Withdrawn,
        RequestStatus::Closed,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::Pending => "pending",
            RequestStatus::Waiting => "waiting",
            RequestStatus::Approved => "approved",
            RequestStatus::Declined => "declined",
            RequestStatus::Withdrawn => "withdrawn",
            RequestStatus::Closed => "closed",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<RequestStatus> {
        RequestStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A decision as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DecisionInput {
    /// `approve`, `decline` or `withdraw` (the case team, before a decision).
    pub decision: String,
    /// Declining: the reason the client can be told (required). Withdrawing: why.
    pub reason: String,
    /// Approving a request that did not pass its eligibility check: why (required then).
    pub override_reason: String,
    /// Approving beyond the budget's balance (an unlimited authority only): why.
    pub budget_override_reason: String,
    /// The request's version as read.
    pub version: i64,
}

/// A decision after checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDecision {
    /// `approve`, `decline` or `withdraw`.
    pub decision: &'static str,
    /// Reason.
    pub reason: Option<String>,
    /// Override reason.
    pub override_reason: Option<String>,
    /// Budget override reason.
    pub budget_override_reason: Option<String>,
}

/// Checks a decision's fields (the authority and state are the use case's).
pub fn validate_decision(input: &DecisionInput) -> Result<ValidDecision, Vec<FieldError>> {
    let mut v = Validation::new();
    let decision = match input.decision.trim() {
        "approve" => "approve",
        "decline" => "decline",
        "withdraw" => "withdraw",
        "" => {
            v.push(FieldError::new("decision", "required"));
            "approve"
        }
        _ => {
            v.push(FieldError::new("decision", "gatekeeping.decision_unknown"));
            "approve"
        }
    };
    let reason = v.text("reason", &input.reason, TEXT_MAX);
    v.check(
        decision != "approve" && reason.is_none(),
        "reason",
        "required",
    );
    let override_reason = v.text("override_reason", &input.override_reason, TEXT_MAX);
    let budget_override_reason = v.text(
        "budget_override_reason",
        &input.budget_override_reason,
        TEXT_MAX,
    );
    v.finish()?;
    Ok(ValidDecision {
        decision,
        reason,
        override_reason,
        budget_override_reason,
    })
}

/// A waiting request's place in the queue: higher urgency first, then higher safety concern
/// (an emergency case), then who has waited longest. The documented order a gatekeeper sees.
pub fn queue_key(urgency: &str, waiting_since: &str) -> (u8, String) {
    let rank = match urgency {
        "emergency" => 0,
        "urgent" => 1,
        _ => 2,
    };
    (rank, waiting_since.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact() {
        assert_eq!(Unit::Baht.parse("2,000", false), Ok(200_000));
        assert_eq!(Unit::Baht.parse("1250.5", false), Ok(125_050));
        assert_eq!(Unit::Baht.parse("๒,๐๐๐.๒๕", false), Ok(200_025));
        assert_eq!(Unit::Baht.parse("0.01", false), Ok(1));
        assert_eq!(Unit::Baht.parse("-500", true), Ok(-50_000));
        assert_eq!(
            Unit::Baht.parse("-500", false),
            Err("gatekeeping.amount_positive")
        );
        assert_eq!(
            Unit::Baht.parse("0", false),
            Err("gatekeeping.amount_positive")
        );
        assert_eq!(
            Unit::Baht.parse("1.234", false),
            Err("gatekeeping.amount_satang")
        );
        assert_eq!(
            Unit::Baht.parse("abc", false),
            Err("gatekeeping.amount_invalid")
        );
        assert_eq!(
            Unit::Baht.parse("1e5", false),
            Err("gatekeeping.amount_invalid")
        );
        assert_eq!(
            Unit::Baht.parse("12.", false),
            Err("gatekeeping.amount_invalid")
        );
        assert_eq!(Unit::Baht.parse("", false), Err("required"));
        assert_eq!(
            Unit::Baht.parse("99999999999999999999", false),
            Err("gatekeeping.amount_too_large")
        );
        assert_eq!(Unit::Nights.parse("3", false), Ok(3));
        assert_eq!(
            Unit::Nights.parse("1.5", false),
            Err("gatekeeping.amount_whole")
        );
        assert_eq!(Unit::Baht.plain(125_050), "1250.50");
        assert_eq!(Unit::Baht.plain(200_000), "2000");
        assert_eq!(Unit::Baht.show(200_000), "2,000");
    }

    #[test]
    fn the_authority_that_covers_a_request() {
        let limits = [Some(300_000), Some(2_000_000), None];
        assert_eq!(required_level(&limits, 200_000, true), Some(Some(300_000)));
        assert_eq!(
            required_level(&limits, 800_000, true),
            Some(Some(2_000_000))
        );
        assert_eq!(required_level(&limits, 5_000_000, true), Some(None));
        // Not eligible: one level up.
        assert_eq!(
            required_level(&limits, 200_000, false),
            Some(Some(2_000_000))
        );
        assert_eq!(required_level(&limits, 800_000, false), Some(None));
        assert_eq!(required_level(&limits, 5_000_000, false), None);
        // No committee: above every authority.
        assert_eq!(required_level(&limits[..2], 5_000_000, true), None);
        assert!(covers(Some(Some(300_000)), Some(300_000)));
        assert!(!covers(Some(Some(300_000)), Some(2_000_000)));
        assert!(!covers(Some(Some(300_000)), None));
        assert!(covers(Some(None), None));
        assert!(!covers(None, Some(1)));
        assert_eq!(widest(&[Some(5), Some(9)]), Some(Some(9)));
        assert_eq!(widest(&[Some(5), None]), Some(None));
        assert_eq!(widest(&[]), None);
    }

    #[test]
    fn a_programme_is_checked_field_by_field() {
        let mut p = ProgrammeInput {
            name_th: "เงินสงเคราะห์ฉุกเฉิน".into(),
            unit: "baht".into(),
            authorities: vec![
                AuthorityInput {
                    role: "case_manager".into(),
                    limit: "3,000".into(),
                    ..Default::default()
                },
                AuthorityInput {
                    role: "supervisor".into(),
                    limit: "20000".into(),
                    ..Default::default()
                },
                AuthorityInput {
                    username: "director".into(),
                    ..Default::default()
                },
                AuthorityInput::default(),
            ],
            ..Default::default()
        };
        let v = validate_programme(&p).unwrap();
        assert_eq!(v.authorities.len(), 3);
        assert_eq!(v.authorities[0].limit, Some(300_000));
        assert_eq!(v.authorities[2].limit, None);
        p.unit = "litres".into();
        p.capacity = "5".into();
        p.authorities[0].role = "auditor".into();
        let errs = validate_programme(&p).unwrap_err();
        let codes: Vec<_> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert!(codes.contains(&("unit", "gatekeeping.unit_unknown")));
        assert!(codes.contains(&("authorities[0].role", "gatekeeping.role_cannot_decide")));
    }

    #[test]
    fn decisions_need_their_reasons() {
        let d = DecisionInput {
            decision: "decline".into(),
            ..Default::default()
        };
        assert_eq!(validate_decision(&d).unwrap_err()[0].field, "reason");
        let d = DecisionInput {
            decision: "grant".into(),
            ..Default::default()
        };
        assert_eq!(
            validate_decision(&d).unwrap_err()[0].code,
            "gatekeeping.decision_unknown"
        );
    }
}
