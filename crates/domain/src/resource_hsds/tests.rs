use super::*;
use crate::resource::{validate_location, validate_organization, validate_service};
use proptest::prelude::*;
use serde_json::json;

fn sample() -> Directory {
    let org_id = "6f1c4a52-0d7e-4f43-9f55-1b2f0c1e8a01".to_string();
    let loc_id = "0b5e2c7a-5a43-4a7b-8a3e-3d8e2b7c9d02".to_string();
    Directory {
        organizations: vec![
            OrgEntry {
                id: org_id,
                org: OrganizationInput {
                    name: "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดเชียงใหม่".into(),
                    alternate_name: "พมจ.เชียงใหม่".into(),
                    description: "บรรทัดหนึ่ง\nบรรทัด \"สอง\", มีจุลภาค".into(),
                    website: "https://example.org/a?b=1&c=2".into(),
                    email: "office@example.org".into(),
                    phone: "053 000 000, 053 000 001".into(),
                    source: "สมุดรายชื่อ 2569".into(),
                    verify_locally: false,
                },
                locations: vec![LocationEntry {
                    id: loc_id.clone(),
                    location: LocationInput {
                        name: "สำนักงาน พมจ.".into(),
                        address: "1 ถนนตัวอย่าง".into(),
                        province_code: "50".into(),
                        district_code: "5001".into(),
                        hours: "จ.–ศ. 08:30–16:30".into(),
                        source: "โทรถาม".into(),
                        verify_locally: true,
                    },
                }],
                services: vec![
                    ServiceEntry {
                        id: "7c9e6679-7425-40de-944b-e07fc1f90ae7".into(),
                        service: ServiceInput {
                            name: "บ้านพักเด็กและครอบครัวจังหวัดเชียงใหม่".into(),
                            description: "ที่พักพิงชั่วคราว".into(),
                            categories: vec!["shelter".into(), "child_protection".into()],
                            status: "temporarily_closed".into(),
                            eligibility_description: "เด็กอายุต่ำกว่า 18 ปี".into(),
                            eligibility_rule: "age < 18".into(),
                            required_documents: "บัตรประชาชน\nทะเบียนบ้าน".into(),
                            fees: "ไม่เสียค่าใช้จ่าย".into(),
                            languages: vec!["th".into(), "my".into()],
                            hours: "ตลอด 24 ชั่วโมง".into(),
                            phone: "1300".into(),
                            email: "shelter@example.org".into(),
                            url: "https://example.org/shelter".into(),
                            capacity: Some(30),
                            vacancy: Some(4),
                            national: false,
                            areas: vec!["50".into(), "5001".into(), "1001".into()],
                            location_id: loc_id,
                            last_verified_on: "2026-01-15".into(),
                            source: "ประกาศกรม".into(),
                            verify_locally: true,
                        },
                    },
                    ServiceEntry {
                        id: "a3bb189e-8bf9-3888-9912-ace4e6543002".into(),
                        service: ServiceInput {
                            name: "สายด่วน".into(),
                            categories: vec!["general_welfare".into()],
                            status: "active".into(),
                            national: true,
                            areas: vec!["10".into()],
                            ..ServiceInput::default()
                        },
                    },
                ],
            },
            OrgEntry {
                id: "e4eaaaf2-d142-11e1-b3e4-080027620cdd".into(),
                org: OrganizationInput {
                    name: "มูลนิธิ 🙂 \u{202e}RTL\u{202c} \u{0} ทดสอบ".into(),
                    verify_locally: true,
                    ..OrganizationInput::default()
                },
                locations: vec![],
                services: vec![ServiceEntry {
                    id: "16fd2706-8baf-433b-82eb-8c7fada847da".into(),
                    service: ServiceInput {
                        name: "ปิดแล้ว".into(),
                        categories: vec!["legal_aid".into(), "unknown-but-kept".into()],
                        status: "defunct".into(),
                        capacity: Some(0),
                        ..ServiceInput::default()
                    },
                }],
            },
        ],
    }
}

fn errors(r: Result<Directory, Vec<RecordError>>) -> Vec<(String, String, String)> {
    match r {
        Ok(_) => Vec::new(),
        Err(e) => e.into_iter().map(|e| (e.record, e.field, e.code)).collect(),
    }
}

fn triple(record: &str, field: &str, code: &str) -> (String, String, String) {
    (record.into(), field.into(), code.into())
}

#[test]
fn stable_ids_are_uuid_v5_like_python() {
    // python3 -c 'import uuid; print(uuid.uuid5(uuid.UUID("4034818e-b4cb-41cb-94de-77fc0e19c119"), "karuna-category"))'
    assert_eq!(
        stable_id("karuna-category"),
        "884b9c87-7b6e-52bf-b3f6-70e2d93c6485"
    );
}

#[test]
fn json_round_trips_exactly() {
    let dir = sample();
    let text = to_hsds_json(&dir).to_string();
    assert_eq!(from_hsds_json(&text), Ok(dir.clone()));
    let pretty = serde_json::to_string_pretty(&to_hsds_json(&dir)).unwrap();
    assert_eq!(from_hsds_json(&format!("\u{feff}{pretty}")), Ok(dir));
}

#[test]
fn json_follows_hsds_field_names() {
    let v = to_hsds_json(&sample());
    let org = &v[0];
    assert_eq!(org["alternate_name"], "พมจ.เชียงใหม่");
    assert_eq!(org["phones"][0]["number"], "053 000 000, 053 000 001");
    let loc = &org["locations"][0];
    assert_eq!(loc["location_type"], "physical");
    assert_eq!(loc["addresses"][0]["state_province"], "จังหวัดเชียงใหม่");
    assert_eq!(loc["addresses"][0]["city"], "อำเภอเมืองเชียงใหม่");
    assert_eq!(loc["addresses"][0]["country"], "TH");
    assert_eq!(loc["karuna_province_code"], "50");
    let s = &org["services"][0];
    assert_eq!(s["organization_id"], org["id"]);
    assert_eq!(s["status"], "temporarily closed");
    assert_eq!(s["fees_description"], "ไม่เสียค่าใช้จ่าย");
    assert_eq!(s["assured_date"], "2026-01-15");
    assert_eq!(s["schedules"][0]["description"], "ตลอด 24 ชั่วโมง");
    assert_eq!(s["service_areas"][0]["extent"], "50");
    assert_eq!(s["service_areas"][0]["extent_type"], "text");
    assert_eq!(s["service_areas"][0]["name"], "จังหวัดเชียงใหม่");
    assert_eq!(
        s["service_areas"][1]["name"],
        "อำเภอเมืองเชียงใหม่ จังหวัดเชียงใหม่"
    );
    assert_eq!(s["service_areas"][2]["name"], "เขตพระนคร กรุงเทพมหานคร");
    assert_eq!(s["service_at_locations"][0]["location_id"], loc["id"]);
    assert_eq!(s["languages"][1]["code"], "my");
    assert_eq!(
        s["required_documents"][0]["document"],
        "บัตรประชาชน\nทะเบียนบ้าน"
    );
    let term = &s["attributes"][0]["taxonomy_term"];
    assert_eq!(s["attributes"][0]["link_entity"], "service");
    assert_eq!(term["code"], "shelter");
    assert_eq!(term["taxonomy"], CATEGORY_TAXONOMY);
    assert_eq!(s["attributes"][0]["taxonomy_term_id"], term["id"]);
    assert_eq!(s["karuna_capacity"], 30);
    assert_eq!(s["karuna_eligibility_rule"], "age < 18");
    let national = &org["services"][1];
    assert_eq!(national["service_areas"][0]["extent"], NATIONAL_EXTENT);
    assert_eq!(national["karuna_vacancy"], Value::Null);
    assert!(
        national.get("description").is_none(),
        "empty optional fields are left out"
    );
    // Exporting twice gives the same ids.
    assert_eq!(v, to_hsds_json(&sample()));
}

#[test]
fn csv_round_trips_exactly() {
    let dir = sample();
    let files = to_hsds_csv(&dir);
    assert_eq!(from_hsds_csv(&files), Ok(dir.clone()));
    // Folders, a BOM and upper case in the names are tolerated.
    let moved: Vec<(String, String)> = files
        .iter()
        .map(|(n, t)| {
            (
                format!("export/{}", n.to_uppercase()),
                format!("\u{feff}{t}"),
            )
        })
        .collect();
    assert_eq!(from_hsds_csv(&moved), Ok(dir));
}

#[test]
fn csv_uses_hsds_file_and_column_names() {
    let files = to_hsds_csv(&sample());
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "organizations.csv",
            "locations.csv",
            "addresses.csv",
            "services.csv",
            "phones.csv",
            "schedules.csv",
            "service_areas.csv",
            "service_at_location.csv",
            "languages.csv",
            "required_documents.csv",
            "attributes.csv",
            "taxonomy_terms.csv",
            "taxonomies.csv",
        ]
    );
    let text = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    assert!(text("services.csv").starts_with(
        "id,organization_id,program_id,name,alternate_name,description,url,email,status,"
    ));
    assert!(text("services.csv").contains("temporarily closed"));
    assert!(text("service_areas.csv")
        .starts_with("id,service_id,name,description,extent,extent_type,uri"));
    assert!(text("organizations.csv").contains("\"บรรทัดหนึ่ง\nบรรทัด \"\"สอง\"\", มีจุลภาค\""));
    // One term row per category used, not per use.
    assert_eq!(text("taxonomy_terms.csv").lines().count(), 1 + 5);
}

#[test]
fn json_from_other_tools_gets_defaults_and_mappings() {
    let text = json!([{
        "id": "org-1",
        "name": "Example Organization",
        "description": "d",
        "phones": [{"id": "p", "number": 53123456, "extension": 100}],
        "locations": [{
            "id": "loc-1",
            "location_type": "physical",
            "name": "Main office",
            "addresses": [
                {"id": "a0", "address_1": "PO Box 1", "city": "x", "state_province": "x",
                 "postal_code": "", "country": "TH", "address_type": "postal"},
                {"id": "a1", "address_1": "99 Road", "address_2": "Floor 2", "city": "อำเภอเมืองเชียงใหม่",
                 "state_province": "Chiang Mai", "postal_code": "50000", "country": "TH",
                 "address_type": "physical"}
            ],
            "schedules": [{"id": "s", "byday": "MO,TU", "opens_at": "08:30", "closes_at": "16:30"}]
        }],
        "services": [
            {
                "id": "svc-1", "name": "Counselling", "status": "inactive",
                "fees": "free", "assured_date": "2025-03-15T10:30:45.123Z",
                "service_areas": [
                    {"id": "sa1", "name": "Chiang Mai", "extent": "{}", "extent_type": "geojson"},
                    {"id": "sa2", "name": "Thailand"},
                    {"id": "sa3", "name": "Somewhere else", "extent_type": "kml"}
                ],
                "service_at_locations": [{"id": "sal", "location": {"id": "loc-1"}}],
                "languages": [{"id": "l1", "name": "Thai"}, {"id": "l2", "name": "Klingon"}],
                "required_documents": [{"id": "d1", "document": "ID card"}, {"id": "d2", "uri": "https://x.example/form"}],
                "attributes": [
                    {"id": "at1", "taxonomy_term": {"id": "t1", "code": "stress", "name": "stress",
                        "description": "", "taxonomy": "Fictional Health Service Taxonomy"}},
                    {"id": "at2", "taxonomy_term": {"id": "t2", "code": "health", "name": "Health",
                        "description": ""}},
                    {"id": "at3", "taxonomy_term": {"id": "t3", "name": "mental_health",
                        "description": "", "taxonomy_details": {"id": "x", "name": "karuna-category"}}}
                ]
            },
            {"id": "svc-2", "name": "Closed", "status": "temporarily closed"},
            {"id": "svc-3", "name": "Gone", "status": "defunct"},
            {"id": "svc-4", "name": "Odd", "status": "paused"},
            {"id": "svc-5", "name": "No status"}
        ]
    }])
    .to_string();
    let dir = from_hsds_json(&text).unwrap();
    let org = &dir.organizations[0];
    assert_eq!(org.org.phone, "53123456 ต่อ 100");
    assert!(org.org.verify_locally, "unchecked by default");
    let l = &org.locations[0].location;
    assert_eq!(l.address, "99 Road Floor 2");
    assert_eq!(
        (l.province_code.as_str(), l.district_code.as_str()),
        ("50", "5001")
    );
    assert_eq!(l.hours, "MO,TU 08:30–16:30");
    let s = &org.services[0].service;
    assert_eq!(s.status, "temporarily_closed");
    assert_eq!(s.fees, "free");
    assert_eq!(s.last_verified_on, "2025-03-15");
    assert!(s.national);
    assert_eq!(
        s.areas,
        vec!["50".to_string(), "Somewhere else".to_string()]
    );
    assert_eq!(s.location_id, "loc-1");
    assert_eq!(s.languages, vec!["th".to_string()]);
    assert_eq!(s.required_documents, "ID card\nhttps://x.example/form");
    assert_eq!(
        s.categories,
        vec!["health".to_string(), "mental_health".to_string()]
    );
    assert!(s.verify_locally);
    let statuses: Vec<&str> = org
        .services
        .iter()
        .map(|s| s.service.status.as_str())
        .collect();
    assert_eq!(
        statuses,
        [
            "temporarily_closed",
            "temporarily_closed",
            "defunct",
            "paused",
            "active"
        ]
    );
    // The validator then reports what the mapping could not place.
    let v = validate_service(s, |c| c == "50").unwrap_err();
    assert!(v.iter().any(|e| e.code == "resource.area_unknown"));
}

#[test]
fn a_single_organisation_or_an_api_page_is_accepted() {
    let one = json!({"id": "o", "name": "n", "description": ""}).to_string();
    assert_eq!(from_hsds_json(&one).unwrap().organizations.len(), 1);
    let page = json!({"total_items": 2, "contents": [
        {"id": "o1", "name": "n"}, {"id": "o2", "name": "m"}
    ]})
    .to_string();
    assert_eq!(from_hsds_json(&page).unwrap().organizations.len(), 2);
}

#[test]
fn missing_required_fields_give_one_error_per_record_and_field() {
    let text = json!([
        {"id": "o1", "description": "", "services": [
            {"id": "s1", "status": "active"},
            {"id": "s2", "name": "ok"},
            {"name": "no id"}
        ]},
        {"id": "o2", "name": "  ", "locations": [{"location_type": "physical"}]},
        {"id": "o1", "name": "duplicate"}
    ])
    .to_string();
    assert_eq!(
        errors(from_hsds_json(&text)),
        vec![
            triple("organizations[0]", "name", "required"),
            triple("organizations[0].services[0]", "name", "required"),
            triple("organizations[0].services[2]", "id", "required"),
            triple("organizations[1]", "name", "required"),
            triple("organizations[1].locations[0]", "id", "required"),
            triple("organizations[2]", "id", "import.duplicate_id"),
        ]
    );
}

#[test]
fn too_many_services_are_refused() {
    let services: Vec<Value> = (0..=MAX_SERVICES)
        .map(|i| json!({"id": i.to_string(), "name": "s"}))
        .collect();
    let text = json!([{"id": "o", "name": "n", "services": services}]).to_string();
    assert_eq!(
        errors(from_hsds_json(&text)),
        vec![triple("", "", "import.too_many_records")]
    );
}

#[test]
fn adversarial_json_is_refused_without_panicking() {
    for bad in ["", "not json", "{", "[1,", "\u{feff}", "\u{0}"] {
        assert_eq!(
            errors(from_hsds_json(bad)),
            vec![triple("", "", "import.not_json")],
            "{bad:?}"
        );
    }
    for wrong in ["42", "\"text\"", "null", "true", "{\"contents\": 3}"] {
        let e = errors(from_hsds_json(wrong));
        assert_eq!(e.len(), 1, "{wrong}");
        assert_eq!(e[0].2, "import.not_hsds");
    }
    // Deep nesting stops at the parser's recursion limit instead of the stack.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(
        errors(from_hsds_json(&deep)),
        vec![triple("", "", "import.not_json")]
    );
    let nested = json!([
        "an organisation that is a string",
        {"id": "o", "name": {"th": "x"}, "services": {"not": "a list"}, "phones": "x",
         "karuna_verify_locally": "yes",
         "locations": [{"id": "l", "addresses": [null, {"address_1": []}], "karuna_province_code": 50.5}]},
        {"id": "p", "name": "n", "services": [
            {"id": "s", "name": "s", "karuna_capacity": "many", "karuna_vacancy": 1.5,
             "service_areas": [7], "attributes": [{"taxonomy_term": {"code": {}}}],
             "languages": [{"code": true}], "status": ["active"]}
        ]}
    ])
    .to_string();
    let e = errors(from_hsds_json(&nested));
    for expected in [
        triple("organizations[0]", "", "import.wrong_type"),
        triple("organizations[1]", "name", "import.wrong_type"),
        triple("organizations[1]", "services", "import.wrong_type"),
        triple("organizations[1]", "phones", "import.wrong_type"),
        triple(
            "organizations[1]",
            "karuna_verify_locally",
            "import.wrong_type",
        ),
        triple(
            "organizations[1].locations[0]",
            "addresses[0]",
            "import.wrong_type",
        ),
        triple(
            "organizations[1].locations[0]",
            "addresses[1].address_1",
            "import.wrong_type",
        ),
        triple(
            "organizations[2].services[0]",
            "karuna_capacity",
            "import.number_invalid",
        ),
        triple(
            "organizations[2].services[0]",
            "karuna_vacancy",
            "import.number_invalid",
        ),
        triple(
            "organizations[2].services[0]",
            "service_areas[0]",
            "import.wrong_type",
        ),
        triple(
            "organizations[2].services[0]",
            "attributes[0].taxonomy_term.code",
            "import.wrong_type",
        ),
        triple(
            "organizations[2].services[0]",
            "languages[0].code",
            "import.wrong_type",
        ),
        triple(
            "organizations[2].services[0]",
            "status",
            "import.wrong_type",
        ),
    ] {
        assert!(e.contains(&expected), "{expected:?} in {e:#?}");
    }
    assert!(
        !e.iter()
            .any(|x| x.0 == "organizations[1]" && x.1 == "name" && x.2 == "required"),
        "a wrongly typed name is reported once"
    );
}

#[test]
fn huge_and_unusual_strings_pass_through() {
    let huge = "ก".repeat(1_000_000);
    let text = json!([{"id": "o", "name": huge, "description": "\u{0}\u{202e}🙂\r\n"}]).to_string();
    let dir = from_hsds_json(&text).unwrap();
    assert_eq!(dir.organizations[0].org.name.chars().count(), 1_000_000);
    assert_eq!(dir.organizations[0].org.description, "\u{0}\u{202e}🙂\r\n");
    // The validator, not the import, refuses the length.
    assert!(validate_organization(&dir.organizations[0].org).is_err());
}

fn csv_files(files: &[(&str, &str)]) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect()
}

#[test]
fn csv_from_other_tools_is_read_by_column_name() {
    let files = csv_files(&[
        (
            "organizations.csv",
            "\u{feff}name,id,description\r\nExample Org,o1,\"multi\nline\"\r\n",
        ),
        (
            "locations.csv",
            "id,location_type,organization_id,name\nl1,physical,o1,Office\n",
        ),
        (
            "addresses.csv",
            "id,location_id,address_1,city,state_province,postal_code,country,address_type\n\
             a1,l1,1 Road,เขตพระนคร,กรุงเทพมหานคร,10200,TH,physical\n",
        ),
        (
            "services.csv",
            "id,organization_id,name,status,assured_date\ns1,o1,Help,inactive,2024-02-01\n",
        ),
        (
            "phones.csv",
            "id,location_id,service_id,organization_id,number,extension\n\
             p1,,s1,,02 000 0000,12\np2,,,o1,1300,\np3,l1,,o1,ignored,\n",
        ),
        (
            "service_areas.csv",
            "id,service_id,name,extent,extent_type\nsa1,s1,Bangkok,,\n",
        ),
        (
            "service_at_locations.csv",
            "id,service_id,location_id\nx,s1,l1\n",
        ),
        ("datapackage.json", "{}"),
    ]);
    let dir = from_hsds_csv(&files).unwrap();
    let org = &dir.organizations[0];
    assert_eq!(org.org.description, "multi\nline");
    assert_eq!(org.org.phone, "1300");
    let l = &org.locations[0].location;
    assert_eq!(
        (l.province_code.as_str(), l.district_code.as_str()),
        ("10", "1001")
    );
    assert_eq!(l.address, "1 Road");
    let s = &org.services[0].service;
    assert_eq!(s.phone, "02 000 0000 ต่อ 12");
    assert_eq!(s.status, "temporarily_closed");
    assert_eq!(s.areas, vec!["10".to_string()]);
    assert_eq!(s.location_id, "l1");
    assert_eq!(s.last_verified_on, "2024-02-01");
    assert!(s.verify_locally);
}

#[test]
fn a_csv_location_without_organisation_belongs_to_the_services_delivered_there() {
    let files = csv_files(&[
        ("organizations.csv", "id,name\no1,Org\n"),
        (
            "locations.csv",
            "id,location_type,organization_id,name\nl1,physical,,Office\nl2,physical,elsewhere,Hall\nl3,physical,,Lost\n",
        ),
        ("services.csv", "id,organization_id,name\ns1,o1,Help\n"),
        (
            "service_at_location.csv",
            "id,service_id,location_id\nx,s1,l1\ny,s1,l2\n",
        ),
    ]);
    assert_eq!(
        errors(from_hsds_csv(&files)),
        vec![triple("locations.csv row 4", "organization_id", "required")]
    );
    let files: Vec<(String, String)> = files
        .into_iter()
        .map(|(n, t)| {
            let t = t.replace("l3,physical,,Lost\n", "");
            (n, t)
        })
        .collect();
    let dir = from_hsds_csv(&files).unwrap();
    let names: Vec<&str> = dir.organizations[0]
        .locations
        .iter()
        .map(|l| l.location.name.as_str())
        .collect();
    assert_eq!(names, ["Office", "Hall"]);
}

#[test]
fn csv_errors_name_file_row_and_column() {
    let files = csv_files(&[
        (
            "organizations.csv",
            "id,name\no1,Org\no2,\n,Nameless\no1,Again\n",
        ),
        (
            "services.csv",
            "id,organization_id,name,karuna_capacity,karuna_verify_locally\n\
             s1,o1,,3,true\ns2,o9,x,,\ns3,o1,y,lots,maybe\n",
        ),
        ("phones.csv", "id,service_id,number\np,s404,1\n"),
    ]);
    assert_eq!(
        errors(from_hsds_csv(&files)),
        vec![
            triple("organizations.csv row 3", "name", "required"),
            triple("organizations.csv row 4", "id", "required"),
            triple("organizations.csv row 5", "id", "import.duplicate_id"),
            triple("services.csv row 2", "name", "required"),
            triple(
                "services.csv row 3",
                "organization_id",
                "import.unknown_reference"
            ),
            triple(
                "services.csv row 4",
                "karuna_capacity",
                "import.number_invalid"
            ),
            triple(
                "services.csv row 4",
                "karuna_verify_locally",
                "import.boolean_invalid"
            ),
            triple("phones.csv row 2", "service_id", "import.unknown_reference"),
        ]
    );
    assert_eq!(
        errors(from_hsds_csv(&csv_files(&[("services.csv", "id\n")]))),
        vec![triple("organizations.csv", "", "import.file_missing")]
    );
    assert_eq!(errors(from_hsds_csv(&[])).len(), 1);
}

#[test]
fn too_many_csv_rows_are_refused() {
    let mut services = String::from("id,organization_id,name\n");
    for i in 0..=MAX_SERVICES {
        services.push_str(&format!("s{i},o,n\n"));
    }
    let files = csv_files(&[
        ("organizations.csv", "id,name\no,n\n"),
        ("services.csv", &services),
    ]);
    assert_eq!(
        errors(from_hsds_csv(&files)),
        vec![triple("services.csv", "", "import.too_many_records")]
    );
}

// --- property tests ---------------------------------------------------------------------------

fn text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "\\PC{0,12}", "[a-z ,\"\\n\\r]{0,8}"]
}

fn name() -> impl Strategy<Value = String> {
    "[ก-ฮa-zA-Z0-9][\\PC]{0,10}"
}

fn code() -> impl Strategy<Value = String> {
    prop_oneof!["[0-9]{2}", "[0-9]{4}"]
}

fn service_input(location: String) -> impl Strategy<Value = ServiceInput> {
    (
        (name(), text(), prop::collection::vec("[a-z_]{0,10}", 0..3)),
        prop::sample::select(vec!["active", "temporarily_closed", "defunct"]),
        (text(), text(), text(), text()),
        (prop::collection::vec("[a-z]{1,3}", 0..3), text(), text()),
        (any::<Option<i64>>(), any::<Option<i64>>(), any::<bool>()),
        prop::collection::vec(code(), 0..4),
        (
            prop_oneof![Just(String::new()), Just("2026-02-03".to_string())],
            any::<bool>(),
        ),
        any::<bool>(),
    )
        .prop_map(
            move |(
                (name, description, categories),
                status,
                (eligibility_description, eligibility_rule, required_documents, fees),
                (languages, hours, phone),
                (capacity, vacancy, national),
                areas,
                (last_verified_on, verify_locally),
                at_location,
            )| ServiceInput {
                name,
                description,
                categories,
                status: status.into(),
                eligibility_description,
                eligibility_rule,
                required_documents,
                fees,
                languages,
                hours,
                phone,
                email: "a@b.example".into(),
                url: String::new(),
                capacity,
                vacancy,
                national,
                areas,
                location_id: if at_location {
                    location.clone()
                } else {
                    String::new()
                },
                last_verified_on,
                source: "src".into(),
                verify_locally,
            },
        )
}

fn directory() -> impl Strategy<Value = Directory> {
    let org = (
        (name(), text(), text(), text(), any::<bool>()),
        (name(), text(), prop::option::of(code()), text()),
        prop::collection::vec(any::<u8>(), 0..3),
    );
    prop::collection::vec(org, 0..3)
        .prop_flat_map(|orgs| {
            let services: Vec<_> = orgs
                .iter()
                .enumerate()
                .map(|(i, (_, _, s))| {
                    prop::collection::vec(service_input(format!("loc-{i}")), s.len())
                })
                .collect();
            (Just(orgs), services)
        })
        .prop_map(|(orgs, services)| Directory {
            organizations: orgs
                .into_iter()
                .zip(services)
                .enumerate()
                .map(
                    |(
                        i,
                        (
                            (
                                (name, description, phone, source, verify),
                                (lname, address, province, hours),
                                _,
                            ),
                            services,
                        ),
                    )| {
                        OrgEntry {
                            id: format!("org-{i}"),
                            org: OrganizationInput {
                                name,
                                description,
                                phone,
                                source,
                                verify_locally: verify,
                                ..OrganizationInput::default()
                            },
                            locations: vec![LocationEntry {
                                id: format!("loc-{i}"),
                                location: LocationInput {
                                    name: lname,
                                    address,
                                    province_code: province.unwrap_or_default(),
                                    hours,
                                    ..LocationInput::default()
                                },
                            }],
                            services: services
                                .into_iter()
                                .enumerate()
                                .map(|(j, service)| ServiceEntry {
                                    id: format!("svc-{i}-{j}"),
                                    service,
                                })
                                .collect(),
                        }
                    },
                )
                .collect(),
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn exports_round_trip(dir in directory()) {
        prop_assert_eq!(from_hsds_json(&to_hsds_json(&dir).to_string()), Ok(dir.clone()));
        prop_assert_eq!(from_hsds_csv(&to_hsds_csv(&dir)), Ok(dir));
    }

    #[test]
    fn json_import_never_panics(s in "\\PC{0,200}") {
        let _ = from_hsds_json(&s);
        let _ = from_hsds_json(&format!("[{{\"id\":\"o\",\"name\":\"n\",\"services\":[{s}]}}]"));
    }

    #[test]
    fn csv_import_never_panics(a in "[\\PC\\n\\r,\"]{0,200}", b in "[\\PC\\n\\r,\"]{0,200}") {
        let files = vec![
            ("organizations.csv".to_string(), format!("id,name\n{a}")),
            ("services.csv".to_string(), format!("id,organization_id,name,karuna_capacity\n{b}")),
            ("phones.csv".to_string(), b.clone()),
        ];
        let _ = from_hsds_csv(&files);
    }
}

// --- the national seed set --------------------------------------------------------------------

const SEED: &str = include_str!("../../../../data/resources/seed-th.json");

fn area_known(code: &str) -> bool {
    match code.len() {
        2 => karuna_thai::address::province(code).is_some(),
        4 => karuna_thai::address::district(code).is_some(),
        _ => false,
    }
}

#[test]
fn the_seed_set_is_valid_and_complete() {
    let dir = from_hsds_json(SEED).unwrap();
    // Exactly as the export writes it (the generator mirrors `to_hsds_json`).
    let written: Value = serde_json::from_str(SEED).unwrap();
    assert_eq!(to_hsds_json(&dir), written);

    let services: Vec<&ServiceInput> = dir
        .organizations
        .iter()
        .flat_map(|o| o.services.iter().map(|s| &s.service))
        .collect();
    let hotline = services
        .iter()
        .find(|s| s.phone == "1300")
        .expect("the 1300 hotline");
    assert!(hotline.national);
    assert!(hotline.name.contains("1300"));

    let offices: Vec<&OrgEntry> = dir
        .organizations
        .iter()
        .filter(|o| {
            o.org
                .name
                .starts_with("สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด")
        })
        .collect();
    assert_eq!(offices.len(), 76);
    let mut provinces: Vec<&str> = offices
        .iter()
        .map(|o| o.locations[0].location.province_code.as_str())
        .collect();
    provinces.sort();
    provinces.dedup();
    assert_eq!(provinces.len(), 76);
    assert!(
        !provinces.contains(&"10"),
        "Bangkok has no provincial office"
    );
    for o in &offices {
        assert!(o.org.verify_locally && o.org.phone.is_empty() && o.org.website.is_empty());
        let s = &o.services[0].service;
        assert_eq!(s.areas, vec![o.locations[0].location.province_code.clone()]);
        assert_eq!(s.location_id, o.locations[0].id);
    }

    let mut ids = HashSet::new();
    for o in &dir.organizations {
        assert!(ids.insert(o.id.clone()));
        assert!(Uuid::parse_str(&o.id).is_ok());
        validate_organization(&o.org).unwrap();
        assert!(!o.org.source.trim().is_empty(), "{}", o.org.name);
        let location_ids: Vec<&str> = o.locations.iter().map(|l| l.id.as_str()).collect();
        for l in &o.locations {
            assert!(ids.insert(l.id.clone()));
            validate_location(&l.location, |p, d| match d {
                None => area_known(p),
                Some(d) => d.starts_with(p) && area_known(d),
            })
            .unwrap();
            assert!(l.location.verify_locally);
            assert!(
                l.location.address.is_empty(),
                "no street address is invented"
            );
        }
        for s in &o.services {
            assert!(ids.insert(s.id.clone()));
            let valid = validate_service(&s.service, area_known)
                .unwrap_or_else(|e| panic!("{}: {e:?}", s.service.name));
            assert!(!valid.source.is_empty(), "{}", valid.name);
            assert!(valid.email.is_empty(), "no e-mail address is invented");
            if let Some(l) = &valid.location_id {
                assert!(location_ids.contains(&l.as_str()));
            }
            if valid.phone != "1300" {
                assert!(valid.phone.is_empty(), "no phone number is invented");
            }
        }
    }
}
