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

    /// The message for `key` with one argument.
    pub fn get1(&self, key: &str, name: &str, value: &str) -> String {
        self.catalog
            .message(self.lang, key, &[(name, value.to_string())])
    }

    /// The message for `key` with arguments.
    pub fn args(&self, key: &str, args: &[(&str, String)]) -> String {
        self.catalog.message(self.lang, key, args)
    }

    /// An instant in the user's calendar, Bangkok time.
    pub fn datetime(&self, t: &DateTime<Utc>) -> String {
        calendar::format_datetime(*t, self.era, self.lang)
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
