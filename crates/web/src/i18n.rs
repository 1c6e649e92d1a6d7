//! Message catalogues (Fluent, `locales/{th,en}/*.ftl`, embedded): every user-visible string
//! comes from here, Thai first. Also formats dates in the user's calendar.

use chrono::{DateTime, Utc};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use karuna_thai::calendar::{self, Era};
use karuna_thai::lang::Lang;
use rust_embed::RustEmbed;
use std::collections::BTreeSet;
use std::sync::Arc;

#[derive(RustEmbed)]
#[folder = "../../locales"]
struct Locales;

/// Both languages' bundles, loaded once at start.
pub struct Catalog {
    th: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
    keys_th: BTreeSet<String>,
    keys_en: BTreeSet<String>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Catalog({} th keys, {} en keys)",
            self.keys_th.len(),
            self.keys_en.len()
        )
    }
}

fn load(lang: &str) -> Result<(FluentBundle<FluentResource>, BTreeSet<String>), String> {
    let id = lang.parse().map_err(|e| format!("{lang}: {e}"))?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    let mut keys = BTreeSet::new();
    let mut files: Vec<_> = Locales::iter()
        .filter(|f| f.starts_with(&format!("{lang}/")))
        .collect();
    files.sort();
    for file in files {
        let data = Locales::get(&file).ok_or_else(|| format!("{file}: missing"))?;
        let text =
            String::from_utf8(data.data.into_owned()).map_err(|_| format!("{file}: not UTF-8"))?;
        let res = FluentResource::try_new(text).map_err(|(_, errs)| format!("{file}: {errs:?}"))?;
        for entry in res.entries() {
            if let fluent_syntax::ast::Entry::Message(m) = entry {
                keys.insert(m.id.name.to_string());
            }
        }
        bundle
            .add_resource(res)
            .map_err(|errs| format!("{file}: duplicate keys {errs:?}"))?;
    }
    Ok((bundle, keys))
}

impl Catalog {
    /// Loads the embedded catalogues; fails on a syntax error or a duplicate key.
    pub fn load() -> Result<Catalog, String> {
        let (th, keys_th) = load("th")?;
        let (en, keys_en) = load("en")?;
        Ok(Catalog {
            th,
            en,
            keys_th,
            keys_en,
        })
    }

    /// The keys of one language (for the completeness test).
    pub fn keys(&self, lang: Lang) -> &BTreeSet<String> {
        match lang {
            Lang::Th => &self.keys_th,
            Lang::En => &self.keys_en,
        }
    }

    /// A message with arguments; a missing key shows as the key itself (and the i18n test
    /// keeps that from shipping).
    pub fn message(&self, lang: Lang, key: &str, args: &[(&str, String)]) -> String {
        let bundle = match lang {
            Lang::Th => &self.th,
            Lang::En => &self.en,
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, FluentValue::from(v.clone()));
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fargs), &mut errors)
            .into_owned()
    }
}

/// A translator bound to one user's language and calendar; templates call it.
#[derive(Clone, Debug)]
pub struct Tr {
    catalog: Arc<Catalog>,
    /// The interface language.
    pub lang: Lang,
    /// The calendar era for dates.
    pub era: Era,
}

impl Tr {
    /// Binds a catalogue to a language and era.
    pub fn new(catalog: Arc<Catalog>, lang: Lang, era: Era) -> Tr {
        Tr { catalog, lang, era }
    }

    /// The message for `key`.
    pub fn get(&self, key: &str) -> String {
        self.catalog.message(self.lang, key, &[])
    }

    /// True when the catalogue has `key` (for labels built from codes that may be new).
    pub fn has(&self, key: &str) -> bool {
        self.catalog.keys(self.lang).contains(key)
    }

    /// A number as a Thai reader expects it: thousands grouped (9,000), no trailing ".0".
    pub fn number(&self, n: &serde_json::Number) -> String {
        karuna_thai::number::group(&n.to_string())
    }

    /// The message for `key` with one argument.
    pub fn get1(&self, key: &str, name: &str, value: &str) -> String {
        self.catalog
            .message(self.lang, key, &[(name, value.to_string())])
    }

    /// The label of a code: the message `<prefix>-<code>`, underscores as dashes
    /// (`code("advocacy-status", "in_review")` → `advocacy-status-in-review`).
    pub fn code(&self, prefix: &str, code: &str) -> String {
        self.get(&format!("{prefix}-{}", code.replace('_', "-")))
    }

    /// The message for `key` with arguments.
    pub fn args(&self, key: &str, args: &[(&str, String)]) -> String {
        self.catalog.message(self.lang, key, args)
    }

    /// An instant in the user's calendar, Bangkok time.
    pub fn datetime(&self, t: &DateTime<Utc>) -> String {
        calendar::format_datetime(*t, self.era, self.lang)
    }

    /// A calendar date in the user's calendar (e.g. 14 ก.พ. 2540).
    pub fn date(&self, d: &chrono::NaiveDate) -> String {
        calendar::format_date(*d, self.era, self.lang)
    }

    /// A date as typed in forms, in the user's era: dd/mm/yyyy.
    pub fn date_input(&self, d: &chrono::NaiveDate) -> String {
        use chrono::Datelike;
        format!(
            "{:02}/{:02}/{}",
            d.day(),
            d.month(),
            self.era.year_from_ce(d.year())
        )
    }

    /// A year (given in the Common era) in the user's calendar.
    pub fn year(&self, ce: i64) -> String {
        calendar::format_year(i32::try_from(ce).unwrap_or(0), self.era, self.lang)
    }

    /// The language code for `<html lang>`.
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// The message for a field-error code (`error-` + code with dots as dashes).
    pub fn error(&self, code: &str, args: &[(String, String)]) -> String {
        let key = format!("error-{}", code.replace(['.', '_'], "-"));
        let args: Vec<(&str, String)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        self.catalog.message(self.lang, &key, &args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use karuna_domain::access::{Profession, Role};
    use std::path::Path;

    fn catalog() -> Catalog {
        Catalog::load().expect("catalogues parse")
    }

    fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("dir").flatten() {
            let p = entry.path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs" || e == "html") {
                out.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).expect("read"),
                ));
            }
        }
    }

    fn all_sources() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut out = Vec::new();
        for dir in [
            "web/src",
            "web/templates",
            "app/src",
            "domain/src",
            "thai/src",
        ] {
            sources(&root.join(dir), &mut out);
        }
        out
    }

    #[test]
    fn thai_and_english_have_the_same_keys() {
        let c = catalog();
        let th = c.keys(Lang::Th);
        let en = c.keys(Lang::En);
        let only_th: Vec<_> = th.difference(en).collect();
        let only_en: Vec<_> = en.difference(th).collect();
        assert!(
            only_th.is_empty() && only_en.is_empty(),
            "only in th: {only_th:?}; only in en: {only_en:?}"
        );
        assert!(th.len() > 150);
    }

    #[test]
    fn every_key_the_code_uses_exists() {
        let c = catalog();
        let keys = c.keys(Lang::Th);
        let mut missing = Vec::new();
        let (mut literals, mut codes) = (0, 0);
        let literal =
            regex_lite::Regex::new(r#"(?:\bc|\bt|tr)\.(?:get|get1|args)\("([a-z][a-z0-9-]*)""#)
                .expect("regex");
        // Where error codes appear: the second argument of `FieldError::new` / `AppError::field`
        // (the first is the field name), the last of `Validation::check`, the Thai crate's
        // `code()` tables, guards' `Err("…")`, and codes chosen inline with if/else.
        let code_patterns: Vec<regex_lite::Regex> = [
            r#"(?:FieldError::new|::field)\(\s*[^,()]+(?:\([^()]*\))?,\s*"([a-z_.]+)""#,
            r#"\.check\([^;]*?,\s*"[^"]*",\s*"([a-z_.]+)"\)"#,
            r#"=> "(thai\.[a-z_.]+)""#,
            r#"Err\("([a-z_]+\.[a-z_.]+)"\)"#,
            r#"\{ "([a-z_]+\.[a-z_.]+)" \}"#,
        ]
        .iter()
        .map(|p| regex_lite::Regex::new(p).expect("regex"))
        .collect();
        for (file, text) in all_sources() {
            for m in literal.captures_iter(&text) {
                literals += 1;
                if !keys.contains(&m[1]) {
                    missing.push(format!("{file}: {}", &m[1]));
                }
            }
            for re in &code_patterns {
                for m in re.captures_iter(&text) {
                    let code = &m[1];
                    codes += 1;
                    let key = format!("error-{}", code.replace(['.', '_'], "-"));
                    if !keys.contains(&key) {
                        missing.push(format!("{file}: field code {code} → {key}"));
                    }
                }
            }
        }
        // Codes built at run time, and labels built from codes.
        let mut families: Vec<String> = vec![
            "error-date-understood-be".into(),
            "error-date-understood-ce".into(),
        ];
        let family = |prefix: &str, codes: &[&str]| -> Vec<String> {
            codes
                .iter()
                .map(|c| format!("{prefix}-{}", c.replace('_', "-")))
                .collect()
        };
        use karuna_domain::{case, contact, person};
        families.extend(family("status", &case::Status::ALL.map(|s| s.code())));
        families.extend(family("urgency", &case::Urgency::ALL.map(|s| s.code())));
        families.extend(family("case-type", &case::CASE_TYPES));
        families.extend(family("referral", &case::REFERRAL_SOURCES));
        families.extend(family("safety-q", &case::SAFETY_QUESTIONS.map(|q| q.code)));
        families.extend(family("sex", &person::SEXES));
        families.extend(family("relationship", &person::RELATIONSHIPS));
        families.extend(family(
            "document",
            &karuna_thai::national_id::IdDocumentKind::ALL.map(|k| k.code()),
        ));
        families.extend(family("contact-kind", &contact::CONTACT_KINDS));
        use karuna_domain::{plan, progress};
        families.extend(family("dimension", &plan::DIMENSIONS));
        families.extend(family("priority", &plan::PRIORITIES));
        families.extend(family("method", &plan::METHODS));
        families.extend(family("intervention-status", &plan::INTERVENTION_STATES));
        families.extend(family("evidence", &progress::EVIDENCE_SOURCES));
        families.extend(family(
            "plan-status",
            &["awaiting_approval", "active", "returned", "superseded"],
        ));
        families.extend((0..5).map(|i| format!("gas-level-{i}")));
        families.extend(family(
            "timeline-kind",
            &[
                "contact",
                "assessment",
                "plan",
                "progress",
                "review",
                "closure",
                "follow_up",
                "transition",
                "promise",
            ],
        ));
        families.extend(family("timeline-assessment", &["started", "completed"]));
        families.extend(family("timeline-follow-up", &["due", "done"]));
        families.extend(family(
            "timeline-promise",
            &["made", "kept", "missed", "renegotiated", "released"],
        ));
        use karuna_domain::closure;
        families.extend(family("review-outcome", &closure::REVIEW_OUTCOMES));
        families.extend(family("closure-reason", &closure::CLOSURE_REASONS));
        families.extend(family("goal-outcome", &closure::GOAL_OUTCOMES));
        families.extend(family(
            "closure-status",
            &[
                "awaiting_approval",
                "approved",
                "ready",
                "returned",
                "done",
                "superseded",
            ],
        ));
        families.extend(family("source", &contact::SOURCES));
        families.extend(family(
            "consent-status",
            &karuna_app::intake::CONSENT_STATES,
        ));
        families.extend(family("consent-basis", &karuna_app::intake::LAWFUL_BASES));
        families.extend(family(
            "consent-purpose",
            &karuna_app::intake::CONSENT_PURPOSES,
        ));
        families.extend(family(
            "promise-status",
            &["open", "kept", "missed", "released"],
        ));
        families.extend(family(
            "promise-event",
            &["made", "kept", "missed", "renegotiated", "released"],
        ));
        families.extend(family("history", &["open", "status", "reopen", "transfer"]));
        families.extend(family(
            "case-saved",
            &[
                "any", "contact", "promise", "status", "transfer", "team", "person", "consent",
            ],
        ));
        families.extend(
            karuna_thai::matching::Reason::all()
                .into_iter()
                .map(|r| format!("match-{}", r.code().replace(['.', '_'], "-"))),
        );
        for key in families {
            if !keys.contains(&key) {
                missing.push(key);
            }
        }
        for r in Role::ALL {
            let r = r.code().replace('_', "-");
            for key in [format!("role-{r}"), format!("home-role-help-{r}")] {
                if !keys.contains(&key) {
                    missing.push(key);
                }
            }
        }
        for p in Profession::ALL {
            let key = format!("profession-{}", p.code().replace('_', "-"));
            if !keys.contains(&key) {
                missing.push(key);
            }
        }
        for code in crate::error::PROBLEM_CODES {
            for part in ["title", "detail"] {
                let key = format!("problem-{}-{part}", code.replace('_', "-"));
                if !keys.contains(&key) {
                    missing.push(key);
                }
            }
        }
        for outcome in ["success", "denied", "failure"] {
            let key = format!("audit-outcome-{outcome}");
            if !keys.contains(&key) {
                missing.push(key);
            }
        }
        assert!(
            literals > 100 && codes > 30,
            "the scan found {literals} keys and {codes} codes"
        );
        missing.sort();
        missing.dedup();
        assert!(
            missing.is_empty(),
            "keys used but not in the catalogues:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn arguments_are_filled_in() {
        let c = Arc::new(catalog());
        let t = Tr::new(c.clone(), Lang::Th, Era::Buddhist);
        assert_eq!(
            t.error("password.too_short", &[("min".into(), "10".into())]),
            "รหัสผ่านต้องยาวอย่างน้อย 10 ตัวอักษร"
        );
        let e = Tr::new(c, Lang::En, Era::Common);
        assert_eq!(e.get1("home-welcome", "name", "Malee"), "Welcome, Malee");
        assert_eq!(e.get("no-such-key"), "no-such-key");
    }
}
