"""Who runs and reads the training records: the role groups the models' access rules use."""

from __future__ import annotations

from lift.core import roles as r

R = r.R
# Trainers and the Training sub-group run the programme, sessions and registers.
TRAINING_STAFF = r.ADMINS | {R.TRAINER, R.SUBGROUP_CHAIR}
# Those who read all of the partnership's training records (attendance, evaluations).
TRAINING_READERS = r.OVERSIGHT | {R.TRAINER}
# The Executive's approval of the programme is recorded by the business unit or the chair.
APPROVERS = r.ADMINS | {R.CHAIR}
LEAD = {R.SAFEGUARDING_LEAD}
