# The individual plan and monitoring.
error-plan-goal-required = A plan needs at least one goal
error-plan-id-invalid = This reference id is not valid
error-plan-id-repeated = This reference id is used twice in the plan
error-plan-dimension-unknown = Unknown goal dimension
error-plan-priority-unknown = Unknown priority
error-plan-method-unknown = Unknown intervention method
error-plan-not-on-team = The person responsible must be on this case's team
error-plan-responsible-required = Say who is responsible (a team member or an outside provider)
error-plan-end-before-start = The end date cannot be before the start date
error-plan-status-unknown = Unknown status
error-plan-goal-unknown = This goal is not in the plan in force
error-plan-approver-invalid = Plans are approved by a supervisor of the unit other than the plan's author
error-plan-not-awaiting = This version is not awaiting approval
error-progress-measure-required = Give a GAS score or the indicator's value, or both
error-progress-in-future = The measurement cannot be in the future
error-progress-source-unknown = Unknown source of evidence
