//! The embedded area table: parsed once, checked, and indexed by code.

use super::*;
/// The parsed table: provinces by Thai name, districts and subdistricts by code.
pub(super) struct Areas {
    /// Provinces sorted by Thai name (the picker order).
    pub(super) provinces: Vec<Province>,
    /// Indices into `provinces`, sorted by province code, for lookups.
    pub(super) province_by_code: Vec<usize>,
    /// Districts sorted by code (so a province's districts are contiguous).
    pub(super) districts: Vec<District>,
    /// Subdistricts sorted by code (so a district's subdistricts are contiguous).
    pub(super) subdistricts: Vec<Subdistrict>,
}

/// The index, built from the embedded table on first use.
pub(super) fn areas() -> &'static Areas {
    static AREAS: OnceLock<Areas> = OnceLock::new();
    AREAS.get_or_init(|| {
        // The embedded file is fixed at build time; `embedded_table_parses` proves it parses.
        parse(AREAS_TSV).expect("data/thai-areas.tsv is malformed")
    })
}

/// The entries of a code-sorted list whose code starts with `prefix` (a contiguous run).
pub(super) fn code_range<'a, T>(
    list: &'a [T],
    prefix: &str,
    code: impl Fn(&T) -> &'static str,
) -> &'a [T] {
    if prefix.is_empty() {
        return &[];
    }
    let start = list.partition_point(|item| code(item) < prefix);
    let len = list[start..].partition_point(|item| code(item).starts_with(prefix));
    &list[start..start + len]
}

/// Reads the table, checking the header, code shapes, nesting, postcodes and order.
pub(super) fn parse(text: &'static str) -> Result<Areas, String> {
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
pub(super) fn is_digits(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_digit())
}

/// Thai dictionary order, close enough for pickers: a leading vowel (เ แ โ ใ ไ) sorts after
/// the consonant it is written before, and tone marks only break ties.
pub(super) fn thai_order(a: &str, b: &str) -> Ordering {
    thai_sort_key(a)
        .cmp(&thai_sort_key(b))
        .then_with(|| a.cmp(b))
}

/// The primary sort key of [`thai_order`].
pub(super) fn thai_sort_key(text: &str) -> Vec<char> {
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
