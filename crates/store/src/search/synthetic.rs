//! Synthetic Thai case notes in bulk, for the search benchmark (`karuna bench search`): cases
//! with clients, and notes written by multi-row inserts with their index documents, in
//! transactions of a few thousand rows. Not used by the application.

use super::index::{reindex_case, reindex_person};
use super::scope::{tokens_for, with_tokens};
use super::text::{body, with_month};
use crate::db::Db;
use crate::error::Result;
use crate::time::{now_db, to_db};
use chrono::{Duration, TimeZone, Utc};
use uuid::Uuid;

/// Phrases notes are made of (each note takes several, so each appears in some notes).
pub const PHRASES: &[&str] = &[
    "เยี่ยมบ้านพบผู้รับบริการและบุตร",
    "ผู้เสียหายได้รับการช่วยเหลือเบื้องต้น",
    "ประสานโรงพยาบาลเพื่อตรวจร่างกาย",
    "ติดตามผลการรักษาที่โรงพยาบาล",
    "นักสังคมสงเคราะห์ให้คำปรึกษาครอบครัว",
    "ส่งต่อบ้านพักเด็กและครอบครัว",
    "มารดาแจ้งว่าบุตรไม่ไปโรงเรียน",
    "ผู้รับบริการขอรับเงินสงเคราะห์",
    "โทรศัพท์ติดตามอาการ",
    "นัดหมายครั้งต่อไปในสัปดาห์หน้า",
    "ครูประจำชั้นให้ข้อมูลเพิ่มเติม",
    "ผู้ใหญ่บ้านร่วมประชุม",
    "ตำรวจรับแจ้งความแล้ว",
    "พนักงานสอบสวนนัดสอบปากคำ",
    "ผู้รับบริการมีความเครียดและนอนไม่หลับ",
    "ประเมินความปลอดภัยของเด็ก",
    "จัดทำแผนการช่วยเหลือรายบุคคล",
    "บิดาดื่มสุราและทำร้ายร่างกาย",
    "ค้ามนุษย์ แรงงานบังคับ ในเรือประมง",
    "ขอความช่วยเหลือด้านที่พักอาศัย",
    "ติดต่อทาง LINE กับญาติ",
    "ประชุมทีมสหวิชาชีพ",
    "นักจิตวิทยาประเมินสภาพจิตใจ",
    "ผู้สูงอายุอาศัยอยู่ตามลำพัง",
    "คนพิการได้รับเบี้ยยังชีพ",
    "ตรวจสอบสิทธิบัตรทอง",
    "ผู้รับบริการตั้งครรภ์ไม่พร้อม",
    "ให้ความรู้เรื่องการเลี้ยงดูบุตร",
    "ญาติยินดีรับดูแล",
    "สถานการณ์ดีขึ้น",
];

/// First names the notes mention (about one in fifty notes each).
pub const NAMES: &[&str] = &[
    "สมชาย",
    "สมศรี",
    "มาลี",
    "วันดี",
    "กานดา",
    "บุษบา",
    "ประยุทธ",
    "สุดา",
    "อรุณ",
    "จันทร์เพ็ญ",
    "ทองดี",
    "บุญมี",
    "สายสุนีย์",
    "ปราณี",
    "สมพร",
    "วิไล",
    "อำนาจ",
    "เกศินี",
    "ชัยวัฒน์",
    "นิตยา",
];

/// A small deterministic generator (xorshift), so runs are comparable.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// One synthetic note: four to eight phrases, sometimes a name, a number or a rare word.
pub fn note(rng: &mut Rng) -> String {
    let n = 4 + rng.below(5);
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push(if rng.below(3) == 0 { '\n' } else { ' ' });
        }
        out.push_str(PHRASES[rng.below(PHRASES.len())]);
        if rng.below(6) == 0 {
            out.push_str(" คุณ");
            out.push_str(NAMES[rng.below(NAMES.len())]);
        }
        if rng.below(10) == 0 {
            out.push_str(&format!(" เลขที่ {}", rng.below(100_000)));
        }
        if rng.below(2000) == 0 {
            out.push_str(" ไดโนเสาร์");
        }
    }
    out
}

/// Who the synthetic cases belong to.
#[derive(Debug, Clone)]
pub struct Owners {
    /// Organisation.
    pub org_id: Uuid,
    /// Units, used in turn.
    pub units: Vec<Uuid>,
    /// Case managers, used in turn.
    pub managers: Vec<Uuid>,
}

/// Creates `cases` cases (each with a client, indexed) and `notes` notes spread over them;
/// calls `progress` with the notes written so far.
pub async fn seed(
    db: &Db,
    owners: &Owners,
    cases: usize,
    notes: usize,
    mut progress: impl FnMut(usize),
) -> Result<Vec<Uuid>> {
    let mut rng = Rng::new(0x5eed);
    let now = now_db();
    let mut case_ids = Vec::with_capacity(cases);
    let mut case_tokens = Vec::with_capacity(cases);
    let mut tx = db.begin().await?;
    for i in 0..cases {
        let person = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO person (id, org_id, first_name_th, last_name_th, sex, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'female', $5, $5)",
        )
        .bind(person.to_string())
        .bind(owners.org_id.to_string())
        .bind(NAMES[i % NAMES.len()])
        .bind(format!("สกุล{}", i % 997))
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        let case = Uuid::now_v7();
        sqlx::query(
            "INSERT INTO case_file (id, org_id, unit_id, number, client_id, manager_id, status, urgency, sensitive, \
             case_types, referral_source, presenting_problem, safety_answers, opened_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'active', 'routine', 0, $7, 'self', $8, '{}', $9, $9, $9)",
        )
        .bind(case.to_string())
        .bind(owners.org_id.to_string())
        .bind(owners.units[i % owners.units.len()].to_string())
        .bind(format!("CM-2569-{:06}", 900_000 + i))
        .bind(person.to_string())
        .bind(owners.managers[i % owners.managers.len()].to_string())
        .bind(["domestic_violence", "child_protection", "elderly", "trafficking"][i % 4])
        .bind(PHRASES[i % PHRASES.len()])
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("INSERT INTO case_person (case_id, person_id, relationship, added_at) VALUES ($1, $2, 'client', $3)")
            .bind(case.to_string())
            .bind(person.to_string())
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        reindex_case(&mut tx, case).await?;
        reindex_person(&mut tx, person).await?;
        case_ids.push(case);
        case_tokens.push(tokens_for(
            "contact",
            owners.managers[i % owners.managers.len()],
            owners.units[i % owners.units.len()],
            &[],
            false,
        ));
    }
    tx.commit().await?;
    let start = Utc
        .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    const BATCH: usize = 400;
    const PER_TX: usize = 20_000;
    let mut written = 0;
    while written < notes {
        let mut tx = db.begin().await?;
        let end = (written + PER_TX).min(notes);
        while written < end {
            let n = BATCH.min(end - written);
            let mut rows = Vec::with_capacity(n);
            for k in 0..n {
                let c = rng.below(case_ids.len());
                let at = to_db(start + Duration::minutes(((written + k) * 7) as i64));
                let text = note(&mut rng);
                let body = with_tokens(&with_month(body(&text, &[]), &at), &case_tokens[c]);
                rows.push((Uuid::now_v7(), case_ids[c], at, text, body));
            }
            insert_notes(&mut tx, owners.org_id, &rows, &now).await?;
            written += n;
        }
        tx.commit().await?;
        progress(written);
    }
    Ok(case_ids)
}

async fn insert_notes(
    tx: &mut crate::db::Tx,
    org: Uuid,
    rows: &[(Uuid, Uuid, String, String, String)],
    now: &str,
) -> Result<()> {
    let values = |width: usize| -> String {
        (0..rows.len())
            .map(|r| {
                let ps: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
                format!("({})", ps.join(", "))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let sql = format!(
        "INSERT INTO contact (id, org_id, case_id, kind, occurred_at, note, created_at, updated_at) VALUES {}",
        values(8)
    );
    let mut q = sqlx::query(&sql);
    for (id, case, at, text, _) in rows {
        q = q
            .bind(id.to_string())
            .bind(org.to_string())
            .bind(case.to_string())
            .bind("home_visit")
            .bind(at.clone())
            .bind(text.clone())
            .bind(now.to_string())
            .bind(now.to_string());
    }
    q.execute(&mut **tx).await?;
    let sql = format!(
        "INSERT INTO search_doc (org_id, entity_type, entity_id, case_id, doc_date, text, body) VALUES {}",
        values(7)
    );
    let mut q = sqlx::query(&sql);
    for (id, case, at, text, body) in rows {
        q = q
            .bind(org.to_string())
            .bind("contact")
            .bind(id.to_string())
            .bind(case.to_string())
            .bind(at.clone())
            .bind(text.clone())
            .bind(body.clone());
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// Runs one maintenance statement (`ANALYZE`) after a bulk load.
pub async fn run_statement(tx: &mut crate::db::Tx, sql: &str) -> Result<()> {
    sqlx::query(sql).execute(&mut **tx).await?;
    Ok(())
}
