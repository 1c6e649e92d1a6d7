# Karuna — English messages for addresses. Keep keys equal to th/address.ftl.

## Address fields (Bangkok has khet/khwaeng instead of amphoe/tambon; see karuna_thai::address)
address-province = Province
address-district = District
address-district-bkk = District (khet)
address-subdistrict = Subdistrict
address-subdistrict-bkk = Subdistrict (khwaeng)
address-postcode = Postcode
address-house-no = House number
address-moo = Village no. (moo)
address-soi = Soi (lane)
address-road = Road
address-village = Village or building
address-choose-province = — Choose a province —
address-choose-district = — Choose a district —
address-choose-subdistrict = — Choose a subdistrict —

## Address errors (error- + code, dots and underscores as dashes)
error-thai-address-unknown-province = Unknown province
error-thai-address-unknown-district = Unknown district
error-thai-address-unknown-subdistrict = Unknown subdistrict
error-thai-address-district-not-in-province = This district is not in the chosen province
error-thai-address-subdistrict-not-in-district = This subdistrict is not in the chosen district
error-thai-address-postcode-mismatch = This postcode is not used in the chosen subdistrict
error-thai-address-postcode-format = A postcode has 5 digits
