//! Standard Thai name prefixes (titles) and the tidying applied to typed names.

use crate::lang::Lang;

/// Which family a prefix belongs to, so a form can group the choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PrefixGroup {
    /// Everyday adult and child prefixes (นาย, นาง, นางสาว, เด็กชาย, เด็กหญิง).
    General,
    /// Royal Thai Police ranks.
    Police,
    /// Armed forces ranks.
    Military,
    /// Doctorate and medical professional titles.
    Professional,
    /// University academic ranks.
    Academic,
    /// Buddhist monks, novices and nuns.
    Clerical,
    /// Royal lineage titles.
    Royal,
}

impl PrefixGroup {
    /// The stable code used in configuration and forms.
    pub fn code(self) -> &'static str {
        match self {
            PrefixGroup::General => "general",
            PrefixGroup::Police => "police",
            PrefixGroup::Military => "military",
            PrefixGroup::Professional => "professional",
            PrefixGroup::Academic => "academic",
            PrefixGroup::Clerical => "clerical",
            PrefixGroup::Royal => "royal",
        }
    }
}

/// One standard name prefix with its Thai and English forms (reference data, not UI prose).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Prefix {
    /// Stable code stored with the person's name.
    pub code: &'static str,
    /// Full Thai form, as on official documents.
    pub th: &'static str,
    /// Short Thai form used on forms and lists; equal to `th` when Thai has no shorter one.
    pub th_abbr: &'static str,
    /// English form for English-language documents.
    pub en: &'static str,
    /// The family the prefix belongs to.
    pub group: PrefixGroup,
}

impl Prefix {
    /// The short form to show before a name in a language.
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Th => self.th_abbr,
            Lang::En => self.en,
        }
    }
}

/// Builds one table row; keeps the table below readable.
const fn p(
    code: &'static str,
    th: &'static str,
    th_abbr: &'static str,
    en: &'static str,
    group: PrefixGroup,
) -> Prefix {
    Prefix {
        code,
        th,
        th_abbr,
        en,
        group,
    }
}

use PrefixGroup::{Academic, Clerical, General, Military, Police, Professional, Royal};

/// The built-in prefixes, in the order a form lists them.
static PREFIXES: [Prefix; 39] = [
    p("mr", "นาย", "นาย", "Mr.", General),
    p("mrs", "นาง", "นาง", "Mrs.", General),
    p("miss", "นางสาว", "น.ส.", "Miss", General),
    p("master", "เด็กชาย", "ด.ช.", "Master", General),
    p("miss_child", "เด็กหญิง", "ด.ญ.", "Miss", General),
    p("pol_sub_lt", "ร้อยตำรวจตรี", "ร.ต.ต.", "Pol. Sub-Lt.", Police),
    p("pol_lt", "ร้อยตำรวจโท", "ร.ต.ท.", "Pol. Lt.", Police),
    p("pol_capt", "ร้อยตำรวจเอก", "ร.ต.อ.", "Pol. Capt.", Police),
    p("pol_maj", "พันตำรวจตรี", "พ.ต.ต.", "Pol. Maj.", Police),
    p("pol_lt_col", "พันตำรวจโท", "พ.ต.ท.", "Pol. Lt. Col.", Police),
    p("pol_col", "พันตำรวจเอก", "พ.ต.อ.", "Pol. Col.", Police),
    p("pol_l_cpl", "สิบตำรวจตรี", "ส.ต.ต.", "Pol. L/Cpl.", Police),
    p("pol_cpl", "สิบตำรวจโท", "ส.ต.ท.", "Pol. Cpl.", Police),
    p("pol_sgt", "สิบตำรวจเอก", "ส.ต.อ.", "Pol. Sgt.", Police),
    p(
        "pol_sgt_maj",
        "จ่าสิบตำรวจ",
        "จ.ส.ต.",
        "Pol. Sgt. Maj.",
        Police,
    ),
    p(
        "pol_sen_sgt_maj",
        "ดาบตำรวจ",
        "ด.ต.",
        "Pol. Sen. Sgt. Maj.",
        Police,
    ),
    p("sub_lt", "ร้อยตรี", "ร.ต.", "Sub Lt.", Military),
    p("lt", "ร้อยโท", "ร.ท.", "Lt.", Military),
    p("capt", "ร้อยเอก", "ร.อ.", "Capt.", Military),
    p("maj", "พันตรี", "พ.ต.", "Maj.", Military),
    p("lt_col", "พันโท", "พ.ท.", "Lt. Col.", Military),
    p("col", "พันเอก", "พ.อ.", "Col.", Military),
    p("dr", "ดอกเตอร์", "ดร.", "Dr.", Professional),
    p("physician_m", "นายแพทย์", "นพ.", "Dr.", Professional),
    p("physician_f", "แพทย์หญิง", "พญ.", "Dr.", Professional),
    p("dentist_m", "ทันตแพทย์", "ทพ.", "Dr.", Professional),
    p("dentist_f", "ทันตแพทย์หญิง", "ทพญ.", "Dr.", Professional),
    p(
        "asst_prof",
        "ผู้ช่วยศาสตราจารย์",
        "ผศ.",
        "Asst. Prof.",
        Academic,
    ),
    p(
        "assoc_prof",
        "รองศาสตราจารย์",
        "รศ.",
        "Assoc. Prof.",
        Academic,
    ),
    p("prof", "ศาสตราจารย์", "ศ.", "Prof.", Academic),
    p("phra", "พระ", "พระ", "Phra", Clerical),
    p("phra_maha", "พระมหา", "พระมหา", "Phra Maha", Clerical),
    p("phrakhru", "พระครู", "พระครู", "Phrakhru", Clerical),
    p("samanen", "สามเณร", "ส.ณ.", "Novice", Clerical),
    p("mae_chi", "แม่ชี", "แม่ชี", "Mae Chi", Clerical),
    p("mom_chao", "หม่อมเจ้า", "ม.จ.", "Mom Chao", Royal),
    p(
        "mom_rajawongse",
        "หม่อมราชวงศ์",
        "ม.ร.ว.",
        "Mom Rajawongse",
        Royal,
    ),
    p("mom_luang", "หม่อมหลวง", "ม.ล.", "Mom Luang", Royal),
    p("mom", "หม่อม", "หม่อม", "Mom", Royal),
];

/// All built-in prefixes, for the prefix picker and for seeding configuration.
pub fn prefixes() -> &'static [Prefix] {
    &PREFIXES
}

/// Looks up a stored prefix code; `None` when the code is unknown (e.g. removed from config).
pub fn prefix_by_code(code: &str) -> Option<&'static Prefix> {
    PREFIXES.iter().find(|prefix| prefix.code == code)
}

/// Finds a prefix from its Thai text, full or abbreviated, ignoring spaces and dots
/// ("ด.ช.", "ดช", "เด็กชาย"), so importers can map free-text titles.
pub fn prefix_by_thai(text: &str) -> Option<&'static Prefix> {
    let wanted = thai_key(text);
    if wanted.is_empty() {
        return None;
    }
    PREFIXES
        .iter()
        .find(|prefix| thai_key(prefix.th) == wanted || thai_key(prefix.th_abbr) == wanted)
}

/// Text with whitespace and dots removed, for comparing abbreviations.
fn thai_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect()
}

/// Tidies a typed name for storage and matching: trims, collapses runs of whitespace to one
/// space, and drops invisible zero-width spaces and byte-order marks pasted from other programs.
pub fn normalize_name_spacing(input: &str) -> String {
    let visible: String = input
        .chars()
        .filter(|c| !matches!(c, '\u{200B}' | '\u{FEFF}'))
        .collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn has_the_standard_prefixes() {
        let mr = prefix_by_code("mr").unwrap();
        assert_eq!((mr.th, mr.en), ("นาย", "Mr."));
        assert_eq!(prefix_by_code("mrs").unwrap().th, "นาง");
        let miss = prefix_by_code("miss").unwrap();
        assert_eq!((miss.th, miss.th_abbr, miss.en), ("นางสาว", "น.ส.", "Miss"));
        let boy = prefix_by_code("master").unwrap();
        assert_eq!((boy.th, boy.th_abbr, boy.en), ("เด็กชาย", "ด.ช.", "Master"));
        let girl = prefix_by_code("miss_child").unwrap();
        assert_eq!((girl.th, girl.th_abbr, girl.en), ("เด็กหญิง", "ด.ญ.", "Miss"));
        assert_eq!(prefix_by_code("dr").unwrap().en, "Dr.");
        assert_eq!(prefix_by_code("nobody"), None);
    }

    #[test]
    fn has_the_listed_ranks_clerical_and_royal_titles() {
        for abbr in [
            "ร.ต.อ.",
            "พ.ต.ท.",
            "ส.ต.อ.",
            "จ.ส.ต.",
            "ดร.",
            "นพ.",
            "พญ.",
            "ทพ.",
            "ผศ.",
            "รศ.",
            "ศ.",
            "พระ",
            "พระครู",
            "สามเณร",
            "แม่ชี",
            "ม.ร.ว.",
            "ม.ล.",
            "หม่อม",
        ] {
            assert!(prefix_by_thai(abbr).is_some(), "{abbr}");
        }
        assert_eq!(prefix_by_thai("ม.ร.ว.").unwrap().group, PrefixGroup::Royal);
        assert_eq!(prefix_by_thai("แม่ชี").unwrap().group, PrefixGroup::Clerical);
        assert_eq!(prefix_by_thai("พ.ต.ท.").unwrap().group, PrefixGroup::Police);
    }

    #[test]
    fn table_is_consistent() {
        let mut codes: Vec<_> = prefixes().iter().map(|p| p.code).collect();
        let mut keys: Vec<_> = prefixes().iter().map(|p| thai_key(p.th)).collect();
        keys.extend(
            prefixes()
                .iter()
                .filter(|p| p.th_abbr != p.th)
                .map(|p| thai_key(p.th_abbr)),
        );
        for prefix in prefixes() {
            assert!(!prefix.th.is_empty() && !prefix.th_abbr.is_empty() && !prefix.en.is_empty());
            assert!(prefix
                .code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_'));
            assert_eq!(prefix_by_code(prefix.code), Some(prefix));
            assert_eq!(prefix_by_thai(prefix.th), Some(prefix));
            assert_eq!(prefix_by_thai(prefix.th_abbr), Some(prefix));
            assert!(!prefix.group.code().is_empty());
        }
        let (n_codes, n_keys) = (codes.len(), keys.len());
        codes.sort_unstable();
        codes.dedup();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(codes.len(), n_codes, "duplicate prefix code");
        assert_eq!(keys.len(), n_keys, "ambiguous Thai prefix text");
    }

    #[test]
    fn finds_prefixes_from_loose_thai_text() {
        assert_eq!(prefix_by_thai(" ดช ").unwrap().code, "master");
        assert_eq!(prefix_by_thai("น.ส").unwrap().code, "miss");
        assert_eq!(prefix_by_thai("นางสาว").unwrap().code, "miss");
        assert_eq!(prefix_by_thai("ร. ต. อ."), prefix_by_code("pol_capt"));
        assert_eq!(prefix_by_thai(""), None);
        assert_eq!(prefix_by_thai(" . "), None);
        assert_eq!(prefix_by_thai("Mr."), None);
    }

    #[test]
    fn labels() {
        let miss = prefix_by_code("miss").unwrap();
        assert_eq!(miss.label(Lang::Th), "น.ส.");
        assert_eq!(miss.label(Lang::En), "Miss");
    }

    #[test]
    fn tidies_name_spacing() {
        assert_eq!(normalize_name_spacing("  สมชาย   ใจดี  "), "สมชาย ใจดี");
        assert_eq!(
            normalize_name_spacing("Somchai\t\n Jaidee"),
            "Somchai Jaidee"
        );
        assert_eq!(
            normalize_name_spacing("สม\u{200B}ชาย\u{00A0}ใจดี"),
            "สมชาย ใจดี"
        );
        assert_eq!(normalize_name_spacing("\u{FEFF} "), "");
        assert_eq!(normalize_name_spacing("ใจดี"), "ใจดี");
    }
}
