"""Writes of the audits area: keyword-only, atomic, validated; rules from rules.py.

Governance (Board agenda items, business plan priorities) is reached through its services
when the app is there; the learning chain through lift.learning.services.

One module per stage; every name is re-exported here, so `services.audit_create(...)` and
`from lift.audits.services import audit_create` work as before.
"""

from .base import audit_identifiers, case_identifiers
from .case_audits import (
    agency_programme_create,
    agency_programme_update,
    case_audit_acknowledge,
    case_audit_feedback,
    case_audit_record,
    smt_report_record,
    smt_report_share,
    team_schedule_add,
)
from .completion import (
    audit_complete,
    audit_dissemination_record,
    audit_finding_add,
    audit_overview_save,
    audit_recommendation_add,
    audit_report_to_board,
    board_items,
    views_attach_consultation,
    views_record,
    views_waiver_agree,
    views_waiver_approve,
    views_waiver_request,
    workshop_record,
)
from .design import (
    audit_create,
    audit_priority_link,
    audit_status_set,
    audit_team_add,
    audit_update,
    case_identity_update,
    governance_available,
    programme_create,
    programme_update,
    sample_case_add,
)
from .returns import (
    assignment_create,
    assignment_declare,
    return_quality_assure,
    return_section_save,
    return_send_back,
    return_submit,
    return_summary_save,
)

__all__ = [
    "agency_programme_create",
    "agency_programme_update",
    "assignment_create",
    "assignment_declare",
    "audit_complete",
    "audit_create",
    "audit_dissemination_record",
    "audit_finding_add",
    "audit_identifiers",
    "audit_overview_save",
    "audit_priority_link",
    "audit_recommendation_add",
    "audit_report_to_board",
    "audit_status_set",
    "audit_team_add",
    "audit_update",
    "board_items",
    "case_audit_acknowledge",
    "case_audit_feedback",
    "case_audit_record",
    "case_identifiers",
    "case_identity_update",
    "governance_available",
    "programme_create",
    "programme_update",
    "return_quality_assure",
    "return_section_save",
    "return_send_back",
    "return_submit",
    "return_summary_save",
    "sample_case_add",
    "smt_report_record",
    "smt_report_share",
    "team_schedule_add",
    "views_attach_consultation",
    "views_record",
    "views_waiver_agree",
    "views_waiver_approve",
    "views_waiver_request",
    "workshop_record",
]
