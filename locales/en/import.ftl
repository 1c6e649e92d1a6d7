# karuna import: problems with a file's rows and cells.
error-import-cell-error = The cell holds an error value
error-import-formula = The cell holds a formula: type its value instead
error-import-national-id-on-record = A person with this national ID is already on record
error-import-national-id-repeated = This national ID is on an earlier row of the file
error-import-row = The row cannot be read
error-import-yes-no = Write yes or no (ใช่ / ไม่), or 1 or 0
error-import-case-unknown = No case with this number that you may add to
error-import-client-unknown = No person on record holds this document number: import the persons first
error-import-client-ambiguous = More than one person on record holds this document number
error-import-legacy-number-taken = A case already has this earlier case number
error-import-legacy-number-repeated = This earlier case number is on an earlier row of the file
error-import-urgency-unknown = Unknown urgency: write routine, urgent or emergency (ปกติ, เร่งด่วน, ฉุกเฉิน)
error-import-date-in-future = The date is in the future
