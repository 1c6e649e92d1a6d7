//! Consultation on a case (การขอคำปรึกษา): a worker who is stuck asks colleagues or a
//! supervisor for advice. A thread has a subject and the question; replies follow in order;
//! colleagues are mentioned (asked) by name, only those who may open the case; the thread is
//! marked resolved with a summary of the advice taken, after which it takes no more replies.

use crate::error::{FieldError, Validation};
use serde::{Deserialize, Serialize};

/// The longest question, reply or summary, in characters.
pub const TEXT_MAX: usize = 8000;
/// The most colleagues mentioned at once.
pub const MAX_MENTIONS: usize = 20;

/// A new thread as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ConsultationInput {
    /// What it is about.
    pub subject: String,
    /// The question, with what was tried.
    pub question: String,
    /// Colleagues asked (account ids), each one who may open the case.
    pub mention_ids: Vec<String>,
}

/// A reply as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReplyInput {
    /// The reply.
    pub body: String,
    /// Colleagues brought in (account ids), each one who may open the case.
    pub mention_ids: Vec<String>,
}

/// Closing a thread as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ResolveInput {
    /// The version read.
    pub version: i64,
    /// The advice taken and what will be done with it.
    pub summary: String,
}

fn body(v: &mut Validation, field: &str, value: &str) -> String {
    let t = value.trim().to_string();
    v.check(t.is_empty(), field, "required");
    v.check(t.chars().count() > TEXT_MAX, field, "too_long");
    t
}

fn mentions(v: &mut Validation, ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = ids
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    out.sort();
    out.dedup();
    v.check(
        out.len() > MAX_MENTIONS,
        "mention_ids",
        "consultation.too_many_mentions",
    );
    out
}

/// Checks a new thread: subject (at most 200 characters) and question required. Returns the
/// subject, the question and the mentioned ids (deduplicated, to be checked by the use case).
pub fn validate_consultation(
    input: &ConsultationInput,
) -> Result<(String, String, Vec<String>), Vec<FieldError>> {
    let mut v = Validation::new();
    let subject = input.subject.trim().to_string();
    v.check(subject.is_empty(), "subject", "required");
    v.check(subject.chars().count() > 200, "subject", "too_long");
    let question = body(&mut v, "question", &input.question);
    let ids = mentions(&mut v, &input.mention_ids);
    v.finish()?;
    Ok((subject, question, ids))
}

/// Checks a reply.
pub fn validate_reply(input: &ReplyInput) -> Result<(String, Vec<String>), Vec<FieldError>> {
    let mut v = Validation::new();
    let text = body(&mut v, "body", &input.body);
    let ids = mentions(&mut v, &input.mention_ids);
    v.finish()?;
    Ok((text, ids))
}

/// Checks the summary that closes a thread.
pub fn validate_resolution(input: &ResolveInput) -> Result<String, Vec<FieldError>> {
    let mut v = Validation::new();
    let summary = body(&mut v, "summary", &input.summary);
    v.finish()?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_has_a_subject_a_question_and_few_mentions() {
        let ok = ConsultationInput {
            subject: "เด็กไม่ยอมกลับบ้าน".into(),
            question: "ควรประสานบ้านพักเด็กก่อนหรือคุยกับครอบครัวก่อน".into(),
            mention_ids: vec!["b".into(), "a".into(), "b".into(), " ".into()],
        };
        let (_, _, ids) = validate_consultation(&ok).unwrap();
        assert_eq!(ids, vec!["a".to_string(), "b".to_string()]);
        let e = validate_consultation(&ConsultationInput {
            question: "x".repeat(TEXT_MAX + 1),
            mention_ids: (0..=MAX_MENTIONS).map(|i| i.to_string()).collect(),
            ..Default::default()
        })
        .unwrap_err();
        let codes: Vec<_> = e
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("subject", "required"),
                ("question", "too_long"),
                ("mention_ids", "consultation.too_many_mentions")
            ]
        );
        assert_eq!(
            validate_resolution(&ResolveInput::default()).unwrap_err()[0].code,
            "required"
        );
        assert_eq!(
            validate_reply(&ReplyInput::default()).unwrap_err()[0].field,
            "body"
        );
    }
}
