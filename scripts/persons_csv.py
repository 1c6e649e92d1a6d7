#!/usr/bin/env python3
"""Writes a persons CSV for `karuna import persons` benchmarks: N rows of Thai names, valid
national IDs (check digit computed), Buddhist-era birth dates and phones.

    python3 scripts/persons_csv.py 100000 > /tmp/persons-100k.csv
"""
import random
import sys

FIRST = ["สมชาย", "สมศรี", "วิชัย", "มาลี", "ประเสริฐ", "สุดา", "อนันต์", "จันทร์เพ็ญ", "ธนพล", "กมลวรรณ",
         "ศักดิ์ชัย", "นงลักษณ์", "สุรชัย", "พรทิพย์", "บุญมี", "อรุณี", "ชาญวิทย์", "รัตนา", "ปิยะ", "วันเพ็ญ"]
LAST = ["ใจดี", "มีสุข", "ศรีสวัสดิ์", "แก้วมณี", "ทองดี", "บุญเรือง", "สายสุนีย์", "พรหมมา", "จันทร์แก้ว",
        "รุ่งเรือง", "สุขสม", "วงศ์ใหญ่", "เพชรรัตน์", "ทองคำ", "ศรีสุข", "นาคสุข", "พึ่งบุญ", "แสงทอง"]


def national_id(serial):
    body = "1%011d" % serial
    s = sum(int(c) * (13 - i) for i, c in enumerate(body))
    return body + str((11 - s % 11) % 10)


def main():
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    out = sys.stdout
    out.write("คำนำหน้า,ชื่อ,นามสกุล,เพศ,วันเกิด,เลขประจำตัวประชาชน,โทรศัพท์\n")
    for i in range(n):
        male = rng.random() < 0.5
        out.write("%s,%s,%s,%s,%02d/%02d/%d,%s,08%d-%03d-%04d\n" % (
            "นาย" if male else "นางสาว", rng.choice(FIRST), rng.choice(LAST), "ชาย" if male else "หญิง",
            rng.randint(1, 28), rng.randint(1, 12), rng.randint(2480, 2560), national_id(i + 1),
            rng.randint(1, 9), rng.randint(0, 999), rng.randint(0, 9999)))


if __name__ == "__main__":
    main()
