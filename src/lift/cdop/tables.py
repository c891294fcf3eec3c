"""Tables of the child death lists: the same columns on the page and in exports."""

from __future__ import annotations

from lift.core.tables import Column, Table

CASE_TABLE = Table(
    [
        Column("reference", "Case number", link=True),
        Column("notified_on", "Notified"),
        Column("year_of_death", "Year of death"),
        Column("age_band", "Age at death"),
        Column("expected", "Expected"),
        Column("joint_agency_response", "Joint agency response"),
        Column("status", "Status"),
        Column("meeting", "CDOP meeting", sort="meeting__held_on"),
    ]
)

MEETING_TABLE = Table(
    [
        Column("__str__", "Meeting", sort=None, link=True),
        Column("held_on", "Date"),
        Column("location", "Location"),
    ]
)

CAMPAIGN_TABLE = Table(
    [
        Column("title", "Title", link=True),
        Column("kind", "Kind"),
        Column("audience", "Audience"),
        Column("started_on", "Started"),
        Column("reach", "Reach", numeric=True),
        Column("published", "Public"),
    ]
)
