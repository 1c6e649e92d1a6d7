//! The template model: what a template file holds (JSON or YAML, same shape).

use serde::{Deserialize, Serialize};

/// A text in both languages the interface speaks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Text {
    /// Thai.
    pub th: String,
    /// English.
    #[serde(default)]
    pub en: String,
}

impl Text {
    /// The text for a language code (`th`/`en`), Thai when the English is missing.
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" && !self.en.trim().is_empty() {
            &self.en
        } else {
            &self.th
        }
    }
}

/// One assessment template version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Stable key shared by every version (`holistic`, `safety` …).
    pub key: String,
    /// Title.
    pub title: Text,
    /// What the template is for and the law it follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// May be repeated on one case over time (reassessments are always allowed; this marks the
    /// ones meant to be redone at every change, like the safety assessment).
    #[serde(default)]
    pub repeatable: bool,
    /// The domains.
    pub sections: Vec<Section>,
    /// Levels given by the total score (ascending `min`); each may name a case urgency.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Level>,
}

/// A domain of the assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Stable code (`physical_health` …).
    pub code: String,
    /// Title.
    pub title: Text,
    /// Questions in order; a show-if may only look back.
    pub questions: Vec<Question>,
    /// Levels given by the domain's score (ascending `min`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub levels: Vec<Level>,
}

/// The type of answer a question takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// One option (answer: its code).
    SingleChoice,
    /// Any options (answer: a list of codes).
    MultipleChoice,
    /// An integer between `min` and `max`.
    Scale,
    /// Yes or no (answer: a boolean).
    YesNo,
    /// A number.
    Number,
    /// An ISO date (`YYYY-MM-DD`).
    Date,
    /// Free text.
    Text,
}

impl Kind {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Kind::SingleChoice => "single_choice",
            Kind::MultipleChoice => "multiple_choice",
            Kind::Scale => "scale",
            Kind::YesNo => "yes_no",
            Kind::Number => "number",
            Kind::Date => "date",
            Kind::Text => "text",
        }
    }
}

/// One question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Id, unique in the template; answers are keyed by it.
    pub id: String,
    /// The question.
    pub label: Text,
    /// Help for the worker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    /// Answer type.
    #[serde(rename = "type")]
    pub kind: Kind,
    /// Must be answered to complete the assessment (when shown).
    #[serde(default)]
    pub required: bool,
    /// Options of a choice question.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<Choice>,
    /// Lowest value of a scale or number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Highest value of a scale or number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// Points a "yes" scores (yes/no questions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yes_points: Option<i64>,
    /// A scale's value counts as points.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub scored: bool,
    /// Shown only when an earlier answer is one of the listed values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
}

impl Question {
    /// True when an answer to this question can score points.
    pub fn is_scored(&self) -> bool {
        self.scored || self.yes_points.is_some() || self.options.iter().any(|o| o.points.is_some())
    }
}

/// An option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stable code (the answer).
    pub code: String,
    /// Label.
    pub label: Text,
    /// Points it scores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<i64>,
}

/// Show a question only when an earlier question's answer is one of `any_of` (`yes`/`no` for
/// yes/no questions, option codes for choices, the number as text for scales and numbers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The earlier question's id.
    pub question: String,
    /// Values that show the question.
    pub any_of: Vec<String>,
}

/// A level reached from a score upwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The lowest score giving this level.
    pub min: i64,
    /// Stable code (`low`, `moderate`, `high` …).
    pub code: String,
    /// Label.
    pub label: Text,
    /// The case urgency this level calls for (`routine`, `urgent`, `emergency`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urgency: Option<String>,
}

impl Template {
    /// Every question with its section index, in order.
    pub fn questions(&self) -> impl Iterator<Item = (usize, &Question)> {
        self.sections
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.questions.iter().map(move |q| (i, q)))
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.id == id)
    }
}

/// The level a score reaches: the last level whose `min` is not above it.
pub fn level_for(levels: &[Level], score: i64) -> Option<&Level> {
    levels.iter().rev().find(|l| score >= l.min)
}
