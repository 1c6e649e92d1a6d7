//! Thailand's administrative areas (province → district → subdistrict) with DOPA codes and
//! postcodes, so address forms offer only real places and stored addresses can be checked.
//!
//! The data is `data/thai-areas.tsv`, made by `data/scripts/geothai_to_tsv.py` from GeoThai
//! (CC-BY-4.0, see NOTICE), embedded in the binary and indexed on first use. Names are bare
//! ("พระนคร", not "เขตพระนคร"); the level words come from [`district_level_th`] and
//! [`subdistrict_level_th`], which differ in Bangkok (เขต/แขวง) from elsewhere (อำเภอ/ตำบล).

use crate::calendar::thai_digits_to_ascii;
use crate::lang::Lang;
use std::cmp::Ordering;
use std::sync::OnceLock;

/// The embedded area table: a header line, then one row per subdistrict sorted by code.
const AREAS_TSV: &str = include_str!("../../../data/thai-areas.tsv");

/// The header the embedded table must have, so a regenerated file with other columns fails
/// the parse test instead of being misread.
const HEADER: &str = "province_code\tprovince_name_th\tprovince_name_en\tdistrict_code\t\
    district_name_th\tdistrict_name_en\tsubdistrict_code\tsubdistrict_name_th\t\
    subdistrict_name_en\tpostcode";

/// DOPA code of Bangkok, whose districts are เขต and subdistricts แขวง.
pub const BANGKOK_CODE: &str = "10";

/// One of the 77 provinces (จังหวัด; Bangkok is a special administrative area).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Province {
    /// Two-digit DOPA code, stored with addresses.
    pub code: &'static str,
    /// Thai name, e.g. "เชียงใหม่".
    pub name_th: &'static str,
    /// English (RTGS) name as DOPA gives it, e.g. "Chiang Mai".
    pub name_en: &'static str,
}

/// A district: อำเภอ, or เขต in Bangkok.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct District {
    /// Four-digit DOPA code; its first two digits are the province code.
    pub code: &'static str,
    /// The province this district belongs to.
    pub province_code: &'static str,
    /// Bare Thai name without อำเภอ/เขต, e.g. "เมืองเชียงใหม่", "พระนคร".
    pub name_th: &'static str,
    /// English name, e.g. "Mueang Chiang Mai".
    pub name_en: &'static str,
}

/// A subdistrict: ตำบล, or แขวง in Bangkok.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Subdistrict {
    /// Six-digit DOPA code; its first four digits are the district code.
    pub code: &'static str,
    /// The district this subdistrict belongs to.
    pub district_code: &'static str,
    /// Bare Thai name without ตำบล/แขวง, e.g. "พระบรมมหาราชวัง".
    pub name_th: &'static str,
    /// English name, e.g. "Phra Borom Maha Ratchawang".
    pub name_en: &'static str,
    /// Every Thailand Post code in use here, ascending; several when the subdistrict spans
    /// post office zones, and then none is the main one.
    pub postcodes: Box<[&'static str]>,
}

/// The province, district and subdistrict of an address, checked to fit together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidArea {
    /// The province chosen.
    pub province: &'static Province,
    /// The district chosen, inside `province`.
    pub district: &'static District,
    /// The subdistrict chosen, inside `district`.
    pub subdistrict: &'static Subdistrict,
    /// The postcode typed (checked), or the subdistrict's only postcode when none was typed;
    /// `None` when none was typed and the subdistrict has several.
    pub postcode: Option<&'static str>,
}

/// Why an address's area was refused; `code()` is the message-catalogue key.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// No province has this code.
    #[error("unknown province code {code:?}")]
    UnknownProvince {
        /// The code given.
        code: String,
    },
    /// No district has this code.
    #[error("unknown district code {code:?}")]
    UnknownDistrict {
        /// The code given.
        code: String,
    },
    /// No subdistrict has this code.
    #[error("unknown subdistrict code {code:?}")]
    UnknownSubdistrict {
        /// The code given.
        code: String,
    },
    /// The district exists but lies in another province.
    #[error("district {district} is not in province {province}")]
    DistrictNotInProvince {
        /// The district code given.
        district: String,
        /// The province code given.
        province: String,
    },
    /// The subdistrict exists but lies in another district.
    #[error("subdistrict {subdistrict} is not in district {district}")]
    SubdistrictNotInDistrict {
        /// The subdistrict code given.
        subdistrict: String,
        /// The district code given.
        district: String,
    },
    /// The postcode is well formed but not one used in the subdistrict.
    #[error("postcode {postcode} is not used in subdistrict {subdistrict}")]
    PostcodeMismatch {
        /// The postcode given.
        postcode: String,
        /// The subdistrict code given.
        subdistrict: String,
    },
    /// The postcode is not five digits.
    #[error("postcode {postcode:?} is not five digits")]
    PostcodeFormat {
        /// The postcode given.
        postcode: String,
    },
}

impl AddressError {
    /// The stable code the web layer maps to a message-catalogue key.
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownProvince { .. } => "thai.address.unknown_province",
            Self::UnknownDistrict { .. } => "thai.address.unknown_district",
            Self::UnknownSubdistrict { .. } => "thai.address.unknown_subdistrict",
            Self::DistrictNotInProvince { .. } => "thai.address.district_not_in_province",
            Self::SubdistrictNotInDistrict { .. } => "thai.address.subdistrict_not_in_district",
            Self::PostcodeMismatch { .. } => "thai.address.postcode_mismatch",
            Self::PostcodeFormat { .. } => "thai.address.postcode_format",
        }
    }
}

impl Province {
    /// Whether this is Bangkok, whose lower levels are named เขต and แขวง.
    pub fn is_bangkok(&self) -> bool {
        self.code == BANGKOK_CODE
    }

    /// The Thai name as written in an address: "จังหวัดเชียงใหม่", but "กรุงเทพมหานคร".
    pub fn full_name_th(&self) -> String {
        if self.is_bangkok() {
            self.name_th.to_string()
        } else {
            format!("จังหวัด{}", self.name_th)
        }
    }
}

impl District {
    /// The Thai name with its level word: "อำเภอเมืองเชียงใหม่", "เขตพระนคร".
    pub fn full_name_th(&self) -> String {
        format!("{}{}", district_level_th(self.province_code), self.name_th)
    }
}

impl Subdistrict {
    /// The province code, the first two digits of the subdistrict code.
    pub fn province_code(&self) -> &'static str {
        &self.district_code[..2]
    }

    /// The postcode when there is exactly one, so a form can fill it in; `None` when the
    /// subdistrict spans several zones and the user must choose.
    pub fn postcode(&self) -> Option<&'static str> {
        match *self.postcodes {
            [only] => Some(only),
            _ => None,
        }
    }

    /// Whether mail to this subdistrict may carry this postcode.
    pub fn has_postcode(&self, postcode: &str) -> bool {
        self.postcodes.contains(&postcode)
    }

    /// The Thai name with its level word: "ตำบลศรีภูมิ", "แขวงพระบรมมหาราชวัง".
    pub fn full_name_th(&self) -> String {
        format!(
            "{}{}",
            subdistrict_level_th(self.province_code()),
            self.name_th
        )
    }
}

impl ValidArea {
    /// The area part of a postal address in the usual order, smallest first: "แขวงพระบรมมหาราชวัง
    /// เขตพระนคร กรุงเทพมหานคร 10200" or "Phra Borom Maha Ratchawang, Phra Nakhon, Bangkok 10200".
    pub fn format(&self, lang: Lang) -> String {
        let mut line = match lang {
            Lang::Th => format!(
                "{} {} {}",
                self.subdistrict.full_name_th(),
                self.district.full_name_th(),
                self.province.full_name_th()
            ),
            Lang::En => format!(
                "{}, {}, {}",
                self.subdistrict.name_en, self.district.name_en, self.province.name_en
            ),
        };
        if let Some(postcode) = self.postcode {
            line.push(' ');
            line.push_str(postcode);
        }
        line
    }
}

/// Whether a province code is Bangkok's, where districts are เขต and subdistricts แขวง.
pub fn is_bangkok(province_code: &str) -> bool {
    province_code.trim() == BANGKOK_CODE
}

/// The Thai word for a district in this province: "เขต" in Bangkok, else "อำเภอ".
pub fn district_level_th(province_code: &str) -> &'static str {
    if is_bangkok(province_code) {
        "เขต"
    } else {
        "อำเภอ"
    }
}

/// The Thai word for a subdistrict in this province: "แขวง" in Bangkok, else "ตำบล".
pub fn subdistrict_level_th(province_code: &str) -> &'static str {
    if is_bangkok(province_code) {
        "แขวง"
    } else {
        "ตำบล"
    }
}

/// The message-catalogue key labelling the district field for this province.
pub fn district_label_key(province_code: &str) -> &'static str {
    if is_bangkok(province_code) {
        "address-district-bkk"
    } else {
        "address-district"
    }
}

/// The message-catalogue key labelling the subdistrict field for this province.
pub fn subdistrict_label_key(province_code: &str) -> &'static str {
    if is_bangkok(province_code) {
        "address-subdistrict-bkk"
    } else {
        "address-subdistrict"
    }
}

/// All provinces sorted by Thai name, for the province picker.
pub fn provinces() -> &'static [Province] {
    &areas().provinces
}

/// The districts of a province sorted by Thai name; empty for an unknown code.
pub fn districts(province_code: &str) -> Vec<&'static District> {
    let areas = areas();
    let code = province_code.trim();
    let mut found: Vec<&'static District> = code_range(&areas.districts, code, |d| d.code)
        .iter()
        .filter(|d| d.province_code == code)
        .collect();
    found.sort_by(|a, b| thai_order(a.name_th, b.name_th).then(a.code.cmp(b.code)));
    found
}

/// The subdistricts of a district sorted by Thai name; empty for an unknown code.
pub fn subdistricts(district_code: &str) -> Vec<&'static Subdistrict> {
    let areas = areas();
    let code = district_code.trim();
    let mut found: Vec<&'static Subdistrict> = code_range(&areas.subdistricts, code, |s| s.code)
        .iter()
        .filter(|s| s.district_code == code)
        .collect();
    found.sort_by(|a, b| thai_order(a.name_th, b.name_th).then(a.code.cmp(b.code)));
    found
}

/// The subdistricts that use a postcode, sorted by code, so a typed postcode can narrow the
/// pickers; empty when no subdistrict uses it.
pub fn subdistricts_by_postcode(postcode: &str) -> Vec<&'static Subdistrict> {
    let postcode = postcode.trim();
    areas()
        .subdistricts
        .iter()
        .filter(|s| s.has_postcode(postcode))
        .collect()
}

/// One province by its two-digit code.
pub fn province(code: &str) -> Option<&'static Province> {
    let areas = areas();
    let code = code.trim();
    areas
        .province_by_code
        .binary_search_by(|&i| areas.provinces[i].code.cmp(code))
        .ok()
        .map(|at| &areas.provinces[areas.province_by_code[at]])
}

/// One district by its four-digit code.
pub fn district(code: &str) -> Option<&'static District> {
    let list = &areas().districts;
    let code = code.trim();
    list.binary_search_by(|d| d.code.cmp(code))
        .ok()
        .map(|at| &list[at])
}

/// One subdistrict by its six-digit code.
pub fn subdistrict(code: &str) -> Option<&'static Subdistrict> {
    let list = &areas().subdistricts;
    let code = code.trim();
    list.binary_search_by(|s| s.code.cmp(code))
        .ok()
        .map(|at| &list[at])
}

/// Checks that the three codes of an address exist and nest, and that the postcode (if any)
/// is five digits used in the subdistrict. Surrounding spaces and Thai digits are accepted; a
/// blank postcode counts as none.
pub fn validate_area(
    province_code: &str,
    district_code: &str,
    subdistrict_code: &str,
    postcode: Option<&str>,
) -> Result<ValidArea, AddressError> {
    let province_code = thai_digits_to_ascii(province_code.trim());
    let district_code = thai_digits_to_ascii(district_code.trim());
    let subdistrict_code = thai_digits_to_ascii(subdistrict_code.trim());
    let province = province(&province_code).ok_or_else(|| AddressError::UnknownProvince {
        code: province_code.clone(),
    })?;
    let district = district(&district_code).ok_or_else(|| AddressError::UnknownDistrict {
        code: district_code.clone(),
    })?;
    if district.province_code != province.code {
        return Err(AddressError::DistrictNotInProvince {
            district: district_code,
            province: province_code,
        });
    }
    let subdistrict =
        subdistrict(&subdistrict_code).ok_or_else(|| AddressError::UnknownSubdistrict {
            code: subdistrict_code.clone(),
        })?;
    if subdistrict.district_code != district.code {
        return Err(AddressError::SubdistrictNotInDistrict {
            subdistrict: subdistrict_code,
            district: district_code,
        });
    }
    let typed = postcode
        .map(|p| thai_digits_to_ascii(p.trim()))
        .filter(|p| !p.is_empty());
    let postcode = match typed {
        None => subdistrict.postcode(),
        Some(typed) => {
            if typed.len() != 5 || !typed.bytes().all(|b| b.is_ascii_digit()) {
                return Err(AddressError::PostcodeFormat { postcode: typed });
            }
            let known = subdistrict.postcodes.iter().find(|p| **p == typed);
            match known {
                Some(known) => Some(*known),
                None => {
                    return Err(AddressError::PostcodeMismatch {
                        postcode: typed,
                        subdistrict: subdistrict_code,
                    })
                }
            }
        }
    };
    Ok(ValidArea {
        province,
        district,
        subdistrict,
        postcode,
    })
}

/// The parsed table: provinces by Thai name, districts and subdistricts by code.
struct Areas {
    /// Provinces sorted by Thai name (the picker order).
    provinces: Vec<Province>,
    /// Indices into `provinces`, sorted by province code, for lookups.
    province_by_code: Vec<usize>,
    /// Districts sorted by code (so a province's districts are contiguous).
    districts: Vec<District>,
    /// Subdistricts sorted by code (so a district's subdistricts are contiguous).
    subdistricts: Vec<Subdistrict>,
}

/// The index, built from the embedded table on first use.
fn areas() -> &'static Areas {
    static AREAS: OnceLock<Areas> = OnceLock::new();
    AREAS.get_or_init(|| {
        // The embedded file is fixed at build time; `embedded_table_parses` proves it parses.
        parse(AREAS_TSV).expect("data/thai-areas.tsv is malformed")
    })
}

/// The entries of a code-sorted list whose code starts with `prefix` (a contiguous run).
fn code_range<'a, T>(list: &'a [T], prefix: &str, code: impl Fn(&T) -> &'static str) -> &'a [T] {
    if prefix.is_empty() {
        return &[];
    }
    let start = list.partition_point(|item| code(item) < prefix);
    let len = list[start..].partition_point(|item| code(item).starts_with(prefix));
    &list[start..start + len]
}

/// Reads the table, checking the header, code shapes, nesting, postcodes and order.
fn parse(text: &'static str) -> Result<Areas, String> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header == HEADER => {}
        _ => return Err("line 1: unexpected header".to_string()),
    }
    let mut provinces: Vec<Province> = Vec::new();
    let mut districts: Vec<District> = Vec::new();
    let mut subdistricts: Vec<Subdistrict> = Vec::new();
    for (index, line) in lines {
        let at = |message: &str| format!("line {}: {message}", index + 1);
        let fields: Vec<&'static str> = line.split('\t').collect();
        let [p_code, p_th, p_en, d_code, d_th, d_en, s_code, s_th, s_en, postal] = fields[..]
        else {
            return Err(at("expected 10 tab-separated fields"));
        };
        if [p_th, p_en, d_th, d_en, s_th, s_en]
            .iter()
            .any(|name| name.trim().is_empty())
        {
            return Err(at("empty name"));
        }
        if !is_digits(p_code, 2) || !is_digits(d_code, 4) || !is_digits(s_code, 6) {
            return Err(at("codes must be 2, 4 and 6 digits"));
        }
        if !d_code.starts_with(p_code) || !s_code.starts_with(d_code) {
            return Err(at("code does not start with its parent's code"));
        }
        let postcodes: Box<[&'static str]> = postal.split(' ').collect();
        if !postcodes.iter().all(|p| is_digits(p, 5)) || !postcodes.windows(2).all(|w| w[0] < w[1])
        {
            return Err(at("postcodes must be 5 digits, ascending, one space apart"));
        }
        let province = Province {
            code: p_code,
            name_th: p_th,
            name_en: p_en,
        };
        match provinces.last() {
            Some(last) if *last == province => {}
            Some(last) if last.code >= province.code => {
                return Err(at(
                    "province differs from an earlier row or is out of order",
                ))
            }
            _ => provinces.push(province),
        }
        let district = District {
            code: d_code,
            province_code: p_code,
            name_th: d_th,
            name_en: d_en,
        };
        match districts.last() {
            Some(last) if *last == district => {}
            Some(last) if last.code >= district.code => {
                return Err(at(
                    "district differs from an earlier row or is out of order",
                ))
            }
            _ => districts.push(district),
        }
        if subdistricts.last().is_some_and(|last| last.code >= s_code) {
            return Err(at("subdistricts must be sorted by code without repeats"));
        }
        subdistricts.push(Subdistrict {
            code: s_code,
            district_code: d_code,
            name_th: s_th,
            name_en: s_en,
            postcodes,
        });
    }
    if subdistricts.is_empty() {
        return Err("no areas".to_string());
    }
    let mut province_by_code: Vec<usize> = (0..provinces.len()).collect();
    // Rows are in code order, so `provinces` is too; sort a copy by name and index it by code.
    provinces.sort_by(|a, b| thai_order(a.name_th, b.name_th).then(a.code.cmp(b.code)));
    province_by_code.sort_by_key(|&i| provinces[i].code);
    Ok(Areas {
        provinces,
        province_by_code,
        districts,
        subdistricts,
    })
}

/// Whether `text` is exactly `len` ASCII digits.
fn is_digits(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_digit())
}

/// Thai dictionary order, close enough for pickers: a leading vowel (เ แ โ ใ ไ) sorts after
/// the consonant it is written before, and tone marks only break ties.
fn thai_order(a: &str, b: &str) -> Ordering {
    thai_sort_key(a)
        .cmp(&thai_sort_key(b))
        .then_with(|| a.cmp(b))
}

/// The primary sort key of [`thai_order`].
fn thai_sort_key(text: &str) -> Vec<char> {
    let mut key: Vec<char> = text
        .chars()
        .filter(|c| !matches!(c, '\u{0E47}'..='\u{0E4E}'))
        .collect();
    let mut i = 0;
    while i + 1 < key.len() {
        if matches!(key[i], '\u{0E40}'..='\u{0E44}') {
            key.swap(i, i + 1);
            i += 2;
        } else {
            i += 1;
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses() {
        let parsed = parse(AREAS_TSV);
        assert!(parsed.is_ok(), "{:?}", parsed.err());
    }

    #[test]
    fn has_all_provinces_districts_and_subdistricts() {
        assert_eq!(provinces().len(), 77);
        let areas = areas();
        assert!(areas.districts.len() > 900, "{}", areas.districts.len());
        assert!(
            areas.subdistricts.len() > 7000,
            "{}",
            areas.subdistricts.len()
        );
        let total: usize = provinces().iter().map(|p| districts(p.code).len()).sum();
        assert_eq!(total, areas.districts.len());
        let total: usize = areas
            .districts
            .iter()
            .map(|d| subdistricts(d.code).len())
            .sum();
        assert_eq!(total, areas.subdistricts.len());
    }

    #[test]
    fn bangkok_has_fifty_khet() {
        assert!(is_bangkok("10"));
        assert!(!is_bangkok("50"));
        let bangkok = province(BANGKOK_CODE).map(|p| p.name_th);
        assert_eq!(bangkok, Some("กรุงเทพมหานคร"));
        let khet = districts(BANGKOK_CODE);
        assert_eq!(khet.len(), 50);
        assert!(khet.iter().all(|d| !d.name_th.starts_with("เขต")));
        assert!(khet.iter().any(|d| d.name_th == "พระนคร"));
    }

    #[test]
    fn level_words_follow_bangkok() {
        assert_eq!(district_level_th("10"), "เขต");
        assert_eq!(subdistrict_level_th("10"), "แขวง");
        assert_eq!(district_level_th("50"), "อำเภอ");
        assert_eq!(subdistrict_level_th("50"), "ตำบล");
        assert_eq!(district_label_key("10"), "address-district-bkk");
        assert_eq!(district_label_key("50"), "address-district");
        assert_eq!(subdistrict_label_key("10"), "address-subdistrict-bkk");
        assert_eq!(subdistrict_label_key("50"), "address-subdistrict");
    }

    #[test]
    fn resolves_a_known_bangkok_subdistrict() {
        let Some(s) = subdistrict("100101") else {
            panic!("100101 missing");
        };
        assert_eq!(s.name_th, "พระบรมมหาราชวัง");
        assert_eq!(s.district_code, "1001");
        assert_eq!(s.postcode(), Some("10200"));
        assert_eq!(s.full_name_th(), "แขวงพระบรมมหาราชวัง");
        assert_eq!(
            district("1001").map(|d| d.full_name_th()),
            Some("เขตพระนคร".into())
        );

        let area = validate_area("10", "1001", "100101", Some("10200"));
        let Ok(area) = area else {
            panic!("{area:?}");
        };
        assert_eq!(area.province.name_en, "Bangkok");
        assert_eq!(area.district.name_th, "พระนคร");
        assert_eq!(area.subdistrict.code, "100101");
        assert_eq!(area.postcode, Some("10200"));
        assert_eq!(
            area.format(Lang::Th),
            "แขวงพระบรมมหาราชวัง เขตพระนคร กรุงเทพมหานคร 10200"
        );
        assert_eq!(
            area.format(Lang::En),
            "Phra Borom Maha Ratchawang, Phra Nakhon, Bangkok 10200"
        );
    }

    #[test]
    fn resolves_a_provincial_subdistrict_with_level_words() {
        // ศรีภูมิ, อำเภอเมืองเชียงใหม่, จังหวัดเชียงใหม่.
        let area = validate_area(" 50 ", "5001", "500101", None);
        let Ok(area) = area else {
            panic!("{area:?}");
        };
        assert_eq!(area.postcode, Some("50200"));
        assert_eq!(
            area.format(Lang::Th),
            "ตำบลศรีภูมิ อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่ 50200"
        );
    }

    #[test]
    fn accepts_thai_digits_and_blank_postcode() {
        let area = validate_area("๑๐", "๑๐๐๑", "๑๐๐๑๐๑", Some("๑๐๒๐๐"));
        assert_eq!(area.map(|a| a.postcode), Ok(Some("10200")));
        let area = validate_area("10", "1001", "100101", Some("  "));
        assert_eq!(area.map(|a| a.postcode), Ok(Some("10200")));
    }

    #[test]
    fn subdistrict_with_several_postcodes() {
        // สวนจิตรลดา, เขตดุสิต: 10300 and 10303.
        let Some(s) = subdistrict("100203") else {
            panic!("100203 missing");
        };
        assert_eq!(&*s.postcodes, ["10300", "10303"]);
        assert_eq!(s.postcode(), None);
        let area = validate_area("10", "1002", "100203", Some("10303"));
        assert_eq!(area.map(|a| a.postcode), Ok(Some("10303")));
        let area = validate_area("10", "1002", "100203", None);
        assert_eq!(area.map(|a| a.postcode), Ok(None));
        let by_postcode = subdistricts_by_postcode("10303");
        assert!(by_postcode.iter().any(|s| s.code == "100203"));
        assert!(subdistricts_by_postcode("00000").is_empty());
    }

    #[test]
    fn error_unknown_codes() {
        let err = validate_area("99", "1001", "100101", None);
        assert_eq!(
            err.map_err(|e| e.code()),
            Err("thai.address.unknown_province")
        );
        let err = validate_area("10", "1099", "100101", None);
        assert_eq!(
            err.map_err(|e| e.code()),
            Err("thai.address.unknown_district")
        );
        let err = validate_area("10", "1001", "100199", None);
        assert_eq!(
            err.map_err(|e| e.code()),
            Err("thai.address.unknown_subdistrict")
        );
        let err = validate_area("", "", "", None);
        assert_eq!(
            err.map_err(|e| e.code()),
            Err("thai.address.unknown_province")
        );
    }

    #[test]
    fn error_codes_that_do_not_nest() {
        let err = validate_area("50", "1001", "100101", None);
        assert_eq!(
            err,
            Err(AddressError::DistrictNotInProvince {
                district: "1001".into(),
                province: "50".into()
            })
        );
        assert_eq!(
            err.map_err(|e| e.code()),
            Err("thai.address.district_not_in_province")
        );
        let err = validate_area("10", "1002", "100101", None);
        assert_eq!(
            err.map_err(|e| e.code()),
            Err("thai.address.subdistrict_not_in_district")
        );
    }

    #[test]
    fn error_postcodes() {
        let err = validate_area("10", "1001", "100101", Some("10300"));
        assert_eq!(
            err,
            Err(AddressError::PostcodeMismatch {
                postcode: "10300".into(),
                subdistrict: "100101".into()
            })
        );
        assert_eq!(
            err.map_err(|e| e.code()),
            Err("thai.address.postcode_mismatch")
        );
        for bad in ["1020", "102000", "10 200", "1020a"] {
            let err = validate_area("10", "1001", "100101", Some(bad));
            assert_eq!(
                err.map_err(|e| e.code()),
                Err("thai.address.postcode_format"),
                "{bad}"
            );
        }
    }

    #[test]
    fn every_area_nests_and_codes_have_the_right_shape() {
        let areas = areas();
        for p in provinces() {
            assert!(is_digits(p.code, 2), "{p:?}");
            assert_eq!(province(p.code), Some(p));
        }
        for d in &areas.districts {
            assert!(is_digits(d.code, 4), "{d:?}");
            assert!(d.code.starts_with(d.province_code), "{d:?}");
            assert!(province(d.province_code).is_some(), "{d:?}");
            assert!(!subdistricts(d.code).is_empty(), "{d:?}");
        }
        for s in &areas.subdistricts {
            assert!(is_digits(s.code, 6), "{s:?}");
            assert!(s.code.starts_with(s.district_code), "{s:?}");
            assert!(district(s.district_code).is_some(), "{s:?}");
            assert!(!s.postcodes.is_empty(), "{s:?}");
            assert!(s.postcodes.iter().all(|p| is_digits(p, 5)), "{s:?}");
            assert_eq!(subdistrict(s.code), Some(s));
        }
        assert!(districts("99").is_empty());
        assert!(districts("").is_empty());
        assert!(subdistricts("1").is_empty());
    }

    #[test]
    fn pickers_are_in_thai_order() {
        let names: Vec<&str> = provinces().iter().map(|p| p.name_th).collect();
        let pos = |name: &str| names.iter().position(|n| *n == name);
        // กระบี่ first; เชียงใหม่ (leading vowel) among ช, before ซ/ฌ… and ตาก.
        assert_eq!(names.first(), Some(&"กระบี่"));
        assert!(pos("ชัยภูมิ") < pos("เชียงใหม่"));
        assert!(pos("เชียงใหม่") < pos("ตราด"));
        let khet: Vec<&str> = districts("10").iter().map(|d| d.name_th).collect();
        let mut sorted = khet.clone();
        sorted.sort_by(|a, b| thai_order(a, b));
        assert_eq!(khet, sorted);
    }

    #[test]
    fn parse_rejects_bad_tables() {
        let row = "10\tกรุงเทพมหานคร\tBangkok\t1001\tพระนคร\tPhra Nakhon\t100101\tพระบรมมหาราชวัง\tPhra Borom\t10200";
        let table = |rows: &[&str]| -> &'static str {
            Box::leak(format!("{HEADER}\n{}\n", rows.join("\n")).into_boxed_str())
        };
        assert!(parse(table(&[row])).is_ok());
        assert!(parse(table(&[])).is_err());
        assert!(parse("wrong\n").is_err());
        assert!(parse(table(&[&row.replace("\t10200", "")])).is_err());
        assert!(parse(table(&[&row.replace("100101", "110101")])).is_err());
        assert!(parse(table(&[&row.replace("10200", "1020")])).is_err());
        assert!(parse(table(&[&row.replace("10200", "10300 10200")])).is_err());
        assert!(parse(table(&[row, row])).is_err());
    }

    #[test]
    fn error_display_and_codes_are_stable() {
        let err = AddressError::PostcodeFormat {
            postcode: "12".into(),
        };
        assert_eq!(err.to_string(), "postcode \"12\" is not five digits");
        assert_eq!(err.code(), "thai.address.postcode_format");
    }
}
