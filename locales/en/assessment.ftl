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
