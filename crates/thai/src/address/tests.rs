use super::*;

#[test]
fn embedded_table_parses() {
    let parsed = parse(AREAS_TSV);
    assert!(parsed.is_ok(), "{:?}", parsed.err());
}

#[test]
fn has_all_provinces_districts_and_subdistricts() {
    assert_eq!(provinces().len(), 77);
    let areas = areas();
    assert!(areas.districts.len() > 900, "{}", areas.districts.len());
    assert!(
        areas.subdistricts.len() > 7000,
        "{}",
        areas.subdistricts.len()
    );
    let total: usize = provinces().iter().map(|p| districts(p.code).len()).sum();
    assert_eq!(total, areas.districts.len());
    let total: usize = areas
        .districts
        .iter()
        .map(|d| subdistricts(d.code).len())
        .sum();
    assert_eq!(total, areas.subdistricts.len());
}

#[test]
fn bangkok_has_fifty_khet() {
    assert!(is_bangkok("10"));
    assert!(!is_bangkok("50"));
    let bangkok = province(BANGKOK_CODE).map(|p| p.name_th);
    assert_eq!(bangkok, Some("กรุงเทพมหานคร"));
    let khet = districts(BANGKOK_CODE);
    assert_eq!(khet.len(), 50);
    assert!(khet.iter().all(|d| !d.name_th.starts_with("เขต")));
    assert!(khet.iter().any(|d| d.name_th == "พระนคร"));
}

#[test]
fn level_words_follow_bangkok() {
    assert_eq!(district_level_th("10"), "เขต");
    assert_eq!(subdistrict_level_th("10"), "แขวง");
    assert_eq!(district_level_th("50"), "อำเภอ");
    assert_eq!(subdistrict_level_th("50"), "ตำบล");
    assert_eq!(district_label_key("10"), "address-district-bkk");
    assert_eq!(district_label_key("50"), "address-district");
    assert_eq!(subdistrict_label_key("10"), "address-subdistrict-bkk");
    assert_eq!(subdistrict_label_key("50"), "address-subdistrict");
}

#[test]
fn resolves_a_known_bangkok_subdistrict() {
    let Some(s) = subdistrict("100101") else {
        panic!("100101 missing");
    };
    assert_eq!(s.name_th, "พระบรมมหาราชวัง");
    assert_eq!(s.district_code, "1001");
    assert_eq!(s.postcode(), Some("10200"));
    assert_eq!(s.full_name_th(), "แขวงพระบรมมหาราชวัง");
    assert_eq!(
        district("1001").map(|d| d.full_name_th()),
        Some("เขตพระนคร".into())
    );

    let area = validate_area("10", "1001", "100101", Some("10200"));
    let Ok(area) = area else {
        panic!("{area:?}");
    };
    assert_eq!(area.province.name_en, "Bangkok");
    assert_eq!(area.district.name_th, "พระนคร");
    assert_eq!(area.subdistrict.code, "100101");
    assert_eq!(area.postcode, Some("10200"));
    assert_eq!(
        area.format(Lang::Th),
        "แขวงพระบรมมหาราชวัง เขตพระนคร กรุงเทพมหานคร 10200"
    );
    assert_eq!(
        area.format(Lang::En),
        "Phra Borom Maha Ratchawang, Phra Nakhon, Bangkok 10200"
    );
}

#[test]
fn resolves_a_provincial_subdistrict_with_level_words() {
    // ศรีภูมิ, อำเภอเมืองเชียงใหม่, จังหวัดเชียงใหม่.
    let area = validate_area(" 50 ", "5001", "500101", None);
    let Ok(area) = area else {
        panic!("{area:?}");
    };
    assert_eq!(area.postcode, Some("50200"));
    assert_eq!(
        area.format(Lang::Th),
        "ตำบลศรีภูมิ อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่ 50200"
    );
}

#[test]
fn accepts_thai_digits_and_blank_postcode() {
    let area = validate_area("๑๐", "๑๐๐๑", "๑๐๐๑๐๑", Some("๑๐๒๐๐"));
    assert_eq!(area.map(|a| a.postcode), Ok(Some("10200")));
    let area = validate_area("10", "1001", "100101", Some("  "));
    assert_eq!(area.map(|a| a.postcode), Ok(Some("10200")));
}

#[test]
fn subdistrict_with_several_postcodes() {
    // สวนจิตรลดา, เขตดุสิต: 10300 and 10303.
    let Some(s) = subdistrict("100203") else {
        panic!("100203 missing");
    };
    assert_eq!(&*s.postcodes, ["10300", "10303"]);
    assert_eq!(s.postcode(), None);
    let area = validate_area("10", "1002", "100203", Some("10303"));
    assert_eq!(area.map(|a| a.postcode), Ok(Some("10303")));
    let area = validate_area("10", "1002", "100203", None);
    assert_eq!(area.map(|a| a.postcode), Ok(None));
    let by_postcode = subdistricts_by_postcode("10303");
    assert!(by_postcode.iter().any(|s| s.code == "100203"));
    assert!(subdistricts_by_postcode("00000").is_empty());
}

#[test]
fn error_unknown_codes() {
    let err = validate_area("99", "1001", "100101", None);
    assert_eq!(
        err.map_err(|e| e.code()),
        Err("thai.address.unknown_province")
    );
    let err = validate_area("10", "1099", "100101", None);
    assert_eq!(
        err.map_err(|e| e.code()),
        Err("thai.address.unknown_district")
    );
    let err = validate_area("10", "1001", "100199", None);
    assert_eq!(
        err.map_err(|e| e.code()),
        Err("thai.address.unknown_subdistrict")
    );
    let err = validate_area("", "", "", None);
    assert_eq!(
        err.map_err(|e| e.code()),
        Err("thai.address.unknown_province")
    );
}

#[test]
fn error_codes_that_do_not_nest() {
    let err = validate_area("50", "1001", "100101", None);
    assert_eq!(
        err,
        Err(AddressError::DistrictNotInProvince {
            district: "1001".into(),
            province: "50".into()
        })
    );
    assert_eq!(
        err.map_err(|e| e.code()),
        Err("thai.address.district_not_in_province")
    );
    let err = validate_area("10", "1002", "100101", None);
    assert_eq!(
        err.map_err(|e| e.code()),
        Err("thai.address.subdistrict_not_in_district")
    );
}

#[test]
fn error_postcodes() {
    let err = validate_area("10", "1001", "100101", Some("10300"));
    assert_eq!(
        err,
        Err(AddressError::PostcodeMismatch {
            postcode: "10300".into(),
            subdistrict: "100101".into()
        })
    );
    assert_eq!(
        err.map_err(|e| e.code()),
        Err("thai.address.postcode_mismatch")
    );
    for bad in ["1020", "102000", "10 200", "1020a"] {
        let err = validate_area("10", "1001", "100101", Some(bad));
        assert_eq!(
            err.map_err(|e| e.code()),
            Err("thai.address.postcode_format"),
            "{bad}"
        );
    }
}

#[test]
fn every_area_nests_and_codes_have_the_right_shape() {
    let areas = areas();
    for p in provinces() {
        assert!(is_digits(p.code, 2), "{p:?}");
        assert_eq!(province(p.code), Some(p));
    }
    for d in &areas.districts {
        assert!(is_digits(d.code, 4), "{d:?}");
        assert!(d.code.starts_with(d.province_code), "{d:?}");
        assert!(province(d.province_code).is_some(), "{d:?}");
        assert!(!subdistricts(d.code).is_empty(), "{d:?}");
    }
    for s in &areas.subdistricts {
        assert!(is_digits(s.code, 6), "{s:?}");
        assert!(s.code.starts_with(s.district_code), "{s:?}");
        assert!(district(s.district_code).is_some(), "{s:?}");
        assert!(!s.postcodes.is_empty(), "{s:?}");
        assert!(s.postcodes.iter().all(|p| is_digits(p, 5)), "{s:?}");
        assert_eq!(subdistrict(s.code), Some(s));
    }
    assert!(districts("99").is_empty());
    assert!(districts("").is_empty());
    assert!(subdistricts("1").is_empty());
}

#[test]
fn pickers_are_in_thai_order() {
    let names: Vec<&str> = provinces().iter().map(|p| p.name_th).collect();
    let pos = |name: &str| names.iter().position(|n| *n == name);
    // กระบี่ first; เชียงใหม่ (leading vowel) among ช, before ซ/ฌ… and ตาก.
    assert_eq!(names.first(), Some(&"กระบี่"));
    assert!(pos("ชัยภูมิ") < pos("เชียงใหม่"));
    assert!(pos("เชียงใหม่") < pos("ตราด"));
    let khet: Vec<&str> = districts("10").iter().map(|d| d.name_th).collect();
    let mut sorted = khet.clone();
    sorted.sort_by(|a, b| thai_order(a, b));
    assert_eq!(khet, sorted);
}

#[test]
fn parse_rejects_bad_tables() {
    let row = "10\tกรุงเทพมหานคร\tBangkok\t1001\tพระนคร\tPhra Nakhon\t100101\tพระบรมมหาราชวัง\tPhra Borom\t10200";
    let table = |rows: &[&str]| -> &'static str {
        Box::leak(format!("{HEADER}\n{}\n", rows.join("\n")).into_boxed_str())
    };
    assert!(parse(table(&[row])).is_ok());
    assert!(parse(table(&[])).is_err());
    assert!(parse("wrong\n").is_err());
    assert!(parse(table(&[&row.replace("\t10200", "")])).is_err());
    assert!(parse(table(&[&row.replace("100101", "110101")])).is_err());
    assert!(parse(table(&[&row.replace("10200", "1020")])).is_err());
    assert!(parse(table(&[&row.replace("10200", "10300 10200")])).is_err());
    assert!(parse(table(&[row, row])).is_err());
}

#[test]
fn error_display_and_codes_are_stable() {
    let err = AddressError::PostcodeFormat {
        postcode: "12".into(),
    };
    assert_eq!(err.to_string(), "postcode \"12\" is not five digits");
    assert_eq!(err.code(), "thai.address.postcode_format");
}
