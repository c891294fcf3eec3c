"""Edits are operations (issue 18, item 2): every edit page saves through its app's
`<noun>_update` service, never the form itself. An edit view (a subclass of core's
ObjectEditView) must define `save(form)` calling a function whose name ends in `_update`.
NOT_YET lists the views still saving the form through ObjectEditView's default; it may only
shrink."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "lift"

NOT_YET: set[str] = {
    "audits/views/multi.py:SampleCaseEditView",
    "audits/views/reporting.py:ViewsEditView",
    "audits/views/reporting.py:WorkshopEditView",
    "core/views/admin.py:AgencyEditView",
    "core/views/admin.py:PartnershipEditView",
    "governance/views/agenda.py:AgendaItemEditView",
    "governance/views/business_plan.py:BusinessPlanEditView",
    "governance/views/business_plan.py:PriorityEditView",
    "governance/views/decisions.py:DecisionEditView",
    "governance/views/meetings.py:MeetingEditView",
    "learning/views/actions.py:ActionEditView",
    "learning/views/chain.py:FindingEditView",
    "learning/views/chain.py:RecommendationEditView",
    "learning/views/chain.py:ThemeEditView",
    "learning/views/library.py:DisseminationEditView",
    "learning/views/library.py:LibraryItemEditView",
    "performance/views.py:FocusEditView",
    "performance/views.py:ValueEditView",
    "section11/views/cycles.py:CycleEditView",
    "voice/views.py:ChairMeetingEditView",
    "voice/views.py:ConsultationEditView",
    "voice/views.py:EventEditView",
    "voice/views.py:SessionEditView",
    "voice/views.py:TermEditView",
}


def _calls_an_update_service(fn: ast.FunctionDef) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Call):
            name = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            if name.endswith("_update"):
                return True
    return False


def _edit_views() -> dict[str, bool]:
    """'app/path.py:Class' of every ObjectEditView subclass -> whether it saves through a
    service."""
    out = {}
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
            if "ObjectEditView" not in bases:
                continue
            save = next(
                (f for f in node.body if isinstance(f, ast.FunctionDef) and f.name == "save"),
                None,
            )
            key = f"{path.relative_to(SRC).as_posix()}:{node.name}"
            out[key] = save is not None and _calls_an_update_service(save)
    return out


def test_every_edit_page_saves_through_its_service() -> None:
    views = _edit_views()
    assert len(views) >= 40, "the scan finds the edit views"
    direct = {key for key, through_service in views.items() if not through_service}
    assert direct <= NOT_YET, f"edit views saving the form themselves: {sorted(direct - NOT_YET)}"


def test_the_list_only_shrinks() -> None:
    views = _edit_views()
    done = {key for key in NOT_YET if views.get(key, True)}
    assert not done, (
        f"these now save through a service (or are gone): take them off NOT_YET: {sorted(done)}"
    )
