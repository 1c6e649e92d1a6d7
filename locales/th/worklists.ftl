# Worklists and the safety items of issue 16: the safety screening's "not asked", promises
# released before closing, the duplicates list, approvals, what falls due, the analyst's figures.

intake-safety-not-asked = ไม่ได้ถาม
intake-safety-required = ต้องตอบ
error-case-safety-unanswered = กรุณาตอบข้อนี้ หรือเลือก “ไม่ได้ถาม”
case-safety-not-asked = การคัดกรองความปลอดภัยยังไม่ครบ กรณีนี้จึงเป็น “เร่งด่วน” ข้อที่ยังไม่ได้ถาม:
case-safety-not-asked-action = ทำแบบประเมินความปลอดภัย

promise-status-released = ยกเลิกแล้ว (แจ้งผู้รับบริการแล้ว)
promise-event-released = ยกเลิก โดยแจ้งผู้รับบริการแล้ว
timeline-promise-released = ยกเลิกสัญญา โดยแจ้งผู้รับบริการแล้ว
promise-client-told = แจ้งผู้รับบริการแล้วว่าจะไม่ทำตามสัญญานี้
promise-release = ยกเลิกสัญญา
promise-release-help = ยกเลิกได้เมื่อแจ้งผู้รับบริการแล้ว ในช่องเหตุผลให้บอกว่าเหตุใดจึงยกเลิก และแจ้งผู้รับบริการเมื่อใด อย่างไร
error-promise-release-note-required = บอกเหตุผล และวิธีที่แจ้งผู้รับบริการ
error-promise-client-not-told = ยกเลิกสัญญาได้เมื่อแจ้งผู้รับบริการแล้วเท่านั้น
error-case-guard-open-promises = ยังปิดรายกรณีไม่ได้ เพราะมีสัญญากับผู้รับบริการที่ยังเปิดอยู่ ให้รักษาสัญญา หรือยกเลิกพร้อมบันทึกว่าแจ้งผู้รับบริการแล้ว
closure-open-promises = ยังปิดรายกรณีไม่ได้ มีสัญญาที่ยังเปิดอยู่ { $n } รายการ
closure-open-promises-help = รักษาสัญญาแต่ละข้อ หรือยกเลิกพร้อมบันทึกว่าแจ้งผู้รับบริการแล้ว ที่แท็บสัญญา
duplicates-how = แสดงเฉพาะคู่ที่ได้คะแนนตั้งแต่ { $min } ขึ้นไป เรียงจากคะแนนสูงสุด พร้อมเหตุผลของคะแนน
duplicates-not-same-help = คู่นี้จะไม่แสดงอีก (บันทึกไว้ในประวัติการตรวจสอบ)
error-person-merge-keep-required = โปรดเลือกระเบียนที่จะเก็บไว้
reports-title = สถิติรายกรณี
reports-scope-org = จำนวนรายกรณีทั้งองค์กร
reports-scope-unit = จำนวนรายกรณีของหน่วยงานของคุณ
reports-suppressed-help = จำนวนตั้งแต่ 1 ถึง 4 แสดงเป็น “<5” เพื่อไม่ให้ระบุตัวบุคคลได้ รายกรณีที่มีหลายประเภทนับในทุกประเภท
reports-by-status = ตามสถานะ
reports-by-type = ตามประเภทรายกรณี
reports-by-month = รับเรื่องใหม่รายเดือน (12 เดือนล่าสุด)
reports-cases = จำนวนรายกรณี
home-reports = ดูสถิติรายกรณี
home-approvals = รอการอนุมัติของฉัน ({ $count })
home-approvals-all = ดูรายกรณีที่รอการอนุมัติทั้งหมด
home-approval-plan = แผนฉบับที่ { $n }
home-approval-closure = สรุปการปิดรายกรณี
home-due-soon-promises = สัญญาที่จะถึงกำหนดใน 7 วันข้างหน้า
home-due-soon-contacts = การติดต่อที่ต้องติดตามผล
home-due-by = กำหนด { $date }
home-contact-on = ติดต่อเมื่อ { $date }
cases-awaiting-approval = รอการอนุมัติของฉัน ({ $count })
home-reviews-due-soon = การทบทวนแผนที่จะถึงกำหนดใน 7 วันข้างหน้า
