## Printed documents (karuna-pdf): the footer and page label every PDF shares, and the case file
pdf-footer = { $org } · printed { $date }
pdf-page = Page { "{" }page{ "}" } of { "{" }total{ "}" }
case-pdf-download = Print the case file (PDF)
case-pdf-title = Case file { $number }
case-pdf-confidential = Confidential: a client's personal data, for their help only. Not to be disclosed without legal authority.
case-pdf-person = Name
case-pdf-relationship = Relationship
case-pdf-recorded-by = Recorded by
case-pdf-progress = Progress towards the goals
case-pdf-date = Date
case-pdf-goal = Goal
case-pdf-gas = GAS level
case-pdf-note = Note
case-pdf-due = Due
case-pdf-done = Done on
audit-action-case-export = Printed a case file as PDF
