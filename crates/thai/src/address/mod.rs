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
pub(crate) const AREAS_TSV: &str = include_str!("../../../../data/thai-areas.tsv");

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

    /// The name in `lang`: Thai with its level word, English as the data gives it.
    pub fn full_name(&self, lang: Lang) -> String {
        match lang {
            Lang::Th => self.full_name_th(),
            Lang::En => self.name_en.to_string(),
        }
    }
}

impl District {
    /// The Thai name with its level word: "อำเภอเมืองเชียงใหม่", "เขตพระนคร".
    pub fn full_name_th(&self) -> String {
        format!("{}{}", district_level_th(self.province_code), self.name_th)
    }

    /// The name in `lang`: Thai with its level word, English as the data gives it.
    pub fn full_name(&self, lang: Lang) -> String {
        match lang {
            Lang::Th => self.full_name_th(),
            Lang::En => self.name_en.to_string(),
        }
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

    /// The name in `lang`: Thai with its level word, English as the data gives it.
    pub fn full_name(&self, lang: Lang) -> String {
        match lang {
            Lang::Th => self.full_name_th(),
            Lang::En => self.name_en.to_string(),
        }
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

mod data;
use data::*;

#[cfg(test)]
mod tests;
