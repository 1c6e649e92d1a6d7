# Karuna — Thai messages for addresses (primary language). Keep keys equal to en/address.ftl.

## Address fields (Bangkok has เขต/แขวง instead of อำเภอ/ตำบล; see karuna_thai::address)
address-province = จังหวัด
address-district = อำเภอ
address-district-bkk = เขต
address-subdistrict = ตำบล
address-subdistrict-bkk = แขวง
address-postcode = รหัสไปรษณีย์
address-house-no = บ้านเลขที่
address-moo = หมู่ที่
address-soi = ซอย
address-road = ถนน
address-village = หมู่บ้าน/อาคาร
address-choose-province = — เลือกจังหวัด —
address-choose-district = — เลือกอำเภอ/เขต —
address-choose-subdistrict = — เลือกตำบล/แขวง —

## Address errors (error- + code, dots and underscores as dashes)
error-thai-address-unknown-province = ไม่พบจังหวัดนี้
error-thai-address-unknown-district = ไม่พบอำเภอหรือเขตนี้
error-thai-address-unknown-subdistrict = ไม่พบตำบลหรือแขวงนี้
error-thai-address-district-not-in-province = อำเภอหรือเขตนี้ไม่ได้อยู่ในจังหวัดที่เลือก
error-thai-address-subdistrict-not-in-district = ตำบลหรือแขวงนี้ไม่ได้อยู่ในอำเภอหรือเขตที่เลือก
error-thai-address-postcode-mismatch = รหัสไปรษณีย์ไม่ตรงกับตำบลหรือแขวงที่เลือก
error-thai-address-postcode-format = รหัสไปรษณีย์ต้องเป็นตัวเลข 5 หลัก
