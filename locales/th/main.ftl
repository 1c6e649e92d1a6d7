# Karuna — Thai message catalogue (primary language). Keep keys equal to en/main.ftl.

## Frame
app-name = กรุณา
skip-to-content = ข้ามไปยังเนื้อหาหลัก
nav-label = เมนูหลัก
nav-home = หน้าแรก
nav-users = ผู้ใช้งาน
nav-audit = บันทึกการตรวจสอบ
nav-profile = ข้อมูลของฉัน
nav-api = เอกสาร API
lang-name-th = ไทย
lang-name-en = English
logout = ออกจากระบบ
footer-text = กรุณา — ระบบจัดการรายกรณีสำหรับงานสังคมสงเคราะห์ ซอฟต์แวร์โอเพนซอร์ส
table-scroll-label = ตาราง (เลื่อนดูด้านข้างได้)

## Common words
save = บันทึก
choose-none = — ไม่ระบุ —
choose-any = — ทั้งหมด —
next-page = หน้าถัดไป
yes = ใช่
date-placeholder = วว/ดด/ปปปป
era-be = พุทธศักราช (พ.ศ.)
era-ce = คริสต์ศักราช (ค.ศ.)

## Login
login-title = เข้าสู่ระบบ
login-intro = กรุณาใช้ชื่อผู้ใช้และรหัสผ่านที่ได้รับจากผู้ดูแลระบบของหน่วยงาน
login-username = ชื่อผู้ใช้
login-password = รหัสผ่าน
login-submit = เข้าสู่ระบบ
login-demo-heading = บัญชีทดลอง (โหมดสาธิตเท่านั้น)
login-demo-password = ทุกบัญชีใช้รหัสผ่าน { $password }
login-failed = ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง

## Home
home-title = หน้าแรก
home-welcome = สวัสดี คุณ{ $name }
home-role-help-admin = ผู้ดูแลระบบจัดการบัญชีผู้ใช้และหน่วยงาน แต่ไม่เห็นเนื้อหาของรายกรณี
home-role-help-supervisor = หัวหน้างานเห็นรายกรณีทั้งหมดของหน่วยงานตนเอง และให้คำปรึกษาแก่ผู้จัดการรายกรณี
home-role-help-case-manager = ผู้จัดการรายกรณีดูแลผู้รับบริการตั้งแต่รับเรื่องจนปิดรายกรณี
home-role-help-team-member = สมาชิกทีมสหวิชาชีพเห็นเฉพาะรายกรณีที่ตนเป็นสมาชิกทีม
home-role-help-data-analyst = นักวิเคราะห์ข้อมูลเห็นเฉพาะตัวเลขสรุป ไม่เห็นข้อมูลส่วนบุคคล
home-role-help-auditor = ผู้ตรวจสอบเห็นเฉพาะบันทึกการตรวจสอบ (ใครทำอะไร เมื่อใด)

## Roles and professions
role-admin = ผู้ดูแลระบบ
role-supervisor = หัวหน้างาน
role-case-manager = ผู้จัดการรายกรณี
role-team-member = สมาชิกทีมสหวิชาชีพ
role-data-analyst = นักวิเคราะห์ข้อมูล
role-auditor = ผู้ตรวจสอบ
profession-social-worker = นักสังคมสงเคราะห์
profession-psychologist = นักจิตวิทยา
profession-doctor = แพทย์
profession-nurse = พยาบาล
profession-teacher = ครู
profession-lawyer = นักกฎหมาย
profession-police = ตำรวจ
profession-interpreter = ล่าม
profession-other = อื่น ๆ

## Profile
profile-title = ข้อมูลของฉัน
profile-display-name = ชื่อที่แสดง
profile-username = ชื่อผู้ใช้
profile-role = บทบาท
profile-unit = หน่วยงาน
profile-preferences = การตั้งค่า
profile-language = ภาษา
profile-calendar = ปฏิทิน
profile-password = เปลี่ยนรหัสผ่าน
profile-password-help = รหัสผ่านใหม่ต้องยาวอย่างน้อย 10 ตัวอักษร การเปลี่ยนรหัสผ่านจะออกจากระบบในอุปกรณ์อื่นทั้งหมด
profile-current-password = รหัสผ่านปัจจุบัน
profile-new-password = รหัสผ่านใหม่
profile-confirm-password = ยืนยันรหัสผ่านใหม่
profile-change-password = เปลี่ยนรหัสผ่าน
profile-saved-preferences = บันทึกการตั้งค่าแล้ว
profile-saved-password = เปลี่ยนรหัสผ่านแล้ว
profile-saved-email = บันทึกการตั้งค่าอีเมลแล้ว
profile-email-title = การแจ้งเตือนทางอีเมล
profile-email-help = สรุปการแจ้งเตือนใหม่ของวันส่งถึงคุณวันละครั้ง ในอีเมลมีเพียงชื่อต้นและเลขที่รายกรณี ไม่มีข้อมูลส่วนบุคคลอื่นของผู้รับบริการ
profile-email-server-off = ระบบนี้ยังไม่ได้ตั้งค่าการส่งอีเมล จึงยังไม่มีอีเมลส่งออกไป แม้คุณจะเลือกรับสรุปรายวันไว้แล้วก็ตาม
profile-email = อีเมล
profile-daily-digest = รับสรุปการแจ้งเตือนรายวันทางอีเมล

## User administration
users-title = ผู้ใช้งาน
users-new = เพิ่มผู้ใช้งาน
users-edit-title = แก้ไขผู้ใช้งาน
users-col-username = ชื่อผู้ใช้
users-col-name = ชื่อที่แสดง
users-col-role = บทบาท
users-col-unit = หน่วยงาน
users-col-status = สถานะ
users-active = ใช้งานอยู่
users-resource-editor = ดูแลข้อมูลทำเนียบหน่วยบริการ
users-inactive = ระงับการใช้งาน
users-locked = ถูกล็อกชั่วคราว
users-profession = วิชาชีพ (สำหรับสมาชิกทีม)
users-initial-password = รหัสผ่านเริ่มต้น
users-initial-password-help = เว้นว่างไว้เพื่อให้ระบบสร้างรหัสผ่านให้ ซึ่งจะแสดงเพียงครั้งเดียว
users-created-with-password = สร้างบัญชี { $username } แล้ว รหัสผ่านเริ่มต้นคือ
users-password-once = รหัสผ่านนี้จะแสดงเพียงครั้งเดียว โปรดส่งให้ผู้ใช้อย่างปลอดภัย
users-back = กลับไปยังรายชื่อผู้ใช้งาน
users-saved = บันทึกผู้ใช้งานแล้ว

## Audit log
audit-title = บันทึกการตรวจสอบ
audit-when = เวลา
audit-actor = ผู้กระทำ
audit-action = การกระทำ
audit-entity = ข้อมูลที่เกี่ยวข้อง
audit-entity-type = ประเภทข้อมูล
audit-entity-id = รหัสข้อมูล
audit-outcome = ผลลัพธ์
audit-outcome-success = สำเร็จ
audit-outcome-denied = ถูกปฏิเสธ
audit-outcome-failure = ไม่สำเร็จ
audit-reason = เหตุผล
audit-sealed = ผนึกในสายแฮชแล้ว
audit-pending = รอผนึก
audit-from = ตั้งแต่วันที่
audit-to = ถึงวันที่
audit-filter = กรอง
audit-empty = ไม่พบรายการที่ตรงกับเงื่อนไข

## Error page
error-status = รหัสสถานะ HTTP { $status }
error-back-home = กลับหน้าแรก

## API documentation
api-docs-title = เอกสาร API
api-docs-intro = API แบบ JSON ของกรุณา ใช้คุกกี้ของเบราว์เซอร์ หรือโทเค็น Bearer ที่สร้างด้วยคำสั่ง karuna admin token ข้อกำหนด OpenAPI:

## Problems (HTTP errors)
problem-unauthenticated-title = กรุณาเข้าสู่ระบบ
problem-unauthenticated-detail = คำขอนี้ต้องเข้าสู่ระบบก่อน หรือเซสชันหมดอายุแล้ว
problem-forbidden-title = ไม่มีสิทธิ์เข้าถึง
problem-forbidden-detail = บทบาทของคุณไม่มีสิทธิ์ดูหรือแก้ไขข้อมูลนี้ การปฏิเสธนี้ถูกบันทึกไว้แล้ว
problem-not-found-title = ไม่พบหน้าที่ต้องการ
problem-not-found-detail = ไม่มีข้อมูลหรือหน้านี้ หรืออาจถูกย้ายไปแล้ว
problem-conflict-title = ข้อมูลถูกแก้ไขโดยผู้อื่น
problem-conflict-detail = มีผู้อื่นบันทึกข้อมูลนี้หลังจากที่คุณเปิดดู โปรดโหลดข้อมูลใหม่แล้วแก้ไขอีกครั้ง
problem-invalid-title = ข้อมูลไม่ถูกต้อง
problem-invalid-detail = โปรดแก้ไขช่องที่มีข้อความแจ้งเตือน
problem-login-failed-title = เข้าสู่ระบบไม่สำเร็จ
problem-login-failed-detail = ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง
problem-locked-title = บัญชีถูกล็อกชั่วคราว
problem-locked-detail = ใส่รหัสผ่านผิดหลายครั้ง โปรดลองใหม่หลัง { $until }
problem-internal-title = เกิดข้อผิดพลาดในระบบ
problem-internal-detail = ระบบไม่สามารถดำเนินการได้ในขณะนี้ ข้อมูลของคุณไม่ถูกบันทึกบางส่วน โปรดลองใหม่อีกครั้ง
problem-csrf-title = แบบฟอร์มหมดอายุ
problem-csrf-detail = แบบฟอร์มนี้หมดอายุหรือไม่ได้ส่งมาจากหน้าของกรุณา โปรดโหลดหน้าใหม่แล้วลองอีกครั้ง
problem-bad-form-title = แบบฟอร์มไม่ถูกต้อง
problem-bad-form-detail = ข้อมูลที่ส่งมาอ่านไม่ได้ โปรดโหลดหน้าใหม่แล้วลองอีกครั้ง
problem-too-large-title = ข้อมูลใหญ่เกินไป
problem-too-large-detail = ข้อมูลที่ส่งมีขนาดเกินกว่าที่ระบบรับได้
problem-bad-json-title = JSON ไม่ถูกต้อง
problem-bad-json-detail = เนื้อหาของคำขอไม่ใช่ JSON ที่ถูกต้อง
problem-bad-json-shape-title = โครงสร้าง JSON ไม่ถูกต้อง
problem-bad-json-shape-detail = JSON ขาดช่องที่จำเป็น หรือมีชนิดข้อมูลไม่ตรงกับที่กำหนด
problem-json-required-title = ต้องส่งเป็น JSON
problem-json-required-detail = โปรดส่งเนื้อหาพร้อมส่วนหัว Content-Type: application/json

## Field errors (error- + code, dots and underscores as dashes)
error-required = โปรดกรอกช่องนี้
error-too-long = ข้อความยาวเกินไป
error-email-invalid = อีเมลไม่ถูกต้อง กรอกที่อยู่เดียว เช่น somsri@example.go.th
error-email-required-for-digest = กรอกอีเมลก่อนเลือกรับสรุปรายวัน
error-json-shape = โครงสร้างข้อมูลไม่ถูกต้อง: { $detail }
error-username-invalid = ชื่อผู้ใช้ต้องยาว 3–40 ตัว ขึ้นต้นด้วยอักษรหรือตัวเลข ใช้ได้เฉพาะอักษรอังกฤษตัวเล็ก ตัวเลข จุด ขีดกลาง และขีดล่าง
error-username-taken = ชื่อผู้ใช้นี้มีผู้ใช้แล้ว
error-password-too-short = รหัสผ่านต้องยาวอย่างน้อย { $min } ตัวอักษร
error-password-too-long = รหัสผ่านต้องยาวไม่เกิน { $max } ตัวอักษร
error-password-too-common = รหัสผ่านนี้คาดเดาง่ายเกินไป
error-password-contains-username = รหัสผ่านต้องไม่มีชื่อผู้ใช้อยู่ด้วย
error-password-mismatch = รหัสผ่านใหม่ทั้งสองช่องไม่ตรงกัน
error-password-unchanged = รหัสผ่านใหม่ต้องไม่ซ้ำกับรหัสผ่านเดิม
error-password-wrong-current = รหัสผ่านปัจจุบันไม่ถูกต้อง
error-role-unknown = ไม่รู้จักบทบาทนี้
error-profession-required = สมาชิกทีมต้องระบุวิชาชีพ
error-profession-unknown = ไม่รู้จักวิชาชีพนี้
error-unit-unknown = ไม่พบหน่วยงานนี้ในองค์กรของคุณ
error-lang-unknown = ไม่รองรับภาษานี้
error-era-unknown = ไม่รู้จักปฏิทินนี้
error-account-cannot-demote-self = คุณไม่สามารถลดสิทธิ์หรือระงับบัญชีของตนเองได้
error-user-unknown = ไม่พบผู้ใช้งานนี้
error-thai-date-empty = โปรดกรอกวันที่
error-thai-date-format = รูปแบบวันที่ไม่ถูกต้อง ใช้ วว/ดด/ปปปป หรือ ปปปป-ดด-วว
error-thai-date-day = ไม่มีวันที่นี้ในเดือนที่ระบุ
error-thai-date-month = เดือนต้องอยู่ระหว่าง 1 ถึง 12
error-thai-date-year = ปีไม่อยู่ในช่วงที่รับได้
error-thai-id-empty = โปรดกรอกเลขประจำตัว
error-thai-id-length = เลขประจำตัวประชาชนต้องมี 13 หลัก
error-thai-id-non-digit = เลขประจำตัวประชาชนต้องเป็นตัวเลขเท่านั้น
error-thai-id-checksum = เลขตรวจสอบหลักสุดท้ายไม่ถูกต้อง
error-thai-id-wrong-series = เลขนี้ไม่อยู่ในชุดที่ใช้กับเอกสารประเภทนี้
error-thai-id-unexpected-number = เอกสารประเภทนี้ไม่มีเลข
error-thai-id-passport-char = เลขหนังสือเดินทางใช้ได้เฉพาะอักษรอังกฤษและตัวเลข
error-thai-id-passport-length = เลขหนังสือเดินทางต้องยาว 5–20 ตัว
error-thai-id-document-char = เลขเอกสารมีอักขระที่ใช้ไม่ได้
error-thai-id-document-length = เลขเอกสารยาวหรือสั้นเกินไป
error-thai-phone-empty = โปรดกรอกหมายเลขโทรศัพท์
error-thai-phone-invalid-char = หมายเลขโทรศัพท์มีอักขระที่ใช้ไม่ได้
error-thai-phone-length = จำนวนหลักของหมายเลขโทรศัพท์ไม่ถูกต้อง
error-thai-phone-prefix = หมายเลขโทรศัพท์ขึ้นต้นไม่ถูกต้อง
