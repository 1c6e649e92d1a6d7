# การป้องกันการเข้าสู่ระบบและรหัสผ่าน (ประเด็นความปลอดภัย)
problem-throttled-title = พยายามเข้าสู่ระบบบ่อยเกินไป
problem-throttled-detail = มีการพยายามเข้าสู่ระบบจากที่นี่หรือด้วยชื่อนี้บ่อยเกินไป โปรดรอ { $seconds } วินาทีแล้วลองใหม่
problem-busy-title = ระบบกำลังทำงานหนัก
problem-busy-detail = ระบบกำลังตรวจรหัสผ่านของผู้อื่นอยู่ โปรดลองใหม่ในอีกสักครู่
error-password-demo = รหัสผ่านนี้คือรหัสผ่านของระบบทดลองที่เผยแพร่อยู่ ใช้กับบัญชีจริงไม่ได้

## การเข้าสู่ระบบของฉัน (หน้าข้อมูลของฉัน)
profile-sessions = อุปกรณ์ที่เข้าสู่ระบบอยู่
profile-sessions-help = เบราว์เซอร์แต่ละเครื่องที่คุณเข้าสู่ระบบไว้ ถ้าใช้คอมพิวเตอร์ร่วมกับผู้อื่นหรือทำอุปกรณ์หาย ให้ออกจากระบบที่นี่ การออกจากระบบทุกที่จะเหลือเฉพาะเบราว์เซอร์นี้
profile-session-device = เบราว์เซอร์และระบบ
profile-session-device-unknown = ไม่ทราบเบราว์เซอร์
profile-session-signed-in = เข้าสู่ระบบเมื่อ
profile-session-last-seen = ใช้งานล่าสุด
profile-session-until = หมดอายุอย่างช้า
profile-session-action = ออกจากระบบ
profile-session-this = เบราว์เซอร์นี้
profile-session-sign-out = ออกจากระบบ
profile-sign-out-everywhere = ออกจากระบบทุกที่ยกเว้นที่นี่
profile-session-signed-out = ออกจากระบบของอุปกรณ์นั้นแล้ว
profile-signed-out-everywhere = ออกจากระบบทุกที่แล้ว ยกเว้นที่นี่
audit-action-auth-sign-out-session = เจ้าของบัญชีสั่งออกจากระบบของอุปกรณ์หนึ่ง
audit-action-auth-sign-out-everywhere = ออกจากระบบทุกที่ยกเว้นที่นี่
