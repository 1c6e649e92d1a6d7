# karuna import: problems with a file's rows and cells.
error-import-cell-error = The cell holds an error value
error-import-formula = The cell holds a formula: type its value instead
error-import-national-id-on-record = A person with this national ID is already on record
error-import-national-id-repeated = This national ID is on an earlier row of the file
error-import-row = The row cannot be read
error-import-yes-no = Write yes or no (ใช่ / ไม่), or 1 or 0
error-import-case-unknown = No case with this number that you may add to
