"""Tables of the audits lists (HTML, CSV and XLSX alike). Never a restricted identifier."""

from lift.core.tables import Column, Table

AUDIT_TABLE = Table(
    [
        Column("title", "Audit", link=True),
        Column("programme.year", "Year", sort="programme__year"),
        Column("status", "Status"),
        Column("planned_start", "Planned start"),
        Column("planned_end", "Planned end"),
        Column(
            "themes",
            "Themes",
            sort=None,
            value=lambda a: ", ".join(t.name for t in a.themes.all()),
        ),
    ]
)

PROGRAMME_TABLE = Table(
    [
        Column("title", "Programme", link=True),
        Column("year", "Year"),
        Column("approved_on", "Approved on"),
    ]
)

ASSIGNMENT_TABLE = Table(
    [
        Column("case.reference", "Case", link=True, sort="case__reference"),
        Column("audit.title", "Audit", sort="audit__title"),
        Column("agency.name", "Agency", sort="agency__name"),
        Column("auditor.full_name", "Auditor", sort="auditor__full_name"),
        Column("declaration", "Declaration"),
        Column("audit_return.status", "Return", sort="audit_return__status"),
        Column("due_on", "Due"),
    ]
)

TEMPLATE_TABLE = Table(
    [
        Column("name", "Template", link=True),
        Column("version", "Version", numeric=True),
        Column("kind", "Kind"),
        Column("is_current", "Current"),
    ]
)

AGENCY_PROGRAMME_TABLE = Table(
    [
        Column("title", "Programme", link=True),
        Column("agency.name", "Agency", sort="agency__name"),
        Column("year", "Year"),
        Column("template.name", "Template", sort=None),
        Column("share_with_business_unit", "Shared with the business unit"),
    ]
)
