# Worklists and the safety items of issue 16: the safety screening's "not asked", promises
# released before closing, the duplicates list, approvals, what falls due, the analyst's figures.

intake-safety-not-asked = Not asked
intake-safety-required = Required
error-case-safety-unanswered = Answer this question, or choose “Not asked”
case-safety-not-asked = The safety screening is incomplete, so this case is “urgent”. Not asked yet:
case-safety-not-asked-action = Make the safety assessment

promise-status-released = Released (client told)
promise-event-released = Released, client told
timeline-promise-released = Promise released, client told
promise-client-told = The client has been told this will not be done
promise-release = Release the promise
promise-release-help = Release only once the client has been told. In the reason, say why, and when and how the client was told.
error-promise-release-note-required = Say why, and how the client was told
error-promise-client-not-told = A promise is released only once the client has been told
error-case-guard-open-promises = The case cannot close while a promise to the client is open: keep it, or release it with a note that the client was told
closure-open-promises = The case cannot close yet: { $n } promise(s) still open
closure-open-promises-help = Keep each promise, or release it with a note that the client was told, on the promises tab.
duplicates-how = Only pairs scoring { $min } or more are shown, highest first, with the reasons for the score.
duplicates-not-same-help = This pair will not be shown again (recorded in the audit log).
error-person-merge-keep-required = Choose the record to keep
reports-title = Case figures
reports-scope-org = Cases of the whole organisation.
reports-scope-unit = Cases of your unit.
reports-suppressed-help = Counts from 1 to 4 are shown as “<5” so that no one can be identified. A case of several types counts in each.
reports-by-status = By status
reports-by-type = By case type
reports-by-month = Opened per month (last 12 months)
reports-cases = Cases
home-reports = Case figures
home-approvals = Awaiting my approval ({ $count })
home-approvals-all = All cases awaiting approval
home-approval-plan = Plan version { $n }
home-approval-closure = Closure summary
home-due-soon-promises = Promises due in the next 7 days
home-due-soon-contacts = Contacts needing follow-up
home-due-by = due { $date }
home-contact-on = contact of { $date }
cases-awaiting-approval = Awaiting my approval ({ $count })
home-reviews-due-soon = Plan reviews due in the next 7 days
