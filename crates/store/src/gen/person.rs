//! Synthetic persons: Thai names (a third with passport romanisations), nicknames, sex, birth
//! dates, valid Thai national IDs for most and foreign documents for some, mobile phones and
//! addresses over all 77 provinces; their rows, match keys and search-document text.

use super::bulk::{Table, V};
use super::names::{latin, names};
use super::rng::Rng;
use super::{stream, World};
use crate::row::date_db;
use crate::time::to_db;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use karuna_thai::address::{districts, provinces, subdistricts};
use karuna_thai::matching::{match_keys, MatchPerson};
use karuna_thai::national_id::check_digit;
use std::sync::OnceLock;
use uuid::Uuid;

/// One generated person.
#[derive(Debug, Clone)]
pub struct Person {
    /// Id.
    pub id: Uuid,
    /// Prefix code.
    pub prefix: &'static str,
    /// Thai given name.
    pub first_th: &'static str,
    /// Thai family name.
    pub last_th: &'static str,
    /// Latin names (passport spelling), for some.
    pub latin: Option<(String, String)>,
    /// Nickname.
    pub nickname: Option<&'static str>,
    /// `female` / `male`.
    pub sex: &'static str,
    /// Birth date (exact) or only the year (estimated).
    pub birth_date: Option<NaiveDate>,
    /// Birth year.
    pub birth_year: i32,
    /// Nationality (Thai text).
    pub nationality: &'static str,
    /// Documents: (kind, number).
    pub documents: Vec<(&'static str, String)>,
    /// Phones (E.164).
    pub phones: Vec<String>,
    /// Address: subdistrict, district, province, postcode, house number, moo.
    pub address: Option<(
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        String,
        String,
    )>,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// Subdistricts by province (code, district, province, postcode).
type Areas = Vec<Vec<(&'static str, &'static str, &'static str, &'static str)>>;

fn areas() -> &'static Areas {
    static A: OnceLock<Areas> = OnceLock::new();
    A.get_or_init(|| {
        provinces()
            .iter()
            .map(|p| {
                districts(p.code)
                    .iter()
                    .flat_map(|d| subdistricts(d.code))
                    .filter_map(|s| {
                        s.postcodes
                            .first()
                            .map(|pc| (s.code, s.district_code, p.code, *pc))
                    })
                    .collect::<Vec<_>>()
            })
            .filter(|v| !v.is_empty())
            .collect()
    })
}

/// A valid 13-digit Thai national ID: first digit 1 (born from 1984) or 3, checksum last.
fn national_id(rng: &mut Rng, birth_year: i32) -> String {
    let mut d = [0u8; 12];
    d[0] = if birth_year >= 1984 { 1 } else { 3 };
    d[1] = 1 + rng.below(9) as u8;
    for x in d.iter_mut().skip(2) {
        *x = rng.below(10) as u8;
    }
    let mut s: String = d.iter().map(|x| char::from(b'0' + x)).collect();
    s.push(char::from(b'0' + check_digit(&d)));
    s
}

fn digits(rng: &mut Rng, n: usize) -> String {
    (0..n)
        .map(|_| char::from(b'0' + rng.below(10) as u8))
        .collect()
}

/// Person `j`, created at `created_at`.
pub fn person(w: &World, j: u64, created_at: DateTime<Utc>) -> Person {
    let mut rng = Rng::derive(w.seed, stream::PERSON, j);
    let n = names();
    let female = rng.chance(0.54);
    let first_th = match (female, rng.chance(0.35)) {
        (true, true) => *rng.pick(&n.common_female),
        (true, false) => *rng.pick(&n.female),
        (false, true) => *rng.pick(&n.common_male),
        (false, false) => *rng.pick(&n.male),
    };
    let last_th = *rng.pick(&n.surnames);
    let age = match rng.weighted(&[30, 50, 20]) {
        0 => rng.range(0, 17),
        1 => rng.range(18, 59),
        _ => rng.range(60, 95),
    };
    let base = w.base.date_naive();
    let birth = base - Duration::days(age * 365 + rng.range(0, 364));
    let estimated = rng.chance(0.05);
    let prefix = match (age < 15, female) {
        (true, true) => "miss_child",
        (true, false) => "master",
        (false, false) => "mr",
        (false, true) if age > 25 && rng.chance(0.6) => "mrs",
        (false, true) => "miss",
    };
    let foreign = rng.chance(0.08);
    let mut documents = Vec::new();
    let nationality = if foreign {
        let (nat, kind, number) = match rng.below(4) {
            0 => ("เมียนมา", "pink_card", format!("00{}", digits(&mut rng, 11))),
            1 => ("กัมพูชา", "passport", format!("N{}", digits(&mut rng, 7))),
            2 => ("ลาว", "passport", format!("P{}", digits(&mut rng, 7))),
            _ => (
                "ไร้สัญชาติ",
                "non_thai_id",
                format!("0{}", digits(&mut rng, 12)),
            ),
        };
        documents.push((kind, number));
        nat
    } else {
        if rng.chance(0.88) {
            documents.push(("thai_national_id", national_id(&mut rng, birth.year())));
        }
        "ไทย"
    };
    let phones = if age >= 12 && rng.chance(0.7) {
        let lead = *rng.pick(&["6", "8", "9"]);
        vec![format!("+66{lead}{}", digits(&mut rng, 8))]
    } else {
        Vec::new()
    };
    let address = rng.chance(0.9).then(|| {
        let a = areas();
        // Bangkok (the first province) holds about a tenth of the cases.
        let p = if rng.chance(0.1) {
            0
        } else {
            rng.below(a.len())
        };
        let (s, d, pr, pc) = *rng.pick(&a[p]);
        let house = format!("{}/{}", rng.range(1, 399), rng.range(1, 60));
        (s, d, pr, pc, house, rng.range(1, 15).to_string())
    });
    Person {
        id: rng.uuid_at(created_at),
        prefix,
        first_th,
        last_th,
        latin: (foreign || rng.chance(0.3)).then(|| (latin(first_th), latin(last_th))),
        nickname: rng.chance(0.7).then(|| *rng.pick(&n.nicknames)),
        sex: if female { "female" } else { "male" },
        birth_date: (!estimated).then_some(birth),
        birth_year: birth.year(),
        nationality,
        documents,
        phones,
        address,
        created_at,
    }
}

/// The tables persons are written to.
pub struct PersonTables {
    /// `person`.
    pub person: Table,
    /// `person_phone`.
    pub phone: Table,
    /// `person_address`.
    pub address: Table,
    /// `identity_document`.
    pub document: Table,
    /// `person_match_key`.
    pub keys: Table,
}

impl PersonTables {
    /// Empty tables.
    pub fn new() -> PersonTables {
        PersonTables {
            person: Table::new(
                "person",
                &[
                    "id",
                    "org_id",
                    "prefix",
                    "first_name_th",
                    "last_name_th",
                    "first_name_latin",
                    "last_name_latin",
                    "nickname",
                    "sex",
                    "birth_date",
                    "birth_year",
                    "birth_estimated",
                    "nationality",
                    "languages",
                    "created_at",
                    "updated_at",
                ],
            ),
            phone: Table::new("person_phone", &["id", "person_id", "e164", "position"]),
            address: Table::new(
                "person_address",
                &[
                    "id",
                    "person_id",
                    "kind",
                    "house_no",
                    "moo",
                    "subdistrict_code",
                    "district_code",
                    "province_code",
                    "postcode",
                    "created_at",
                ],
            ),
            document: Table::new(
                "identity_document",
                &["id", "org_id", "person_id", "kind", "number", "created_at"],
            ),
            keys: Table::new("person_match_key", &["person_id", "org_id", "match_key"]),
        }
    }

    /// The tables in the order foreign keys need.
    pub fn into_tables(self) -> Vec<Table> {
        vec![
            self.person,
            self.phone,
            self.address,
            self.document,
            self.keys,
        ]
    }

    /// Adds a person's rows.
    pub fn push(&mut self, w: &World, p: &Person) {
        let id = p.id.to_string();
        let org = w.org_id.to_string();
        let at = to_db(p.created_at);
        let mut rng = Rng::derive(w.seed, stream::PERSON_ROWS, p.id.as_u128() as u64);
        self.person.push(vec![
            id.clone().into(),
            org.clone().into(),
            p.prefix.into(),
            p.first_th.into(),
            p.last_th.into(),
            p.latin.as_ref().map(|l| l.0.clone()).into(),
            p.latin.as_ref().map(|l| l.1.clone()).into(),
            p.nickname.map(str::to_string).into(),
            p.sex.into(),
            p.birth_date.map(date_db).into(),
            V::I(i64::from(p.birth_year)),
            V::I(i64::from(p.birth_date.is_none())),
            p.nationality.into(),
            "th".into(),
            at.clone().into(),
            at.clone().into(),
        ]);
        for (i, e) in p.phones.iter().enumerate() {
            self.phone.push(vec![
                rng.uuid_at(p.created_at).to_string().into(),
                id.clone().into(),
                e.clone().into(),
                V::I(i as i64),
            ]);
        }
        if let Some((s, d, pr, pc, house, moo)) = &p.address {
            self.address.push(vec![
                rng.uuid_at(p.created_at).to_string().into(),
                id.clone().into(),
                "current".into(),
                house.clone().into(),
                moo.clone().into(),
                (*s).into(),
                (*d).into(),
                (*pr).into(),
                (*pc).into(),
                at.clone().into(),
            ]);
        }
        for (kind, number) in &p.documents {
            self.document.push(vec![
                rng.uuid_at(p.created_at).to_string().into(),
                org.clone().into(),
                id.clone().into(),
                (*kind).into(),
                number.clone().into(),
                at.clone().into(),
            ]);
        }
        for k in match_keys(&match_person(p), false) {
            self.keys
                .push(vec![id.clone().into(), org.clone().into(), k.into()]);
        }
    }
}

impl Default for PersonTables {
    fn default() -> Self {
        Self::new()
    }
}

/// What matching compares.
fn match_person(p: &Person) -> MatchPerson {
    MatchPerson {
        first_th: Some(p.first_th.to_string()),
        last_th: Some(p.last_th.to_string()),
        first_latin: p.latin.as_ref().map(|l| l.0.clone()),
        last_latin: p.latin.as_ref().map(|l| l.1.clone()),
        nickname: p.nickname.map(str::to_string),
        birth_date: p.birth_date,
        birth_year: Some(p.birth_year),
        birth_estimated: p.birth_date.is_none(),
        documents: p
            .documents
            .iter()
            .map(|(k, n)| ((*k).to_string(), n.clone()))
            .collect(),
        phones: p.phones.clone(),
    }
}

/// The person's search document text and extra tokens, exactly as
/// `search::index::reindex_person` builds them.
pub fn search_text(p: &Person) -> (String, Vec<String>) {
    let mut names: Vec<String> = vec![p.first_th.to_string(), p.last_th.to_string()];
    if let Some((f, l)) = &p.latin {
        names.push(f.clone());
        names.push(l.clone());
    }
    if let Some(n) = p.nickname {
        names.push(format!("({n})"));
    }
    let mut text = names.join(" ");
    let mut extra = Vec::new();
    for (_, d) in &p.documents {
        let digits: String = d.chars().filter(|c| c.is_alphanumeric()).collect();
        text.push_str(" · ");
        text.push_str(&digits);
    }
    for e164 in &p.phones {
        let digits = e164.trim_start_matches('+').to_string();
        let local = match digits.strip_prefix("66") {
            Some(rest) => format!("0{rest}"),
            None => digits.clone(),
        };
        text.push_str(" · ");
        text.push_str(&local);
        extra.push(digits);
    }
    (text, extra)
}

#[cfg(test)]
mod tests {
    use super::*;
    use karuna_thai::national_id::validate_national_id;

    #[test]
    fn national_ids_are_valid() {
        let mut rng = Rng::derive(1, 1, 1);
        for y in [1950, 1990, 2015] {
            let id = national_id(&mut rng, y);
            assert!(validate_national_id(&id).is_ok(), "{id}");
        }
    }

    #[test]
    fn every_province_has_subdistricts() {
        assert_eq!(areas().len(), 77);
    }
}
