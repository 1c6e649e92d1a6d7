//! The demo organisation and one account per role, seeded once by `serve --demo`.

use crate::account::NewUserInput;
use crate::{App, AppError, Ctx};
use karuna_store::account as store;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "karuna-demo";

/// One demo account: username, display name, role, profession, unit index (0 office, 1 shelter).
pub type DemoAccount = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<usize>,
);

/// The demo accounts, one per role.
pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    ("demo-admin", "ผู้ดูแลระบบ (ทดลอง)", "admin", None, Some(0)),
    (
        "demo-supervisor",
        "สุดารัตน์ ใจดี (หัวหน้างาน)",
        "supervisor",
        None,
        Some(0),
    ),
    (
        "demo-manager",
        "มาลี ศรีสุข (ผู้จัดการรายกรณี)",
        "case_manager",
        None,
        Some(0),
    ),
    (
        "demo-psychologist",
        "ประเสริฐ วงศ์ใหญ่ (นักจิตวิทยา)",
        "team_member",
        Some("psychologist"),
        Some(1),
    ),
    (
        "demo-analyst",
        "วิภาวรรณ แก้วมณี (นักวิเคราะห์ข้อมูล)",
        "data_analyst",
        None,
        None,
    ),
    (
        "demo-auditor",
        "สมศักดิ์ ตรงไปตรงมา (ผู้ตรวจสอบ)",
        "auditor",
        None,
        None,
    ),
];

impl App {
    /// Seeds the demo organisation, its two units and the demo accounts, once: does nothing
    /// when a demo organisation already exists. Returns true when it seeded.
    pub async fn seed_demo(&self) -> Result<bool, AppError> {
        if store::list_orgs(&self.db).await?.iter().any(|o| o.demo) {
            return Ok(false);
        }
        let mut tx = self.db.begin().await?;
        let org = store::insert_org(
            &mut tx,
            "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดเชียงใหม่ (ทดลอง)",
            true,
        )
        .await?;
        let office = store::insert_unit(
            &mut tx,
            org,
            "พมจ.เชียงใหม่ — กลุ่มงานคุ้มครองและพิทักษ์สิทธิ",
            "office",
        )
        .await?;
        let shelter =
            store::insert_unit(&mut tx, org, "บ้านพักเด็กและครอบครัวจังหวัดเชียงใหม่", "shelter").await?;
        tx.commit().await?;
        let units = [office, shelter];
        let ctx = Ctx::default();
        for (username, name, role, profession, unit) in DEMO_ACCOUNTS {
            let input = NewUserInput {
                username: username.to_string(),
                display_name: name.to_string(),
                role: role.to_string(),
                profession: profession.map(str::to_string),
                unit_id: unit.map(|i| units[i].to_string()),
                password: Some(DEMO_PASSWORD.to_string()),
            };
            self.create_user_in(org, None, &ctx, input, true).await?;
        }
        Ok(true)
    }
}
