//! The minutes form of a case on a conference page, and the minutes as text: the decision
//! and action-item rows a form offers (those filled in, then blank ones), the form's values
//! for a stored version, reading a submitted form back, and each field's element id for the
//! error summary.

use super::intake::Pairs;
use super::FormState;
use crate::auth::PageUser;
use karuna_domain::conference::{ActionInput, DecisionInput, Minutes, MinutesInput, Owner};
use uuid::Uuid;

/// One action item row of the minutes form.
pub(super) struct ActionSlot {
    pub(super) prefix: String,
    pub(super) id: String,
    pub(super) title: String,
    pub(super) assignee_id: String,
    pub(super) outside_name: String,
    pub(super) outside_organisation: String,
    pub(super) due: String,
    pub(super) priority: String,
    pub(super) errors: Vec<(String, String)>,
}

impl ActionSlot {
    /// The message of one of the row's fields, if it failed.
    pub(super) fn err(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

/// The element id and label of a minutes form's field (`m<case>-…`), for the error summary.
pub(super) fn minutes_field(
    u: &PageUser,
    case_index: usize,
    name: &str,
) -> Option<(String, String)> {
    let simple = [
        ("client_views", "conference-client-views"),
        ("family_views", "conference-family-views"),
        ("facts", "conference-facts"),
        ("discussion", "conference-discussion"),
        ("reason", "conference-reason"),
    ];
    if let Some((n, key)) = simple.iter().find(|(n, _)| *n == name) {
        return Some((
            format!("m{case_index}-{}", n.replace('_', "-")),
            u.tr.get(key),
        ));
    }
    // decisions[i].text, decisions[i].actions[j].field
    let rest = name.strip_prefix("decisions[")?;
    let (i, rest) = rest.split_once("].")?;
    if rest == "text" {
        return Some((
            format!("m{case_index}-d{i}-text"),
            u.tr.get("conference-decision"),
        ));
    }
    let rest = rest.strip_prefix("actions[")?;
    let (j, field) = rest.split_once("].")?;
    Some((
        format!("m{case_index}-d{i}-a{j}-{}", field.replace('_', "-")),
        u.tr.get(&format!("conference-action-{}", field.replace('_', "-"))),
    ))
}

/// One decision of the minutes form, with its action item rows.
pub(super) struct DecisionSlot {
    pub(super) prefix: String,
    pub(super) id: String,
    pub(super) decision_id: String,
    pub(super) text: String,
    pub(super) text_error: Option<String>,
    pub(super) actions: Vec<ActionSlot>,
}

/// A decision as the minutes show it.
pub(super) struct DecisionText {
    pub(super) text: String,
    pub(super) actions: Vec<String>,
}

pub(super) fn owner_text(u: &PageUser, owner: &Owner, people: &[(Uuid, String)]) -> String {
    match owner {
        Owner::Staff { account_id } => people
            .iter()
            .find(|(id, _)| id == account_id)
            .map(|(_, n)| n.clone())
            .unwrap_or_else(|| u.tr.get("conference-colleague")),
        Owner::Outside { name, organisation } if organisation.is_empty() => name.clone(),
        Owner::Outside { name, organisation } => format!("{name} ({organisation})"),
    }
}

pub(super) fn decisions_text(
    u: &PageUser,
    m: &Minutes,
    people: &[(Uuid, String)],
) -> Vec<DecisionText> {
    m.decisions
        .iter()
        .map(|d| DecisionText {
            text: d.text.clone(),
            actions: d
                .actions
                .iter()
                .map(|a| {
                    u.tr.args(
                        "conference-action-line",
                        &[
                            ("what", a.title.clone()),
                            ("who", owner_text(u, &a.owner, people)),
                            ("due", u.tr.date(&a.due)),
                        ],
                    )
                })
                .collect(),
        })
        .collect()
}

/// The form's values for a version of the minutes.
pub(super) fn form_of(u: &PageUser, m: &Minutes, version: i64) -> FormState {
    let mut v: Vec<(String, String)> = vec![
        ("based_on".into(), version.to_string()),
        ("client_views".into(), m.client_views.clone()),
        ("family_views".into(), m.family_views.clone()),
        ("facts".into(), m.facts.clone()),
        ("discussion".into(), m.discussion.clone()),
    ];
    if m.client_attended {
        v.push(("client_attended".into(), "on".into()));
    }
    if m.family_attended {
        v.push(("family_attended".into(), "on".into()));
    }
    for (i, d) in m.decisions.iter().enumerate() {
        v.push((format!("decisions[{i}].id"), d.id.to_string()));
        v.push((format!("decisions[{i}].text"), d.text.clone()));
        for (j, a) in d.actions.iter().enumerate() {
            let f = |x: &str| format!("decisions[{i}].actions[{j}].{x}");
            v.push((f("title"), a.title.clone()));
            match &a.owner {
                Owner::Staff { account_id } => v.push((f("assignee_id"), account_id.to_string())),
                Owner::Outside { name, organisation } => {
                    v.push((f("outside_name"), name.clone()));
                    v.push((f("outside_organisation"), organisation.clone()));
                }
            }
            v.push((f("due"), u.tr.date_input(&a.due)));
            v.push((f("priority"), a.priority.clone()));
        }
    }
    FormState::from_pairs(&v)
}

/// The decision rows of a form: those filled in, then two blank ones; each with its action
/// rows, then a blank one.
pub(super) fn slots(form: &FormState, case_index: usize) -> Vec<DecisionSlot> {
    let filled = |name: &str| !form.value(name).is_empty();
    let mut n = 0;
    while n < 20
        && (filled(&format!("decisions[{n}].text"))
            || filled(&format!("decisions[{n}].actions[0].title")))
    {
        n += 1;
    }
    (0..n + 2)
        .map(|i| {
            let mut m = 0;
            while m < 20 && filled(&format!("decisions[{i}].actions[{m}].title")) {
                m += 1;
            }
            let prefix = format!("decisions[{i}]");
            DecisionSlot {
                id: format!("m{case_index}-d{i}"),
                decision_id: form.value(&format!("{prefix}.id")).to_string(),
                text: form.value(&format!("{prefix}.text")).to_string(),
                text_error: form.error(&format!("{prefix}.text")).map(str::to_string),
                actions: (0..m + 1)
                    .map(|j| {
                        let p = format!("{prefix}.actions[{j}]");
                        let v = |x: &str| form.value(&format!("{p}.{x}")).to_string();
                        ActionSlot {
                            id: format!("m{case_index}-d{i}-a{j}"),
                            title: v("title"),
                            assignee_id: v("assignee_id"),
                            outside_name: v("outside_name"),
                            outside_organisation: v("outside_organisation"),
                            due: v("due"),
                            priority: v("priority"),
                            errors: ["title", "assignee_id", "outside_name", "due", "priority"]
                                .iter()
                                .filter_map(|x| {
                                    form.error(&format!("{p}.{x}"))
                                        .map(|m| (x.to_string(), m.to_string()))
                                })
                                .collect(),
                            prefix: p,
                        }
                    })
                    .collect(),
                prefix,
            }
        })
        .collect()
}

/// Reads a case's minutes form.
pub(super) fn minutes_input(p: &Pairs) -> MinutesInput {
    let mut decisions = Vec::new();
    for i in 0..40 {
        let prefix = format!("decisions[{i}]");
        if !p.has(&format!("{prefix}.text")) {
            break;
        }
        let mut actions = Vec::new();
        for j in 0..40 {
            let a = format!("{prefix}.actions[{j}]");
            if !p.has(&format!("{a}.title")) {
                break;
            }
            actions.push(ActionInput {
                title: p.get(&format!("{a}.title")),
                assignee_id: p.get(&format!("{a}.assignee_id")),
                outside_name: p.get(&format!("{a}.outside_name")),
                outside_organisation: p.get(&format!("{a}.outside_organisation")),
                due: p.get(&format!("{a}.due")),
                priority: p.get(&format!("{a}.priority")),
            });
        }
        decisions.push(DecisionInput {
            id: p.get(&format!("{prefix}.id")),
            text: p.get(&format!("{prefix}.text")),
            actions,
        });
    }
    MinutesInput {
        based_on: p.get("based_on").trim().parse().unwrap_or(-1),
        client_attended: p.has("client_attended"),
        family_attended: p.has("family_attended"),
        client_views: p.get("client_views"),
        family_views: p.get("family_views"),
        facts: p.get("facts"),
        discussion: p.get("discussion"),
        decisions,
        reason: p.get("reason"),
    }
}
