"""Section 11 workflows: open a cycle, answer and submit a return, peer challenge and
moderation, close the cycle, the overview report to the Board and the six-month follow-up.

Opening a cycle creates every return and every answer row with bulk_create. bulk_create
sends no post_save signals, so the change log would miss the returns: `_log_created` writes
one ChangeLog "create" entry per return in a single bulk insert (same fields as
core.history writes for a normal save). The answer rows are not logged one by one: each
return's entry records how many answers it was opened with, and every later change to an
answer is logged normally (answers are saved with .save()).

One module per stage; every name is re-exported here, so `services.cycle_open(...)` and
`from lift.section11.services import cycle_open` work as before.
"""

from .challenge import (
    answer_moderate,
    challenge_start,
    cycle_close,
    member_agency_ids,
    panel_create,
    panel_member_add,
    panel_member_remove,
    question_ask,
    question_respond,
    return_assign_panel,
    return_moderate,
)
from .cycles import (
    FOLLOW_UP_RULE,
    RS,
    cycle_create,
    cycle_open,
    framework_delete,
    framework_upload,
    level_values,
)
from .overview import (
    escalation_record,
    escalation_response_record,
    follow_up_clock,
    follow_up_due,
    follow_up_generate,
    follow_up_present,
    overview_create,
    overview_present,
)
from .returns import (
    answer_save,
    clean_links,
    progress,
    return_action_add,
    return_reopen,
    return_submit,
)

__all__ = [
    "FOLLOW_UP_RULE",
    "RS",
    "answer_moderate",
    "answer_save",
    "challenge_start",
    "clean_links",
    "cycle_close",
    "cycle_create",
    "cycle_open",
    "escalation_record",
    "escalation_response_record",
    "follow_up_clock",
    "follow_up_due",
    "follow_up_generate",
    "follow_up_present",
    "framework_delete",
    "framework_upload",
    "level_values",
    "member_agency_ids",
    "overview_create",
    "overview_present",
    "panel_create",
    "panel_member_add",
    "panel_member_remove",
    "progress",
    "question_ask",
    "question_respond",
    "return_action_add",
    "return_assign_panel",
    "return_moderate",
    "return_reopen",
    "return_submit",
]
