//! The demo organisation and one account per role, seeded once by `serve --demo`, and the
//! made-up people, places and texts of its demo cases (seeded by `demo_cases`).

use crate::account::NewUserInput;
use crate::intake::AddressInput;
use crate::{App, AppError, Ctx};
use chrono::{Datelike, NaiveDate};
use karuna_domain::person::{DocumentInput, PersonInput};
use karuna_store::account as store;
use karuna_thai::address;
use karuna_thai::national_id::check_digit;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "karuna-demo";

/// One demo account: username, display name, role, profession, unit index (0 office, 1 shelter).
/// The display name is a person's name only: the role is shown beside it from the catalogue,
/// in the reader's language.
pub type DemoAccount = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<usize>,
);

/// The demo accounts, one per role.
pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    ("demo-admin", "ธนพล ระบบดี", "admin", None, Some(0)),
    ("demo-supervisor", "สุดารัตน์ ใจดี", "supervisor", None, Some(0)),
    ("demo-manager", "มาลี ศรีสุข", "case_manager", None, Some(0)),
    (
        "demo-psychologist",
        "ประเสริฐ วงศ์ใหญ่",
        "team_member",
        Some("psychologist"),
        Some(1),
    ),
    ("demo-analyst", "วิภาวรรณ แก้วมณี", "data_analyst", None, None),
    ("demo-auditor", "สมศักดิ์ ตรงไปตรงมา", "auditor", None, None),
];

impl App {
    /// Seeds the demo organisation, its two units, the demo accounts and about fifty demo cases,
    /// once: does nothing when a demo organisation already exists. Returns true when it seeded.
    pub async fn seed_demo(&self) -> Result<bool, AppError> {
        self.seed_demo_org(true).await
    }

    /// Seeds the demo organisation, its units and accounts but no cases (for tests that want an
    /// empty caseload), once like `seed_demo`. Returns true when it seeded.
    pub async fn seed_demo_accounts(&self) -> Result<bool, AppError> {
        self.seed_demo_org(false).await
    }

    async fn seed_demo_org(&self, with_cases: bool) -> Result<bool, AppError> {
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
        self.seed_demo_programmes().await?;
        if with_cases {
            self.seed_demo_cases(shelter).await?;
        }
        Ok(true)
    }
}

/// One situation per line: `types|referral|safety|age|sex|flags|province|presenting problem`.
/// Safety letters answer "yes": D in danger now, I injured, C child without carer,
/// P perpetrator has access, N no safe place tonight, H self-harm risk. Age: c child, t teen,
/// y young adult, a adult, o older person. Flags: s sensitive, p alleged perpetrator added,
/// g parent added, h household member added, e estimated birth year, x no document,
/// v vital interest instead of consent, r consent refused, U shelter unit, Z details updated
/// later, M Myanmar (pink card), K Cambodia (passport), L Laos (certificate of identity),
/// A stateless Akha (non-Thai ID). `{n}` is the client's name, `{age}` the age.
pub(crate) const SCENARIOS: &str = "\
domestic_violence|hospital_crisis_centre|IP|a|f|p|50|{n} อายุ {age} ปี ถูกสามีทำร้ายร่างกายด้วยไม้หลังดื่มสุรา ศูนย์พึ่งได้ส่งต่อหลังเย็บแผลที่ศีรษะ สามียังอาศัยอยู่บ้านเดียวกัน มีบุตรวัยเรียน 2 คน
child_protection|school|P|c|f|gpU|50|ครูประจำชั้นแจ้งว่า{n} อายุ {age} ปี มีรอยช้ำที่แขนและหลังหลายครั้ง เด็กบอกว่าพ่อเลี้ยงตีเมื่อทำการบ้านไม่เสร็จ มารดาทำงานกะกลางคืน
older_person|community||o|f|e|50|ผู้ใหญ่บ้านแจ้งว่า{n} อายุประมาณ {age} ปี อาศัยอยู่ลำพัง บุตรไปทำงานต่างจังหวัด มีโรคความดันและเบาหวาน ขาดยามาหลายสัปดาห์ บ้านทรุดโทรม หลังคารั่ว
trafficking|police|DN|y|f|sM|50|ตำรวจร่วมกับทีมสหวิชาชีพตรวจค้นร้านคาราโอเกะ พบ{n} หญิงชาวเมียนมา อายุ {age} ปี ถูกบังคับให้นั่งดริงก์และค้าประเวณีเพื่อใช้หนี้ค่านายหน้า ถูกยึดบัตรและโทรศัพท์
disability|self||a|m|h|51|{n} อายุ {age} ปี พิการทางการเคลื่อนไหวจากอุบัติเหตุจักรยานยนต์เมื่อปีที่แล้ว ขาดรายได้ ต้องการบัตรคนพิการและอาชีพที่ทำได้ที่บ้าน
poverty_homelessness|ngo|N|a|m|ex|50|องค์กรเอกชนด้านคนไร้บ้านส่งต่อ{n} อายุประมาณ {age} ปี นอนพักบริเวณสถานีขนส่งอาเขต ไม่มีเอกสารประจำตัว มีอาการไอเรื้อรัง
child_protection,poverty_homelessness|hotline_1300|C|c|m|gU|57|สายด่วน 1300 รับแจ้งว่า{n} อายุ {age} ปี ถูกทิ้งให้อยู่บ้านลำพังกับน้อง 2 คนนานกว่า 3 วัน มารดาไปทำงานต่างจังหวัดและติดต่อไม่ได้
domestic_violence|hotline_1300|PN|a|f|p|50|{n} อายุ {age} ปี โทรสายด่วน 1300 แจ้งว่าถูกอดีตสามีตามคุกคามและขู่ทำร้ายที่ที่ทำงาน ไม่กล้ากลับห้องเช่า
older_person,disability|hospital_crisis_centre|I|o|m|v|50|โรงพยาบาลแจ้งว่า{n} อายุ {age} ปี ผู้สูงอายุติดเตียง ถูกพบหมดสติในบ้าน มีแผลกดทับติดเชื้อ ญาติไม่อยู่ ต้องหาผู้ดูแลก่อนจำหน่ายจากโรงพยาบาล
trafficking|ngo|P|a|m|K|74|องค์กรเอกชนด้านแรงงานประมงส่งต่อ{n} ชาวกัมพูชา อายุ {age} ปี ถูกบังคับทำงานบนเรือประมงนานกว่า 8 เดือนโดยไม่ได้รับค่าจ้าง หลบหนีขึ้นฝั่งได้ นายจ้างยังตามหา
child_protection|police|DI|t|f|spg|50|{n} อายุ {age} ปี ถูกล่วงละเมิดทางเพศโดยญาติชายที่อาศัยในบ้านเดียวกัน มารดาพาไปแจ้งความ ตำรวจส่งต่อเพื่อคุ้มครองและฟื้นฟูสภาพจิตใจ
other|self|H|a|f||50|{n} อายุ {age} ปี ขอคำปรึกษาเรื่องหนี้นอกระบบ ถูกเจ้าหนี้ทวงถามด้วยการข่มขู่และประจานทางสื่อออนไลน์ เครียดมาก นอนไม่หลับ เคยคิดทำร้ายตนเอง
poverty_homelessness|community||o|m|e|52|อสม. แจ้งว่า{n} อายุประมาณ {age} ปี อาศัยอยู่ในเพิงพักริมทุ่งนา ไม่มีรายได้ ไม่ได้รับเบี้ยยังชีพเพราะชื่อไม่อยู่ในทะเบียนบ้านของพื้นที่
domestic_violence,disability|community|P|a|f|hp|50|{n} อายุ {age} ปี พิการทางการได้ยิน ถูกสามีทำร้ายและไม่ให้ออกจากบ้าน เพื่อนบ้านแจ้งผ่านผู้นำชุมชน สื่อสารด้วยภาษามือและการเขียน
child_protection|school||t|m|gZ|50|ครูแนะแนวแจ้งว่า{n} นักเรียนมัธยม อายุ {age} ปี ขาดเรียนต่อเนื่อง ครอบครัวยากจน บิดาติดสุรา ต้องไปรับจ้างในไร่ข้าวโพดช่วยครอบครัว
child_protection,trafficking|police|DC|t|f|sA|57|{n} เด็กหญิงชาติพันธุ์อาข่า อายุ {age} ปี ยังไม่ได้สัญชาติ ถูกชักชวนไปทำงานร้านนวดในตัวเมือง ถูกกักขังและบังคับให้บริการทางเพศ ตำรวจช่วยเหลือออกมาได้
older_person|self||o|f|r|50|บุตรชายพา{n} อายุ {age} ปี มาขอคำปรึกษาเรื่องการดูแลเพราะเริ่มมีอาการหลงลืม แต่{n}ไม่ประสงค์รับบริการและไม่ยินยอมให้เก็บข้อมูล
disability|school||c|m|g|50|มารดาของ{n} อายุ {age} ปี ขอความช่วยเหลือเพราะบุตรเป็นออทิสติก โรงเรียนแนะนำให้เข้ารับการกระตุ้นพัฒนาการ ครอบครัวไม่มีค่าเดินทางไปโรงพยาบาล
poverty_homelessness,other|hotline_1300|N|y|m||10|{n} อายุ {age} ปี ถูกหลอกไปทำงานในกรุงเทพฯ แต่ไม่ได้งานตามที่ตกลง ไม่มีเงินค่าที่พักและค่าเดินทาง ขอความช่วยเหลือกลับภูมิลำเนาที่เชียงใหม่
domestic_violence|police|P|y|f|sp|56|ตำรวจส่งต่อ{n} อายุ {age} ปี ถูกแฟนทำร้ายร่างกายและข่มขู่ว่าจะเผยแพร่ภาพส่วนตัวหากเลิกกัน
trafficking|ngo||a|f|L|50|{n} หญิงชาวลาว อายุ {age} ปี ทำงานแม่บ้าน นายจ้างยึดเอกสารและไม่จ่ายค่าจ้าง 6 เดือน องค์กรเอกชนพามาขอความช่วยเหลือ
older_person|hospital_crisis_centre|P|o|f|ph|50|ศูนย์พึ่งได้แจ้งว่า{n} อายุ {age} ปี ถูกบุตรชายทำร้ายและเอาเบี้ยยังชีพไปใช้ มีรอยช้ำที่แขน ยังต้องอาศัยอยู่บ้านเดียวกับบุตรชาย
child_protection|other|C|c|f|gU|58|เรือนจำแจ้งว่ามารดาของ{n} อายุ {age} ปี ต้องโทษจำคุก เด็กไม่มีผู้ดูแล ญาติฝ่ายบิดาอยู่ต่างจังหวัด
other|self||y|f|s|50|{n} นักศึกษา อายุ {age} ปี ตั้งครรภ์ไม่พร้อม ไม่กล้าบอกครอบครัว ขอคำปรึกษาเรื่องทางเลือกและสิทธิที่ได้รับ
disability,poverty_homelessness|ngo||a|m|M|63|{n} แรงงานชาวเมียนมา อายุ {age} ปี ได้รับบาดเจ็บจากการทำงานก่อสร้างจนขาขวาพิการ นายจ้างไม่ส่งเข้ากองทุนเงินทดแทน ไม่มีรายได้";

/// Contact notes, `key|kind|note`, in the order a case goes through them. Keys: d domestic
/// violence, c child protection, t trafficking, o older person, b disability, h poverty and
/// homelessness, x other, g general follow-up, y psychologist, z closing summary.
pub(crate) const NOTES: &str = "\
d|office_visit|{n}มาที่สำนักงานพร้อมบุตร เล่าว่าถูกสามีทำร้ายร่างกายหลังดื่มสุรา มีรอยช้ำที่แขนและใบหน้า อธิบายสิทธิตาม พ.ร.บ.คุ้มครองผู้ถูกกระทำด้วยความรุนแรงในครอบครัว และประเมินความปลอดภัยร่วมกัน
d|accompaniment_hospital|พา{n}ไปตรวจร่างกายที่ศูนย์พึ่งได้ แพทย์ออกใบรับรองแพทย์ บาดแผลไม่รุนแรง นัดติดตามอาการ 1 สัปดาห์
d|accompaniment_police|พา{n}ไปแจ้งความ พนักงานสอบสวนรับแจ้งและจะเรียกคู่กรณีมาตามขั้นตอน {n}ยังลังเลเรื่องการดำเนินคดี
d|phone_call|โทรติดตาม{n} ปัจจุบันพักอยู่กับพี่สาว คู่กรณียังโทรมาข่มขู่เป็นระยะ แนะนำให้เก็บหลักฐานและโทร 191 หากมีเหตุฉุกเฉิน
d|home_visit|เยี่ยมบ้านร่วมกับ อสม. และผู้ใหญ่บ้าน สภาพบ้านเรียบร้อย บุตรไปโรงเรียนตามปกติ ผู้ใหญ่บ้านรับจะช่วยสอดส่องดูแล
d|office_visit|วางแผนร่วมกับ{n} เรื่องการหางานและการเลี้ยงดูบุตร {n}อยากฝึกอาชีพตัดเย็บ จะประสานศูนย์พัฒนาฝีมือแรงงาน
c|home_visit|เยี่ยมบ้านพบ{n}และผู้ดูแล ประเมินความเป็นอยู่และความปลอดภัยของเด็ก ผู้ดูแลยอมรับว่ามีปัญหาการเลี้ยงดูและยินดีรับความช่วยเหลือ
c|phone_call|ประสานครูประจำชั้นของ{n} ครูแจ้งว่าเด็กขาดเรียนบ่อย ผลการเรียนลดลง ช่วงนี้ซึมและไม่ค่อยพูดกับเพื่อน
c|accompaniment_hospital|พา{n}ตรวจร่างกายและประเมินพัฒนาการ กุมารแพทย์ไม่พบการบาดเจ็บใหม่ ส่งพบนักจิตวิทยาเด็ก
c|office_visit|สัมภาษณ์{n}ในห้องที่เป็นมิตรกับเด็ก ใช้ตุ๊กตาและภาพวาดประกอบ เด็กเล่าเหตุการณ์ได้ตามวัย บอกว่ากลัวและไม่อยากกลับไปอยู่ที่เดิม
c|accompaniment_court|พา{n}ไปศาล ให้ปากคำผ่านห้องสืบพยานเด็กโดยมีนักจิตวิทยาและพนักงานอัยการร่วม เด็กให้ความร่วมมือดี
c|home_visit|เยี่ยมบ้านติดตามผล ผู้ดูแลเข้าร่วมกิจกรรมเลี้ยงดูเชิงบวกแล้ว {n}ไปโรงเรียนสม่ำเสมอ ยิ้มแย้มขึ้น
t|accompaniment_police|ร่วมกับตำรวจคัดแยกผู้เสียหาย {n}ให้ข้อมูลผ่านล่ามว่าถูกหลอกมาทำงาน ถูกยึดเอกสารและถูกหักค่าจ้างเป็นหนี้
t|office_visit|สัมภาษณ์เชิงลึกโดยมีล่าม {n}ต้องการรับค่าจ้างที่ค้างและกลับบ้าน อธิบายสิทธิตาม พ.ร.บ.ป้องกันและปราบปรามการค้ามนุษย์ และการคุ้มครองพยาน
t|accompaniment_hospital|พา{n}ตรวจสุขภาพ ตรวจโรคติดต่อทางเพศสัมพันธ์และประเมินสุขภาพจิต ผลเบื้องต้นปกติ ได้รับยาตามอาการ
t|phone_call|ประสานสถานเอกอัครราชทูตเรื่องเอกสารเดินทางของ{n} คาดว่าจะได้รับเอกสารภายใน 3 สัปดาห์
t|video_call|{n}วิดีโอคอลกับครอบครัวที่บ้านเกิดโดยมีเจ้าหน้าที่อยู่ด้วย ครอบครัวพร้อมรับกลับ {n}สบายใจขึ้น
t|accompaniment_court|พา{n}ไปเบิกความล่วงหน้าที่ศาล ล่ามแปลตลอดการสืบพยาน {n}ตื่นเต้นแต่ให้การได้ครบถ้วน
o|home_visit|เยี่ยมบ้าน{n} อาศัยอยู่ลำพัง บุตรส่งเงินมาไม่สม่ำเสมอ มีโรคความดันและเบาหวาน ยาใกล้หมด บ้านหลังคารั่ว
o|phone_call|ประสาน อสม. และ รพ.สต. ให้ช่วยเยี่ยม{n}สัปดาห์ละครั้ง และจัดส่งยาถึงบ้าน
o|accompaniment_hospital|พา{n}ไปตรวจตามนัด แพทย์ปรับยาเบาหวาน นัดครั้งต่อไป 2 เดือน
o|phone_call|โทรหาบุตรสาวของ{n} บุตรสาวรับจะกลับมาเยี่ยมช่วงสงกรานต์และจะส่งเงินเดือนละ 2,000 บาท
o|home_visit|ติดตามการซ่อมแซมบ้านด้วยงบประมาณของ อบต. หลังคาเสร็จแล้ว {n}พอใจ สุขภาพทรงตัว
o|office_visit|ยื่นคำขอเงินสงเคราะห์ผู้สูงอายุในภาวะยากลำบากให้{n} เอกสารครบ รอคณะกรรมการพิจารณา
b|home_visit|เยี่ยมบ้าน{n} ใช้รถเข็นในบ้านไม่ได้เพราะพื้นต่างระดับ ผู้ดูแลหลักเป็นผู้สูงอายุ ครอบครัวมีรายได้ไม่แน่นอน
b|office_visit|ช่วยยื่นคำขอมีบัตรประจำตัวคนพิการและเบี้ยความพิการให้{n} ประสานนักกายภาพบำบัดเรื่องอุปกรณ์
b|phone_call|ประสานศูนย์บริการคนพิการจังหวัดเรื่องการปรับสภาพบ้านและกองทุนกู้ยืมประกอบอาชีพสำหรับ{n}
b|accompaniment_hospital|พา{n}ไปรับกายอุปกรณ์และฝึกใช้กับนักกายภาพบำบัด
b|video_call|ติดตามทางวิดีโอคอล {n}ฝึกเดินด้วยไม้ค้ำยันได้นานขึ้น ต้องการงานที่ทำที่บ้านได้
b|home_visit|ติดตามหลังปรับสภาพบ้าน ทำทางลาดและราวจับในห้องน้ำแล้ว {n}ช่วยเหลือตนเองได้มากขึ้น
h|other|ลงพื้นที่ร่วมกับทีมออกหน่วยช่วงกลางคืน พบ{n}นอนพักริมทาง มีอาการไอเรื้อรัง ยินยอมไปพักที่ศูนย์คนไร้ที่พึ่ง
h|office_visit|สัมภาษณ์{n}ถึงประวัติครอบครัวและการทำงาน เคยรับจ้างก่อสร้าง ตกงานหลังได้รับบาดเจ็บ ขาดการติดต่อกับญาติ
h|accompaniment_hospital|พา{n}ตรวจเอกซเรย์ปอด ผลไม่พบวัณโรค ได้รับยาแก้ไอและวิตามิน
h|phone_call|ประสานสำนักทะเบียนอำเภอเรื่องการทำบัตรประชาชนใหม่ให้{n} ต้องมีพยานบุคคลรับรอง
h|home_visit|เยี่ยมห้องเช่าที่{n}ย้ายเข้าไปอยู่ สภาพเรียบร้อย เจ้าของห้องยินดีให้ผ่อนค่ามัดจำ
h|office_visit|{n}ได้งานเป็นพนักงานร้านอาหาร วางแผนเช่าห้องพักเมื่อได้รับเงินเดือนแรก
x|office_visit|รับฟังปัญหาและให้คำปรึกษาเบื้องต้น {n}มีความเครียดสูง ประเมินความเสี่ยงและทำแผนความปลอดภัยร่วมกัน
x|phone_call|ประสานหน่วยงานเฉพาะด้านเพื่อส่งต่อบริการตามความต้องการของ{n} หน่วยงานรับเรื่องแล้ว
x|message|ส่งข้อมูลสิทธิและช่องทางความช่วยเหลือทางไลน์ให้{n} {n}ตอบรับและขอบคุณ
x|office_visit|ติดตามผล {n}ได้รับบริการจากหน่วยงานที่ส่งต่อแล้ว ความเครียดลดลง
x|video_call|ติดตามทางวิดีโอคอล {n}ทำตามแผนได้ต่อเนื่อง ยังต้องการกำลังใจจากครอบครัว
x|home_visit|เยี่ยมบ้าน{n} ครอบครัวรับรู้ปัญหาและพร้อมช่วยเหลือ ตกลงแบ่งหน้าที่กันในบ้าน
g|phone_call|โทรติดตามความเป็นอยู่ของ{n} โดยรวมเรียบร้อยดี นัดพบครั้งต่อไปตามแผน
g|message|ส่งข้อความทางไลน์แจ้ง{n}เรื่องวันนัดและเอกสารที่ต้องเตรียม {n}ตอบรับแล้ว
g|phone_call|{n}โทรมาแจ้งว่าติดธุระไม่สามารถมาตามนัดได้ ขอเลื่อนเป็นสัปดาห์หน้า
g|office_visit|ทบทวนความก้าวหน้าตามแผนร่วมกับ{n} เป้าหมายด้านที่พักและรายได้บรรลุบางส่วน
y|office_visit|ให้คำปรึกษารายบุคคลครั้งแรก คัดกรองภาวะซึมเศร้าด้วยแบบ 2Q/9Q คะแนนระดับปานกลาง นัด{n}ต่อเนื่องทุกสัปดาห์
y|video_call|ให้คำปรึกษาทางวิดีโอคอล {n}นอนหลับดีขึ้น ฝันร้ายลดลง ฝึกเทคนิคการหายใจเพื่อจัดการความวิตกกังวล
y|office_visit|กิจกรรมบำบัดด้วยศิลปะ {n}วาดภาพครอบครัวและเล่าเรื่องได้มากขึ้น ยังกังวลเรื่องความปลอดภัย
z|office_visit|สรุปผลการให้บริการร่วมกับ{n} เป้าหมายตามแผนบรรลุแล้ว {n}รู้ช่องทางขอความช่วยเหลือหากมีปัญหาอีก";

/// Promises, `key|what` (keys as for the notes).
pub(crate) const PROMISES: &str = "\
d|ประสานบ้านพักฉุกเฉินให้{n}และบุตร
d|พา{n}ไปยื่นคำร้องขอคำสั่งคุ้มครองชั่วคราวต่อศาล
d|ประสานศูนย์พัฒนาฝีมือแรงงานเรื่องหลักสูตรตัดเย็บ
c|ประสานโรงเรียนเรื่องทุนการศึกษาและอาหารกลางวันของ{n}
c|จัดหาชุดนักเรียนและอุปกรณ์การเรียนให้{n}
c|นัดประชุมทีมสหวิชาชีพเพื่อวางแผนคุ้มครองเด็ก
t|ติดตามค่าจ้างค้างจ่ายผ่านสำนักงานสวัสดิการและคุ้มครองแรงงาน
t|ประสานสถานทูตเรื่องเอกสารเดินทางกลับบ้านของ{n}
t|จัดล่ามสำหรับวันเบิกความที่ศาล
o|ยื่นเรื่องขอเงินสงเคราะห์ผู้สูงอายุในภาวะยากลำบากให้{n}
o|ประสาน อบต. เรื่องการซ่อมแซมบ้าน
o|พา{n}ไปตรวจตามนัดที่โรงพยาบาล
b|ช่วย{n}ยื่นคำขอมีบัตรประจำตัวคนพิการ
b|ประสานศูนย์บริการคนพิการเรื่องรถเข็น
b|ยื่นกู้กองทุนส่งเสริมและพัฒนาคุณภาพชีวิตคนพิการ
h|ประสานสำนักทะเบียนอำเภอเรื่องการทำบัตรประชาชนใหม่ให้{n}
h|หาที่พักชั่วคราวที่ศูนย์คนไร้ที่พึ่ง
h|แนะนำตำแหน่งงานจากสำนักงานจัดหางานจังหวัด
x|ประสานหน่วยงานเฉพาะด้านและแจ้งผลให้{n}ทราบ
x|นัดให้คำปรึกษาครั้งที่ 2
x|ส่งข้อมูลความช่วยเหลือทางกฎหมายให้{n}
y|นัดให้คำปรึกษาครั้งถัดไปและส่งผลประเมินสุขภาพจิตให้ผู้จัดการรายกรณี";

pub(crate) const MALE: &str = "สมชาย ประเสริฐ วิชัย สุรชัย อนุชา ธนากร ณัฐพล กิตติพงษ์ ศักดิ์ชัย บุญมี สมบัติ \
    จักรพันธ์ ปิยะ ชัยวัฒน์ เอกชัย ธีรวัฒน์ สุริยา อภิชาติ ประยูร ทองดี คำแสง อินถา ศรีทน บุญชู วีระ \
    ภานุวัฒน์ ธนวัฒน์ พงศกร ณัฐวุฒิ กฤษดา";
pub(crate) const FEMALE: &str = "สมศรี มาลัย วันเพ็ญ สุภาพร กาญจนา ปราณี นงลักษณ์ อรุณี รัตนา พรทิพย์ สุนันทา \
    จันทร์เพ็ญ ศิริพร วิไลวรรณ ดวงใจ ดาวเรือง นิภาพร ลำดวน อำไพ พิมพ์ใจ เกศินี ชลธิชา สุดา ประภาพร \
    รุ่งนภา ศศิธร อัมพร ปัทมา กมลวรรณ จิราพร";
pub(crate) const BOY: &str = "ธนภัทร ภูริณัฐ ณัฐกิตติ์ ปัณณวัฒน์ กันตพัฒน์ ศุภวิชญ์ ธีรภัทร พีรพัฒน์ ภัทรพล ชยพล";
pub(crate) const GIRL: &str = "ณัฐณิชา พิมพ์ชนก กัญญาณัฐ ปุณยาพร ชนัญชิดา ธัญชนก ภัทรธิดา อรปรียา สุพิชญา กวินตรา";
pub(crate) const OLD_MAN: &str = "คำปัน บุญมา อินทร์ จันทร์ดี คำมูล แก้ว ปั๋น ติ๊บ";
pub(crate) const OLD_WOMAN: &str = "บุญศรี จันทร์ฟอง แสงดา คำแปง บัวผัน ทองใบ ศรีนวล คำป้อ";
pub(crate) const SURNAMES: &str = "แก้วมูล ปัญญาดี อินทรวงศ์ คำแปง ทองสุข สุวรรณรัตน์ บุญเรือง จันทร์แก้ว ศรีวิชัย \
    ไชยวงศ์ ธรรมสอน วงศ์ชัย มณีรัตน์ สิทธิกุล พรหมมินทร์ กันทะวงศ์ ปันแก้ว ยอดเมือง ชัยมงคล เรือนคำ \
    สมบูรณ์ศักดิ์ รักษาพล ศรีบุญเรือง นันทวงศ์ อุดมสุข ทาแก้ว ใจมา สายสุวรรณ วงค์ษา มหาวัน";
pub(crate) const AKHA_SURNAMES: &str = "เยอเบาะ มาเยอะ เชอมือ อาจอ หมื่อแล";
pub(crate) const NICK_M: &str = "ต้อม เก่ง ก้อง โอ๊ต เอ็ม ต้น บอล เบียร์ กอล์ฟ ปาล์ม ตูน ดำ หนุ่ม เอก";
pub(crate) const NICK_F: &str = "แดง น้อย แอน ปุ๊ก ต่าย นุ่น ฝน มด หนิง ปู แป้ง นก แนน พลอย ฟ้า จอย อ้อม";

/// Non-Thai clients: `flag|sex|Latin first|Latin last|nickname|nationality|languages|document`.
pub(crate) const FOREIGN: &str = "\
M|f|Khin Myo Aye||ขิ่น|เมียนมา|พม่า, ไทใหญ่, ไทย|pink_card
M|m|Aung Ko Ko||อ่อง|เมียนมา|พม่า, ไทย|pink_card
M|m|Zaw Min Htet||ซอ|เมียนมา|พม่า, ไทย|pink_card
M|f|Nang Seng||หนานแสง|เมียนมา|ไทใหญ่, พม่า, ไทย|pink_card
K|m|Dara|Sok|ดารา|กัมพูชา|เขมร|passport
K|m|Vannak|Chea|วรรณ|กัมพูชา|เขมร, ไทย|passport
L|f|Bounmy|Phommachanh|บุญมี|ลาว|ลาว, ไทย|certificate_of_identity
L|f|Khamla|Sisavath|คำหล้า|ลาว|ลาว, ไทย|certificate_of_identity";

/// Where each case goes, by index: I intake, A assessment, P planning, M implementation,
/// R review, C closed after the full process, X closed at intake, O closed and reopened into
/// implementation, Q closed at assessment and reopened into assessment.
pub(crate) const PLAN: &[u8; crate::demo_cases::DEMO_CASE_COUNT] =
    b"MAIRPCMAQMIPRCAMXPMAIRCMPOAMICRPAMIMRCPAIMOCRAPXMC";

/// Provinces for situations that name none: Chiang Mai heavy, then the north, then elsewhere.
pub(crate) const PROVINCES: [&str; 16] = [
    "50", "57", "50", "51", "52", "50", "58", "10", "50", "55", "40", "50", "56", "30", "90", "34",
];

/// Short texts of the demo cases, `key|text`; `{no}` is a reference number.
pub(crate) const TEXTS: &str = "\
consent_vital|ผู้รับบริการไม่รู้สึกตัว ให้ความยินยอมไม่ได้ ประมวลผลข้อมูลเพื่อป้องกันอันตรายต่อชีวิต
consent_refused|ผู้รับบริการแจ้งด้วยวาจาว่าไม่ประสงค์รับบริการและไม่ยินยอมให้ใช้ข้อมูล
consent_child|ผู้ปกครองลงนามแทนผู้เยาว์ และอธิบายให้เด็กเข้าใจตามวัย
consent_foreign|ลงนามในแบบฟอร์มยินยอมโดยมีล่ามแปลให้
consent_0|ลงนามในแบบฟอร์มให้ความยินยอม
consent_1|ให้ความยินยอมด้วยวาจา มีเจ้าหน้าที่ร่วมเป็นพยาน
sharing_agency|สำนักงานสวัสดิการและคุ้มครองแรงงานจังหวัด
sharing|ลงนามผ่านล่าม ยินยอมให้ส่งข้อมูลเพื่อติดตามค่าจ้างค้างจ่าย
override|เลขตามสำเนาทะเบียนบ้านที่ผู้รับบริการนำมา บัตรตัวจริงสูญหาย รอตรวจสอบกับสำนักทะเบียน
transfer|รับแจ้งนอกเวลาราชการ มอบหมายให้ผู้จัดการรายกรณีรับผิดชอบต่อ
handover|รับแจ้งทางโทรศัพท์นอกเวลา ประเมินความปลอดภัยเบื้องต้นแล้ว ยังไม่ได้เยี่ยมบ้าน นัดผู้รับบริการโทรกลับภายใน 2 วัน
update|ข้อมูลเพิ่มเติมจากการเยี่ยมบ้าน: บิดาทำร้ายร่างกายเมื่อเมาสุรา
follow_up|นัดติดตามความคืบหน้าภายใน 2 สัปดาห์
close_refused|ผู้รับบริการปฏิเสธการรับบริการและไม่ยินยอมให้ใช้ข้อมูล
close_X|ส่งต่อหน่วยงานในภูมิลำเนาของผู้รับบริการตั้งแต่ขั้นรับเรื่อง
close_Q|ผู้รับบริการย้ายไปอยู่กับญาติต่างจังหวัด ขอยุติการรับบริการ
close_0|บรรลุเป้าหมายตามแผน ผู้รับบริการปลอดภัยและพึ่งพาตนเองได้ ยุติการให้บริการ
close_1|ส่งต่อสำนักงานพัฒนาสังคมฯ ในภูมิลำเนาของผู้รับบริการดูแลต่อเนื่อง
close_2|ผู้รับบริการมีครอบครัวดูแลและเข้าถึงสวัสดิการครบแล้ว
reopen_O|ปัญหาเดิมกลับมาอีก ผู้รับบริการติดต่อขอรับความช่วยเหลือใหม่
reopen_Q|ผู้รับบริการกลับมาอยู่ในพื้นที่และขอรับบริการต่อ
missed_0|หน่วยงานปลายทางยังไม่ตอบกลับ ดำเนินการไม่ทันกำหนด
missed_1|ผู้รับบริการย้ายที่พักชั่วคราว ติดต่อไม่ได้ในวันนัด
missed_2|เอกสารไม่ครบ ต้องรอสำเนาทะเบียนบ้านจากญาติ
renegotiated_0|ผู้รับบริการขอเลื่อนเพราะติดงาน ตกลงวันใหม่ร่วมกันแล้ว
renegotiated_1|หน่วยงานที่เกี่ยวข้องเลื่อนนัด จึงตกลงวันใหม่กับผู้รับบริการ
referral_hotline_1300|ศูนย์ช่วยเหลือสังคม สายด่วน 1300 เลขรับแจ้ง {no}
referral_hospital_crisis_centre|ศูนย์พึ่งได้ (OSCC) ส่งต่อพร้อมสรุปการรักษา
referral_police|หนังสือส่งตัวจากพนักงานสอบสวน ที่ ตช 0019.{no}
referral_school|ครูแนะแนวส่งต่อพร้อมแบบคัดกรองนักเรียน
referral_community|ผู้ใหญ่บ้านและ อสม. ในพื้นที่
referral_ngo|องค์กรพัฒนาเอกชนในพื้นที่ส่งต่อพร้อมข้อมูลเบื้องต้น";

/// One situation of the scenario table.
pub(crate) struct Scenario {
    pub(crate) types: Vec<String>,
    pub(crate) referral: &'static str,
    pub(crate) safety: &'static str,
    pub(crate) age: &'static str,
    pub(crate) sex: &'static str,
    pub(crate) flags: &'static str,
    pub(crate) province: &'static str,
    pub(crate) problem: &'static str,
}

impl Scenario {
    pub(crate) fn has(&self, flag: char) -> bool {
        self.flags.contains(flag)
    }

    pub(crate) fn is(&self, t: &str) -> bool {
        self.types.iter().any(|x| x == t)
    }

    /// The key of the notes and promises, from the first case type.
    pub(crate) fn key(&self) -> &'static str {
        match self.types.first().map(String::as_str) {
            Some("domestic_violence") => "d",
            Some("child_protection") => "c",
            Some("trafficking") => "t",
            Some("older_person") => "o",
            Some("disability") => "b",
            Some("poverty_homelessness") => "h",
            _ => "x",
        }
    }

    pub(crate) fn foreign(&self) -> Option<char> {
        ['M', 'K', 'L'].into_iter().find(|f| self.has(*f))
    }
}

pub(crate) fn scenarios() -> Result<Vec<Scenario>, AppError> {
    SCENARIOS
        .lines()
        .map(|line| match line.split('|').collect::<Vec<_>>()[..] {
            [types, referral, safety, age, sex, flags, province, problem] => Ok(Scenario {
                types: types.split(',').map(str::to_string).collect(),
                referral,
                safety,
                age,
                sex,
                flags,
                province,
                problem,
            }),
            _ => Err(AppError::Internal(format!("demo scenario: {line}"))),
        })
        .collect()
}

/// One row of a `key|…` table: the rest of its line split at `|`.
pub(crate) type Row = Vec<&'static str>;

/// The rows of a `key|…` table for one key.
pub(crate) fn table(text: &'static str, key: &str) -> Vec<Row> {
    text.lines()
        .filter_map(|l| l.split_once('|'))
        .filter(|(k, _)| *k == key)
        .map(|(_, rest)| rest.split('|').collect())
        .collect()
}

/// Row `n` (modulo their number) of `rows`, which must have at least `len` columns.
pub(crate) fn row(rows: &[Row], n: usize, len: usize) -> Result<Row, AppError> {
    rows.get(n % rows.len().max(1))
        .filter(|r| r.len() >= len)
        .cloned()
        .ok_or_else(|| AppError::Internal("demo table row".into()))
}

/// One of the short texts (empty when there is none; validation then names what is missing).
pub(crate) fn text(key: &str) -> &'static str {
    table(TEXTS, key)
        .first()
        .and_then(|r| r.first().copied())
        .unwrap_or("")
}

pub(crate) fn pick(list: &'static str, n: usize) -> &'static str {
    let words: Vec<&str> = list.split_whitespace().collect();
    words[n % words.len()]
}

/// A date typed the way a Thai worker types it (Buddhist era).
pub(crate) fn typed(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year() + 543)
}

/// A Thai mobile number derived from `seed`.
pub(crate) fn phone(seed: usize) -> String {
    let rest = (seed * 7_654_321 + 1_234_567) % 10_000_000;
    let head = ["08", "09", "06"][seed % 3];
    let third = 1 + (seed * 7) % 9;
    format!("{head}{third}-{:03}-{:04}", rest / 10_000, rest % 10_000)
}

/// A 13-digit DOPA number with its check digit: `first`, the four-digit registration office
/// (a district code) and seven digits from `seed`; `wrong` spoils the check digit.
pub(crate) fn dopa_number(first: u8, office: &str, seed: usize, wrong: bool) -> String {
    let tail = format!("{:07}", (seed * 7919 + 104_729) % 10_000_000);
    let mut d = [0u8; 12];
    d[0] = first;
    for (slot, c) in d[1..].iter_mut().zip(office.bytes().chain(tail.bytes())) {
        *slot = c.wrapping_sub(b'0') % 10;
    }
    let check = (check_digit(&d) + u8::from(wrong)) % 10;
    format!("{first}-{office}-{}-{}-{check}", &tail[..5], &tail[5..])
}

pub(crate) fn doc(kind: &str, number: String, country: &str) -> DocumentInput {
    DocumentInput {
        kind: kind.into(),
        number,
        country: country.into(),
        override_reason: String::new(),
    }
}

/// A real area picked from the official lists, and how the contacts name places there.
pub(crate) struct Place {
    pub(crate) input: AddressInput,
    pub(crate) text: String,
    pub(crate) province: &'static str,
    pub(crate) district: &'static str,
    pub(crate) district_code: &'static str,
    pub(crate) bangkok: bool,
}

pub(crate) fn place(code: &str, i: usize) -> Result<Place, AppError> {
    let missing = || AppError::Internal(format!("demo area {code}"));
    let province = address::province(code).ok_or_else(missing)?;
    let districts = address::districts(code);
    let district = *districts
        .get((i * 7 + 3) % districts.len().max(1))
        .ok_or_else(missing)?;
    let subs = address::subdistricts(district.code);
    let start = (i * 11 + 1) % subs.len().max(1);
    let (sub, postcode) = (0..subs.len())
        .map(|k| subs[(start + k) % subs.len()])
        .find_map(|s| s.postcodes.first().map(|p| (s, *p)))
        .ok_or_else(missing)?;
    let bangkok = address::is_bangkok(code);
    let house = match i % 3 {
        0 => format!("{}/{}", 10 + (i * 37) % 240, 1 + i % 7),
        _ => (3 + (i * 53) % 300).to_string(),
    };
    let (moo, soi, village, text) = if bangkok {
        let soi = format!("ซอย {}", 3 + (i * 9) % 60);
        let (s, d) = (sub.name_th, district.name_th);
        let text = format!("{house} {soi} แขวง{s} เขต{d} กรุงเทพมหานคร");
        (String::new(), soi, String::new(), text)
    } else {
        let moo = (1 + (i * 5) % 14).to_string();
        let (s, d, p) = (sub.name_th, district.name_th, province.name_th);
        let text = format!("{house} หมู่ {moo} ต.{s} อ.{d} จ.{p}");
        (moo, String::new(), format!("บ้าน{s}"), text)
    };
    let input = AddressInput {
        house_no: house,
        moo,
        village,
        soi,
        province_code: province.code.into(),
        district_code: district.code.into(),
        subdistrict_code: sub.code.into(),
        postcode: postcode.into(),
        ..AddressInput::default()
    };
    Ok(Place {
        input,
        text,
        province: province.name_th,
        district: district.name_th,
        district_code: district.code,
        bangkok,
    })
}

impl Place {
    /// Where a contact of `kind` happened (empty for calls and messages).
    pub(crate) fn of(&self, kind: &str, shelter: bool) -> String {
        let (prov, dist, bkk) = (self.province, self.district, self.bangkok);
        match kind {
            "home_visit" => self.text.clone(),
            "office_visit" if shelter => "บ้านพักเด็กและครอบครัวจังหวัดเชียงใหม่".into(),
            "office_visit" => "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดเชียงใหม่".into(),
            "accompaniment_hospital" if prov == "เชียงใหม่" => {
                "โรงพยาบาลนครพิงค์".into()
            }
            "accompaniment_hospital" if bkk => "โรงพยาบาลราชวิถี".into(),
            "accompaniment_hospital" => format!("โรงพยาบาลประจำจังหวัด{prov}"),
            "accompaniment_police" if bkk => format!("สถานีตำรวจนครบาล{dist}"),
            "accompaniment_police" => format!("สถานีตำรวจภูธร{dist}"),
            "accompaniment_court" if bkk => "ศาลเยาวชนและครอบครัวกลาง".into(),
            "accompaniment_court" => format!("ศาลเยาวชนและครอบครัวจังหวัด{prov}"),
            "other" if bkk => format!("พื้นที่สาธารณะ เขต{dist}"),
            "other" => format!("พื้นที่สาธารณะ อ.{dist}"),
            _ => String::new(),
        }
    }
}

/// A Thai person of `age` as typed; `surname` empty picks one from the list.
pub(crate) fn thai_person(
    i: usize,
    age: i32,
    male: bool,
    surname: &str,
    today: NaiveDate,
) -> PersonInput {
    let first = match (age, male) {
        (..=17, true) => pick(BOY, i * 3 + 1),
        (..=17, false) => pick(GIRL, i * 3 + 2),
        (65.., true) => pick(OLD_MAN, i * 5 + 1),
        (65.., false) => pick(OLD_WOMAN, i * 5 + 2),
        (_, true) => pick(MALE, i * 7 + 1),
        (_, false) => pick(FEMALE, i * 11 + 2),
    };
    let prefix = match (age, male) {
        (..=14, true) => "master",
        (..=14, false) => "miss_child",
        (_, true) => "mr",
        (_, false) if age >= 30 && !i.is_multiple_of(3) => "mrs",
        _ => "miss",
    };
    let nickname = match (i % 3, male) {
        (2, _) => "",
        _ if age >= 60 => "",
        (_, true) => pick(NICK_M, i * 5),
        (_, false) => pick(NICK_F, i * 5),
    };
    let (month, day) = (1 + (i * 5 % 12) as u32, 1 + (i * 11 % 28) as u32);
    let birth = NaiveDate::from_ymd_opt(today.year() - age, month, day);
    // The second cycle through the lists gets other surnames, so no full name repeats.
    let surname = if surname.is_empty() {
        pick(SURNAMES, i * 13 + 5 + i / 30)
    } else {
        surname
    };
    PersonInput {
        prefix: prefix.into(),
        first_name_th: first.into(),
        last_name_th: surname.into(),
        nickname: nickname.into(),
        sex: if male { "male" } else { "female" }.into(),
        birth_date: birth.map(typed).unwrap_or_default(),
        nationality: "ไทย".into(),
        languages: "ไทย".into(),
        phones: if age >= 15 && i % 4 != 3 {
            vec![phone(i)]
        } else {
            Vec::new()
        },
        ..PersonInput::default()
    }
}

/// Types the estimated birth year instead of the date.
pub(crate) fn estimated(mut p: PersonInput) -> PersonInput {
    p.birth_year = p.birth_date.rsplit('/').next().unwrap_or_default().into();
    p.birth_date.clear();
    p
}

/// How the presenting problem names the client (prefix and full name) and how the notes do
/// (น้อง for a child, ตา/ยาย for an older person, คุณ otherwise, with the nickname if any).
pub(crate) fn names(p: &PersonInput, age: i32) -> (String, String) {
    if p.first_name_th.is_empty() {
        let latin = format!("{} {}", p.first_name_latin, p.last_name_latin);
        return (latin.trim().to_string(), format!("คุณ{}", p.nickname));
    }
    let abbr = karuna_thai::names::prefix_by_code(&p.prefix).map_or("", |x| x.th_abbr);
    let formal = format!("{abbr}{} {}", p.first_name_th, p.last_name_th);
    let called = match p.nickname.as_str() {
        "" => &p.first_name_th,
        n => n,
    };
    let honorific = match (age, p.sex.as_str()) {
        (..=17, _) => "น้อง",
        (60.., "male") => "ตา",
        (60.., _) => "ยาย",
        _ => "คุณ",
    };
    (formal, format!("{honorific}{called}"))
}

impl App {
    /// Two programmes of scarce resources an office of social development runs: emergency cash
    /// assistance (criteria published, a budget for the current fiscal year) and emergency
    /// shelter beds (places, a waiting list when full).
    async fn seed_demo_programmes(&self) -> Result<(), AppError> {
        use karuna_domain::gatekeeping::criteria::CriterionInput;
        use karuna_domain::gatekeeping::{AuthorityInput, ProgrammeInput};
        let admin = self.demo_user("demo-admin").await?;
        let ctx = Ctx::default();
        let line = |role: &str, limit: &str| AuthorityInput {
            role: role.into(),
            limit: limit.into(),
            ..Default::default()
        };
        let cash = self
            .create_programme(
                &admin,
                &ctx,
                &ProgrammeInput {
                    name_th: "เงินสงเคราะห์ผู้ประสบปัญหาทางสังคมกรณีฉุกเฉิน".into(),
                    name_en: "Emergency assistance for people in social hardship".into(),
                    description:
                        "เงินช่วยเหลือเฉพาะหน้าแก่ผู้ประสบปัญหาทางสังคม ครั้งละไม่เกิน 3,000 บาท ปีละไม่เกิน 3 ครั้ง"
                            .into(),
                    unit: "baht".into(),
                    documents: vec![
                        "สำเนาบัตรประจำตัวประชาชน".into(),
                        "สำเนาทะเบียนบ้าน".into(),
                        "บันทึกการเยี่ยมบ้าน".into(),
                    ],
                    authorities: vec![line("case_manager", "3000"), line("supervisor", "20000")],
                    ..Default::default()
                },
            )
            .await?;
        let rule = |th: &str, en: &str, rule: &str| CriterionInput {
            label_th: th.into(),
            label_en: en.into(),
            rule: rule.into(),
        };
        self.save_criteria(
            &admin,
            &ctx,
            cash,
            &[
                rule(
                    "ได้รับไม่เกิน 3 ครั้งในรอบ 12 เดือน",
                    "At most 3 times in 12 months",
                    "allocations_12m < 3",
                ),
                rule(
                    "รายได้ต่อหัวต่ำกว่า 3,000 บาทต่อเดือน",
                    "Income under 3,000 baht a head a month",
                    "household_income_per_head < 3000",
                ),
                rule(
                    "ไม่เกิน 10,000 บาทต่อครั้ง",
                    "At most 10,000 baht at a time",
                    "amount <= 10000",
                ),
            ],
        )
        .await?;
        self.publish_criteria(&admin, &ctx, cash).await?;
        let year = karuna_thai::calendar::fiscal_year_be(karuna_thai::calendar::bangkok_date(
            karuna_store::time::now(),
        ));
        self.allocate_budget(
            &admin,
            &ctx,
            cash,
            &crate::budget::BudgetInput {
                fiscal_year: year,
                amount: "150000".into(),
                note: "งบประมาณกองทุนเพื่อการป้องกันและแก้ไขปัญหาสังคม (ทดลอง)".into(),
                ..Default::default()
            },
        )
        .await?;
        self.create_programme(
            &admin,
            &ctx,
            &ProgrammeInput {
                name_th: "เตียงพักพิงฉุกเฉิน บ้านพักเด็กและครอบครัว".into(),
                name_en: "Emergency shelter beds".into(),
                unit: "places".into(),
                capacity: "6".into(),
                authorities: vec![line("supervisor", "1")],
                ..Default::default()
            },
        )
        .await?;
        Ok(())
    }
}
