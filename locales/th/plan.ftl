# The individual plan and monitoring.
error-plan-goal-required = แผนต้องมีเป้าหมายอย่างน้อยหนึ่งข้อ
error-plan-id-invalid = รหัสอ้างอิงไม่ถูกต้อง
error-plan-id-repeated = รหัสอ้างอิงซ้ำกับรายการอื่นในแผน
error-plan-dimension-unknown = ไม่รู้จักมิติของเป้าหมายนี้
error-plan-priority-unknown = ไม่รู้จักระดับความสำคัญนี้
error-plan-method-unknown = ไม่รู้จักวิธีการช่วยเหลือนี้
error-plan-not-on-team = ผู้รับผิดชอบต้องเป็นสมาชิกทีมของรายกรณีนี้
error-plan-responsible-required = โปรดระบุผู้รับผิดชอบ (สมาชิกทีมหรือหน่วยงานภายนอก)
error-plan-end-before-start = วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น
error-plan-status-unknown = ไม่รู้จักสถานะนี้
error-plan-goal-unknown = ไม่พบเป้าหมายนี้ในแผนที่ใช้อยู่
error-plan-approver-invalid = ผู้อนุมัติต้องเป็นหัวหน้างานของหน่วยงาน และไม่ใช่ผู้จัดทำแผน
error-plan-not-awaiting = แผนฉบับนี้ไม่ได้รอการอนุมัติ
error-progress-measure-required = โปรดให้คะแนน GAS หรือระบุค่าตัวชี้วัดอย่างน้อยหนึ่งอย่าง
error-progress-in-future = วันที่วัดผลต้องไม่เป็นวันในอนาคต
error-progress-source-unknown = ไม่รู้จักแหล่งหลักฐานนี้
