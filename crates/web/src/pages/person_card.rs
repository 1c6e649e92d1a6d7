//! One person on the case file: the facts shown (none when the identity is masked for the
//! viewer) and the values of the edit form.

use super::cases::label;
use super::FormState;
use crate::auth::PageUser;
use karuna_thai::national_id::PersonCategory;

/// A person as the persons tab shows them.
pub(crate) struct PersonCard {
    pub(crate) name: String,
    pub(crate) relationship: String,
    pub(crate) perpetrator: bool,
    pub(crate) masked: bool,
    pub(crate) facts: Vec<(String, String)>,
    /// The edit form's values (not for masked persons).
    pub(crate) edit: Option<(uuid::Uuid, i64, FormState)>,
}

/// Builds the card for one person and their relationship to the client.
pub(crate) fn person_card(
    u: &PageUser,
    p: &karuna_app::person::PersonView,
    rel: &str,
) -> PersonCard {
    let mut facts = Vec::new();
    if !p.masked {
        if let Some(l) = &p.latin_name {
            facts.push((u.tr.get("person-latin-name"), l.clone()));
        }
        facts.push((u.tr.get("person-sex"), label(u, "sex", &p.sex)));
        match (p.birth_date, p.birth_year) {
            (Some(d), _) => facts.push((u.tr.get("person-birth-date"), u.tr.date(&d))),
            (None, Some(y)) => facts.push((
                u.tr.get("person-birth-year"),
                format!("{} ({})", u.tr.year(y), u.tr.get("person-estimated")),
            )),
            _ => {}
        }
        if let Some(n) = &p.nationality {
            facts.push((u.tr.get("person-nationality"), n.clone()));
        }
        if let Some(n) = &p.ethnicity {
            facts.push((u.tr.get("person-ethnicity"), n.clone()));
        }
        if !p.languages.is_empty() {
            facts.push((u.tr.get("person-languages"), p.languages.join(", ")));
        }
        for ph in &p.phones {
            facts.push((
                u.tr.get("person-phone"),
                karuna_thai::phone::format_phone_th(ph),
            ));
        }
        for d in &p.documents {
            let mut v = d.number.clone();
            if let Some(cat) = d.category.and_then(PersonCategory::from_digit) {
                v.push_str(&format!(" — {}", cat.label(u.tr.lang)));
            }
            if let Some(c) = &d.country {
                v.push_str(&format!(" ({c})"));
            }
            if let Some(r) = &d.override_reason {
                v.push_str(&format!(" · {}: {r}", u.tr.get("document-overridden")));
            }
            facts.push((label(u, "document", &d.kind), v));
        }
        let addresses = match u.tr.lang {
            karuna_thai::lang::Lang::Th => &p.addresses,
            karuna_thai::lang::Lang::En => &p.addresses_en,
        };
        for a in addresses {
            facts.push((u.tr.get("person-address"), a.clone()));
        }
    }
    let edit = (!p.masked).then(|| {
        let [fth, mth, lth, fl, ml, ll] = p.name_parts.clone().map(Option::unwrap_or_default);
        let values = FormState::with(&[
            ("prefix", p.prefix.clone().unwrap_or_default()),
            ("first_name_th", fth),
            ("middle_name_th", mth),
            ("last_name_th", lth),
            ("first_name_latin", fl),
            ("middle_name_latin", ml),
            ("last_name_latin", ll),
            ("nickname", p.nickname.clone().unwrap_or_default()),
            ("sex", p.sex.clone()),
            (
                "birth_date",
                p.birth_date
                    .map(|d| u.tr.date_input(&d))
                    .unwrap_or_default(),
            ),
            (
                "birth_year",
                if p.birth_estimated {
                    p.birth_year
                        .map(|y| u.tr.era.year_from_ce(y as i32).to_string())
                        .unwrap_or_default()
                } else {
                    String::new()
                },
            ),
            ("nationality", p.nationality.clone().unwrap_or_default()),
            ("ethnicity", p.ethnicity.clone().unwrap_or_default()),
            ("languages", p.languages.join(", ")),
            (
                "phones[0]",
                p.phones
                    .first()
                    .cloned()
                    .map(|x| karuna_thai::phone::format_phone_th(&x))
                    .unwrap_or_default(),
            ),
            (
                "phones[1]",
                p.phones
                    .get(1)
                    .cloned()
                    .map(|x| karuna_thai::phone::format_phone_th(&x))
                    .unwrap_or_default(),
            ),
        ]);
        (p.id, p.version, values)
    });
    PersonCard {
        edit,
        name: p.display_name.clone(),
        relationship: label(u, "relationship", rel),
        perpetrator: rel == "alleged_perpetrator",
        masked: p.masked,
        facts,
    }
}
