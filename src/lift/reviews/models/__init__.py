"""Serious incidents and case reviews.

The incident is the case: its case team (RoleAssignment role "case_team" with case = the
incident) is the only group that sees the restricted record of the children's real
identifiers (`ChildIdentity`). Every other page, list, export, letter, e-mail and API
response uses the pseudonym ("Child A").

One module per stage; Django finds the models through the imports here, and every name is
re-exported, so `from lift.reviews.models import Incident` works as before.
"""

from .access import BU, BU_CHAIR, LEAD, OVERSIGHT, TEAM, R
from .incidents import (
    IDENTIFIER_FIELDS,
    CaseTeamMember,
    ChildIdentity,
    Decision,
    Incident,
    InformationSharingMeeting,
    JointDhr,
    RapidReview,
    related_incident,
)
from .letters import Letter, LetterTemplate, PanelReply
from .publication import Publication, PublicationConcern, Referral
from .reviews import AgencyRequest, Contribution, ImrFile, Milestone, Review, Reviewer

__all__ = [
    "BU",
    "BU_CHAIR",
    "IDENTIFIER_FIELDS",
    "LEAD",
    "OVERSIGHT",
    "TEAM",
    "AgencyRequest",
    "CaseTeamMember",
    "ChildIdentity",
    "Contribution",
    "Decision",
    "ImrFile",
    "Incident",
    "InformationSharingMeeting",
    "JointDhr",
    "Letter",
    "LetterTemplate",
    "Milestone",
    "PanelReply",
    "Publication",
    "PublicationConcern",
    "R",
    "RapidReview",
    "Referral",
    "Review",
    "Reviewer",
    "related_incident",
]
