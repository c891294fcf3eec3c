"""Choices of boards, meetings and the business plan."""

from django.db import models


class GroupKind(models.TextChoices):
    BOARD = "board", "Board"
    EXECUTIVE = "executive", "Executive"
    SUBGROUP = "subgroup", "Sub-group"
    CDOP = "cdop", "Child Death Overview Panel"
    PARTNER_BOARD = "partner_board", "Partner board"
    JOINT = "joint", "Joint meeting of groups"


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice chair"
    MEMBER = "member", "Member"
    LAY_MEMBER = "lay_member", "Lay member"
    ADVISER = "adviser", "Adviser"


class ReportStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    COMPLETE = "complete", "Complete"


REPORT_COLOURS = {
    ReportStatus.NOT_STARTED: "grey",
    ReportStatus.ON_TRACK: "blue",
    ReportStatus.AT_RISK: "red",
    ReportStatus.COMPLETE: "green",
}


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    PAPERS_SENT = "papers_sent", "Papers sent"
    HELD = "held", "Held"
    MINUTES_APPROVED = "minutes_approved", "Minutes approved"
    CANCELLED = "cancelled", "Cancelled"


MEETING_COLOURS = {
    MeetingStatus.PLANNED: "blue",
    MeetingStatus.PAPERS_SENT: "light-blue",
    MeetingStatus.HELD: "yellow",
    MeetingStatus.MINUTES_APPROVED: "green",
    MeetingStatus.CANCELLED: "grey",
}


class Purpose(models.TextChoices):
    DECISION = "decision", "For decision"
    DISCUSSION = "discussion", "For discussion"
    INFORMATION = "information", "For information"
    ASSURANCE = "assurance", "For assurance"


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"
