//! The column mapping: which header (Thai or English, any case, spaces or underscores) fills
//! which field. docs/IMPORT.md lists the same table for people preparing files.

/// One field an import file may fill.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The field's key (also its English header).
    pub key: &'static str,
    /// The Thai header.
    pub thai: &'static str,
    /// Other accepted headers.
    pub aliases: &'static [&'static str],
}

const fn col(key: &'static str, thai: &'static str, aliases: &'static [&'static str]) -> Column {
    Column { key, thai, aliases }
}

/// The columns of a persons file.
pub const PERSON_COLUMNS: &[Column] = &[
    col("prefix", "คำนำหน้า", &["title", "คำนำหน้าชื่อ"]),
    col("first_name", "ชื่อ", &["first_name_th", "ชื่อจริง"]),
    col("middle_name", "ชื่อกลาง", &["middle_name_th"]),
    col("last_name", "นามสกุล", &["last_name_th", "surname"]),
    col("first_name_latin", "ชื่อภาษาอังกฤษ", &["first_name_en"]),
    col("middle_name_latin", "ชื่อกลางภาษาอังกฤษ", &["middle_name_en"]),
    col("last_name_latin", "นามสกุลภาษาอังกฤษ", &["last_name_en"]),
    col("nickname", "ชื่อเล่น", &[]),
    col("sex", "เพศ", &["gender"]),
    col("birth_date", "วันเกิด", &["date_of_birth", "วันเดือนปีเกิด"]),
    col("birth_year", "ปีเกิด", &[]),
    col(
        "national_id",
        "เลขประจำตัวประชาชน",
        &["citizen_id", "เลขบัตรประชาชน", "เลขบัตรประจำตัวประชาชน"],
    ),
    col("document_kind", "ประเภทเอกสาร", &[]),
    col("document_number", "เลขที่เอกสาร", &["passport_number"]),
    col("document_country", "ประเทศที่ออกเอกสาร", &[]),
    col("phone", "โทรศัพท์", &["phones", "เบอร์โทร", "เบอร์โทรศัพท์"]),
    col("nationality", "สัญชาติ", &[]),
    col("ethnicity", "เชื้อชาติ", &[]),
    col("languages", "ภาษา", &[]),
    col("house_no", "บ้านเลขที่", &[]),
    col("moo", "หมู่ที่", &["หมู่"]),
    col("village", "หมู่บ้าน", &["building"]),
    col("soi", "ซอย", &[]),
    col("road", "ถนน", &["street"]),
    col("subdistrict_code", "รหัสตำบล", &["รหัสแขวง", "tambon_code"]),
    col("district_code", "รหัสอำเภอ", &["รหัสเขต", "amphoe_code"]),
    col("province_code", "รหัสจังหวัด", &[]),
    col("postcode", "รหัสไปรษณีย์", &["postal_code", "zip"]),
];

/// The person columns of which a file needs at least one (a person needs a name).
pub const PERSON_NAME_COLUMNS: &[&str] = &["first_name", "first_name_latin", "nickname"];

/// The columns of a contacts file: a contact on an existing case, named by its number.
pub const CONTACT_COLUMNS: &[Column] = &[
    col(
        "case_number",
        "เลขที่รายกรณี",
        &["case_no", "เลขที่กรณี", "เลขรายกรณี"],
    ),
    col("kind", "ประเภทการติดต่อ", &["contact_kind", "ประเภท"]),
    col("date", "วันที่", &["contact_date", "วันที่ติดต่อ"]),
    col("time", "เวลา", &["contact_time"]),
    col(
        "duration_minutes",
        "ระยะเวลา (นาที)",
        &["duration", "ระยะเวลา", "นาที"],
    ),
    col("place", "สถานที่", &[]),
    col("note", "บันทึก", &["notes", "บันทึกการติดต่อ", "รายละเอียด"]),
    col("sources", "แหล่งข้อมูล", &["source"]),
    col("follow_up_needed", "ต้องติดตาม", &["follow_up"]),
    col("follow_up_note", "สิ่งที่ต้องติดตาม", &["การติดตาม"]),
];

/// The columns a contacts file must have.
pub const CONTACT_REQUIRED: &[&str] = &["case_number", "kind", "date", "note"];

/// The columns of a cases file: a case opened for a client already on record (found by a
/// document number), as the intake form registers it.
pub const CASE_COLUMNS: &[Column] = &[
    col(
        "client_id_number",
        "เลขประจำตัวผู้รับบริการ",
        &[
            "client_document",
            "national_id",
            "เลขประจำตัวประชาชน",
            "เลขบัตรประชาชน",
        ],
    ),
    col(
        "legacy_number",
        "เลขที่รายกรณีเดิม",
        &["old_case_number", "เลขที่เดิม", "legacy_case_number"],
    ),
    col("case_types", "ประเภทรายกรณี", &["case_type", "ประเภท"]),
    col(
        "referral_source",
        "แหล่งที่ส่งต่อ",
        &["referral", "แหล่งส่งต่อ", "ช่องทางการรับเรื่อง"],
    ),
    col("referral_note", "รายละเอียดการส่งต่อ", &["referral_detail"]),
    col(
        "presenting_problem",
        "ปัญหาที่นำมา",
        &["problem", "ปัญหา", "สภาพปัญหา"],
    ),
    col("urgency", "ความเร่งด่วน", &[]),
    col("sensitive", "ข้อมูลอ่อนไหว", &["รายกรณีอ่อนไหว"]),
    col(
        "opened_on",
        "วันที่เปิดรายกรณี",
        &["opened_at", "open_date", "วันที่รับเรื่อง"],
    ),
    col(
        "manager",
        "ผู้จัดการรายกรณี",
        &["case_manager", "manager_username"],
    ),
    col("consent", "ความยินยอม", &["consent_status"]),
    col("lawful_basis", "ฐานทางกฎหมายอื่น", &["ฐานทางกฎหมาย"]),
    col(
        "consent_note",
        "หลักฐานความยินยอม",
        &["consent_evidence", "evidence_note"],
    ),
];

/// The columns a cases file must have.
pub const CASE_REQUIRED: &[&str] = &[
    "client_id_number",
    "case_types",
    "referral_source",
    "presenting_problem",
];

/// Headers the importer ignores: the error column of its own rejected-rows file.
pub const IGNORED: &[&str] = &["error", "ข้อผิดพลาด"];

/// Headers compared without case, surrounding space, or the difference between space, `-`
/// and `_`.
pub fn header_key(h: &str) -> String {
    h.trim()
        .trim_start_matches('\u{FEFF}')
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Where each field is in a file: `index[i]` is the file column of `columns[i]`.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// The fields' file columns.
    pub index: Vec<Option<usize>>,
    /// The file's headers as written (for reports).
    pub headers: Vec<String>,
    columns: &'static [Column],
}

impl Mapping {
    /// Reads a header row; every problem with it at once (unknown, duplicate and missing
    /// columns), each a sentence for the operator.
    pub fn new(
        headers: &[String],
        columns: &'static [Column],
        required_one_of: &[&str],
        required: &[&str],
    ) -> Result<Mapping, Vec<String>> {
        let mut index: Vec<Option<usize>> = vec![None; columns.len()];
        let mut problems = Vec::new();
        let mut unknown = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            let k = header_key(h);
            if k.is_empty() {
                problems.push(format!("column {}: the header is empty", i + 1));
                continue;
            }
            if IGNORED.iter().any(|x| header_key(x) == k) {
                continue;
            }
            let found = columns.iter().position(|c| {
                header_key(c.key) == k
                    || header_key(c.thai) == k
                    || c.aliases.iter().any(|a| header_key(a) == k)
            });
            match found {
                Some(f) => match index[f] {
                    Some(prev) => problems.push(format!(
                        "columns {} (\"{}\") and {} (\"{}\") are both {} ({}): keep one",
                        prev + 1,
                        headers[prev],
                        i + 1,
                        h,
                        columns[f].thai,
                        columns[f].key
                    )),
                    None => index[f] = Some(i),
                },
                None => unknown.push(format!("{} (\"{h}\")", i + 1)),
            }
        }
        if !unknown.is_empty() {
            let hint = if headers.len() == 1 {
                " — the whole header was read as one column: the file's delimiter is not a \
                 comma, semicolon, tab or bar (save it as CSV with commas)"
            } else {
                ""
            };
            problems.push(format!(
                "unknown columns {}; see docs/IMPORT.md for the headers{hint}",
                unknown.join(", ")
            ));
        }
        let has = |key: &str| {
            columns
                .iter()
                .position(|c| c.key == key)
                .is_some_and(|i| index[i].is_some())
        };
        let name = |key: &str| {
            columns
                .iter()
                .find(|c| c.key == key)
                .map(|c| format!("{} ({})", c.thai, c.key))
                .unwrap_or_else(|| key.to_string())
        };
        for key in required {
            if !has(key) {
                problems.push(format!("missing required column {}", name(key)));
            }
        }
        if !required_one_of.is_empty() && !required_one_of.iter().any(|k| has(k)) {
            let names: Vec<String> = required_one_of.iter().map(|k| name(k)).collect();
            problems.push(format!(
                "missing required column: one of {}",
                names.join(", ")
            ));
        }
        if problems.is_empty() {
            Ok(Mapping {
                index,
                headers: headers.to_vec(),
                columns,
            })
        } else {
            Err(problems)
        }
    }

    /// The cell of field `key` in a row ("" when the file has no such column).
    pub fn get<'a>(&self, cells: &'a [String], key: &str) -> &'a str {
        self.columns
            .iter()
            .position(|c| c.key == key)
            .and_then(|i| self.index[i])
            .and_then(|i| cells.get(i))
            .map(|s| s.as_str())
            .unwrap_or("")
    }

    /// The header a report names for field `key` (as the file spells it).
    pub fn header_of(&self, key: &str) -> String {
        self.columns
            .iter()
            .position(|c| c.key == key)
            .and_then(|i| self.index[i])
            .and_then(|i| self.headers.get(i).cloned())
            .unwrap_or_else(|| key.to_string())
    }

    /// The header of a file column.
    pub fn header_at(&self, i: usize) -> String {
        self.headers
            .get(i)
            .cloned()
            .unwrap_or_else(|| format!("column {}", i + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn thai_and_english_headers_map_to_the_same_fields() {
        let m = Mapping::new(
            &h(&["ชื่อ", "Last Name", "เลขประจำตัวประชาชน", "error"]),
            PERSON_COLUMNS,
            PERSON_NAME_COLUMNS,
            &[],
        )
        .unwrap();
        let row = h(&["สมชาย", "ใจดี", "1101700203451", "x"]);
        assert_eq!(m.get(&row, "first_name"), "สมชาย");
        assert_eq!(m.get(&row, "last_name"), "ใจดี");
        assert_eq!(m.get(&row, "national_id"), "1101700203451");
        assert_eq!(m.get(&row, "phone"), "");
    }

    #[test]
    fn reports_duplicate_unknown_and_missing_columns() {
        let e = Mapping::new(
            &h(&["ชื่อ", "first_name", "colour"]),
            PERSON_COLUMNS,
            PERSON_NAME_COLUMNS,
            &["national_id"],
        )
        .unwrap_err();
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].contains("both"));
        assert!(e[1].contains("colour"));
        assert!(e[2].contains("national_id"));
        let e = Mapping::new(&h(&["ชื่อ;นามสกุล"]), PERSON_COLUMNS, &[], &[]).unwrap_err();
        assert!(e[0].contains("delimiter"), "{e:?}");
    }
}
