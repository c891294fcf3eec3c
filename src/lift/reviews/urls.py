from django.urls import path

from lift.core.views.generic import object_urls

from .views import decision, public
from .views import incidents as i
from .views import letters as le
from .views import referrals as rf
from .views import reviews as rv

app_name = "reviews"

urlpatterns = [
    # Serious incidents
    *object_urls(
        "incidents/",
        "incident",
        list_view=i.IncidentListView,
        add=i.IncidentCreateView,
        detail=i.IncidentDetailView,
        edit=i.IncidentEditView,
        history_view=i.IncidentHistoryView,
    ),
    path("incidents/<int:pk>/notify/", i.IncidentNotifyView.as_view(), name="incident_notify"),
    path(
        "incidents/<int:pk>/decision-date/",
        i.DecisionDateEditView.as_view(),
        name="decision_date_edit",
    ),
    path("incidents/<int:pk>/team/", i.IncidentTeamView.as_view(), name="incident_team"),
    path("team/<int:pk>/remove/", i.TeamMemberRemoveView.as_view(), name="casteammember_remove"),
    path(
        "incidents/<int:pk>/restricted/",
        i.RestrictedRecordListView.as_view(),
        name="incident_restricted",
    ),
    path(
        "incidents/<int:pk>/restricted/add/",
        i.ChildIdentityCreateView.as_view(),
        name="childidentity_add",
    ),
    *object_urls(
        "restricted-records/",
        "childidentity",
        detail=i.ChildIdentityDetailView,
        edit=i.ChildIdentityEditView,
        history_view=i.ChildIdentityHistoryView,
    ),
    path("incidents/<int:pk>/meetings/add/", i.MeetingCreateView.as_view(), name="meeting_add"),
    path("incidents/<int:pk>/dhr/", i.JointDhrCreateView.as_view(), name="jointdhr_add"),
    path("incidents/<int:pk>/dhr/report/", i.JointDhrReportView.as_view(), name="jointdhr_report"),
    path("incidents/<int:pk>/replies/add/", i.ReplyCreateView.as_view(), name="panelreply_add"),
    path("incidents/<int:pk>/letters/add/", le.LetterCreateView.as_view(), name="letter_add"),
    path(
        "incidents/<int:pk>/requests/add/",
        i.AgencyRequestCreateView.as_view(),
        name="agencyrequest_add",
    ),
    # The Chair's decision: one question per page, then check your answers
    path(
        "incidents/<int:pk>/decision/", decision.DecisionStartView.as_view(), name="decision_start"
    ),
    path(
        "incidents/<int:pk>/decision/check/",
        decision.DecisionCheckView.as_view(),
        name="decision_check",
    ),
    path(
        "incidents/<int:pk>/decision/<slug:step>/",
        decision.DecisionStepView.as_view(),
        name="decision_step",
    ),
    # Agency requests and the rapid review
    path(
        "agency-requests/<int:pk>/",
        i.AgencyRequestDetailView.as_view(),
        name="agencyrequest_detail",
    ),
    path(
        "agency-requests/<int:pk>/received/",
        i.AgencyRequestReceiveView.as_view(),
        name="agencyrequest_receive",
    ),
    path(
        "agency-requests/<int:pk>/quality-assured/",
        i.AgencyRequestQualityView.as_view(),
        name="agencyrequest_quality",
    ),
    path(
        "agency-requests/<int:pk>/author/",
        i.ImrAuthorView.as_view(),
        name="agencyrequest_author",
    ),
    path(
        "agency-requests/<int:pk>/files/add/",
        i.ImrFileUploadView.as_view(),
        name="imrfile_add",
    ),
    path(
        "agency-requests/<int:pk>/submit/",
        i.ImrSubmitView.as_view(),
        name="agencyrequest_submit",
    ),
    path(
        "incidents/<int:pk>/rapid-review/",
        i.RapidReviewStartView.as_view(),
        name="rapidreview_start",
    ),
    *object_urls(
        "rapid-reviews/",
        "rapidreview",
        detail=i.RapidReviewDetailView,
        edit=i.RapidReviewEditView,
        history_view=i.RapidReviewHistoryView,
    ),
    path("rapid-reviews/<int:pk>/send/", i.RapidReviewSendView.as_view(), name="rapidreview_send"),
    path(
        "rapid-reviews/<int:pk>/response/",
        i.RapidReviewResponseView.as_view(),
        name="rapidreview_response",
    ),
    # Letters to the national panel
    *object_urls(
        "letters/",
        "letter",
        list_view=le.LetterListView,
        detail=le.LetterDetailView,
        history_view=le.LetterHistoryView,
    ),
    path("letters/<int:pk>/edit/", le.LetterEditView.as_view(), name="letter_edit"),
    path("letters/<int:pk>/sent/", le.LetterSentView.as_view(), name="letter_sent"),
    path(
        "letters/<int:pk>/enclosures/add/",
        le.LetterEnclosureView.as_view(),
        name="letter_enclosure_add",
    ),
    path(
        "letters/<int:pk>/regenerate/", le.LetterRegenerateView.as_view(), name="letter_regenerate"
    ),
    path("letters/<int:pk>/<slug:fmt>/", le.LetterDocumentView.as_view(), name="letter_document"),
    path("replies/<int:pk>/respond/", le.ReplyRespondView.as_view(), name="panelreply_respond"),
    *object_urls(
        "letter-templates/",
        "lettertemplate",
        list_view=le.LetterTemplateListView,
        detail=le.LetterTemplateDetailView,
        edit=le.LetterTemplateEditView,
        history_view=le.LetterTemplateHistoryView,
    ),
    path(
        "letter-templates/<int:pk>/reset/",
        le.LetterTemplateResetView.as_view(),
        name="lettertemplate_reset",
    ),
    # Reviews
    path("reviews/dashboard/", rv.DashboardView.as_view(), name="dashboard"),
    *object_urls(
        "reviews/",
        "review",
        list_view=rv.ReviewListView,
        add=rv.ReviewCreateView,
        detail=rv.ReviewDetailView,
        edit=rv.ReviewEditView,
        history_view=rv.ReviewHistoryView,
    ),
    path("reviews/<int:pk>/reviewers/add/", rv.ReviewerAddView.as_view(), name="reviewer_add"),
    path("reviewers/<int:pk>/appoint/", rv.ReviewerAppointView.as_view(), name="reviewer_appoint"),
    path(
        "reviewers/<int:pk>/override/", rv.ReviewerOverrideView.as_view(), name="reviewer_override"
    ),
    path("reviews/<int:pk>/panel/add/", rv.PanelAddView.as_view(), name="panel_add"),
    path(
        "reviews/<int:pk>/requests/add/",
        rv.ReviewRequestAddView.as_view(),
        name="review_request_add",
    ),
    path(
        "reviews/<int:pk>/contributions/add/",
        rv.ContributionAddView.as_view(),
        name="contribution_add",
    ),
    path("reviews/<int:pk>/milestones/add/", rv.MilestoneAddView.as_view(), name="milestone_add"),
    path("milestones/<int:pk>/done/", rv.MilestoneDoneView.as_view(), name="milestone_done"),
    path("reviews/<int:pk>/complete/", rv.ReviewCompleteView.as_view(), name="review_complete"),
    path("reviews/<int:pk>/report/", rv.ReportUploadView.as_view(), name="review_report"),
    path(
        "reviews/<int:pk>/publication-concern/",
        rv.PublicationConcernView.as_view(),
        name="publication_concern",
    ),
    path("reviews/<int:pk>/findings/add/", rv.FindingAddView.as_view(), name="finding_add"),
    path("reviews/<int:pk>/actions/add/", rv.ActionAddView.as_view(), name="action_add"),
    path("reviews/<int:pk>/guard/", rv.GuardView.as_view(), name="review_guard"),
    path(
        "reviews/<int:pk>/publication/", rv.PublicationDecideView.as_view(), name="publication_add"
    ),
    path("publications/<int:pk>/", rv.PublicationDetailView.as_view(), name="publication_detail"),
    path(
        "publications/<int:pk>/publish/",
        rv.PublicationPublishView.as_view(),
        name="publication_publish",
    ),
    path(
        "publications/<int:pk>/remove/",
        rv.PublicationRemoveView.as_view(),
        name="publication_remove",
    ),
    # Learning lessons review referrals
    *object_urls(
        "referrals/",
        "referral",
        list_view=rf.ReferralListView,
        add=rf.ReferralCreateView,
        detail=rf.ReferralDetailView,
        history_view=rf.ReferralHistoryView,
    ),
    path("referrals/<int:pk>/decide/", rf.ReferralDecideView.as_view(), name="referral_decide"),
    # Public pages
    path("public/reviews/", public.PublicReviewListView.as_view(), name="public_list"),
    path(
        "public/reviews/<slug:slug>/", public.PublicReviewDetailView.as_view(), name="public_detail"
    ),
    path(
        "public/reviews/<slug:slug>/<slug:part>.pdf",
        public.PublicReviewDocumentView.as_view(),
        name="public_pdf",
    ),
]
