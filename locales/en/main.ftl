# Karuna — English message catalogue. Keep keys equal to th/main.ftl.

## Frame
app-name = Karuna
skip-to-content = Skip to main content
nav-label = Main menu
nav-home = Home
nav-users = Users
nav-audit = Audit log
nav-profile = My profile
nav-api = API docs
lang-name-th = ไทย
lang-name-en = English
logout = Log out
footer-text = Karuna — open-source case management for social work
table-scroll-label = Table (scrolls sideways)

## Common words
save = Save
choose-none = — none —
choose-any = — any —
next-page = Next page
yes = Yes
date-placeholder = dd/mm/yyyy
era-be = Buddhist era (B.E.)
era-ce = Common era (C.E.)

## Login
login-title = Log in
login-intro = Use the username and password your organisation's administrator gave you.
login-username = Username
login-password = Password
login-submit = Log in
login-demo-heading = Demo accounts (demo mode only)
login-demo-password = Every demo account uses the password { $password }
login-failed = Wrong username or password

## Home
home-title = Home
home-welcome = Welcome, { $name }
home-role-help-admin = Administrators manage accounts and units but do not see case content.
home-role-help-supervisor = Supervisors see every case of their unit and advise its case managers.
home-role-help-case-manager = Case managers walk each client from intake to closure.
home-role-help-team-member = Team members see only the cases whose team they are on.
home-role-help-data-analyst = Data analysts see aggregate figures only, never personal data.
home-role-help-auditor = Auditors see the audit log only: who did what, and when.

## Roles and professions
role-admin = Administrator
role-supervisor = Supervisor
role-case-manager = Case manager
role-team-member = Team member
role-data-analyst = Data analyst
role-auditor = Auditor
profession-social-worker = Social worker
profession-psychologist = Psychologist
profession-doctor = Doctor
profession-nurse = Nurse
profession-teacher = Teacher
profession-lawyer = Lawyer
profession-police = Police
profession-interpreter = Interpreter
profession-other = Other

## Profile
profile-title = My profile
profile-display-name = Display name
profile-username = Username
profile-role = Role
profile-unit = Unit
profile-preferences = Preferences
profile-language = Language
profile-calendar = Calendar
profile-password = Change password
profile-password-help = The new password needs at least 10 characters. Changing it logs you out on every other device.
profile-current-password = Current password
profile-new-password = New password
profile-confirm-password = Confirm new password
profile-change-password = Change password
profile-saved-preferences = Preferences saved
profile-saved-password = Password changed
profile-saved-email = E-mail settings saved
profile-email-title = E-mail notifications
profile-email-help = Once a day, a summary of your new notifications. A mail carries only first names and case numbers, never other personal data about clients.
profile-email-server-off = This server is not set up to send e-mail yet, so no mail goes out even if you ask for the daily summary.
profile-email = E-mail address
profile-daily-digest = Send me a daily summary of my notifications by e-mail

## User administration
users-title = Users
users-new = Add user
users-edit-title = Edit user
users-col-username = Username
users-col-name = Display name
users-col-role = Role
users-col-unit = Unit
users-col-status = Status
users-active = Active
users-resource-editor = Maintains the resource directory
users-inactive = Deactivated
users-locked = Temporarily locked
users-profession = Profession (for team members)
users-initial-password = Initial password
users-initial-password-help = Leave empty to have one generated; it is shown only once.
users-created-with-password = Account { $username } created. Its initial password is
users-password-once = This password is shown only once. Pass it to the user safely.
users-back = Back to the user list
users-saved = User saved

## Audit log
audit-title = Audit log
audit-when = When
audit-actor = Actor
audit-action = Action
audit-entity = Record
audit-entity-type = Record type
audit-entity-id = Record id
audit-outcome = Outcome
audit-outcome-success = Success
audit-outcome-denied = Denied
audit-outcome-failure = Failed
audit-reason = Reason
audit-sealed = Sealed in the hash chain
audit-pending = Pending
audit-from = From date
audit-to = To date
audit-filter = Filter
audit-empty = No entries match these filters.

## Error page
error-status = HTTP status { $status }
error-back-home = Back to the home page

## API documentation
api-docs-title = API documentation
api-docs-intro = Karuna's JSON API, used with the browser's session cookie or a bearer token from karuna admin token. OpenAPI document:

## Problems (HTTP errors)
problem-unauthenticated-title = Please log in
problem-unauthenticated-detail = This request needs you to log in, or your session has expired.
problem-forbidden-title = Not allowed
problem-forbidden-detail = Your role may not see or change this. The refusal has been recorded.
problem-not-found-title = Not found
problem-not-found-detail = This page or record does not exist, or it has moved.
problem-conflict-title = Changed by someone else
problem-conflict-detail = Someone saved this record after you opened it. Reload it and make your change again.
problem-invalid-title = Some fields need attention
problem-invalid-detail = Please correct the fields marked below.
problem-login-failed-title = Login failed
problem-login-failed-detail = Wrong username or password.
problem-locked-title = Account temporarily locked
problem-locked-detail = Too many wrong passwords. Try again after { $until }.
problem-internal-title = Something went wrong
problem-internal-detail = Karuna could not complete this request; nothing was partly saved. Please try again.
problem-csrf-title = Form expired
problem-csrf-detail = This form expired or did not come from a Karuna page. Reload the page and try again.
problem-bad-form-title = Unreadable form
problem-bad-form-detail = The submitted form could not be read. Reload the page and try again.
problem-too-large-title = Too large
problem-too-large-detail = The request is larger than Karuna accepts.
problem-bad-json-title = Invalid JSON
problem-bad-json-detail = The request body is not valid JSON.
problem-bad-json-shape-title = Wrong JSON shape
problem-bad-json-shape-detail = The JSON lacks a required field or has a value of the wrong type.
problem-json-required-title = JSON required
problem-json-required-detail = Send the body with the header Content-Type: application/json.

## Field errors (error- + code, dots and underscores as dashes)
error-required = Please fill in this field
error-too-long = This text is too long
error-email-invalid = Not a valid e-mail address: give one address such as somsri@example.go.th
error-email-required-for-digest = Give an e-mail address to receive the daily summary
error-json-shape = Wrong data shape: { $detail }
error-username-invalid = Usernames are 3–40 characters starting with a letter or digit: lower-case letters, digits, dot, dash and underscore
error-username-taken = This username is already taken
error-password-too-short = The password needs at least { $min } characters
error-password-too-long = The password may have at most { $max } characters
error-password-too-common = This password is too easy to guess
error-password-contains-username = The password must not contain the username
error-password-mismatch = The two new passwords differ
error-password-unchanged = The new password must differ from the current one
error-password-wrong-current = The current password is wrong
error-role-unknown = Unknown role
error-profession-required = Team members need a profession
error-profession-unknown = Unknown profession
error-unit-unknown = This unit is not in your organisation
error-lang-unknown = Unsupported language
error-era-unknown = Unknown calendar
error-account-cannot-demote-self = You cannot demote or deactivate your own account
error-user-unknown = No such user
error-thai-date-empty = Please enter a date
error-thai-date-format = Unrecognised date; use dd/mm/yyyy or yyyy-mm-dd
error-thai-date-day = That day does not exist in that month
error-thai-date-month = The month must be 1 to 12
error-thai-date-year = The year is out of range
error-thai-id-empty = Please enter the number
error-thai-id-length = A Thai national ID has 13 digits
error-thai-id-non-digit = A Thai national ID has digits only
error-thai-id-checksum = The check digit (last digit) is wrong
error-thai-id-wrong-series = This number is not in the series used for this document type
error-thai-id-unexpected-number = This document type has no number
error-thai-id-passport-char = Passport numbers use Latin letters and digits only
error-thai-id-passport-length = Passport numbers have 5 to 20 characters
error-thai-id-document-char = The document number has characters that are not allowed
error-thai-id-document-length = The document number is too long or too short
error-thai-phone-empty = Please enter a phone number
error-thai-phone-invalid-char = The phone number has characters that are not allowed
error-thai-phone-length = The phone number has the wrong number of digits
error-thai-phone-prefix = The phone number starts with an unknown prefix
