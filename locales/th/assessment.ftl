# Assessment templates and assessments (Thai). Keep keys equal to en/assessment.ftl.

## Field errors: templates (the field names the path in the template)
error-assessment-template-unreadable = อ่านแบบประเมินไม่ได้ (ต้องเป็น JSON หรือ YAML): { $detail }
error-assessment-template-bad-code = รหัสต้องเป็นอักษรอังกฤษตัวเล็ก ตัวเลข หรือ _ และขึ้นต้นด้วยตัวอักษร
error-assessment-template-duplicate-code = รหัสนี้ซ้ำกับรายการก่อนหน้า
error-assessment-template-duplicate-id = รหัสคำถาม { $id } ซ้ำกับคำถามก่อนหน้า
error-assessment-template-no-sections = แบบประเมินต้องมีอย่างน้อยหนึ่งด้าน
error-assessment-template-no-questions = แต่ละด้านต้องมีอย่างน้อยหนึ่งคำถาม
error-assessment-template-too-few-options = คำถามแบบเลือกตอบต้องมีตัวเลือกอย่างน้อยสองตัวเลือก
error-assessment-template-options-not-allowed = คำถามประเภทนี้มีตัวเลือกไม่ได้
error-assessment-template-bad-range = ช่วงคะแนนไม่ถูกต้อง (ค่าต่ำสุดต้องน้อยกว่าค่าสูงสุด)
error-assessment-template-range-not-allowed = คำถามประเภทนี้กำหนดค่าต่ำสุดหรือสูงสุดไม่ได้
error-assessment-template-scoring-not-allowed = คำถามประเภท { $type } ให้คะแนนแบบนี้ไม่ได้
error-assessment-template-show-if-unknown = เงื่อนไขการแสดงอ้างถึงคำถาม { $question } ซึ่งไม่มีในแบบประเมิน
error-assessment-template-show-if-later = เงื่อนไขการแสดงต้องอ้างถึงคำถามที่อยู่ก่อนหน้าเท่านั้น ({ $question })
error-assessment-template-show-if-value = เงื่อนไขการแสดงต้องระบุคำตอบที่เป็นไปได้ของคำถามนั้น
error-assessment-template-levels-out-of-order = เกณฑ์ระดับต้องเรียงจากคะแนนน้อยไปมาก
error-assessment-template-urgency-unknown = ไม่รู้จักระดับความเร่งด่วนนี้
error-assessment-template-key-mismatch = รหัสแบบประเมินไม่ตรงกับฉบับที่มีอยู่
error-assessment-template-not-draft = ฉบับนี้เผยแพร่แล้ว แก้ไขหรือเผยแพร่ซ้ำไม่ได้
error-assessment-template-unknown = ไม่มีแบบประเมินที่เผยแพร่แล้วตามรหัสนี้

## Field errors: answers and notes
error-assessment-answer-unknown-question = ไม่มีคำถามนี้ในแบบประเมินฉบับนี้
error-assessment-answer-wrong-type = คำตอบไม่ตรงกับประเภทของคำถาม
error-assessment-answer-not-an-option = คำตอบนี้ไม่อยู่ในตัวเลือก
error-assessment-answer-out-of-range = ค่าอยู่นอกช่วงที่กำหนด
error-assessment-notes-unknown-domain = ไม่มีด้านนี้ในแบบประเมินฉบับนี้
error-assessment-not-draft = การประเมินนี้เสร็จสิ้นแล้ว แก้ไขไม่ได้

## Pages: the case team
case-tab-assessments = การประเมิน
assessment-heading = การประเมินของรายกรณี
assessment-back-to-case = ← กลับไปแฟ้มรายกรณี
assessment-back-to-list = ← กลับไปรายการการประเมิน
assessment-none = ยังไม่มีการประเมิน
assessment-none-completed = ยังไม่มีการประเมินที่เสร็จสิ้นของแบบประเมินนี้
assessment-template = แบบประเมิน
assessment-template-version = ฉบับที่
assessment-status = สถานะ
assessment-status-draft = ฉบับร่าง
assessment-status-completed = เสร็จสิ้น
assessment-started = เริ่มประเมิน
assessment-completed = เสร็จสิ้นเมื่อ
assessment-total = คะแนนรวม
assessment-compare = เปรียบเทียบผลการประเมินตามช่วงเวลา
assessment-start = เริ่มการประเมินใหม่
assessment-yes = ใช่
assessment-no = ไม่ใช่
assessment-notes = แหล่งข้อมูลและการวิเคราะห์ของผู้ปฏิบัติงาน
assessment-sources = แหล่งข้อมูล
assessment-strengths = จุดแข็ง
assessment-needs = ความต้องการ
assessment-causes = สาเหตุของปัญหา
assessment-impacts = ผลกระทบ
assessment-options = ทางเลือกในการช่วยเหลือ
assessment-saved = บันทึกแล้ว
assessment-has-errors = ยังบันทึกไม่ได้ โปรดแก้ไขรายการต่อไปนี้
assessment-show-if-help = คำถามบางข้อจะปรากฏตามคำตอบก่อนหน้า กด "บันทึกฉบับร่าง" เพื่อแสดงคำถามที่เกี่ยวข้อง
assessment-required = ต้องตอบ
assessment-save = บันทึกฉบับร่าง
assessment-complete = บันทึกและเสร็จสิ้นการประเมิน
assessment-domain = ด้าน
assessment-chart-label = แผนภูมิแท่งคะแนนรายด้านของการประเมินแต่ละครั้ง

## Pages: templates (admins)
nav-templates = แบบประเมิน
template-admin-heading = แบบประเมิน (การตั้งค่า)
template-key = รหัส
template-published = เผยแพร่แล้ว
template-draft = ฉบับร่าง
template-import = นำเข้าเป็นฉบับร่างใหม่
template-preview = ดูตัวอย่าง
template-source = เนื้อหาแบบประเมิน (JSON หรือ YAML)
template-has-errors = แบบประเมินมีข้อผิดพลาด (ระบุตำแหน่งในแบบประเมิน)
template-export-yaml = ส่งออกเป็น YAML
template-export-json = ส่งออกเป็น JSON
template-publish = เผยแพร่ฉบับนี้
template-publish-help = เมื่อเผยแพร่แล้วจะแก้ไขฉบับนี้ไม่ได้ การประเมินใหม่จะใช้ฉบับนี้ ส่วนการประเมินเดิมยังคงใช้ฉบับที่ใช้อยู่
