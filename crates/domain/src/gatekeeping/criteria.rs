//! Eligibility criteria as data: each criterion is a named rule in the Common Expression
//! Language (CEL, through the `cel` crate) over a case's **facts** — a fixed catalogue, so a
//! rule that names anything else is refused when it is written. A check evaluates every
//! criterion to met, not met or **unknown** (a fact it needs is missing for this case), with the
//! facts it used, and the overall result: eligible only when every criterion is met.
//!
//! CEL has no loops, no side effects and no I/O, and always terminates; the rule text is also
//! bounded in length and nesting depth before it reaches the parser, and parsing runs behind
//! `catch_unwind` so that no rule, however malformed, can take a request down.

use crate::error::{FieldError, Validation};
use cel::common::ast::{EntryExpr, Expr, IdedExpr, LiteralValue};
use cel::{Context, ExecutionError, Program, Value};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The longest rule, in characters.
pub const RULE_MAX: usize = 1000;
/// The deepest nesting of brackets a rule may have.
pub const DEPTH_MAX: usize = 24;
/// The most criteria one programme version has.
pub const CRITERIA_MAX: usize = 30;
/// The longest criterion label.
pub const LABEL_MAX: usize = 200;

/// What kind of value a fact holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// A whole number.
    Int,
    /// Text (a code).
    String,
    /// True or false.
    Bool,
    /// A list of codes.
    List,
    /// A map from a key to a value.
    Map,
}

/// One fact a rule may use. Its label is the message `fact-<name with dashes>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fact {
    /// The name the rule uses.
    pub name: &'static str,
    /// Its kind.
    pub kind: FactKind,
    /// A value for the built-in sample cases (authoring checks).
    sample: SampleValue,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SampleValue {
    Int(i64),
    Str(&'static str),
    Bool(bool),
    Codes(&'static [&'static str]),
    Map,
    Allocations,
}

const fn fact(name: &'static str, kind: FactKind, sample: SampleValue) -> Fact {
    Fact { name, kind, sample }
}

/// The facts of a case a rule may use.
pub const FACTS: [Fact; 23] = [
    fact(
        "case_types",
        FactKind::List,
        SampleValue::Codes(&["poverty"]),
    ),
    fact("urgency", FactKind::String, SampleValue::Str("urgent")),
    fact(
        "case_status",
        FactKind::String,
        SampleValue::Str("planning"),
    ),
    fact("age", FactKind::Int, SampleValue::Int(45)),
    fact("sex", FactKind::String, SampleValue::Str("female")),
    fact("nationality", FactKind::String, SampleValue::Str("ไทย")),
    fact(
        "document_kinds",
        FactKind::List,
        SampleValue::Codes(&["thai_national_id"]),
    ),
    fact("province", FactKind::String, SampleValue::Str("10")),
    fact("district", FactKind::String, SampleValue::Str("1001")),
    fact("household_income", FactKind::Int, SampleValue::Int(6000)),
    fact("dependants", FactKind::Int, SampleValue::Int(2)),
    fact(
        "household_income_per_head",
        FactKind::Int,
        SampleValue::Int(2000),
    ),
    fact("disability", FactKind::Bool, SampleValue::Bool(false)),
    fact("scores", FactKind::Map, SampleValue::Map),
    fact("levels", FactKind::Map, SampleValue::Map),
    fact("answers", FactKind::Map, SampleValue::Map),
    fact("needs_domains", FactKind::Int, SampleValue::Int(2)),
    fact("earlier_cases", FactKind::Int, SampleValue::Int(1)),
    fact("failed_referrals", FactKind::Int, SampleValue::Int(0)),
    fact(
        "legal_proceedings",
        FactKind::Bool,
        SampleValue::Bool(false),
    ),
    fact("allocations_12m", FactKind::Int, SampleValue::Int(0)),
    fact(
        "earlier_allocations",
        FactKind::List,
        SampleValue::Allocations,
    ),
    fact("amount", FactKind::Int, SampleValue::Int(2000)),
];

/// The fact of this name.
pub fn fact_named(name: &str) -> Option<&'static Fact> {
    FACTS.iter().find(|f| f.name == name)
}

/// A fact's value, as stored with a check and shown in its explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FactValue {
    /// True or false.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction (an assessment answer).
    Float(f64),
    /// Text.
    Text(String),
    /// A list.
    List(Vec<FactValue>),
    /// A map.
    Map(BTreeMap<String, FactValue>),
}

/// The schema of a fact's value, written by hand: the derived `oneOf` of an untagged enum
/// would make a whole number match both "integer" and "number" and so fail validation.
impl utoipa::PartialSchema for FactValue {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{
            AdditionalProperties, AnyOfBuilder, ArrayBuilder, ObjectBuilder, SchemaType, Type,
        };
        let any = || ObjectBuilder::new().schema_type(SchemaType::AnyValue);
        AnyOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Boolean))
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .item(ObjectBuilder::new().schema_type(Type::String))
            .item(ArrayBuilder::new().items(any()))
            .item(
                ObjectBuilder::new()
                    .additional_properties(Some(AdditionalProperties::FreeForm(true))),
            )
            .description(Some(
                "A fact's value: true or false, a number, text, a list or a map of them.",
            ))
            .into()
    }
}

impl utoipa::ToSchema for FactValue {}

impl FactValue {
    /// From an assessment answer; `null` is no value.
    pub fn from_json(v: &serde_json::Value) -> Option<FactValue> {
        Some(match v {
            serde_json::Value::Null => return None,
            serde_json::Value::Bool(b) => FactValue::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => FactValue::Int(i),
                None => FactValue::Float(n.as_f64()?),
            },
            serde_json::Value::String(s) => FactValue::Text(s.clone()),
            serde_json::Value::Array(a) => {
                FactValue::List(a.iter().filter_map(FactValue::from_json).collect())
            }
            serde_json::Value::Object(o) => FactValue::Map(
                o.iter()
                    .filter_map(|(k, v)| Some((k.clone(), FactValue::from_json(v)?)))
                    .collect(),
            ),
        })
    }

    fn to_cel(&self) -> Value {
        match self {
            FactValue::Bool(b) => Value::Bool(*b),
            FactValue::Int(i) => Value::Int(*i),
            FactValue::Float(f) => Value::Float(*f),
            FactValue::Text(s) => Value::String(Arc::new(s.clone())),
            FactValue::List(l) => Value::List(Arc::new(l.iter().map(|v| v.to_cel()).collect())),
            FactValue::Map(m) => {
                let h: HashMap<String, Value> =
                    m.iter().map(|(k, v)| (k.clone(), v.to_cel())).collect();
                Value::from(h)
            }
        }
    }

    /// A short text of the value for an explanation.
    pub fn display(&self) -> String {
        match self {
            FactValue::Bool(b) => b.to_string(),
            FactValue::Int(i) => i.to_string(),
            FactValue::Float(f) => f.to_string(),
            FactValue::Text(s) => s.clone(),
            FactValue::List(l) => l.iter().map(|v| v.display()).collect::<Vec<_>>().join(", "),
            FactValue::Map(m) => m
                .iter()
                .map(|(k, v)| format!("{k}: {}", v.display()))
                .collect::<Vec<_>>()
                .join("; "),
        }
    }
}

/// A case's facts; a fact that is not known is absent.
pub type Facts = BTreeMap<String, FactValue>;

/// One criterion as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CriterionInput {
    /// Its name in Thai.
    pub label_th: String,
    /// Its name in English (the Thai is shown when empty).
    pub label_en: String,
    /// The rule, in CEL, true when the criterion is met (`age >= 60`,
    /// `household_income_per_head < 3000`, `"thai_national_id" in document_kinds`).
    pub rule: String,
}

/// A criterion that compiled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    /// Name in Thai.
    pub label_th: String,
    /// Name in English.
    pub label_en: String,
    /// Rule.
    pub rule: String,
}

impl Criterion {
    /// The label in a language (`th` or `en`).
    pub fn label(&self, lang: &str) -> &str {
        if lang == "en" && !self.label_en.is_empty() {
            &self.label_en
        } else {
            &self.label_th
        }
    }
}

/// Why a rule was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleError {
    /// Not CEL (`detail`: the parser's message).
    Syntax(String),
    /// Names something outside the fact catalogue.
    UnknownFact(String),
    /// Divides (or takes a remainder) by zero on a sample case.
    DividesByZero,
    /// Gives something other than true or false, or mixes kinds (`detail`).
    NotBoolean(String),
    /// Longer than `RULE_MAX` or nested deeper than `DEPTH_MAX`.
    TooComplex,
}

impl RuleError {
    /// The field error of criterion `i`'s rule.
    pub fn field_error(&self, field: &str) -> FieldError {
        match self {
            RuleError::Syntax(d) => FieldError::new(field, "criteria.syntax").arg("detail", d),
            RuleError::UnknownFact(n) => {
                FieldError::new(field, "criteria.unknown_fact").arg("name", n)
            }
            RuleError::DividesByZero => FieldError::new(field, "criteria.divides_by_zero"),
            RuleError::NotBoolean(d) => {
                FieldError::new(field, "criteria.not_boolean").arg("detail", d)
            }
            RuleError::TooComplex => {
                FieldError::new(field, "criteria.too_complex").arg("max", RULE_MAX)
            }
        }
    }
}

fn depth(rule: &str) -> usize {
    let (mut d, mut max) = (0usize, 0usize);
    for c in rule.chars() {
        match c {
            '(' | '[' | '{' => {
                d += 1;
                max = max.max(d);
            }
            ')' | ']' | '}' => d = d.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Compiles a rule, refusing what is too long or deep and never letting the parser panic out.
fn compile(rule: &str) -> Result<Program, RuleError> {
    if rule.chars().count() > RULE_MAX || depth(rule) > DEPTH_MAX {
        return Err(RuleError::TooComplex);
    }
    let owned = rule.to_string();
    match std::panic::catch_unwind(move || Program::compile(&owned)) {
        Ok(Ok(p)) => Ok(p),
        Ok(Err(e)) => Err(RuleError::Syntax(
            e.errors
                .first()
                .map(|e| e.msg.clone())
                .unwrap_or_else(|| e.to_string()),
        )),
        Err(_) => Err(RuleError::Syntax(String::new())),
    }
}

/// The names a comprehension (`exists`, `all`, `filter`, `map`) binds inside a rule.
fn bound_names(e: &IdedExpr, out: &mut BTreeSet<String>) {
    match &e.expr {
        Expr::Comprehension(c) => {
            out.insert(c.iter_var.clone());
            if let Some(v) = &c.iter_var2 {
                out.insert(v.clone());
            }
            out.insert(c.accu_var.clone());
            for x in [
                &c.iter_range,
                &c.accu_init,
                &c.loop_cond,
                &c.loop_step,
                &c.result,
            ] {
                bound_names(x, out);
            }
        }
        Expr::Call(c) => {
            if let Some(t) = &c.target {
                bound_names(t, out);
            }
            c.args.iter().for_each(|a| bound_names(a, out));
        }
        Expr::List(l) => l.elements.iter().for_each(|a| bound_names(a, out)),
        Expr::Map(m) => m.entries.iter().for_each(|en| match &en.expr {
            EntryExpr::StructField(f) => bound_names(&f.value, out),
            EntryExpr::MapEntry(me) => {
                bound_names(&me.key, out);
                bound_names(&me.value, out);
            }
        }),
        Expr::Select(s) => bound_names(&s.operand, out),
        Expr::Struct(s) => s.entries.iter().for_each(|en| match &en.expr {
            EntryExpr::StructField(f) => bound_names(&f.value, out),
            EntryExpr::MapEntry(me) => {
                bound_names(&me.key, out);
                bound_names(&me.value, out);
            }
        }),
        Expr::Unspecified | Expr::Ident(_) | Expr::Literal(_) => {}
    }
}

/// The keys of the map-valued fact `name` that `e` reads (`name.key` or `name["key"]`), or
/// none when it also uses the map otherwise (`size(name)`, `"k" in name`): then the whole map
/// is what it read.
fn map_keys_read(e: &IdedExpr, name: &str, keys: &mut BTreeSet<String>) -> bool {
    let is_name = |x: &IdedExpr| matches!(&x.expr, Expr::Ident(n) if n == name);
    match &e.expr {
        Expr::Select(s) if is_name(&s.operand) && !s.test => {
            keys.insert(s.field.clone());
            true
        }
        Expr::Call(c)
            if c.func_name == "_[_]"
                && c.args.len() == 2
                && is_name(&c.args[0])
                && matches!(&c.args[1].expr, Expr::Literal(LiteralValue::String(_))) =>
        {
            if let Expr::Literal(LiteralValue::String(k)) = &c.args[1].expr {
                keys.insert(k.inner().to_string());
            }
            true
        }
        Expr::Ident(n) => n != name,
        Expr::Select(s) => map_keys_read(&s.operand, name, keys),
        Expr::Call(c) => {
            c.target
                .as_deref()
                .is_none_or(|t| map_keys_read(t, name, keys))
                & c.args
                    .iter()
                    .fold(true, |ok, a| map_keys_read(a, name, keys) & ok)
        }
        Expr::Comprehension(c) => [
            &c.iter_range,
            &c.accu_init,
            &c.loop_cond,
            &c.loop_step,
            &c.result,
        ]
        .into_iter()
        .fold(true, |ok, x| map_keys_read(x, name, keys) & ok),
        Expr::List(l) => l
            .elements
            .iter()
            .fold(true, |ok, a| map_keys_read(a, name, keys) & ok),
        Expr::Map(m) => m.entries.iter().fold(true, |ok, en| match &en.expr {
            EntryExpr::MapEntry(me) => {
                map_keys_read(&me.key, name, keys) & map_keys_read(&me.value, name, keys) & ok
            }
            EntryExpr::StructField(f) => map_keys_read(&f.value, name, keys) & ok,
        }),
        Expr::Struct(st) => st.entries.iter().fold(true, |ok, en| match &en.expr {
            EntryExpr::StructField(f) => map_keys_read(&f.value, name, keys) & ok,
            EntryExpr::MapEntry(me) => {
                map_keys_read(&me.key, name, keys) & map_keys_read(&me.value, name, keys) & ok
            }
        }),
        Expr::Unspecified | Expr::Literal(_) => true,
    }
}

/// A fact's value as an explanation shows it: of a map the rule reads by key, those keys only
/// (so that an explanation of `answers.leg_status` does not list every answer).
fn value_read(p: &Program, name: &str, v: &FactValue) -> FactValue {
    let FactValue::Map(m) = v else {
        return v.clone();
    };
    let mut keys = BTreeSet::new();
    if !map_keys_read(p.expression(), name, &mut keys) {
        return v.clone();
    }
    FactValue::Map(
        m.iter()
            .filter(|(k, _)| keys.contains(*k))
            .map(|(k, x)| (k.clone(), x.clone()))
            .collect(),
    )
}

/// The catalogue facts a compiled rule names, and the first name outside it.
fn facts_named(p: &Program) -> (Vec<&'static str>, Option<String>) {
    let mut bound = BTreeSet::new();
    bound_names(p.expression(), &mut bound);
    let mut names: Vec<String> = p
        .references()
        .variables()
        .into_iter()
        .map(str::to_string)
        .collect();
    names.sort();
    let mut facts = Vec::new();
    let mut unknown = None;
    for n in names {
        match fact_named(&n) {
            Some(f) => facts.push(f.name),
            None if bound.contains(&n) => {}
            None => {
                unknown.get_or_insert(n);
            }
        }
    }
    (facts, unknown)
}

/// The built-in sample cases every rule is tried on when written: typical values, then every
/// number zero and every list and map empty.
pub fn sample_facts(zero: bool) -> Facts {
    FACTS
        .iter()
        .map(|f| {
            let v = match (f.sample, zero) {
                (SampleValue::Int(_), true) => FactValue::Int(0),
                (SampleValue::Int(i), false) => FactValue::Int(i),
                (SampleValue::Str(s), _) => FactValue::Text(s.into()),
                (SampleValue::Bool(b), _) => FactValue::Bool(b),
                (SampleValue::Codes(_), true) => FactValue::List(Vec::new()),
                (SampleValue::Codes(c), false) => {
                    FactValue::List(c.iter().map(|s| FactValue::Text((*s).into())).collect())
                }
                (SampleValue::Map, _) => FactValue::Map(BTreeMap::new()),
                (SampleValue::Allocations, true) => FactValue::List(Vec::new()),
                (SampleValue::Allocations, false) => FactValue::List(vec![FactValue::Map(
                    [
                        ("months_ago".to_string(), FactValue::Int(8)),
                        ("amount".to_string(), FactValue::Int(1500)),
                        ("programme".to_string(), FactValue::Text("sample".into())),
                    ]
                    .into(),
                )]),
            };
            (f.name.to_string(), v)
        })
        .collect()
}

/// Checks one rule as written: it parses, names only catalogue facts, and on both sample
/// cases gives true or false without dividing by zero (a missing map key is fine: a real
/// case would give "unknown").
pub fn check_rule(rule: &str) -> Result<Vec<&'static str>, RuleError> {
    let p = compile(rule.trim())?;
    let (facts, unknown) = facts_named(&p);
    if let Some(n) = unknown {
        return Err(RuleError::UnknownFact(n));
    }
    for zero in [false, true] {
        match run(&p, &sample_facts(zero)) {
            Ok(Value::Bool(_)) => {}
            Ok(other) => return Err(RuleError::NotBoolean(format!("{:?}", other.type_of()))),
            Err(ExecutionError::DivisionByZero(_) | ExecutionError::RemainderByZero(_)) => {
                return Err(RuleError::DividesByZero)
            }
            Err(ExecutionError::NoSuchKey(_)) => {}
            Err(ExecutionError::UndeclaredReference(n)) => {
                return Err(RuleError::UnknownFact(n.to_string()))
            }
            Err(e) => return Err(RuleError::NotBoolean(e.to_string())),
        }
    }
    Ok(facts)
}

fn run(p: &Program, facts: &Facts) -> Result<Value, ExecutionError> {
    let mut ctx = Context::default();
    for (name, v) in facts {
        if fact_named(name).is_some() {
            ctx.add_variable_from_value(name.clone(), v.to_cel());
        }
    }
    let p = std::panic::AssertUnwindSafe(p);
    let ctx = std::panic::AssertUnwindSafe(&ctx);
    std::panic::catch_unwind(|| p.execute(&ctx))
        .unwrap_or_else(|_| Err(ExecutionError::InternalError("panic".into())))
}

/// Checks a programme version's criteria; every fault is reported at once, as
/// `criteria[i].label_th` / `criteria[i].rule`.
pub fn validate(input: &[CriterionInput]) -> Result<Vec<Criterion>, Vec<FieldError>> {
    let mut v = Validation::new();
    if input.len() > CRITERIA_MAX {
        v.push(FieldError::new("criteria", "criteria.too_many").arg("max", CRITERIA_MAX));
    }
    let mut out = Vec::new();
    for (i, c) in input.iter().enumerate() {
        let label_th = v.required(&format!("criteria[{i}].label_th"), &c.label_th, LABEL_MAX);
        let label_en = v
            .text(&format!("criteria[{i}].label_en"), &c.label_en, LABEL_MAX)
            .unwrap_or_default();
        let field = format!("criteria[{i}].rule");
        let rule = v.required(&field, &c.rule, RULE_MAX);
        if !rule.is_empty() {
            if let Err(e) = check_rule(&rule) {
                v.push(e.field_error(&field));
            }
        }
        out.push(Criterion {
            label_th,
            label_en,
            rule,
        });
    }
    v.finish().map(|_| out)
}

/// What one criterion came to for one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The rule gave true.
    Met,
    /// The rule gave false.
    NotMet,
    /// A fact it needs is not known for this case (or the rule failed on it).
    Unknown,
}

impl Outcome {
    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::NotMet => "not_met",
            Outcome::Unknown => "unknown",
        }
    }
}

/// One criterion's result with the facts it used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CriterionResult {
    /// Name in Thai.
    pub label_th: String,
    /// Name in English.
    pub label_en: String,
    /// The rule.
    pub rule: String,
    /// Met, not met or unknown.
    pub outcome: Outcome,
    /// The facts the rule names, with this case's values (a missing one is absent).
    pub facts: BTreeMap<String, FactValue>,
    /// The facts (or answer keys) that were missing, when unknown.
    pub missing: Vec<String>,
}

/// An eligibility check: every criterion and the overall result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Check {
    /// Each criterion in order.
    pub criteria: Vec<CriterionResult>,
    /// `eligible` (every criterion met), `not_eligible` (one or more not met) or `unknown`
    /// (none failed, some could not be decided).
    pub result: String,
}

impl Check {
    /// True when every criterion is met.
    pub fn eligible(&self) -> bool {
        self.result == "eligible"
    }
}

/// Evaluates every criterion on a case's facts.
pub fn evaluate(criteria: &[Criterion], facts: &Facts) -> Check {
    let mut results = Vec::with_capacity(criteria.len());
    for c in criteria {
        let compiled = compile(&c.rule);
        let (outcome, used, missing) = match &compiled {
            Err(_) => (Outcome::Unknown, Vec::new(), Vec::new()),
            Ok(p) => {
                let (used, _) = facts_named(p);
                let missing_facts: Vec<String> = used
                    .iter()
                    .filter(|n| !facts.contains_key(**n))
                    .map(|n| n.to_string())
                    .collect();
                let outcome = match run(p, facts) {
                    Ok(Value::Bool(true)) => (Outcome::Met, Vec::new()),
                    Ok(Value::Bool(false)) => (Outcome::NotMet, Vec::new()),
                    Err(ExecutionError::NoSuchKey(k)) => (Outcome::Unknown, vec![k.to_string()]),
                    Err(ExecutionError::UndeclaredReference(_)) => {
                        (Outcome::Unknown, missing_facts.clone())
                    }
                    _ => (Outcome::Unknown, Vec::new()),
                };
                (outcome.0, used, outcome.1)
            }
        };
        results.push(CriterionResult {
            label_th: c.label_th.clone(),
            label_en: c.label_en.clone(),
            rule: c.rule.clone(),
            outcome,
            facts: used
                .iter()
                .filter_map(|n| {
                    let v = facts.get(*n)?;
                    let shown = match &compiled {
                        Ok(p) => value_read(p, n, v),
                        Err(_) => v.clone(),
                    };
                    Some((n.to_string(), shown))
                })
                .collect(),
            missing,
        });
    }
    let result = if results.iter().any(|r| r.outcome == Outcome::NotMet) {
        "not_eligible"
    } else if results.iter().any(|r| r.outcome == Outcome::Unknown) {
        "unknown"
    } else {
        "eligible"
    };
    Check {
        criteria: results,
        result: result.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crit(rule: &str) -> CriterionInput {
        CriterionInput {
            label_th: "เกณฑ์".into(),
            label_en: "Criterion".into(),
            rule: rule.into(),
        }
    }

    #[test]
    fn rules_are_checked_when_written() {
        assert!(check_rule("age >= 60").is_ok());
        assert!(check_rule("household_income_per_head < 3000 && !disability").is_ok());
        assert!(check_rule("\"thai_national_id\" in document_kinds").is_ok());
        assert!(check_rule("earlier_allocations.all(a, a.months_ago >= 6)").is_ok());
        assert!(check_rule("scores.holistic >= 10").is_ok());
        assert!(matches!(check_rule("age >="), Err(RuleError::Syntax(_))));
        assert_eq!(
            check_rule("salary > 3"),
            Err(RuleError::UnknownFact("salary".into()))
        );
        assert_eq!(
            check_rule("household_income / dependants > 100"),
            Err(RuleError::DividesByZero)
        );
        assert_eq!(check_rule("10 / 0 > 1"), Err(RuleError::DividesByZero));
        assert!(matches!(
            check_rule("age + 1"),
            Err(RuleError::NotBoolean(_))
        ));
        assert!(matches!(
            check_rule("age == \"x\" || age > 'y'"),
            Err(RuleError::NotBoolean(_))
        ));
        let deep = format!("{}true{}", "(".repeat(100), ")".repeat(100));
        assert_eq!(check_rule(&deep), Err(RuleError::TooComplex));
        assert_eq!(check_rule(&"a".repeat(2000)), Err(RuleError::TooComplex));
    }

    #[test]
    fn garbage_never_panics() {
        for s in [
            "",
            "\u{0}",
            "))))",
            "[[[[",
            "'unterminated",
            "a.b.c.d.e.f(",
            "1 ? 2 : ",
            "{}.x",
            "has(",
            "🙂 > 1",
            "size(size(size(",
        ] {
            let _ = check_rule(s);
        }
    }

    #[test]
    fn validation_names_each_criterion() {
        let errs = validate(&[crit("age >= 60"), crit("bogus > 1"), crit("")]).unwrap_err();
        let fields: Vec<_> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("criteria[1].rule", "criteria.unknown_fact"),
                ("criteria[2].rule", "required")
            ]
        );
    }

    #[test]
    fn an_explanation_shows_only_the_answers_a_rule_reads() {
        let criteria = validate(&[
            crit("answers.leg_status == 'no' || answers['eco_work'] == 'unemployed'"),
            crit("size(answers) > 2"),
        ])
        .unwrap();
        let answers: BTreeMap<String, FactValue> = ["leg_status", "eco_work", "housing"]
            .into_iter()
            .map(|k| (k.to_string(), FactValue::Text("no".into())))
            .collect();
        let facts: Facts = [("answers".to_string(), FactValue::Map(answers.clone()))].into();
        let check = evaluate(&criteria, &facts);
        let FactValue::Map(read) = &check.criteria[0].facts["answers"] else {
            panic!("a map");
        };
        assert_eq!(
            read.keys().collect::<Vec<_>>(),
            ["eco_work", "leg_status"],
            "the answers the rule names, not the others"
        );
        assert_eq!(check.criteria[0].outcome, Outcome::Met);
        // A rule over the whole map shows the whole map.
        assert_eq!(check.criteria[1].facts["answers"], FactValue::Map(answers));
    }

    #[test]
    fn a_check_explains_each_criterion_with_the_facts_it_used() {
        let criteria = validate(&[
            crit("age >= 60"),
            crit("household_income_per_head < 3000"),
            crit("answers.eco_work == 'unemployed'"),
            crit("disability"),
        ])
        .unwrap();
        let mut facts = Facts::new();
        facts.insert("age".into(), FactValue::Int(67));
        facts.insert("household_income_per_head".into(), FactValue::Int(4500));
        facts.insert("answers".into(), FactValue::Map(BTreeMap::new()));
        let check = evaluate(&criteria, &facts);
        let outcomes: Vec<_> = check.criteria.iter().map(|c| c.outcome).collect();
        assert_eq!(
            outcomes,
            vec![
                Outcome::Met,
                Outcome::NotMet,
                Outcome::Unknown,
                Outcome::Unknown
            ]
        );
        assert_eq!(check.criteria[0].facts["age"], FactValue::Int(67));
        assert_eq!(
            check.criteria[1].facts["household_income_per_head"],
            FactValue::Int(4500)
        );
        assert_eq!(check.criteria[2].missing, vec!["eco_work".to_string()]);
        assert_eq!(check.criteria[3].missing, vec!["disability".to_string()]);
        assert_eq!(check.result, "not_eligible");
        facts.insert("household_income_per_head".into(), FactValue::Int(1500));
        assert_eq!(evaluate(&criteria, &facts).result, "unknown");
        facts.insert("disability".into(), FactValue::Bool(true));
        facts.insert(
            "answers".into(),
            FactValue::Map([("eco_work".into(), FactValue::Text("unemployed".into()))].into()),
        );
        assert!(evaluate(&criteria, &facts).eligible());
    }

    #[test]
    fn short_circuit_decides_without_a_missing_fact() {
        let criteria = validate(&[crit("age >= 60 || disability")]).unwrap();
        let facts: Facts = [("age".to_string(), FactValue::Int(70))].into();
        assert_eq!(evaluate(&criteria, &facts).result, "eligible");
    }
}

#[cfg(test)]
mod deep_tests {
    use super::*;

    /// Long chains the bracket count does not see must not overflow a worker's stack.
    #[test]
    fn long_chains_stay_on_a_small_stack() {
        let cases = vec![
            format!("{}true", "!".repeat(990)),
            format!("{}1 > 0", "-".repeat(990)),
            format!("age{} > 0", ".b".repeat(490)),
            format!("{}true", "true ? ".repeat(140) + &"false : ".repeat(0)),
            format!("{} true", "true &&".repeat(140)),
            format!("1{} > 0", " + 1".repeat(240)),
        ];
        let h = std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || {
                for c in cases {
                    let _ = check_rule(&c);
                }
            })
            .unwrap();
        h.join().unwrap();
    }
}
