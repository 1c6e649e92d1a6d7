//! The header every page of a case opens with (the case file, its assessments, plan, closure,
//! tasks, conferences, consultations and timeline): the case number, the client's name (or the
//! masked stand-in when the viewer may not see who it is: `App::open_case` has already applied
//! `SeeClientIdentity`), the status
//! and urgency badges, and the tabs. Rendered by `templates/case_header.html`.

use super::cases::label;
use crate::auth::PageUser;
use karuna_app::case::CaseView;
use uuid::Uuid;

/// The tabs of a case, in order: `(code, catalogue key, href suffix)`. The first six are tabs
/// of the case file itself (`?tab=`), the rest pages of their own.
const TABS: [(&str, &str, &str); 16] = [
    ("overview", "case-tab-overview", "?tab=overview"),
    ("persons", "case-tab-persons", "?tab=persons"),
    ("contacts", "case-tab-contacts", "?tab=contacts"),
    ("promises", "case-tab-promises", "?tab=promises"),
    ("team", "case-tab-team", "?tab=team"),
    ("history", "case-tab-history", "?tab=history"),
    ("assessments", "case-tab-assessments", "/assessments"),
    ("screening", "case-tab-screening", "/screening"),
    ("plan", "case-tab-plan", "/plan"),
    ("tasks", "case-tab-tasks", "/tasks"),
    ("conferences", "case-tab-conferences", "/conferences"),
    ("consultations", "case-tab-consultations", "/consultations"),
    ("referrals", "case-tab-referrals", "/referrals"),
    ("allocations", "case-tab-allocations", "/allocations"),
    ("closure", "case-tab-closure", "/closure"),
    ("timeline", "case-tab-timeline", "/timeline"),
];

/// One tab link.
pub struct Tab {
    /// `tab-<code>`, the link's element id.
    pub code: &'static str,
    /// Label.
    pub label: String,
    /// Target.
    pub href: String,
    /// The page shown.
    pub current: bool,
}

/// What the header shows.
pub struct CaseHeader {
    /// The case.
    pub id: Uuid,
    /// Its number (`CM-2569-000123`).
    pub number: String,
    /// The client's display name, or the masked stand-in.
    pub client: String,
    /// Status label.
    pub status: String,
    /// Urgency label.
    pub urgency: String,
    /// Urgency code (picks the badge's colour).
    pub urgency_code: String,
    /// The case is marked sensitive.
    pub sensitive: bool,
    /// An alleged perpetrator is on the case.
    pub perpetrator: bool,
    /// The viewer may see the client's identity.
    pub identity_visible: bool,
    /// The viewer reads the case through an emergency window (read-only).
    pub emergency: bool,
    /// The number and name are the page's heading (the case file), else a line above the
    /// page's own heading.
    pub is_title: bool,
    /// The tabs, one marked current.
    pub tabs: Vec<Tab>,
}

impl CaseHeader {
    /// The header of `view` with the tab `current` marked (a code of `TABS`).
    pub fn new(u: &PageUser, view: &CaseView, current: &str) -> CaseHeader {
        let c = &view.case;
        CaseHeader {
            id: c.id,
            number: c.number.clone(),
            client: view
                .persons
                .first()
                .map(|(p, _)| p.display_name.clone())
                .unwrap_or_default(),
            status: label(u, "status", &c.status),
            urgency: label(u, "urgency", &c.urgency),
            urgency_code: c.urgency.clone(),
            sensitive: c.sensitive,
            perpetrator: view.alleged_perpetrator,
            identity_visible: view.identity_visible,
            emergency: view.emergency,
            is_title: TABS[..6].iter().any(|(code, _, _)| *code == current),
            tabs: TABS
                .iter()
                .map(|(code, key, suffix)| Tab {
                    code,
                    label: u.tr.get(key),
                    href: format!("/cases/{}{suffix}", c.id),
                    current: *code == current,
                })
                .collect(),
        }
    }
}
