"""Who reads and writes the case records: the role groups the models' access rules use."""

from __future__ import annotations

from lift.core import roles as r

R = r.R
TEAM = frozenset({R.CASE_TEAM})
OVERSIGHT = r.OVERSIGHT
BU = r.ADMINS
BU_CHAIR = r.ADMINS | {R.CHAIR}
LEAD = frozenset({R.SAFEGUARDING_LEAD})
