# karuna import: ปัญหาของแถวและเซลล์ในไฟล์นำเข้า
error-import-cell-error = เซลล์นี้มีค่าผิดพลาด
error-import-formula = เซลล์นี้เป็นสูตร โปรดพิมพ์ค่าแทนสูตร
error-import-national-id-on-record = มีบุคคลที่ใช้เลขประจำตัวประชาชนนี้ในระบบแล้ว
error-import-national-id-repeated = เลขประจำตัวประชาชนนี้ซ้ำกับแถวก่อนหน้าในไฟล์
error-import-row = อ่านแถวนี้ไม่ได้
error-import-yes-no = ระบุ ใช่ หรือ ไม่ (yes / no) หรือ 1 หรือ 0
error-import-case-unknown = ไม่พบรายกรณีเลขที่นี้ที่ท่านมีสิทธิ์เพิ่มข้อมูล
error-import-client-unknown = ไม่พบบุคคลที่ใช้เลขเอกสารนี้ในระบบ โปรดนำเข้าข้อมูลบุคคลก่อน
error-import-client-ambiguous = มีบุคคลในระบบมากกว่าหนึ่งคนที่ใช้เลขเอกสารนี้
error-import-legacy-number-taken = มีรายกรณีที่ใช้เลขที่รายกรณีเดิมนี้แล้ว
error-import-legacy-number-repeated = เลขที่รายกรณีเดิมนี้ซ้ำกับแถวก่อนหน้าในไฟล์
error-import-urgency-unknown = ไม่รู้จักระดับความเร่งด่วนนี้ โปรดระบุ ปกติ เร่งด่วน หรือ ฉุกเฉิน (routine, urgent, emergency)
error-import-date-in-future = วันที่นี้ยังมาไม่ถึง
