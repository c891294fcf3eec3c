"""URLs of the audits area: /audits/..."""

from django.urls import path

from lift.core.views.generic import object_urls

from .views import auditing as au
from .views import multi as m
from .views import reporting as rep
from .views import single as s

app_name = "audits"

urlpatterns = [
    # Programme and templates first, so their prefixes are not read as audit ids.
    *object_urls(
        "audits/programmes/",
        "auditprogramme",
        list_view=m.ProgrammeListView,
        add=m.ProgrammeCreateView,
        detail=m.ProgrammeDetailView,
        edit=m.ProgrammeEditView,
        history_view=m.ProgrammeHistoryView,
    ),
    *object_urls(
        "audits/templates/",
        "audittemplate",
        list_view=m.TemplateListView,
        detail=m.TemplateDetailView,
    ),
    # The sample and its restricted records.
    *object_urls(
        "audits/cases/",
        "samplecase",
        detail=m.SampleCaseDetailView,
        edit=m.SampleCaseEditView,
        history_view=m.SampleCaseHistoryView,
    ),
    *object_urls(
        "audits/restricted/",
        "caseidentity",
        detail=m.CaseIdentityDetailView,
        edit=m.CaseIdentityEditView,
        history_view=m.CaseIdentityHistoryView,
    ),
    # Auditing.
    *object_urls(
        "audits/assignments/",
        "assignment",
        list_view=au.AssignmentListView,
        detail=au.AssignmentDetailView,
        history_view=au.AssignmentHistoryView,
    ),
    path(
        "audits/assignments/<int:pk>/declare/",
        au.AssignmentDeclareView.as_view(),
        name="assignment_declare",
    ),
    *object_urls(
        "audits/returns/",
        "auditreturn",
        detail=au.ReturnDetailView,
        history_view=au.ReturnHistoryView,
    ),
    path(
        "audits/returns/<int:pk>/lines/<int:section>/",
        au.ReturnSectionView.as_view(),
        name="auditreturn_section",
    ),
    path(
        "audits/returns/<int:pk>/summary/",
        au.ReturnSummaryView.as_view(),
        name="auditreturn_summary",
    ),
    path(
        "audits/returns/<int:pk>/submit/", au.ReturnSubmitView.as_view(), name="auditreturn_submit"
    ),
    path(
        "audits/returns/<int:pk>/quality-assure/",
        au.ReturnQualityAssureView.as_view(),
        name="auditreturn_qa",
    ),
    path(
        "audits/returns/<int:pk>/send-back/",
        au.ReturnSendBackView.as_view(),
        name="auditreturn_send_back",
    ),
    # Young people's views and workshops.
    *object_urls(
        "audits/young-people/",
        "youngpeoplesviews",
        detail=rep.ViewsDetailView,
        edit=rep.ViewsEditView,
        history_view=rep.ViewsHistoryView,
    ),
    *object_urls(
        "audits/workshops/",
        "workshop",
        detail=rep.WorkshopDetailView,
        edit=rep.WorkshopEditView,
        history_view=rep.WorkshopHistoryView,
    ),
    # Single-agency case audits.
    *object_urls(
        "audits/agency/",
        "agencyauditprogramme",
        list_view=s.AgencyProgrammeListView,
        add=s.AgencyProgrammeCreateView,
        detail=s.AgencyProgrammeDetailView,
        edit=s.AgencyProgrammeEditView,
        history_view=s.AgencyProgrammeHistoryView,
    ),
    path("audits/agency/<int:pk>/teams/add/", s.ScheduleAddView.as_view(), name="schedule_add"),
    path("audits/agency/<int:pk>/reports/add/", s.SmtReportAddView.as_view(), name="smtreport_add"),
    path(
        "audits/agency/teams/<int:pk>/case-audits/add/",
        s.CaseAuditAddView.as_view(),
        name="caseaudit_add",
    ),
    *object_urls(
        "audits/agency/case-audits/",
        "caseaudit",
        detail=s.CaseAuditDetailView,
        history_view=s.CaseAuditHistoryView,
    ),
    path(
        "audits/agency/case-audits/<int:pk>/feedback/",
        s.CaseAuditFeedbackView.as_view(),
        name="caseaudit_feedback",
    ),
    path(
        "audits/agency/case-audits/<int:pk>/acknowledge/",
        s.CaseAuditAcknowledgeView.as_view(),
        name="caseaudit_acknowledge",
    ),
    *object_urls(
        "audits/agency/reports/",
        "seniormanagementreport",
        detail=s.SmtReportDetailView,
        history_view=s.SmtReportHistoryView,
    ),
    path(
        "audits/agency/reports/<int:pk>/share/",
        s.SmtReportShareView.as_view(),
        name="seniormanagementreport_share",
    ),
    # Audits.
    *object_urls(
        "audits/",
        "audit",
        list_view=m.AuditListView,
        add=m.AuditCreateView,
        detail=m.AuditDetailView,
        edit=m.AuditEditView,
        history_view=m.AuditHistoryView,
    ),
    path("audits/<int:pk>/status/", m.AuditStatusView.as_view(), name="audit_status"),
    path("audits/<int:pk>/team/add/", m.AuditTeamAddView.as_view(), name="audit_team_add"),
    path("audits/<int:pk>/priorities/add/", m.AuditPriorityView.as_view(), name="audit_priority"),
    path("audits/<int:pk>/cases/add/", m.SampleCaseAddView.as_view(), name="samplecase_add"),
    path("audits/<int:pk>/assignments/add/", au.AssignmentAddView.as_view(), name="assignment_add"),
    path("audits/<int:pk>/young-people/add/", rep.ViewsAddView.as_view(), name="views_add"),
    path("audits/<int:pk>/young-people/reason/", rep.WaiverView.as_view(), name="views_waiver"),
    path(
        "audits/<int:pk>/young-people/approve/",
        rep.WaiverApproveView.as_view(),
        name="views_waiver_approve",
    ),
    path(
        "audits/<int:pk>/young-people/agree/",
        rep.WaiverAgreeView.as_view(),
        name="views_waiver_agree",
    ),
    path("audits/<int:pk>/workshops/add/", rep.WorkshopAddView.as_view(), name="workshop_add"),
    path("audits/<int:pk>/complete/", rep.AuditCompleteView.as_view(), name="audit_complete"),
    path("audits/<int:pk>/report/", rep.ReportView.as_view(), name="audit_report"),
    path(
        "audits/<int:pk>/report.<str:fmt>",
        rep.ReportDownloadView.as_view(),
        name="audit_report_download",
    ),
    path(
        "audits/<int:pk>/report/summary/",
        rep.OverviewSummaryView.as_view(),
        name="audit_overview_summary",
    ),
    path("audits/<int:pk>/findings/add/", rep.FindingAddView.as_view(), name="audit_finding_add"),
    path(
        "audits/<int:pk>/recommendations/add/",
        rep.RecommendationAddView.as_view(),
        name="audit_recommendation_add",
    ),
    path("audits/<int:pk>/board/", rep.BoardView.as_view(), name="audit_board"),
    path(
        "audits/<int:pk>/dissemination/add/",
        rep.DisseminationAddView.as_view(),
        name="audit_dissemination_add",
    ),
]
