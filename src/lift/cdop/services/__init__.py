"""Writes of the child death review area: keyword-only, validated, atomic.

Messages leaving LIFT (alerts, acknowledgements, reporting-form links, reminders) carry the
case number and a link only, never the child's identifiers.

One module per stage; every name is re-exported here, so `services.childdeath_notify(...)`
and `from lift.cdop.services import childdeath_notify` work as before.
"""

from .analysis import (
    analysis_recommend,
    analysis_record,
    campaign_create,
    campaign_update,
    cdop_referral_chair_decide,
    cdop_referral_create,
)
from .base import R, coordinators, settings_for
from .cases import childdeath_notify, childdeath_update, identity_update
from .meetings import (
    cdopmeeting_create,
    cdopmeeting_update,
    meeting_case_add,
    meeting_member_add,
    meeting_members,
    meeting_paper_attach,
    review_meeting_record,
)
from .reports import (
    agency_report_link_send,
    agency_report_request,
    agency_report_resend,
    agency_report_submit,
    agency_report_withdraw,
    report_for_token,
    report_link,
    report_questions,
    report_reminders,
    token_hash,
)

__all__ = [
    "R",
    "agency_report_link_send",
    "agency_report_request",
    "agency_report_resend",
    "agency_report_submit",
    "agency_report_withdraw",
    "analysis_recommend",
    "analysis_record",
    "campaign_create",
    "campaign_update",
    "cdop_referral_chair_decide",
    "cdop_referral_create",
    "cdopmeeting_create",
    "cdopmeeting_update",
    "childdeath_notify",
    "childdeath_update",
    "coordinators",
    "identity_update",
    "meeting_case_add",
    "meeting_member_add",
    "meeting_members",
    "meeting_paper_attach",
    "report_for_token",
    "report_link",
    "report_questions",
    "report_reminders",
    "review_meeting_record",
    "settings_for",
    "token_hash",
]
