"""The roles a person can hold in a partnership, and the groups of roles rules refer to."""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    BUSINESS_UNIT = "business_unit", "Business unit"
    CHAIR = "chair", "Independent chair"
    BOARD_MEMBER = "board_member", "Board member"
    LAY_MEMBER = "lay_member", "Lay member"
    SUBGROUP_CHAIR = "subgroup_chair", "Sub-group chair"
    SUBGROUP_MEMBER = "subgroup_member", "Sub-group member"
    SAFEGUARDING_LEAD = "safeguarding_lead", "Agency safeguarding lead"
    AUDITOR = "auditor", "Auditor or practitioner"
    TRAINER = "trainer", "Trainer"
    LEARNER = "learner", "Learner"
    LINE_MANAGER = "line_manager", "Line manager"
    CDOP_COORDINATOR = "cdop_coordinator", "CDOP coordinator"
    YOUTH_COORDINATOR = "youth_coordinator", "Youth forum coordinator"
    SCRUTINEER = "scrutineer", "Read-only scrutineer"
    CASE_TEAM = "case_team", "Case team member"


R = Role

# Roles that must name the agency they act for.
AGENCY_ROLES = frozenset({R.SAFEGUARDING_LEAD, R.AUDITOR, R.LINE_MANAGER, R.LEARNER})

# Roles that must verify a second factor before they see anything.
MFA_ROLES = frozenset({R.BUSINESS_UNIT, R.CHAIR, R.CDOP_COORDINATOR})

# People who run or oversee the partnership and may read its work across agencies.
OVERSIGHT = frozenset(
    {
        R.BUSINESS_UNIT,
        R.CHAIR,
        R.BOARD_MEMBER,
        R.LAY_MEMBER,
        R.SUBGROUP_CHAIR,
        R.SUBGROUP_MEMBER,
        R.SCRUTINEER,
    }
)
# Those who administer the partnership's records.
ADMINS = frozenset({R.BUSINESS_UNIT})
# Those who may edit partnership-wide records (not just their agency's).
EDITORS = frozenset({R.BUSINESS_UNIT, R.CHAIR, R.SUBGROUP_CHAIR})
# Everyone with any role in the partnership.
EVERYONE = frozenset(Role)
