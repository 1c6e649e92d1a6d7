//! Written advocacy reports (รายงานเสนอแนะเชิงนโยบาย): the unmet needs a case manager sees
//! across her cases, put in writing for an audience — the agency's executives, community
//! leaders, government, providers — with the figures that show them, de-identified examples,
//! the problems met and the solutions proposed. A community needs assessment is a report of
//! the same kind. A report is a draft its writers edit together (a stale version is refused),
//! is submitted for review, and is approved by a supervisor who did not create it, or returned
//! with a reason; an approved report can be revised, which makes it a draft again. Every change
//! keeps a full version. This module owns the codes, the input checks and the steps; the
//! figures are computed by `app::advocacy`.

use crate::error::{FieldError, Validation};
use crate::report::Figure;
use serde::{Deserialize, Serialize};

/// The longest title, in characters.
pub const TITLE_MAX: usize = 200;
/// The longest narrative, problems or solutions text, in characters.
pub const TEXT_MAX: usize = 20_000;
/// The longest example, in characters.
pub const EXAMPLE_MAX: usize = 2_000;
/// The most examples a report holds.
pub const EXAMPLES_MAX: usize = 20;

/// What the report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Unmet needs presented to an audience with proposed solutions.
    Advocacy,
    /// A community needs assessment.
    CommunityNeeds,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 2] = [Kind::Advocacy, Kind::CommunityNeeds];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Advocacy => "advocacy",
            Kind::CommunityNeeds => "community_needs",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// Whom the report is addressed to.
pub const AUDIENCES: [&str; 4] = ["executives", "community_leaders", "government", "providers"];

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Being written; its writers may change it.
    Draft,
    /// Submitted; waiting for a supervisor's approval.
    InReview,
    /// Approved: issued as it stands.
    Approved,
}

impl Status {
    /// Every status.
    pub const ALL: [Status; 3] = [Status::Draft, Status::InReview, Status::Approved];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in_review",
            Status::Approved => "approved",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// A step of the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Draft → in review.
    Submit,
    /// In review → approved (a supervisor who did not create the report).
    Approve,
    /// In review → draft, with a reason.
    Return,
    /// Approved → draft, to write a new version, with a reason.
    Revise,
}

impl Step {
    /// Every step.
    pub const ALL: [Step; 4] = [Step::Submit, Step::Approve, Step::Return, Step::Revise];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Step::Submit => "submit",
            Step::Approve => "approve",
            Step::Return => "return",
            Step::Revise => "revise",
        }
    }

    /// Parses a code.
    pub fn from_code(code: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The status the step starts from and the one it leads to.
    pub fn transition(self) -> (Status, Status) {
        match self {
            Step::Submit => (Status::Draft, Status::InReview),
            Step::Approve => (Status::InReview, Status::Approved),
            Step::Return => (Status::InReview, Status::Draft),
            Step::Revise => (Status::Approved, Status::Draft),
        }
    }

    /// The step needs a reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, Step::Return | Step::Revise)
    }
}

/// The unmet needs a report can show, each a table of rows.
pub const FINDINGS: [&str; 5] = [
    "goals_without_service",
    "declined_no_capacity",
    "ended_early",
    "waiting",
    "budget_strain",
];

/// One row of a finding: what (a dimension code, or a provider's, service's or programme's
/// name) and how many, suppressed below 5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FindingRow {
    /// A plan dimension's code (`goals_without_service`) or a name.
    pub label: String,
    /// How many: goals, referrals, requests; budgets show the share used instead.
    pub figure: Figure,
    /// Median days waited (`waiting`, none under five), or the percent of the budget used
    /// (`budget_strain`).
    pub extra: Option<i64>,
}

/// A finding as kept in the report: the figures as they were when it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Finding {
    /// One of [`FINDINGS`].
    pub key: String,
    /// The author chose to show it.
    pub included: bool,
    /// Its rows, largest first.
    pub rows: Vec<FindingRow>,
}

/// What a report says (everything but its title, audience and scope).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct Content {
    /// The situation, in the author's words.
    pub narrative: String,
    /// The problems met in case management.
    pub problems: String,
    /// The solutions proposed.
    pub solutions: String,
    /// The figures, pre-filled when the report was created.
    pub findings: Vec<Finding>,
    /// De-identified examples, as the author wrote them.
    pub examples: Vec<String>,
}

/// A new report as asked for.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewReportInput {
    /// `advocacy` or `community_needs`.
    pub kind: String,
    /// The title.
    pub title: String,
    /// One of `executives`, `community_leaders`, `government`, `providers`.
    pub audience: String,
    /// The period the figures cover: `fy-2570`, `q-2570-1` or `m-2569-10` (BE).
    pub period: String,
    /// One unit's cases (its id), or empty for the organisation.
    pub unit: String,
    /// The cases of clients with an address in this province (its code), or empty.
    pub province: String,
}

/// A report's text as edited.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReportEdit {
    /// The version edited (a newer one is refused with 409).
    pub version: i64,
    /// The title.
    pub title: String,
    /// The audience's code.
    pub audience: String,
    /// The situation.
    pub narrative: String,
    /// The problems met.
    pub problems: String,
    /// The solutions proposed.
    pub solutions: String,
    /// The keys of the findings to show (others are kept, hidden).
    pub findings: Vec<String>,
    /// The examples, de-identified, in order; empty ones are dropped.
    pub examples: Vec<String>,
}

/// A step as asked for.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct StepInput {
    /// The version the step applies to (a newer one is refused with 409).
    pub version: i64,
    /// `submit`, `approve`, `return` or `revise`.
    pub step: String,
    /// Why (required to return and to revise).
    pub reason: String,
}

/// Checks the title and audience of a new report (the period and scope are the use case's).
pub fn check_new(input: &NewReportInput) -> Result<(Kind, String, String), Vec<FieldError>> {
    let mut v = Validation::new();
    let kind = Kind::from_code(input.kind.trim());
    v.check(kind.is_none(), "kind", "advocacy.kind_unknown");
    let title = v.required("title", &input.title, TITLE_MAX);
    let audience = audience(&mut v, &input.audience);
    v.finish()?;
    Ok((kind.unwrap_or(Kind::Advocacy), title, audience))
}

fn audience(v: &mut Validation, code: &str) -> String {
    let code = code.trim();
    if code.is_empty() {
        v.push(FieldError::new("audience", "required"));
    } else if !AUDIENCES.contains(&code) {
        v.push(FieldError::new("audience", "advocacy.audience_unknown"));
    }
    code.to_string()
}

/// Applies an edit to `content`: texts trimmed and bounded, the findings shown as chosen
/// (an unknown key is refused), the examples without empty ones. Returns the title, the
/// audience and the new content.
pub fn apply_edit(
    content: &Content,
    edit: &ReportEdit,
) -> Result<(String, String, Content), Vec<FieldError>> {
    let mut v = Validation::new();
    let title = v.required("title", &edit.title, TITLE_MAX);
    let audience = audience(&mut v, &edit.audience);
    let narrative = v.text("narrative", &edit.narrative, TEXT_MAX);
    let problems = v.text("problems", &edit.problems, TEXT_MAX);
    let solutions = v.text("solutions", &edit.solutions, TEXT_MAX);
    for (i, key) in edit.findings.iter().enumerate() {
        if !content.findings.iter().any(|f| &f.key == key) {
            v.push(FieldError::new(
                format!("findings[{i}]"),
                "advocacy.finding_unknown",
            ));
        }
    }
    let mut examples = Vec::new();
    for (i, text) in edit.examples.iter().enumerate() {
        if let Some(t) = v.text(&format!("examples[{i}]"), text, EXAMPLE_MAX) {
            examples.push(t);
        }
    }
    if examples.len() > EXAMPLES_MAX {
        v.push(FieldError::new("examples", "too_many").arg("max", EXAMPLES_MAX));
    }
    v.finish()?;
    let findings = content
        .findings
        .iter()
        .map(|f| Finding {
            included: edit.findings.contains(&f.key),
            ..f.clone()
        })
        .collect();
    Ok((
        title,
        audience,
        Content {
            narrative: narrative.unwrap_or_default(),
            problems: problems.unwrap_or_default(),
            solutions: solutions.unwrap_or_default(),
            findings,
            examples,
        },
    ))
}

/// Checks a step from `status`: it must start there, and a return or revision needs a reason.
/// Who may take it is `access::decide`'s.
pub fn check_step(
    status: Status,
    input: &StepInput,
) -> Result<(Step, Option<String>), Vec<FieldError>> {
    let mut v = Validation::new();
    let step = Step::from_code(input.step.trim());
    v.check(step.is_none(), "step", "advocacy.step_unknown");
    let reason = v.text("reason", &input.reason, TEXT_MAX);
    if let Some(s) = step {
        v.check(s.needs_reason() && reason.is_none(), "reason", "required");
        if s.transition().0 != status {
            v.push(FieldError::new("step", "advocacy.step_not_now").arg("status", status.code()));
        }
    }
    v.finish()?;
    Ok((step.unwrap_or(Step::Submit), reason))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> Content {
        Content {
            findings: FINDINGS
                .iter()
                .map(|k| Finding {
                    key: k.to_string(),
                    included: true,
                    rows: Vec::new(),
                })
                .collect(),
            ..Content::default()
        }
    }

    fn edit() -> ReportEdit {
        ReportEdit {
            version: 1,
            title: " รายงาน ".into(),
            audience: "executives".into(),
            findings: vec!["waiting".into()],
            examples: vec!["  ".into(), " หญิง อายุ 30–39 ปี รอ 45 วัน ".into()],
            ..ReportEdit::default()
        }
    }

    #[test]
    fn an_edit_hides_the_findings_not_chosen_and_drops_empty_examples() {
        let (title, audience, c) = apply_edit(&content(), &edit()).expect("valid");
        assert_eq!(
            (title.as_str(), audience.as_str()),
            ("รายงาน", "executives")
        );
        let shown: Vec<&str> = c
            .findings
            .iter()
            .filter(|f| f.included)
            .map(|f| f.key.as_str())
            .collect();
        assert_eq!(shown, ["waiting"]);
        assert_eq!(c.findings.len(), FINDINGS.len(), "hidden findings are kept");
        assert_eq!(c.examples, ["หญิง อายุ 30–39 ปี รอ 45 วัน"]);
    }

    #[test]
    fn an_edit_names_each_bad_field() {
        let bad = ReportEdit {
            title: String::new(),
            audience: "press".into(),
            findings: vec!["gossip".into()],
            examples: vec!["x".repeat(EXAMPLE_MAX + 1)],
            ..edit()
        };
        let errors = apply_edit(&content(), &bad).expect_err("invalid");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "audience", "findings[0]", "examples[0]"]);
    }

    #[test]
    fn steps_start_from_their_status_and_returns_need_a_reason() {
        let step = |s: &str, reason: &str| StepInput {
            version: 1,
            step: s.into(),
            reason: reason.into(),
        };
        assert_eq!(
            check_step(Status::Draft, &step("submit", ""))
                .expect("ok")
                .0,
            Step::Submit
        );
        assert!(check_step(Status::Draft, &step("approve", "")).is_err());
        let e = check_step(Status::InReview, &step("return", "")).expect_err("reason");
        assert_eq!(e[0].field, "reason");
        assert!(check_step(Status::Approved, &step("revise", "ตัวเลขใหม่")).is_ok());
        assert!(check_step(Status::Draft, &step("publish", "")).is_err());
    }

    #[test]
    fn a_new_report_needs_a_known_kind_and_audience() {
        let input = NewReportInput {
            kind: "community_needs".into(),
            title: "การประเมินความต้องการของชุมชน".into(),
            audience: "community_leaders".into(),
            ..NewReportInput::default()
        };
        assert_eq!(check_new(&input).expect("ok").0, Kind::CommunityNeeds);
        let bad = NewReportInput {
            kind: "memo".into(),
            ..input
        };
        assert_eq!(check_new(&bad).expect_err("bad")[0].field, "kind");
    }
}
