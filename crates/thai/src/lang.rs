//! The two interface languages Karuna speaks.

/// A user interface language; Thai is the default because Karuna is built for Thai social workers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Thai, the default language of the interface and of the data.
    #[default]
    Th,
    /// English, for partners and staff who do not read Thai.
    En,
}

impl Lang {
    /// Every supported language, in the order a language picker lists them.
    pub const ALL: [Lang; 2] = [Lang::Th, Lang::En];

    /// The stable two-letter code used in URLs, cookies, settings and catalogue folders.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Th => "th",
            Lang::En => "en",
        }
    }

    /// Reads a language tag such as "th", "en", "th-TH", "en_US" or "EN"; `None` when unsupported.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "th" | "tha" => Some(Lang::Th),
            "en" | "eng" => Some(Lang::En),
            _ => None,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_thai() {
        assert_eq!(Lang::default(), Lang::Th);
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
            assert_eq!(lang.to_string(), lang.code());
        }
    }

    #[test]
    fn accepts_region_subtags_and_case() {
        assert_eq!(Lang::from_code("th-TH"), Some(Lang::Th));
        assert_eq!(Lang::from_code("en-US"), Some(Lang::En));
        assert_eq!(Lang::from_code("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_code(" EN "), Some(Lang::En));
        assert_eq!(Lang::from_code("TH"), Some(Lang::Th));
    }

    #[test]
    fn rejects_unknown_and_empty() {
        assert_eq!(Lang::from_code(""), None);
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::from_code("-TH"), None);
        assert_eq!(Lang::from_code("thai"), None);
    }
}
