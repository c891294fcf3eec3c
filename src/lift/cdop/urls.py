"""Child death reviews: /cdop/... and the public pages under /public/."""

from django.urls import path

from lift.core.views.generic import object_urls

from .views import cases, panel, public, reports

app_name = "cdop"

urlpatterns = [
    # Public (no account)
    path("public/notify-child-death/", public.PublicNotifyView.as_view(), name="public_notify"),
    path(
        "public/notify-child-death/sent/",
        public.PublicNotifyDoneView.as_view(),
        name="public_notify_done",
    ),
    path(
        "public/cdop/report/sent/", public.PublicReportDoneView.as_view(), name="public_report_done"
    ),
    path(
        "public/cdop/report/<str:token>/", public.PublicReportView.as_view(), name="public_report"
    ),
    # Cases
    *object_urls(
        "cdop/cases/",
        "childdeath",
        list_view=cases.ChildDeathListView,
        add=cases.ChildDeathCreateView,
        detail=cases.ChildDeathDetailView,
        edit=cases.ChildDeathEditView,
        history_view=cases.ChildDeathHistoryView,
    ),
    *object_urls(
        "cdop/restricted/",
        "childdeathidentity",
        detail=cases.IdentityDetailView,
        edit=cases.IdentityEditView,
        history_view=cases.IdentityHistoryView,
    ),
    path(
        "cdop/cases/<int:pk>/reports/add/",
        cases.AgencyReportRequestView.as_view(),
        name="agencyreport_add",
    ),
    *object_urls(
        "cdop/reports/",
        "agencyreport",
        detail=cases.AgencyReportDetailView,
        history_view=cases.AgencyReportHistoryView,
    ),
    path(
        "cdop/reports/<int:pk>/resend/",
        cases.AgencyReportResendView.as_view(),
        name="agencyreport_resend",
    ),
    path(
        "cdop/reports/<int:pk>/send-link/",
        cases.AgencyReportSendLinkView.as_view(),
        name="agencyreport_send_link",
    ),
    path(
        "cdop/reports/<int:pk>/withdraw/",
        cases.AgencyReportWithdrawView.as_view(),
        name="agencyreport_withdraw",
    ),
    path(
        "cdop/cases/<int:pk>/review-meeting/add/",
        cases.ReviewMeetingRecordView.as_view(),
        name="reviewmeeting_add",
    ),
    *object_urls(
        "cdop/review-meetings/",
        "reviewmeeting",
        detail=cases.ReviewMeetingDetailView,
        history_view=cases.ReviewMeetingHistoryView,
    ),
    # Analysis, recommendations, referrals
    path(
        "cdop/cases/<int:pk>/analysis/", panel.AnalysisRecordView.as_view(), name="analysis_record"
    ),
    *object_urls(
        "cdop/analyses/",
        "analysis",
        detail=panel.AnalysisDetailView,
        history_view=panel.AnalysisHistoryView,
    ),
    path(
        "cdop/analyses/<int:pk>/recommend/",
        panel.AnalysisRecommendView.as_view(),
        name="analysis_recommend",
    ),
    path("cdop/cases/<int:pk>/refer/", panel.ReferralCreateView.as_view(), name="cdopreferral_add"),
    *object_urls(
        "cdop/referrals/",
        "cdopreferral",
        detail=panel.ReferralDetailView,
        history_view=panel.ReferralHistoryView,
    ),
    path(
        "cdop/referrals/<int:pk>/decide/",
        panel.ReferralDecideView.as_view(),
        name="cdopreferral_decide",
    ),
    # Meetings
    *object_urls(
        "cdop/meetings/",
        "cdopmeeting",
        list_view=panel.CdopMeetingListView,
        add=panel.CdopMeetingCreateView,
        detail=panel.CdopMeetingDetailView,
        edit=panel.CdopMeetingEditView,
        history_view=panel.CdopMeetingHistoryView,
    ),
    path(
        "cdop/meetings/<int:pk>/cases/add/",
        panel.MeetingCaseAddView.as_view(),
        name="cdopmeeting_case_add",
    ),
    path(
        "cdop/meetings/<int:pk>/members/add/",
        panel.MeetingMemberAddView.as_view(),
        name="cdopmeeting_member_add",
    ),
    path(
        "cdop/meetings/<int:pk>/papers/add/",
        panel.MeetingPaperAddView.as_view(),
        name="cdopmeeting_paper_add",
    ),
    # Trends, report, campaigns, export, settings
    path("cdop/trends/", reports.TrendsView.as_view(), name="trends"),
    path("cdop/annual-report/", reports.AnnualReportView.as_view(), name="annual_report"),
    path("cdop/ncmd-export/", reports.NcmdBulkExportView.as_view(), name="ncmd_bulk"),
    path(
        "cdop/cases/<int:pk>/ncmd.<str:fmt>",
        reports.NcmdCaseExportView.as_view(),
        name="ncmd_case",
    ),
    *object_urls(
        "cdop/campaigns/",
        "campaign",
        list_view=reports.CampaignListView,
        add=reports.CampaignCreateView,
        detail=reports.CampaignDetailView,
        edit=reports.CampaignEditView,
        delete=reports.CampaignDeleteView,
        history_view=reports.CampaignHistoryView,
    ),
    path("cdop/settings/", reports.SettingsView.as_view(), name="settings"),
]
