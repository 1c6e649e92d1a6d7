//! The demo's plans, progress entries, reviews and closures, so that every demo case in
//! implementation or later shows the whole process (and passes the lifecycle's guards).

use crate::assessment::AssessmentInput;
use crate::demo::typed;
use crate::{App, AppError, Ctx, CurrentUser};
use chrono::{Duration, NaiveDate};
use karuna_domain::assessment::{is_shown, Answers, DomainNotes, Kind};
use karuna_domain::closure::{ClosureInput, GoalOutcomeInput, ReviewInput};
use karuna_domain::plan::{GoalInput, InterventionInput, PlanInput};
use karuna_domain::progress::ProgressInput;
use serde_json::json;
use uuid::Uuid;

/// A goal template per case type: dimension, statement, indicator, baseline, target, method,
/// outside provider (empty: the case manager), the client's words.
const GOALS: &[(&str, [&str; 8])] = &[
    (
        "trafficking",
        [
            "legal",
            "ได้รับการคุ้มครองและเข้าถึงกระบวนการยุติธรรม",
            "ขั้นตอนคดีที่ดำเนินการแล้ว",
            "ยังไม่ได้ให้ถ้อยคำ",
            "ให้ถ้อยคำและยื่นคำร้องค่าสินไหมทดแทน",
            "legal_aid",
            "สำนักงานอัยการจังหวัด",
            "อยากให้คนที่หลอกมาได้รับโทษ และอยากได้ค่าจ้างคืน",
        ],
    ),
    (
        "child_protection",
        [
            "education",
            "เด็กกลับไปเรียนอย่างสม่ำเสมอ",
            "จำนวนวันที่มาเรียนต่อสัปดาห์",
            "1 วัน",
            "5 วัน",
            "education",
            "โรงเรียนในพื้นที่",
            "หนูอยากไปโรงเรียนกับเพื่อน",
        ],
    ),
    (
        "domestic_violence",
        [
            "safety",
            "มีแผนความปลอดภัยและที่พักที่ปลอดภัย",
            "จำนวนเหตุความรุนแรงต่อเดือน",
            "3 ครั้ง",
            "0 ครั้ง",
            "shelter",
            "บ้านพักเด็กและครอบครัวจังหวัด",
            "อยากให้ลูกปลอดภัยและไม่ต้องกลัวอีก",
        ],
    ),
    (
        "older_person",
        [
            "physical",
            "ได้รับการดูแลสุขภาพต่อเนื่อง",
            "จำนวนครั้งที่ไปตามนัดแพทย์",
            "ขาดนัด 2 ครั้ง",
            "ไปตามนัดทุกครั้ง",
            "medical_care",
            "โรงพยาบาลส่งเสริมสุขภาพตำบล",
            "อยากมีคนพาไปหาหมอ",
        ],
    ),
    (
        "disability",
        [
            "economic",
            "ได้รับสิทธิและเบี้ยความพิการครบถ้วน",
            "จำนวนสิทธิที่ได้รับ",
            "ยังไม่มีบัตรคนพิการ",
            "มีบัตรและได้รับเบี้ยทุกเดือน",
            "financial_support",
            "",
            "อยากมีรายได้ช่วยครอบครัว",
        ],
    ),
    (
        "poverty_homelessness",
        [
            "economic",
            "มีรายได้ประจำและที่อยู่อาศัย",
            "รายได้ต่อเดือน (บาท)",
            "0",
            "9,000",
            "job_placement",
            "สำนักงานจัดหางานจังหวัด",
            "อยากมีงานทำและมีห้องเช่าของตัวเอง",
        ],
    ),
    (
        "other",
        [
            "social",
            "มีเครือข่ายช่วยเหลือในชุมชน",
            "จำนวนคนที่ติดต่อขอความช่วยเหลือได้",
            "ไม่มี",
            "อย่างน้อย 2 คน",
            "counselling",
            "",
            "อยากมีคนคุยด้วยเวลามีปัญหา",
        ],
    ),
];

fn goal_for(code: &str) -> &'static [&'static str; 8] {
    GOALS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(&GOALS[GOALS.len() - 1].1, |(_, g)| g)
}

/// One lifecycle step of a demo case.
pub(crate) struct Step<'a> {
    /// The case.
    pub case: Uuid,
    /// The status it moves to.
    pub to: &'a str,
    /// The demo scenario's stage letter.
    pub stage: u8,
    /// The demo case's index.
    pub i: usize,
    /// The client refused help.
    pub refused: bool,
    /// The case's types.
    pub types: &'a [String],
    /// The demo's today.
    pub today: NaiveDate,
}

impl<'a> Step<'a> {
    /// A step.
    pub fn new(
        case: Uuid,
        to: &'a str,
        stage: u8,
        i: usize,
        refused: bool,
        types: &'a [String],
        today: NaiveDate,
    ) -> Step<'a> {
        Step {
            case,
            to,
            stage,
            i,
            refused,
            types,
            today,
        }
    }
}

impl App {
    /// What follows a demo case's move: a review once it is in review.
    pub(crate) async fn after_demo_step(
        &self,
        manager: &CurrentUser,
        ctx: &Ctx,
        s: &Step<'_>,
    ) -> Result<(), AppError> {
        if s.to == "review" {
            self.seed_demo_review(manager, ctx, s.case).await?;
        }
        Ok(())
    }

    /// What the process needs before a demo case moves: a plan before implementation,
    /// progress before a review or closure, the closure summary before closing.
    pub(crate) async fn before_demo_step(
        &self,
        manager: &CurrentUser,
        ctx: &Ctx,
        s: &Step<'_>,
    ) -> Result<(), AppError> {
        let early = matches!(s.stage, b'X' | b'Q');
        match s.to {
            "planning" => self.seed_demo_assessment(manager, ctx, s.case, s.i).await?,
            "implementation" => {
                self.seed_demo_plan(manager, ctx, s.case, s.types, s.today)
                    .await?
            }
            "review" | "closed" if !early => {
                self.seed_demo_progress(manager, ctx, s.case, (s.i % 4) as i64 - 1)
                    .await?
            }
            _ => {}
        }
        if s.to == "closed" {
            let why = match s.stage {
                b'X' if s.refused => "declined",
                b'X' => "other",
                b'Q' => "transferred",
                _ => ["goals_achieved", "moved_away", "goals_achieved"][s.i % 3],
            };
            self.seed_demo_closure(manager, ctx, s.case, why).await?;
        }
        Ok(())
    }

    /// A completed holistic assessment: every question shown gets a plausible answer (the
    /// options cycle with the case's index), each domain a short analysis.
    pub(crate) async fn seed_demo_assessment(
        &self,
        manager: &CurrentUser,
        ctx: &Ctx,
        case: Uuid,
        i: usize,
    ) -> Result<(), AppError> {
        let id = self
            .start_assessment(manager, ctx, case, "holistic")
            .await?;
        let view = self.assessment(manager, ctx, id).await?;
        let t = &view.template.template;
        let mut answers = Answers::new();
        for (k, (_, q)) in t.questions().enumerate() {
            if !is_shown(t, &answers, q) {
                continue;
            }
            let n = i + k;
            let v = match q.kind {
                Kind::SingleChoice => q
                    .options
                    .get(n % q.options.len().max(1))
                    .map(|o| json!(o.code)),
                Kind::MultipleChoice => q.options.first().map(|o| json!([o.code])),
                Kind::Scale | Kind::Number => {
                    let (lo, hi) = (q.min.unwrap_or(0), q.max.unwrap_or(5));
                    Some(json!(lo + (n as i64 % (hi - lo + 1).max(1))))
                }
                Kind::YesNo => Some(json!(n.is_multiple_of(3))),
                Kind::Date => Some(json!(karuna_store::time::now().date_naive().to_string())),
                Kind::Text => Some(json!("ข้อมูลจากการสัมภาษณ์ผู้รับบริการและการเยี่ยมบ้าน")),
            };
            if let Some(v) = v {
                answers.insert(q.id.clone(), v);
            }
        }
        let notes = t
            .sections
            .iter()
            .take(3)
            .map(|sec| {
                let n = DomainNotes {
                    sources: vec!["client_interview".into(), "home_visit".into()],
                    strengths: "ครอบครัวให้การสนับสนุน".into(),
                    needs: "ต้องการความช่วยเหลือต่อเนื่อง".into(),
                    causes: "ขาดรายได้และเครือข่ายช่วยเหลือ".into(),
                    impacts: "กระทบสุขภาพและความเป็นอยู่".into(),
                    options: "ส่งต่อบริการในพื้นที่และติดตามเยี่ยมบ้าน".into(),
                };
                (sec.code.clone(), n)
            })
            .collect();
        let input = AssessmentInput {
            version: view.assessment.version,
            answers,
            notes,
        };
        self.save_assessment(manager, ctx, id, &input, true).await?;
        Ok(())
    }

    /// A plan of one goal per case type (at most two), in force from today.
    pub(crate) async fn seed_demo_plan(
        &self,
        manager: &CurrentUser,
        ctx: &Ctx,
        case: Uuid,
        types: &[String],
        today: NaiveDate,
    ) -> Result<(), AppError> {
        let goals = types
            .iter()
            .take(2)
            .enumerate()
            .map(|(k, t)| {
                let g = goal_for(t);
                GoalInput {
                    dimension: g[0].into(),
                    statement: g[1].into(),
                    indicator: g[2].into(),
                    baseline: g[3].into(),
                    target: g[4].into(),
                    target_date: typed(today + Duration::days(90 + 30 * k as i64)),
                    priority: if k == 0 { "high" } else { "medium" }.into(),
                    weight: Some(2 - k as i64),
                    client_agreement: g[7].into(),
                    interventions: vec![InterventionInput {
                        method: g[5].into(),
                        responsible_id: g[6].is_empty().then(|| manager.actor.id.to_string()),
                        provider: g[6].into(),
                        start: typed(today),
                        frequency: "ทุกเดือน".into(),
                        status: "in_progress".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                }
            })
            .collect();
        let submission = crate::plan::PlanSubmission {
            based_on: 0,
            plan: PlanInput {
                reason: String::new(),
                goals,
            },
        };
        self.save_plan(manager, ctx, case, &submission).await?;
        Ok(())
    }

    /// Progress on each goal of the plan in force: `gas` for the first, one less for others.
    pub(crate) async fn seed_demo_progress(
        &self,
        manager: &CurrentUser,
        ctx: &Ctx,
        case: Uuid,
        gas: i64,
    ) -> Result<(), AppError> {
        let plan = self.plan(manager, ctx, case).await?;
        let goals: Vec<Uuid> = plan
            .current()
            .map(|v| v.content.goals.iter().map(|g| g.id).collect())
            .unwrap_or_default();
        for (k, g) in goals.iter().enumerate() {
            let input = ProgressInput {
                goal_id: g.to_string(),
                gas: Some((gas - k as i64).clamp(-2, 2)),
                source: ["interview", "observation"][k % 2].into(),
                note: "ติดตามความก้าวหน้าจากการเยี่ยมบ้าน".into(),
                ..Default::default()
            };
            self.add_progress(manager, ctx, case, &input).await?;
        }
        Ok(())
    }

    /// A review of the plan.
    pub(crate) async fn seed_demo_review(
        &self,
        manager: &CurrentUser,
        ctx: &Ctx,
        case: Uuid,
    ) -> Result<(), AppError> {
        let input = ReviewInput {
            outcome: "continue".into(),
            note: "ทบทวนแผนร่วมกับผู้รับบริการ ความก้าวหน้าเป็นไปตามที่คาดไว้ ดำเนินการตามแผนต่อ".into(),
        };
        self.record_review(manager, ctx, case, &input).await?;
        Ok(())
    }

    /// The closure summary before a demo case closes.
    pub(crate) async fn seed_demo_closure(
        &self,
        manager: &CurrentUser,
        ctx: &Ctx,
        case: Uuid,
        reason: &str,
    ) -> Result<(), AppError> {
        let plan = self.plan(manager, ctx, case).await?;
        let goals = plan
            .current()
            .map(|v| {
                v.content
                    .goals
                    .iter()
                    .enumerate()
                    .map(|(k, g)| GoalOutcomeInput {
                        goal_id: g.id.to_string(),
                        outcome: ["achieved", "partly"][k % 2].into(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let input = ClosureInput {
            reason: reason.into(),
            summary: "สรุปการให้ความช่วยเหลือ: ผู้รับบริการได้รับการช่วยเหลือตามแผน ติดตามผลหลังปิดรายกรณีตามกำหนด"
                .into(),
            goals,
            follow_up_months: None,
        };
        self.record_closure(manager, ctx, case, &input).await?;
        Ok(())
    }
}
