"""Reads take the reader (issue 18, item 4): in views, the API, forms, filters, serializers,
exports, documents and tasks, a model's rows are read through `restrict(user, action)`, a
selector given the user, or a declared `queryset` that the generic views and `scope_form`
restrict. Anything else is listed below with the reason it is safe, and the list may only
shrink: a new unrestricted read fails this test, and so does an entry whose read has gone.

A read is `Model.objects...` whose chain holds no `.restrict(`; `ContentType` (Django's
catalogue of models) and `Theme` (the shared taxonomy every person reads) are not rows of
anyone's work. Entries are "app/path.py:Model", so moving a line keeps its entry.
"""

from __future__ import annotations

import ast
from pathlib import Path

import lift

SRC = Path(lift.__file__).parent
NOT_ROWS = {"ContentType", "Theme"}
READ_MODULES = {"views", "forms", "exports", "documents", "tasks", "filters", "serializers"}

OWN_ACCOUNT = "the signed-in person's own account: their devices, codes, token and e-mail"
WORKER = "the worker's and the document queue's own bookkeeping, read by no person"
CHILD_OF_OBJECT = (
    "rows of the page's own record (its decision, publication, follow-up, papers, versions, "
    "answers, team), which came through restrict(); their access follows that record's"
)
REREAD = "the record the page or API call already holds (through restrict()), read again fresh"
ACCESS_LOG = (
    "the restricted record is read only to write the access log of a read the page's own "
    "permission (export, view) already allowed"
)
PUBLIC = "public pages: the partnership named in the address, its public sessions and colour"
SIGNED_LINK = "a calendar or to-do feed: the person named by the link's signature"
MEMBERS = (
    "who may be named (an action's owner, a case team member, a place booked for someone): "
    "people and agencies narrowed by the partnership, as ADR 0004 says for people"
)
SERVICE_CHECK = "a check before a service call (is the person a member, is the link valid)"

ALLOWED: dict[str, str] = {
    "core/views/accounts.py:Person": OWN_ACCOUNT,
    "core/views/accounts.py:StaticDevice": OWN_ACCOUNT,
    "core/views/accounts.py:StaticToken": OWN_ACCOUNT,
    "core/views/accounts.py:TOTPDevice": OWN_ACCOUNT,
    "core/views/accounts.py:model": OWN_ACCOUNT,
    "core/views/api_token.py:Token": OWN_ACCOUNT,
    "core/documents.py:GeneratedDocument": WORKER,
    "core/models/documents.py:GeneratedDocument": WORKER,
    "core/ops/tasks.py:DBTaskResult": WORKER,
    "core/tasks.py:Clock": WORKER,
    "core/tasks.py:DBTaskResult": WORKER,
    "core/tasks.py:Notification": WORKER,
    "core/tasks.py:RoleAssignment": WORKER,
    "reports/tasks.py:AnnualReport": WORKER,
    "audits/views/auditing.py:CaseIdentity": CHILD_OF_OBJECT,
    "audits/views/auditing.py:TemplateSection": CHILD_OF_OBJECT,
    "audits/views/multi.py:RoleAssignment": CHILD_OF_OBJECT,
    "cdop/views/panel.py:Attachment": CHILD_OF_OBJECT,
    "core/views/admin.py:Attachment": CHILD_OF_OBJECT,
    "core/views/admin.py:TOTPDevice": CHILD_OF_OBJECT,
    "governance/views/calendar.py:CalendarFeed": SIGNED_LINK,
    "governance/filters.py:Membership": CHILD_OF_OBJECT,
    "inspections/documents.py:Recommendation": CHILD_OF_OBJECT,
    "inspections/views.py:Attachment": CHILD_OF_OBJECT,
    "performance/views.py:IndicatorVersion": CHILD_OF_OBJECT,
    "reports/api/views.py:Board": CHILD_OF_OBJECT,
    "reports/views.py:Board": CHILD_OF_OBJECT,
    "reviews/views/decision.py:Decision": CHILD_OF_OBJECT,
    "reviews/views/incidents.py:CaseTeamMember": CHILD_OF_OBJECT,
    "reviews/views/incidents.py:Decision": CHILD_OF_OBJECT,
    "reviews/views/incidents.py:ImrFile": CHILD_OF_OBJECT,
    "reviews/views/incidents.py:Meeting": CHILD_OF_OBJECT,
    "reviews/views/incidents.py:RapidReview": CHILD_OF_OBJECT,
    "reviews/views/reviews.py:Attachment": CHILD_OF_OBJECT,
    "reviews/views/reviews.py:Decision": CHILD_OF_OBJECT,
    "reviews/views/reviews.py:Publication": CHILD_OF_OBJECT,
    "reviews/api/views.py:Publication": CHILD_OF_OBJECT,
    "section11/api/views.py:Panel": CHILD_OF_OBJECT,
    "section11/api/views.py:Standard": CHILD_OF_OBJECT,
    "section11/views/cycles.py:OverviewReport": CHILD_OF_OBJECT,
    "section11/views/reports.py:Cycle": CHILD_OF_OBJECT,
    "section11/views/reports.py:FollowUp": CHILD_OF_OBJECT,
    "section11/views/reports.py:OverviewReport": CHILD_OF_OBJECT,
    "section11/views/returns.py:Answer": CHILD_OF_OBJECT,
    "section11/views/returns.py:Attachment": CHILD_OF_OBJECT,
    "section11/views/returns.py:RatingLevel": CHILD_OF_OBJECT,
    "section11/views/returns.py:Section11Return": CHILD_OF_OBJECT,
    "training/views/programme.py:Attachment": CHILD_OF_OBJECT,
    "training/views/sessions.py:Booking": CHILD_OF_OBJECT,
    "training/views/sessions.py:TrainingSession": CHILD_OF_OBJECT,
    "voice/views.py:Attachment": CHILD_OF_OBJECT,
    "voice/views.py:Term": CHILD_OF_OBJECT,
    "audits/views/multi.py:Audit": REREAD,
    "governance/views/boards.py:Board": REREAD,
    "governance/views/members.py:Membership": REREAD,
    "learning/api/views.py:Action": REREAD,
    "reviews/api/views.py:Incident": REREAD,
    "section11/api/views.py:Section11Return": REREAD,
    "cdop/api/views.py:ChildDeathIdentity": ACCESS_LOG,
    "cdop/views/reports.py:ChildDeathIdentity": ACCESS_LOG,
    "reviews/api/views.py:ChildIdentity": ACCESS_LOG,
    "core/views/brand.py:Partnership": PUBLIC,
    "core/views/public.py:Partnership": PUBLIC,
    "training/views/sessions.py:Partnership": PUBLIC,
    "core/views/todo.py:Partnership": SIGNED_LINK,
    "core/views/todo.py:Person": SIGNED_LINK,
    "learning/views/feeds.py:Person": SIGNED_LINK,
    "audits/views/multi.py:Person": MEMBERS,
    "audits/views/single.py:Agency": MEMBERS,
    "cdop/forms.py:Agency": MEMBERS,
    "core/api/views.py:RoleAssignment": MEMBERS,
    "core/views/admin.py:RoleAssignment": MEMBERS,
    "core/views/pending.py:Agency": MEMBERS,
    "search/forms.py:Agency": MEMBERS,
    "training/api/views.py:Person": MEMBERS,
    "training/views/registers.py:Agency": MEMBERS,
    "training/views/sessions.py:Person": MEMBERS,
    "core/views/admin.py:Person": SERVICE_CHECK,
    "section11/api/views.py:Person": SERVICE_CHECK,
    "section11/api/views.py:RoleAssignment": SERVICE_CHECK,
    "voice/api/serializers.py:YouthForum": SERVICE_CHECK,
}


def _read_modules() -> list[Path]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).parts
        if parts[0] == "config" or {"migrations", "bench", "management"} & set(parts):
            continue
        if {"views", "api"} & set(parts[1:-1]) or path.stem in READ_MODULES:
            out.append(path)
    return out


def _declared_queryset(parent: ast.AST | None) -> bool:
    """`queryset=...` (a form field's or filter's, narrowed by scope_form) or a view's
    `queryset = ...` (read through restricted() by the generic views)."""
    if isinstance(parent, ast.keyword):
        return parent.arg == "queryset"
    if isinstance(parent, ast.Assign | ast.AnnAssign):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        return any(
            (isinstance(t, ast.Name) and t.id == "queryset")
            or (isinstance(t, ast.Attribute) and t.attr == "queryset")
            for t in targets
        )
    return False


def unrestricted_reads(source: str) -> set[str]:
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    found = set()
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id not in NOT_ROWS
        ):
            continue
        chain, top = [], node
        while isinstance(parents.get(top), ast.Attribute | ast.Call):
            up = parents[top]
            if isinstance(up, ast.Call) and up.func is not top:
                break  # the chain is an argument of another call
            top = up
            if isinstance(up, ast.Attribute):
                chain.append(up.attr)
        if "restrict" not in chain and not _declared_queryset(parents.get(top)):
            found.add(node.value.id)
    return found


def test_the_scan_finds_an_unrestricted_read_and_passes_a_restricted_one() -> None:
    assert unrestricted_reads("x = Action.objects.filter(pk=1)") == {"Action"}
    assert unrestricted_reads("x = Action.objects.restrict(user, 'view').filter(pk=1)") == set()
    assert unrestricted_reads("f = forms.ModelChoiceField(queryset=Action.objects.all())") == set()
    assert unrestricted_reads("class V:\n    queryset = Action.objects.all()") == set()
    assert unrestricted_reads("n = f(Finding.objects.count())") == {"Finding"}
    assert unrestricted_reads("t = Theme.objects.all()") == set()


def test_reads_in_views_api_forms_documents_and_tasks_take_the_reader() -> None:
    found = {
        f"{path.relative_to(SRC).as_posix()}:{model}"
        for path in _read_modules()
        for model in unrestricted_reads(path.read_text())
    }
    new = sorted(found - ALLOWED.keys())
    assert new == [], (
        "read through restrict(user, action) or a selector given the user, or add the read "
        f"to ALLOWED with the reason it is safe: {new}"
    )
    gone = sorted(ALLOWED.keys() - found)
    assert gone == [], f"these reads are gone: take them off ALLOWED: {gone}"
