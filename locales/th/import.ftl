# karuna import: ปัญหาของแถวและเซลล์ในไฟล์นำเข้า
error-import-cell-error = เซลล์นี้มีค่าผิดพลาด
error-import-formula = เซลล์นี้เป็นสูตร โปรดพิมพ์ค่าแทนสูตร
error-import-national-id-on-record = มีบุคคลที่ใช้เลขประจำตัวประชาชนนี้ในระบบแล้ว
error-import-national-id-repeated = เลขประจำตัวประชาชนนี้ซ้ำกับแถวก่อนหน้าในไฟล์
error-import-row = อ่านแถวนี้ไม่ได้
