"""The key pages the benchmark measures, by URL name. A page whose URL name does not exist
(its area is not built) or whose object is missing from the database is skipped.

Areas may add more with ``lift.core.bench.register_page(...)`` from their AppConfig.ready().
"""

from __future__ import annotations

from typing import Any

from .registry import Targets, register_document_subject, register_page


def _agency(t: Targets) -> tuple[Any, ...] | None:
    lead = t.people.get("lead")
    if lead is None or lead.agency_id is None:
        return None
    return (lead.agency_id,)


def _agency_query(t: Targets) -> str | None:
    args = _agency(t)
    return f"?agency={args[0]}" if args else None


register_page("Home (my work), business unit", "core:home", role="bu")
register_page("Home (my work), safeguarding lead", "core:home", role="lead")
register_page("Home (my work), learner", "core:home", role="learner")
register_page("Home (my work), Chair", "core:home", role="chair")
register_page("Area landing page: actions and learning (lead)", "core:area_learning", role="lead")
register_page("Area landing page: Board (business unit)", "core:area_board", role="bu")
register_page("To-do list, business unit", "core:todo_list", role="bu")
register_page("To-do list, safeguarding lead", "core:todo_list", role="lead")
register_page("To-do list, Chair", "core:todo_list", role="chair")
register_page(
    "To-do list, overdue steps of one kind (safeguarding lead)",
    "core:todo_list",
    role="lead",
    query="?kind=learning.overdue_action&when=overdue",
)
register_page("To-do calendar feed (safeguarding lead)", "core:todo_calendar", role="lead")
# Reads every person's own list: about 8 queries a person (docs/todo.md), over the target.
register_page("Partnership to-do list, business unit", "core:todo_partnership", role="bu")
register_page("Partnership to-do list, Chair", "core:todo_partnership", role="chair")
register_page(
    "Partnership to-do list, one agency (business unit)",
    "core:todo_partnership",
    role="bu",
    query=_agency_query,
)
register_page("API: partnership to-do list", "api:todo-partnership-list", role="bu", kind="api")
register_page("Action tracker", "learning:action_list", role="bu")
register_page(
    "Action tracker, filtered (in progress, overdue)",
    "learning:action_list",
    role="bu",
    query="?status=in_progress&overdue=true",
)
register_page(
    "Action tracker, an agency's actions", "learning:action_list", role="bu", query=_agency_query
)
register_page("Our agency's actions (safeguarding lead)", "learning:action_ours", role="lead")
register_page("Overdue actions", "learning:action_overdue", role="bu")
register_page(
    "An action", "learning:action_detail", role="bu", args=lambda t: t.pk("learning.Action")
)
register_page("Findings", "learning:finding_list", role="bu")
register_page("An agency", "core:agency_detail", role="bu", args=_agency)
register_page("People", "core:person_list", role="bu")
register_page("Boards and groups", "governance:board_list", role="bu")
register_page("Forward plan", "governance:forward_plan", role="bu")
register_page(
    "A Board meeting",
    "governance:meeting_detail",
    role="bu",
    args=lambda t: t.pk("governance.Meeting", board__kind="board"),
)
register_page("Review dashboard", "reviews:dashboard", role="bu")
register_page("Reviews", "reviews:review_list", role="bu")
register_page("A review", "reviews:review_detail", role="bu", args=lambda t: t.pk("reviews.Review"))
register_page("Incidents", "reviews:incident_list", role="bu")
register_page("Section 11 cycles", "section11:cycle_list", role="bu")
register_page(
    "Section 11 overview (cycle report)",
    "section11:cycle_report",
    role="bu",
    args=lambda t: t.pk("section11.Cycle"),
)
register_page(
    "A Section 11 return",
    "section11:return_detail",
    role="bu",
    args=lambda t: t.pk("section11.Section11Return"),
)
register_page("Audits", "audits:audit_list", role="bu")
register_page(
    "An audit overview", "audits:audit_detail", role="bu", args=lambda t: t.pk("audits.Audit")
)
register_page("Training dashboard", "training:dashboard", role="trainer")
register_page("Training catalogue", "training:catalogue", role="learner")
register_page(
    "A session register",
    "training:session_register",
    role="trainer",
    args=lambda t: t.pk("training.TrainingSession"),
)
register_page("Dataset", "performance:dataset", role="bu")
register_page(
    "An indicator",
    "performance:indicator_detail",
    role="bu",
    args=lambda t: t.pk("performance.Indicator"),
)
register_page("CDOP trends", "cdop:trends", role="cdop")
register_page("CDOP annual report", "cdop:annual_report", role="cdop")
register_page("Training annual report", "training:annual_report", role="trainer")
register_page("Public: published reviews", "reviews:public_list", role="")
register_page("Public: training catalogue", "training:public_catalogue", role="")
register_page("Public site home", "reports:public_home", role="")


def _partnership_query(t: Targets) -> str:
    return f"?partnership={t.partnership.slug}"


# The footer's pages (lift.core.views.footer), signed out, about the bench partnership.
register_page(
    "Public: accessibility statement", "core:accessibility", role="", query=_partnership_query
)
register_page("Public: privacy notice", "core:privacy", role="", query=_partnership_query)
register_page("Public: cookies", "core:cookies", role="", query=_partnership_query)
register_page("Public: contact", "core:contact", role="", query=_partnership_query)
register_page("API: actions", "api:action-list", role="bu", kind="api")


def _board_meeting(t: Targets) -> Any:
    return t.first("governance.Meeting", board__kind="board")


register_document_subject("board_pack", _board_meeting)
