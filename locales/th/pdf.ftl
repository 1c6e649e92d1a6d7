## Printed documents (karuna-pdf): the footer and page label every PDF shares, and the case file
pdf-footer = { $org } · พิมพ์เมื่อ { $date }
pdf-page = หน้า { "{" }page{ "}" } จาก { "{" }total{ "}" }
case-pdf-download = พิมพ์แฟ้มรายกรณี (PDF)
case-pdf-title = แฟ้มรายกรณี { $number }
case-pdf-confidential = ลับ ข้อมูลส่วนบุคคลของผู้รับบริการ ใช้เพื่อการช่วยเหลือเท่านั้น ห้ามเปิดเผยโดยไม่มีอำนาจตามกฎหมาย
case-pdf-person = ชื่อ
case-pdf-relationship = ความเกี่ยวข้อง
case-pdf-recorded-by = ผู้บันทึก
case-pdf-progress = ความก้าวหน้าตามเป้าหมาย
case-pdf-date = วันที่
case-pdf-goal = เป้าหมายที่
case-pdf-gas = ระดับ GAS
case-pdf-note = บันทึก
case-pdf-due = กำหนด
case-pdf-done = ทำแล้วเมื่อ
audit-action-case-export = พิมพ์แฟ้มรายกรณีเป็น PDF
