#!/usr/bin/env python3
"""Builds data/resources/seed-th.json, Karuna's national seed set of resources, as HSDS 3.0 JSON
written exactly as `karuna_domain::resource_hsds::to_hsds_json` writes it (a domain test checks
that parsing and re-exporting the file gives the same JSON).

Run from the repository root or anywhere (Python 3.11+, standard library only):

    python3 data/scripts/hsds_seed.py                 # writes data/resources/seed-th.json
    python3 data/scripts/hsds_seed.py --output /tmp/seed.json

Public knowledge only: no phone number, street address or e-mail address is invented. Every
entry names its source; `verify_locally` is true wherever the entry is not certain (all the
per-province entries: their offices, addresses and telephone numbers must be confirmed by
someone who knows the province). Province codes and names come from data/thai-areas.tsv.

Ids are stable: UUID v5 in Karuna's namespace of "seed-th/<entry>" (organisations, locations,
services) and, as the Rust export derives them, "<parent id>/<kind>/<index>" for phones,
addresses, schedules, service areas, languages and attributes, "karuna-category/<code>" for
taxonomy terms. Re-running the script gives the same file.
"""

import argparse
import csv
import json
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AREAS = ROOT / "data" / "thai-areas.tsv"
OUTPUT = ROOT / "data" / "resources" / "seed-th.json"

# Must equal resource_hsds::NAMESPACE and the other constants of that module.
NAMESPACE = uuid.UUID("4034818e-b4cb-41cb-94de-77fc0e19c119")
CATEGORY_TAXONOMY = "karuna-category"
TAXONOMY_DESCRIPTION = (
    "Karuna's service categories (Thai social welfare); the term code is the category code."
)
NATIONAL_EXTENT = "TH"
NATIONAL_NAME = "ประเทศไทย"
BANGKOK = "10"

# (English term name, Thai description) per category, as resource_hsds::category_label.
CATEGORIES = {
    "shelter": ("Shelter", "บ้านพักและที่พักพิง"),
    "legal_aid": ("Legal aid", "ความช่วยเหลือทางกฎหมาย"),
    "health": ("Health", "สุขภาพ"),
    "mental_health": ("Mental health", "สุขภาพจิตและการปรึกษา"),
    "education": ("Education", "การศึกษา"),
    "work": ("Work", "อาชีพและการมีงานทำ"),
    "assistance": ("Assistance", "เงินและสิ่งของช่วยเหลือ"),
    "child_protection": ("Child protection", "การคุ้มครองเด็ก"),
    "disability": ("Disability", "คนพิการ"),
    "older_people": ("Older people", "ผู้สูงอายุ"),
    "anti_trafficking": ("Anti-trafficking", "การต่อต้านการค้ามนุษย์"),
    "general_welfare": ("General welfare", "สวัสดิการสังคมทั่วไป"),
}

MSDHS_SITE = "https://www.m-society.go.th"
HOTLINE_SITE = "https://1300thailand.m-society.go.th"
DCY_SITE = "https://www.dcy.go.th"
MOPH_SITE = "https://www.moph.go.th"
MIRROR_SITE = "https://mirror.or.th"


def stable_id(name):
    return str(uuid.uuid5(NAMESPACE, name))


def sub_id(parent, kind, index):
    return stable_id(f"{parent}/{kind}/{index}")


def seed_id(key):
    return stable_id(f"seed-th/{key}")


def read_provinces():
    """{code: (name_th, name_en)} from the area table, sorted by code."""
    provinces = {}
    with AREAS.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            provinces[row["province_code"]] = (row["province_name_th"], row["province_name_en"])
    return dict(sorted(provinces.items()))


# --- the Karuna model (OrganizationInput, LocationInput, ServiceInput) -----------------------


def organization(**kw):
    base = dict(name="", alternate_name="", description="", website="", email="", phone="",
                source="", verify_locally=False)
    base.update(kw)
    return base


def location(**kw):
    base = dict(name="", address="", province_code="", district_code="", hours="", source="",
                verify_locally=False)
    base.update(kw)
    return base


def service(**kw):
    base = dict(name="", description="", categories=[], status="active",
                eligibility_description="", eligibility_rule="", required_documents="", fees="",
                languages=[], hours="", phone="", email="", url="", capacity=None, vacancy=None,
                national=False, areas=[], location_id="", last_verified_on="", source="",
                verify_locally=False)
    base.update(kw)
    return base


# --- the HSDS writer: mirrors resource_hsds::to_hsds_json --------------------------------------


class Writer:
    def __init__(self, provinces):
        self.provinces = provinces

    def province_name(self, code):
        if code not in self.provinces:
            return ""
        name = self.provinces[code][0]
        return name if code == BANGKOK else f"จังหวัด{name}"

    def area_name(self, code):
        if len(code) == 2 and code in self.provinces:
            return self.province_name(code)
        if len(code) == 4:
            raise ValueError("district areas are not used by the seed set")
        return code

    @staticmethod
    def put(obj, key, value):
        if value:
            obj[key] = value

    @staticmethod
    def phones(number, owner_key, owner):
        if not number:
            return []
        return [{"id": sub_id(owner, "phone", 0), owner_key: owner, "number": number}]

    @staticmethod
    def schedules(hours, owner_key, owner):
        if not hours:
            return []
        return [{"id": sub_id(owner, "schedule", 0), owner_key: owner, "description": hours}]

    @staticmethod
    def term(code):
        name, description = CATEGORIES.get(code, (code, code))
        tax = stable_id(CATEGORY_TAXONOMY)
        return {
            "id": stable_id(f"{CATEGORY_TAXONOMY}/{code}"),
            "code": code,
            "name": name,
            "description": description,
            "taxonomy": CATEGORY_TAXONOMY,
            "taxonomy_id": tax,
            "taxonomy_detail": {
                "id": tax,
                "name": CATEGORY_TAXONOMY,
                "description": TAXONOMY_DESCRIPTION,
            },
        }

    def location(self, org_id, loc_id, l):
        out = {"id": loc_id, "location_type": "physical", "organization_id": org_id}
        self.put(out, "name", l["name"])
        if l["address"] or l["province_code"] or l["district_code"]:
            if l["district_code"]:
                raise ValueError("district codes are not used by the seed set")
            out["addresses"] = [{
                "id": sub_id(loc_id, "address", 0),
                "location_id": loc_id,
                "address_1": l["address"],
                "city": "",
                "state_province": self.province_name(l["province_code"]),
                "postal_code": "",
                "country": "TH",
                "address_type": "physical",
            }]
        self.put(out, "schedules", self.schedules(l["hours"], "location_id", loc_id))
        out["karuna_province_code"] = l["province_code"]
        out["karuna_district_code"] = l["district_code"]
        out["karuna_source"] = l["source"]
        out["karuna_verify_locally"] = l["verify_locally"]
        return out

    def service(self, org_id, sid, s):
        status = {"": "active", "temporarily_closed": "temporarily closed"}.get(
            s["status"], s["status"])
        out = {"id": sid, "organization_id": org_id, "name": s["name"]}
        self.put(out, "description", s["description"])
        self.put(out, "url", s["url"])
        self.put(out, "email", s["email"])
        out["status"] = status
        self.put(out, "eligibility_description", s["eligibility_description"])
        self.put(out, "fees_description", s["fees"])
        self.put(out, "assured_date", s["last_verified_on"])
        self.put(out, "phones", self.phones(s["phone"], "service_id", sid))
        self.put(out, "schedules", self.schedules(s["hours"], "service_id", sid))
        areas = ([(NATIONAL_NAME, NATIONAL_EXTENT)] if s["national"] else []) + [
            (self.area_name(a), a) for a in s["areas"]]
        self.put(out, "service_areas", [
            {"id": sub_id(sid, "service_area", i), "service_id": sid, "name": name,
             "extent": extent, "extent_type": "text"}
            for i, (name, extent) in enumerate(areas)])
        if s["location_id"]:
            out["service_at_locations"] = [{
                "id": sub_id(sid, "service_at_location", 0),
                "service_id": sid,
                "location_id": s["location_id"],
            }]
        self.put(out, "languages", [
            {"id": sub_id(sid, "language", i), "service_id": sid, "code": code}
            for i, code in enumerate(s["languages"])])
        if s["required_documents"]:
            out["required_documents"] = [{
                "id": sub_id(sid, "required_document", 0),
                "service_id": sid,
                "document": s["required_documents"],
            }]
        self.put(out, "attributes", [
            {"id": sub_id(sid, "attribute", i), "link_id": sid, "link_entity": "service",
             "taxonomy_term_id": stable_id(f"{CATEGORY_TAXONOMY}/{code}"),
             "taxonomy_term": self.term(code)}
            for i, code in enumerate(s["categories"])])
        out["karuna_eligibility_rule"] = s["eligibility_rule"]
        out["karuna_capacity"] = s["capacity"]
        out["karuna_vacancy"] = s["vacancy"]
        out["karuna_source"] = s["source"]
        out["karuna_verify_locally"] = s["verify_locally"]
        return out

    def organization(self, entry):
        org_id, o = entry["id"], entry["org"]
        out = {"id": org_id, "name": o["name"]}
        self.put(out, "alternate_name", o["alternate_name"])
        out["description"] = o["description"]
        self.put(out, "email", o["email"])
        self.put(out, "website", o["website"])
        self.put(out, "phones", self.phones(o["phone"], "organization_id", org_id))
        self.put(out, "locations", [self.location(org_id, i, l) for i, l in entry["locations"]])
        self.put(out, "services", [self.service(org_id, i, s) for i, s in entry["services"]])
        out["karuna_source"] = o["source"]
        out["karuna_verify_locally"] = o["verify_locally"]
        return out


# --- the seed set ------------------------------------------------------------------------------


def ministry():
    """The ministry and its 1300 hotline (public knowledge: number, 24 hours, nationwide)."""
    return {
        "id": seed_id("msdhs/organization"),
        "org": organization(
            name="กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
            alternate_name="พม.",
            description=(
                "Ministry of Social Development and Human Security (MSDHS): กระทรวงที่ดูแลงาน"
                "พัฒนาสังคม สวัสดิการสังคม และการคุ้มครองเด็ก เยาวชน สตรี ครอบครัว ผู้สูงอายุ "
                "และคนพิการ"
            ),
            website=MSDHS_SITE,
            source=MSDHS_SITE,
            verify_locally=False,
        ),
        "locations": [],
        "services": [(seed_id("hotline-1300/service"), service(
            name="ศูนย์ช่วยเหลือสังคม สายด่วน 1300",
            description=(
                "รับแจ้งเหตุ ให้คำปรึกษาแนะนำ และประสานส่งต่อความช่วยเหลือผู้ประสบปัญหาทางสังคม"
                "ในภาวะวิกฤติ ตลอด 24 ชั่วโมง ทั้งกรุงเทพมหานครและต่างจังหวัด ครอบคลุม 10 ประเด็น"
                "ปัญหา ได้แก่ ความรุนแรงในครอบครัว การตั้งครรภ์ในวัยรุ่น การค้ามนุษย์ ผู้ได้รับ"
                "ผลกระทบจากยาเสพติด คนเร่ร่อนและคนไร้ที่พึ่ง คนขอทาน เด็กและเยาวชน บุคคลสูญหาย "
                "ผู้สูงอายุ และคนพิการ; ประสานกับศูนย์พึ่งได้ (OSCC) ในโรงพยาบาลของรัฐด้วย"
            ),
            categories=["general_welfare", "child_protection", "anti_trafficking",
                        "older_people", "disability"],
            languages=["th"],
            hours="ตลอด 24 ชั่วโมง",
            phone="1300",
            url=HOTLINE_SITE,
            national=True,
            source=f"{HOTLINE_SITE} (ประวัติความเป็นมาของศูนย์); {MSDHS_SITE}",
            verify_locally=False,
        ))],
    }


def provincial_office(code, name_th, name_en):
    """พมจ.: every province except Bangkok, which has no provincial office of the ministry."""
    key = f"pmj/{code}"
    org_id, loc_id, svc_id = (seed_id(f"{key}/{k}") for k in ("organization", "location",
                                                              "service"))
    office = f"สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด{name_th}"
    return {
        "id": org_id,
        "org": organization(
            name=office,
            alternate_name=f"พมจ.{name_th}",
            description=(
                f"Provincial Office of Social Development and Human Security, {name_en}: "
                "ส่วนราชการบริหารส่วนภูมิภาคของกระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์ "
                f"ประจำจังหวัด{name_th} ที่อยู่ เบอร์โทรศัพท์ และเว็บไซต์ของสำนักงานยังไม่ได้ใส่ "
                "ให้ตรวจสอบกับสำนักงานก่อนบันทึก"
            ),
            source=MSDHS_SITE,
            verify_locally=True,
        ),
        "locations": [(loc_id, location(
            name=office,
            province_code=code,
            source=MSDHS_SITE,
            verify_locally=True,
        ))],
        "services": [(svc_id, service(
            name=f"สวัสดิการสังคมและการช่วยเหลือผู้ประสบปัญหาทางสังคม (พมจ.{name_th})",
            description=(
                "ให้บริการด้านสวัสดิการสังคมและสังคมสงเคราะห์แก่ประชาชนที่ประสบปัญหาทางสังคม"
                f"ในจังหวัด{name_th} และประสานส่งต่อหน่วยงานของ พม. ในจังหวัด "
                "(นอกเวลาราชการ: สายด่วน 1300)"
            ),
            categories=["general_welfare"],
            areas=[code],
            location_id=loc_id,
            source=MSDHS_SITE,
            verify_locally=True,
        ))],
    }


def children_and_youth(provinces):
    """ดย. and its Child and Family Shelters: public sources (2022) count 77, Bangkok included."""
    locations, services = [], []
    for code, (name_th, _name_en) in provinces.items():
        key = f"dcy-shelter/{code}"
        loc_id, svc_id = seed_id(f"{key}/location"), seed_id(f"{key}/service")
        if code == BANGKOK:
            shelter = f"บ้านพักเด็กและครอบครัว{name_th}"
            note = (" ชื่อและที่ตั้งของบ้านพักในกรุงเทพมหานครยังไม่ได้ยืนยัน (แหล่งข่าวนับ 77 "
                    "จังหวัด รวมกรุงเทพมหานคร)")
        else:
            shelter = f"บ้านพักเด็กและครอบครัวจังหวัด{name_th}"
            note = ""
        locations.append((loc_id, location(
            name=shelter,
            province_code=code,
            source=DCY_SITE,
            verify_locally=True,
        )))
        services.append((svc_id, service(
            name=shelter,
            description=(
                "สถานแรกรับเด็กตามพระราชบัญญัติคุ้มครองเด็ก พ.ศ. 2546 และที่พักพิงชั่วคราว"
                "พร้อมปัจจัยสี่สำหรับเด็ก เยาวชน สตรี และครอบครัวที่ประสบปัญหาทางสังคมในภาวะ"
                "วิกฤติ รวมทั้งผู้ประสบปัญหาความรุนแรงในครอบครัวและการค้ามนุษย์ "
                "ที่อยู่และเบอร์โทรศัพท์ให้ตรวจสอบกับบ้านพักก่อนบันทึก" + note
            ),
            categories=["shelter", "child_protection"],
            eligibility_description=(
                "เด็กแรกเกิดถึงอายุต่ำกว่า 18 ปี เยาวชนอายุ 18–25 ปี และครอบครัวที่ประสบปัญหา"
                "ทางสังคม"
            ),
            areas=[code],
            location_id=loc_id,
            source=f"{DCY_SITE}; https://www.banmuang.co.th/news/relation/292563",
            verify_locally=True,
        )))
    return {
        "id": seed_id("dcy/organization"),
        "org": organization(
            name="กรมกิจการเด็กและเยาวชน",
            alternate_name="ดย.",
            description=(
                "Department of Children and Youth (DCY), กระทรวงการพัฒนาสังคมและความมั่นคงของ"
                "มนุษย์: ดูแลบ้านพักเด็กและครอบครัวในทุกจังหวัดและสถานรองรับเด็ก"
            ),
            website=DCY_SITE,
            source=DCY_SITE,
            verify_locally=False,
        ),
        "locations": locations,
        "services": services,
    }


def mirror_foundation():
    return {
        "id": seed_id("mirror/organization"),
        "org": organization(
            name="มูลนิธิกระจกเงา",
            alternate_name="The Mirror Foundation",
            description=(
                "องค์กรพัฒนาเอกชนที่ทำงานพัฒนาสังคมหลายด้าน ได้แก่ งานสิทธิมนุษยชน งานสื่อและ"
                "เทคโนโลยีสารสนเทศ งานอาสาสมัครและการแบ่งปันทรัพยากร ก่อตั้ง พ.ศ. 2534 ที่จังหวัด"
                "เชียงราย ช่องทางติดต่อให้ตรวจสอบจากเว็บไซต์ของมูลนิธิ"
            ),
            website=MIRROR_SITE,
            source=f"{MIRROR_SITE}/aboutmirror.php",
            verify_locally=True,
        ),
        "locations": [],
        "services": [(seed_id("mirror/missing-persons/service"), service(
            name="ติดตามคนหาย (มูลนิธิกระจกเงา)",
            description=(
                "รับแจ้งและช่วยติดตามบุคคลสูญหาย เช่น เด็ก ผู้สูงอายุที่มีภาวะสมองเสื่อม และผู้ป่วย"
                "จิตเวช และรับเบาะแสการพบเห็นผู้สูญหาย งานของมูลนิธิรวมถึงการป้องกันการค้ามนุษย์"
                "เด็กและสตรี ช่องทางแจ้งให้ตรวจสอบจากเว็บไซต์ของมูลนิธิ"
            ),
            categories=["general_welfare", "child_protection", "anti_trafficking"],
            national=True,
            source=(
                f"{MIRROR_SITE}/aboutmirror.php; "
                "https://click4planet.cpgroupsustainability.com/TH/Projects/Project-Preview/PID/"
                "117/Award/Award2; https://th.wikipedia.org/wiki/มูลนิธิกระจกเงา"
            ),
            verify_locally=True,
        ))],
    }


def oscc():
    """One national entry for ศูนย์พึ่งได้; no hospital is listed."""
    return {
        "id": seed_id("moph/organization"),
        "org": organization(
            name="กระทรวงสาธารณสุข",
            alternate_name="สธ.",
            description="Ministry of Public Health (MOPH)",
            website=MOPH_SITE,
            source=MOPH_SITE,
            verify_locally=False,
        ),
        "locations": [],
        "services": [(seed_id("oscc/service"), service(
            name="ศูนย์พึ่งได้ (One Stop Crisis Center, OSCC) ในโรงพยาบาลของรัฐ",
            description=(
                "ศูนย์ช่วยเหลือเด็กและสตรีในภาวะวิกฤติจากความรุนแรงอย่างครบวงจร ทั้งด้านการแพทย์"
                "และสาธารณสุข ด้านกฎหมาย และด้านสวัสดิการสังคม ในโรงพยาบาลศูนย์ โรงพยาบาลทั่วไป "
                "และโรงพยาบาลชุมชน (ตามมติคณะรัฐมนตรี 29 มิถุนายน 2542 ขยายครอบคลุมโรงพยาบาล"
                "ชุมชนใน พ.ศ. 2547) ติดต่อที่โรงพยาบาลของรัฐ หรือผ่านศูนย์ช่วยเหลือสังคม "
                "สายด่วน 1300 ซึ่งประสานส่งต่อ รายชื่อโรงพยาบาลยังไม่ได้ใส่ ให้เพิ่มเมื่อตรวจสอบแล้ว"
            ),
            categories=["health", "child_protection"],
            eligibility_description="เด็กและสตรีที่ถูกกระทำด้วยความรุนแรงหรืออยู่ในภาวะวิกฤติ",
            national=True,
            source="https://25mophoscc.com; https://www.psh.go.th (OSCC 1300)",
            verify_locally=True,
        ))],
    }


def pansuk():
    """No public address of the Pansuk application was found: no URL, to be verified."""
    note = (
        "ยังไม่พบแหล่งเผยแพร่สาธารณะที่ยืนยันหน่วยงานเจ้าของ ที่อยู่ดาวน์โหลด หรือบริการของ"
        "แอปพลิเคชันนี้ จึงไม่ใส่ลิงก์ (ไม่เดาที่อยู่) ต้องตรวจสอบก่อนใช้"
    )
    source = "ยังไม่พบแหล่งเผยแพร่ที่ยืนยันได้ (ค้นเมื่อจัดทำชุดข้อมูล); ต้องตรวจสอบ"
    return {
        "id": seed_id("pansuk/organization"),
        "org": organization(
            name="แอปพลิเคชัน ปันสุข (Pansuk)",
            description=note,
            source=source,
            verify_locally=True,
        ),
        "locations": [],
        "services": [(seed_id("pansuk/service"), service(
            name="แอปพลิเคชัน ปันสุข",
            description=note,
            categories=["general_welfare"],
            national=True,
            source=source,
            verify_locally=True,
        ))],
    }


def seed(provinces):
    entries = [ministry()]
    entries += [provincial_office(code, th, en) for code, (th, en) in provinces.items()
                if code != BANGKOK]
    entries += [children_and_youth(provinces), mirror_foundation(), oscc(), pansuk()]
    writer = Writer(provinces)
    return [writer.organization(e) for e in entries]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    provinces = read_provinces()
    if len(provinces) != 77:
        raise SystemExit(f"expected 77 provinces in {AREAS}, found {len(provinces)}")
    data = seed(provinces)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                           encoding="utf-8")
    services = sum(len(o.get("services", [])) for o in data)
    print(f"wrote {args.output}: {len(data)} organisations, {services} services")


if __name__ == "__main__":
    main()
