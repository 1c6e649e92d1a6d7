# Assessment templates and assessments (English). Keep keys equal to th/assessment.ftl.

## Field errors: templates (the field names the path in the template)
error-assessment-template-unreadable = The template cannot be read (JSON or YAML expected): { $detail }
error-assessment-template-bad-code = Use lower-case letters, digits and _, starting with a letter
error-assessment-template-duplicate-code = This code repeats an earlier one
error-assessment-template-duplicate-id = The question id { $id } repeats an earlier question
error-assessment-template-no-sections = A template needs at least one domain
error-assessment-template-no-questions = Each domain needs at least one question
error-assessment-template-too-few-options = A choice question needs at least two options
error-assessment-template-options-not-allowed = This type of question cannot have options
error-assessment-template-bad-range = The range is wrong (the minimum must be below the maximum)
error-assessment-template-range-not-allowed = This type of question cannot have a minimum or maximum
error-assessment-template-scoring-not-allowed = A { $type } question cannot be scored this way
error-assessment-template-show-if-unknown = The show-if condition names { $question }, which is not in the template
error-assessment-template-show-if-later = A show-if condition may only name an earlier question ({ $question })
error-assessment-template-show-if-value = The show-if condition must list possible answers of that question
error-assessment-template-levels-out-of-order = Levels must go from the lowest score up
error-assessment-template-urgency-unknown = Unknown urgency
error-assessment-template-key-mismatch = The template key does not match the existing one
error-assessment-template-not-draft = This version is published; it cannot be changed or published again
error-assessment-template-unknown = No published template has this key

## Field errors: answers and notes
error-assessment-answer-unknown-question = This template version has no such question
error-assessment-answer-wrong-type = The answer does not fit the question's type
error-assessment-answer-not-an-option = This answer is not one of the options
error-assessment-answer-out-of-range = The value is outside the allowed range
error-assessment-notes-unknown-domain = This template version has no such domain
error-assessment-not-draft = This assessment is completed and cannot be changed

## Pages: the case team
case-tab-assessments = Assessments
assessment-heading = Assessments of the case
assessment-back-to-case = ← Back to the case file
assessment-back-to-list = ← Back to the assessments
assessment-none = No assessments yet
assessment-none-completed = No completed assessment with this template yet
assessment-template = Template
assessment-template-version = Version
assessment-status = Status
assessment-status-draft = Draft
assessment-status-completed = Completed
assessment-started = Started
assessment-completed = Completed on
assessment-total = Total score
assessment-compare = Compare over time
assessment-start = Start a new assessment
assessment-yes = Yes
assessment-no = No
assessment-notes = Sources and the worker's analysis
assessment-sources = Sources of information
assessment-strengths = Strengths
assessment-needs = Needs
assessment-causes = Causes
assessment-impacts = Impacts
assessment-options = Options
assessment-saved = Saved
assessment-has-errors = Not saved yet; please correct the following
assessment-show-if-help = Some questions appear depending on earlier answers: press "Save draft" to show them
assessment-required = Required
assessment-save = Save draft
assessment-complete = Save and complete
assessment-domain = Domain
assessment-chart-label = Bar chart of the domain scores of each assessment

## Pages: templates (admins)
nav-templates = Templates
template-admin-heading = Assessment templates
template-key = Key
template-published = Published
template-draft = Draft
template-import = Import as a new draft
template-preview = Preview
template-source = Template (JSON or YAML)
template-has-errors = The template has errors (each names its place in the template)
template-export-yaml = Export as YAML
template-export-json = Export as JSON
template-publish = Publish this version
template-publish-help = Once published this version cannot change. New assessments use it; existing ones keep their version.
