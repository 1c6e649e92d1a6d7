//! The access policy, written once as pure functions over facts: `app` calls it on every use
//! case and `store` mirrors the case rule as an SQL predicate. Deny by default.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What a person does in Karuna; one per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Accounts and configuration; never case content.
    Admin,
    /// Oversees the cases of their unit.
    Supervisor,
    /// Holds cases as their case manager.
    CaseManager,
    /// A professional on case teams.
    TeamMember,
    /// Aggregate figures only, no personal data.
    DataAnalyst,
    /// Reads the audit log only.
    Auditor,
}

impl Role {
    /// Every role, in display order.
    pub const ALL: [Role; 6] = [
        Role::Admin,
        Role::Supervisor,
        Role::CaseManager,
        Role::TeamMember,
        Role::DataAnalyst,
        Role::Auditor,
    ];

    /// The stable code stored in the database and used in the API.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Supervisor => "supervisor",
            Role::CaseManager => "case_manager",
            Role::TeamMember => "team_member",
            Role::DataAnalyst => "data_analyst",
            Role::Auditor => "auditor",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// The profession of a team member, shown on case teams.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Profession {
    /// นักสังคมสงเคราะห์.
    SocialWorker,
    /// นักจิตวิทยา.
    Psychologist,
    /// แพทย์.
    Doctor,
    /// พยาบาล.
    Nurse,
    /// ครู.
    Teacher,
    /// นักกฎหมาย.
    Lawyer,
    /// ตำรวจ.
    Police,
    /// ล่าม.
    Interpreter,
    /// Any other profession.
    Other,
}

impl Profession {
    /// Every profession, in display order.
    pub const ALL: [Profession; 9] = [
        Profession::SocialWorker,
        Profession::Psychologist,
        Profession::Doctor,
        Profession::Nurse,
        Profession::Teacher,
        Profession::Lawyer,
        Profession::Police,
        Profession::Interpreter,
        Profession::Other,
    ];

    /// The stable code stored in the database and used in the API.
    pub fn code(self) -> &'static str {
        match self {
            Profession::SocialWorker => "social_worker",
            Profession::Psychologist => "psychologist",
            Profession::Doctor => "doctor",
            Profession::Nurse => "nurse",
            Profession::Teacher => "teacher",
            Profession::Lawyer => "lawyer",
            Profession::Police => "police",
            Profession::Interpreter => "interpreter",
            Profession::Other => "other",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Profession> {
        Profession::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Who is acting: the facts about an authenticated account that the policy needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The account id.
    pub id: Uuid,
    /// The organisation the account belongs to; nothing crosses organisations.
    pub org_id: Uuid,
    /// The unit the account works in, if any.
    pub unit_id: Option<Uuid>,
    /// The account's role.
    pub role: Role,
}

/// The facts about one case that decide who may open it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFacts {
    /// The organisation holding the case.
    pub org_id: Uuid,
    /// The unit responsible for the case.
    pub unit_id: Uuid,
    /// The case manager.
    pub case_manager_id: Uuid,
    /// Members of the case team.
    pub team_member_ids: Vec<Uuid>,
    /// A sensitive case shows the client's identity only to its case manager and supervisor.
    pub sensitive: bool,
    /// Workers with an open emergency window on the case (break-the-glass): they may open it
    /// read-only, nothing more (see [`crate::emergency_access`]).
    pub emergency_reader_ids: Vec<Uuid>,
}

/// The facts about one person that decide who may merge them with another: the units of the
/// cases they are on (as client or involved person), and for each sensitive case they are the
/// client of, that case's unit and case manager.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PersonFacts {
    /// The organisation holding the person.
    pub org_id: Uuid,
    /// Units of the cases the person is on.
    pub case_units: Vec<Uuid>,
    /// (unit, case manager) of each sensitive case whose client the person is.
    pub sensitive_client_of: Vec<(Uuid, Uuid)>,
}

/// Something an actor wants to do; each variant carries the facts its rule needs.
#[derive(Debug, Clone, Copy)]
pub enum Action<'a> {
    /// Read one's own profile and preferences.
    ViewOwnProfile,
    /// Change one's own preferences or password.
    EditOwnProfile,
    /// Create, list, change or deactivate accounts; issue and revoke tokens.
    ManageAccounts,
    /// Change the organisation's configuration (case types and their rules).
    ManageConfiguration,
    /// Read the organisation's configuration (labels and rules every screen needs).
    ViewConfiguration,
    /// Browse and filter the audit log.
    ViewAuditLog,
    /// Import, preview, export and publish assessment templates (configuration; admins).
    ManageTemplates,
    /// Read aggregate figures without personal data.
    ViewAggregates,
    /// Record and answer data-subject requests (PDPA) about persons on one's cases, and see
    /// the register of one's unit (supervisors) or one's own (case managers).
    HandleDataRequests,
    /// Open a case and read its content.
    OpenCase(&'a CaseFacts),
    /// Change a case's content.
    EditCase(&'a CaseFacts),
    /// See the client's identity on a (possibly sensitive) case.
    SeeClientIdentity(&'a CaseFacts),
    /// Register a new case.
    CreateCase,
    /// List the cases one may open (the list itself is filtered by `is_on_case`).
    ListCases,
    /// Steer a case: transfer it, change its team, its sensitivity, close or reopen it (its
    /// case manager and its unit's supervisors).
    ManageCase(&'a CaseFacts),
    /// See the organisation's possible duplicate persons (supervisors of a unit; the list itself
    /// holds only persons on cases they may open).
    ReviewDuplicates,
    /// Merge persons, undo a merge, or record that two persons are not the same: a supervisor,
    /// for persons who are all on a case of their unit and none of whom is the client of a
    /// sensitive case whose identity the supervisor may not see. Administrators never read case
    /// content, so they never merge.
    MergePersons(&'a [PersonFacts]),
    /// See the work of one's unit as a whole (its tasks, its caseloads): a supervisor of a unit.
    ViewUnitWork,
    /// Read the resource directory (organisations and their services: no personal data).
    ViewResources,
    /// Add to or change the resource directory: an administrator, or an account an
    /// administrator designated a resource editor (`designated`).
    EditResources {
        /// The actor is a designated resource editor.
        designated: bool,
    },
    /// See a programme's budgets: their totals and figures (administrators, who set them;
    /// supervisors and case managers, who spend them; analysts) or, with `ledger`, the entries
    /// that name cases (administrators and supervisors).
    ViewBudgets {
        /// The ledger's entries, not only the totals.
        ledger: bool,
    },
    /// Write, read and submit the organisation's advocacy reports (de-identified figures and
    /// examples): case managers, supervisors and analysts.
    WriteReports,
    /// Approve an advocacy report, or return it: a supervisor who did not create it.
    ApproveReport {
        /// Who created the report.
        author: Uuid,
    },
    /// Read the organisation's policy reviews: their measures (aggregates only), findings,
    /// decisions and actions.
    ViewPolicyReviews,
    /// Start a policy review, record its findings, decisions and actions, conclude it, and set
    /// the organisation's review cycle: a supervisor.
    ManagePolicyReview,
    /// Record the progress of a review's action: its owner, or a supervisor.
    TrackPolicyAction {
        /// Who owns the action.
        owner: Uuid,
    },
    /// Open a case one has no part in, read-only for a limited time, in an emergency: a case
    /// manager or a supervisor of the case's organisation (break-the-glass). Without a case:
    /// whether the role ever may (the emergency pages' gate).
    BreakGlass(Option<&'a CaseFacts>),
    /// Mark a use of emergency access justified or not: a supervisor of the case's unit, never
    /// on her own use — the case and who opened it. Without them: whether the role ever may.
    ReviewEmergencyAccess(Option<(&'a CaseFacts, Uuid)>),
    /// Approve or return a plan version or a closure summary written by `author`: a
    /// supervisor of the case's unit who did not write it (no one approves their own work).
    ApproveWork {
        /// The case the work belongs to.
        case: &'a CaseFacts,
        /// Who wrote the plan version or the closure summary.
        author: Uuid,
    },
}

/// Why the policy said no; recorded in the audit log and shown as a reason code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DenyReason {
    /// The role never does this.
    Role,
    /// The case belongs to another organisation.
    OtherOrganisation,
    /// The actor has no part in the case (not its manager, team or unit supervisor).
    NotOnCase,
    /// The case is sensitive and the actor is neither its manager nor its supervisor.
    Sensitive,
    /// The decision is beyond the actor's authority (a gatekeeping limit).
    Authority,
}

impl DenyReason {
    /// The stable code written to the audit log.
    pub fn code(self) -> &'static str {
        match self {
            DenyReason::Role => "role",
            DenyReason::OtherOrganisation => "other_organisation",
            DenyReason::NotOnCase => "not_on_case",
            DenyReason::Sensitive => "sensitive",
            DenyReason::Authority => "authority",
        }
    }
}

/// The policy's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Go ahead.
    Allow,
    /// Refused, with the reason.
    Deny(DenyReason),
}

impl Decision {
    /// True when allowed.
    pub fn is_allowed(self) -> bool {
        matches!(self, Decision::Allow)
    }
}

fn allow_if(condition: bool, reason: DenyReason) -> Decision {
    if condition {
        Decision::Allow
    } else {
        Decision::Deny(reason)
    }
}

/// True when the actor has a part in the case: its manager, a team member, or a supervisor of
/// its unit. The SQL predicate in `store` encodes exactly this rule.
pub fn is_on_case(actor: &Actor, case: &CaseFacts) -> bool {
    actor.org_id == case.org_id
        && match actor.role {
            Role::CaseManager | Role::TeamMember => {
                case.case_manager_id == actor.id || case.team_member_ids.contains(&actor.id)
            }
            Role::Supervisor => {
                actor.unit_id == Some(case.unit_id)
                    || case.case_manager_id == actor.id
                    || case.team_member_ids.contains(&actor.id)
            }
            Role::Admin | Role::DataAnalyst | Role::Auditor => false,
        }
}

/// The one policy function: may `actor` do `action`?
pub fn decide(actor: &Actor, action: Action<'_>) -> Decision {
    use Role::*;
    match action {
        Action::ViewOwnProfile | Action::EditOwnProfile => Decision::Allow,
        Action::ManageAccounts | Action::ManageConfiguration | Action::ManageTemplates => {
            allow_if(actor.role == Admin, DenyReason::Role)
        }
        Action::ViewConfiguration | Action::ViewResources => Decision::Allow,
        Action::EditResources { designated } => {
            allow_if(actor.role == Admin || designated, DenyReason::Role)
        }
        Action::ViewBudgets { ledger: false } => allow_if(
            matches!(actor.role, Admin | Supervisor | CaseManager | DataAnalyst),
            DenyReason::Role,
        ),
        Action::ViewBudgets { ledger: true } => {
            allow_if(matches!(actor.role, Admin | Supervisor), DenyReason::Role)
        }
        Action::ViewAuditLog => allow_if(actor.role == Auditor, DenyReason::Role),
        Action::ViewAggregates => allow_if(
            matches!(actor.role, DataAnalyst | Supervisor),
            DenyReason::Role,
        ),
        Action::HandleDataRequests => allow_if(
            matches!(actor.role, CaseManager | Supervisor),
            DenyReason::Role,
        ),
        Action::WriteReports => allow_if(
            matches!(actor.role, CaseManager | Supervisor | DataAnalyst),
            DenyReason::Role,
        ),
        Action::ApproveReport { author } => match actor.role {
            Supervisor => allow_if(author != actor.id, DenyReason::Authority),
            _ => Decision::Deny(DenyReason::Role),
        },
        Action::ViewPolicyReviews => allow_if(
            matches!(actor.role, CaseManager | Supervisor | DataAnalyst),
            DenyReason::Role,
        ),
        Action::ManagePolicyReview => allow_if(actor.role == Supervisor, DenyReason::Role),
        Action::TrackPolicyAction { owner } => match actor.role {
            Supervisor => Decision::Allow,
            CaseManager | DataAnalyst => allow_if(owner == actor.id, DenyReason::Authority),
            _ => Decision::Deny(DenyReason::Role),
        },
        Action::CreateCase => allow_if(
            matches!(actor.role, CaseManager | Supervisor),
            DenyReason::Role,
        ),
        Action::ListCases => allow_if(
            matches!(actor.role, Supervisor | CaseManager | TeamMember),
            DenyReason::Role,
        ),
        Action::OpenCase(case) => read_access(actor, case),
        Action::EditCase(case) => case_access(actor, case),
        Action::BreakGlass(case) => match case {
            _ if !matches!(actor.role, Supervisor | CaseManager) => {
                Decision::Deny(DenyReason::Role)
            }
            None => Decision::Allow,
            Some(case) => allow_if(actor.org_id == case.org_id, DenyReason::OtherOrganisation),
        },
        Action::ReviewEmergencyAccess(opening) => match opening {
            _ if actor.role != Supervisor => Decision::Deny(DenyReason::Role),
            None => Decision::Allow,
            Some((case, _)) if actor.org_id != case.org_id => {
                Decision::Deny(DenyReason::OtherOrganisation)
            }
            Some((case, _)) if actor.unit_id != Some(case.unit_id) => {
                Decision::Deny(DenyReason::NotOnCase)
            }
            Some((_, reader)) => allow_if(reader != actor.id, DenyReason::Authority),
        },
        Action::ManageCase(case) => match case_access(actor, case) {
            Decision::Allow => allow_if(
                case.case_manager_id == actor.id
                    || (actor.role == Supervisor && actor.unit_id == Some(case.unit_id)),
                DenyReason::NotOnCase,
            ),
            other => other,
        },
        Action::ViewUnitWork => allow_if(
            actor.role == Supervisor && actor.unit_id.is_some(),
            DenyReason::Role,
        ),
        Action::ReviewDuplicates => allow_if(
            actor.role == Supervisor && actor.unit_id.is_some(),
            DenyReason::Role,
        ),
        Action::MergePersons(persons) => merge_access(actor, persons),
        Action::ApproveWork { case, author } => match case_access(actor, case) {
            Decision::Allow if actor.role != Supervisor => Decision::Deny(DenyReason::Role),
            Decision::Allow => allow_if(
                actor.unit_id == Some(case.unit_id) && author != actor.id,
                DenyReason::NotOnCase,
            ),
            other => other,
        },
        Action::SeeClientIdentity(case) => match read_access(actor, case) {
            Decision::Allow if case.sensitive => allow_if(
                case.case_manager_id == actor.id
                    || (actor.role == Supervisor && actor.unit_id == Some(case.unit_id)),
                DenyReason::Sensitive,
            ),
            other => other,
        },
    }
}

fn merge_access(actor: &Actor, persons: &[PersonFacts]) -> Decision {
    let Some(unit) = actor.unit_id.filter(|_| actor.role == Role::Supervisor) else {
        return Decision::Deny(DenyReason::Role);
    };
    for p in persons {
        if p.org_id != actor.org_id {
            return Decision::Deny(DenyReason::OtherOrganisation);
        }
        if !p.case_units.contains(&unit) {
            return Decision::Deny(DenyReason::NotOnCase);
        }
        if p.sensitive_client_of
            .iter()
            .any(|(u, manager)| *u != unit && *manager != actor.id)
        {
            return Decision::Deny(DenyReason::Sensitive);
        }
    }
    Decision::Allow
}

/// Opening a case: a part in it, or an open emergency window on it.
fn read_access(actor: &Actor, case: &CaseFacts) -> Decision {
    match case_access(actor, case) {
        Decision::Deny(DenyReason::NotOnCase) if case.emergency_reader_ids.contains(&actor.id) => {
            Decision::Allow
        }
        other => other,
    }
}

fn case_access(actor: &Actor, case: &CaseFacts) -> Decision {
    if !matches!(
        actor.role,
        Role::Supervisor | Role::CaseManager | Role::TeamMember
    ) {
        return Decision::Deny(DenyReason::Role);
    }
    if actor.org_id != case.org_id {
        return Decision::Deny(DenyReason::OtherOrganisation);
    }
    allow_if(is_on_case(actor, case), DenyReason::NotOnCase)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn actor(role: Role, unit: Option<Uuid>) -> Actor {
        Actor {
            id: Uuid::now_v7(),
            org_id: Uuid::nil(),
            unit_id: unit,
            role,
        }
    }

    fn case(manager: Uuid, unit: Uuid, team: Vec<Uuid>, sensitive: bool) -> CaseFacts {
        CaseFacts {
            org_id: Uuid::nil(),
            unit_id: unit,
            case_manager_id: manager,
            team_member_ids: team,
            sensitive,
            emergency_reader_ids: Vec::new(),
        }
    }

    #[test]
    fn only_admin_manages_accounts_and_only_auditor_reads_audit() {
        for role in Role::ALL {
            let a = actor(role, None);
            assert_eq!(
                decide(&a, Action::ManageAccounts).is_allowed(),
                role == Role::Admin
            );
            assert_eq!(
                decide(&a, Action::ViewAuditLog).is_allowed(),
                role == Role::Auditor
            );
            assert_eq!(
                decide(&a, Action::ManageTemplates).is_allowed(),
                role == Role::Admin
            );
        }
    }

    #[test]
    fn a_supervisor_of_the_unit_approves_work_she_did_not_write() {
        let unit = Uuid::now_v7();
        let manager = actor(Role::CaseManager, Some(unit));
        let supervisor = actor(Role::Supervisor, Some(unit));
        let other_supervisor = actor(Role::Supervisor, Some(Uuid::now_v7()));
        let c = case(manager.id, unit, vec![], false);
        let approve = |a: &Actor, author: Uuid| decide(a, Action::ApproveWork { case: &c, author });
        assert_eq!(approve(&supervisor, manager.id), Decision::Allow);
        assert!(
            !approve(&supervisor, supervisor.id).is_allowed(),
            "not her own"
        );
        assert_eq!(
            approve(&manager, manager.id),
            Decision::Deny(DenyReason::Role)
        );
        assert!(!approve(&other_supervisor, manager.id).is_allowed());
        assert!(!approve(&actor(Role::DataAnalyst, None), manager.id).is_allowed());
    }

    #[test]
    fn need_to_know_on_cases() {
        let unit = Uuid::now_v7();
        let manager = actor(Role::CaseManager, Some(unit));
        let member = actor(Role::TeamMember, Some(unit));
        let outsider = actor(Role::TeamMember, Some(unit));
        let supervisor = actor(Role::Supervisor, Some(unit));
        let other_supervisor = actor(Role::Supervisor, Some(Uuid::now_v7()));
        let admin = actor(Role::Admin, Some(unit));
        let c = case(manager.id, unit, vec![member.id], false);
        assert_eq!(decide(&manager, Action::OpenCase(&c)), Decision::Allow);
        assert_eq!(decide(&member, Action::OpenCase(&c)), Decision::Allow);
        assert_eq!(decide(&supervisor, Action::OpenCase(&c)), Decision::Allow);
        assert_eq!(decide(&manager, Action::ManageCase(&c)), Decision::Allow);
        assert_eq!(decide(&supervisor, Action::ManageCase(&c)), Decision::Allow);
        assert_eq!(
            decide(&member, Action::ManageCase(&c)),
            Decision::Deny(DenyReason::NotOnCase)
        );
        assert_eq!(decide(&member, Action::EditCase(&c)), Decision::Allow);
        assert_eq!(
            decide(&outsider, Action::OpenCase(&c)),
            Decision::Deny(DenyReason::NotOnCase)
        );
        assert_eq!(
            decide(&other_supervisor, Action::OpenCase(&c)),
            Decision::Deny(DenyReason::NotOnCase)
        );
        assert_eq!(
            decide(&admin, Action::OpenCase(&c)),
            Decision::Deny(DenyReason::Role)
        );
    }

    #[test]
    fn sensitive_identity_only_for_manager_and_supervisor() {
        let unit = Uuid::now_v7();
        let manager = actor(Role::CaseManager, Some(unit));
        let member = actor(Role::TeamMember, Some(unit));
        let supervisor = actor(Role::Supervisor, Some(unit));
        let c = case(manager.id, unit, vec![member.id], true);
        assert!(decide(&manager, Action::SeeClientIdentity(&c)).is_allowed());
        assert!(decide(&supervisor, Action::SeeClientIdentity(&c)).is_allowed());
        assert_eq!(
            decide(&member, Action::SeeClientIdentity(&c)),
            Decision::Deny(DenyReason::Sensitive)
        );
        assert!(decide(&member, Action::OpenCase(&c)).is_allowed());
    }

    #[test]
    fn only_a_supervisor_with_a_unit_sees_the_units_work() {
        let unit = Uuid::now_v7();
        assert!(decide(&actor(Role::Supervisor, Some(unit)), Action::ViewUnitWork).is_allowed());
        assert!(!decide(&actor(Role::Supervisor, None), Action::ViewUnitWork).is_allowed());
        for role in [
            Role::Admin,
            Role::CaseManager,
            Role::TeamMember,
            Role::DataAnalyst,
            Role::Auditor,
        ] {
            assert_eq!(
                decide(&actor(role, Some(unit)), Action::ViewUnitWork),
                Decision::Deny(DenyReason::Role)
            );
        }
    }

    #[test]
    fn only_a_supervisor_of_the_persons_unit_merges() {
        let unit = Uuid::now_v7();
        let other_unit = Uuid::now_v7();
        let supervisor = actor(Role::Supervisor, Some(unit));
        let person = |units: Vec<Uuid>| PersonFacts {
            org_id: supervisor.org_id,
            case_units: units,
            sensitive_client_of: Vec::new(),
        };
        let both = [person(vec![unit]), person(vec![other_unit, unit])];
        assert!(decide(&supervisor, Action::MergePersons(&both)).is_allowed());
        assert!(decide(&supervisor, Action::ReviewDuplicates).is_allowed());
        for role in [
            Role::Admin,
            Role::CaseManager,
            Role::TeamMember,
            Role::DataAnalyst,
            Role::Auditor,
        ] {
            let a = actor(role, Some(unit));
            assert_eq!(
                decide(&a, Action::MergePersons(&both)),
                Decision::Deny(DenyReason::Role)
            );
            assert!(!decide(&a, Action::ReviewDuplicates).is_allowed());
        }
        let no_unit = actor(Role::Supervisor, None);
        assert!(!decide(&no_unit, Action::ReviewDuplicates).is_allowed());
        assert!(!decide(&no_unit, Action::MergePersons(&both)).is_allowed());
        let elsewhere = [person(vec![unit]), person(vec![other_unit])];
        assert_eq!(
            decide(&supervisor, Action::MergePersons(&elsewhere)),
            Decision::Deny(DenyReason::NotOnCase)
        );
        let nowhere = [person(vec![unit]), person(Vec::new())];
        assert!(!decide(&supervisor, Action::MergePersons(&nowhere)).is_allowed());
        let mut foreign = person(vec![unit]);
        foreign.org_id = Uuid::now_v7();
        assert_eq!(
            decide(&supervisor, Action::MergePersons(&[foreign])),
            Decision::Deny(DenyReason::OtherOrganisation)
        );
        let mut hidden = person(vec![unit, other_unit]);
        hidden.sensitive_client_of = vec![(other_unit, Uuid::now_v7())];
        assert_eq!(
            decide(&supervisor, Action::MergePersons(&[hidden.clone()])),
            Decision::Deny(DenyReason::Sensitive)
        );
        hidden.sensitive_client_of = vec![(unit, Uuid::now_v7())];
        assert!(decide(&supervisor, Action::MergePersons(&[hidden])).is_allowed());
    }

    #[test]
    fn another_organisation_is_always_denied() {
        let unit = Uuid::now_v7();
        let manager = actor(Role::CaseManager, Some(unit));
        let mut c = case(manager.id, unit, vec![], false);
        c.org_id = Uuid::now_v7();
        assert_eq!(
            decide(&manager, Action::OpenCase(&c)),
            Decision::Deny(DenyReason::OtherOrganisation)
        );
    }

    #[test]
    fn an_emergency_window_opens_a_case_read_only() {
        let unit = Uuid::now_v7();
        let duty = actor(Role::CaseManager, Some(Uuid::now_v7()));
        let mut c = case(Uuid::now_v7(), unit, vec![], false);
        assert_eq!(
            decide(&duty, Action::OpenCase(&c)),
            Decision::Deny(DenyReason::NotOnCase)
        );
        assert!(decide(&duty, Action::BreakGlass(Some(&c))).is_allowed());
        c.emergency_reader_ids = vec![duty.id];
        assert!(decide(&duty, Action::OpenCase(&c)).is_allowed());
        assert!(decide(&duty, Action::SeeClientIdentity(&c)).is_allowed());
        assert!(!decide(&duty, Action::EditCase(&c)).is_allowed());
        assert!(!decide(&duty, Action::ManageCase(&c)).is_allowed());
        c.sensitive = true;
        assert_eq!(
            decide(&duty, Action::SeeClientIdentity(&c)),
            Decision::Deny(DenyReason::Sensitive)
        );
        // A window never crosses organisations, and only case managers and supervisors open one.
        let mut foreign = c.clone();
        foreign.org_id = Uuid::now_v7();
        assert!(!decide(&duty, Action::OpenCase(&foreign)).is_allowed());
        assert!(!decide(&duty, Action::BreakGlass(Some(&foreign))).is_allowed());
        for role in [
            Role::Admin,
            Role::DataAnalyst,
            Role::Auditor,
            Role::TeamMember,
        ] {
            let mut other = actor(role, Some(unit));
            other.id = duty.id;
            assert_eq!(
                decide(&other, Action::BreakGlass(Some(&c))),
                Decision::Deny(DenyReason::Role)
            );
            if role != Role::TeamMember {
                assert!(!decide(&other, Action::OpenCase(&c)).is_allowed());
            }
        }
    }

    #[test]
    fn a_supervisor_of_the_unit_reviews_emergency_use_but_not_her_own() {
        let unit = Uuid::now_v7();
        let sup = actor(Role::Supervisor, Some(unit));
        let c = case(Uuid::now_v7(), unit, vec![], false);
        let review =
            |a: &Actor, reader| decide(a, Action::ReviewEmergencyAccess(Some((&c, reader))));
        assert!(review(&sup, Uuid::now_v7()).is_allowed());
        assert_eq!(review(&sup, sup.id), Decision::Deny(DenyReason::Authority));
        let elsewhere = actor(Role::Supervisor, Some(Uuid::now_v7()));
        assert_eq!(
            review(&elsewhere, Uuid::now_v7()),
            Decision::Deny(DenyReason::NotOnCase)
        );
        let manager = actor(Role::CaseManager, Some(unit));
        assert_eq!(
            review(&manager, Uuid::now_v7()),
            Decision::Deny(DenyReason::Role)
        );
        assert!(decide(&sup, Action::ReviewEmergencyAccess(None)).is_allowed());
        assert!(!decide(&manager, Action::ReviewEmergencyAccess(None)).is_allowed());
        assert!(decide(&manager, Action::BreakGlass(None)).is_allowed());
    }

    proptest! {
        #[test]
        fn open_case_allowed_implies_on_case(role_ix in 0usize..6, is_manager: bool, in_team: bool, same_unit: bool, same_org: bool) {
            let unit = Uuid::now_v7();
            let mut a = actor(Role::ALL[role_ix], Some(if same_unit { unit } else { Uuid::now_v7() }));
            if !same_org { a.org_id = Uuid::now_v7(); }
            let manager = if is_manager { a.id } else { Uuid::now_v7() };
            let team = if in_team { vec![a.id] } else { vec![] };
            let c = case(manager, unit, team, false);
            let allowed = decide(&a, Action::OpenCase(&c)).is_allowed();
            prop_assert_eq!(allowed, is_on_case(&a, &c));
            if allowed { prop_assert!(same_org); }
        }
    }
}
