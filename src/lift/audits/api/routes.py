from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("audit-programmes", views.ProgrammeViewSet, basename="auditprogramme")
    router.register("audits", views.AuditViewSet, basename="audit")
    router.register("audit-assignments", views.AssignmentViewSet, basename="auditassignment")
    router.register("audit-returns", views.ReturnViewSet, basename="auditreturn")
    router.register("audit-templates", views.TemplateViewSet, basename="audittemplate")
    router.register(
        "agency-audit-programmes", views.AgencyProgrammeViewSet, basename="agencyauditprogramme"
    )
    router.register("case-audits", views.CaseAuditViewSet, basename="caseaudit")
