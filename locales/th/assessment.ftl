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
