"""Section 11 pages, under /section11/."""

from django.urls import path

from lift.core.views.generic import object_urls

from .views import cycles, reports, returns

app_name = "section11"

urlpatterns = [
    *object_urls(
        "section11/",
        "cycle",
        list_view=cycles.CycleListView,
        add=cycles.CycleCreateView,
        detail=cycles.CycleDetailView,
        edit=cycles.CycleEditView,
        history_view=cycles.CycleHistoryView,
    ),
    path("section11/<int:pk>/open/", cycles.CycleOpenView.as_view(), name="cycle_open"),
    path("section11/<int:pk>/close/", cycles.CycleCloseView.as_view(), name="cycle_close"),
    path("section11/<int:pk>/panels/add/", cycles.PanelCreateView.as_view(), name="panel_add"),
    path("section11/<int:pk>/report/", reports.CycleReportView.as_view(), name="cycle_report"),
    path(
        "section11/<int:pk>/report/write/",
        reports.OverviewWriteView.as_view(),
        name="overview_write",
    ),
    path(
        "section11/<int:pk>/report/board/",
        reports.OverviewPresentView.as_view(),
        name="overview_present",
    ),
    path("section11/<int:pk>/follow-up/", reports.FollowUpView.as_view(), name="cycle_follow_up"),
    path(
        "section11/<int:pk>/follow-up/generate/",
        reports.FollowUpGenerateView.as_view(),
        name="follow_up_generate",
    ),
    path(
        "section11/<int:pk>/follow-up/board/",
        reports.FollowUpPresentView.as_view(),
        name="follow_up_present",
    ),
    path(
        "section11/<int:pk>/follow-up/letters/add/",
        reports.EscalationCreateView.as_view(),
        name="escalation_add",
    ),
    path(
        "section11/letters/<int:pk>/",
        reports.EscalationDetailView.as_view(),
        name="escalation_detail",
    ),
    path(
        "section11/letters/<int:pk>/response/",
        reports.EscalationResponseView.as_view(),
        name="escalation_response",
    ),
    path("section11/frameworks/", cycles.FrameworkListView.as_view(), name="framework_list"),
    path(
        "section11/frameworks/upload/",
        cycles.FrameworkUploadView.as_view(),
        name="framework_upload",
    ),
    path(
        "section11/frameworks/<int:pk>/",
        cycles.FrameworkDetailView.as_view(),
        name="framework_detail",
    ),
    path(
        "section11/frameworks/<int:pk>/delete/",
        cycles.FrameworkDeleteView.as_view(),
        name="framework_delete",
    ),
    path("section11/panels/<int:pk>/", cycles.PanelDetailView.as_view(), name="panel_detail"),
    path(
        "section11/panels/<int:pk>/members/add/",
        cycles.PanelMemberAddView.as_view(),
        name="panelmember_add",
    ),
    path(
        "section11/panel-members/<int:pk>/remove/",
        cycles.PanelMemberRemoveView.as_view(),
        name="panelmember_remove",
    ),
    path("section11/returns/<int:pk>/", returns.ReturnDetailView.as_view(), name="return_detail"),
    path(
        "section11/returns/<int:pk>/history/",
        returns.ReturnHistoryView.as_view(),
        name="section11return_history",
    ),
    path(
        "section11/returns/<int:pk>/answers/<int:answer>/",
        returns.AnswerEditView.as_view(),
        name="answer_edit",
    ),
    path(
        "section11/returns/<int:pk>/submit/",
        returns.ReturnSubmitView.as_view(),
        name="return_submit",
    ),
    path(
        "section11/returns/<int:pk>/reopen/",
        returns.ReturnReopenView.as_view(),
        name="return_reopen",
    ),
    path(
        "section11/returns/<int:pk>/actions/add/",
        returns.ReturnActionAddView.as_view(),
        name="return_action_add",
    ),
    path(
        "section11/returns/<int:pk>/challenge/",
        returns.ChallengeView.as_view(),
        name="return_challenge",
    ),
    path(
        "section11/returns/<int:pk>/challenge/panel/",
        returns.AssignPanelView.as_view(),
        name="return_assign_panel",
    ),
    path(
        "section11/returns/<int:pk>/challenge/start/",
        returns.ChallengeStartView.as_view(),
        name="challenge_start",
    ),
    path(
        "section11/returns/<int:pk>/challenge/questions/add/",
        returns.QuestionAddView.as_view(),
        name="question_add",
    ),
    path(
        "section11/questions/<int:pk>/respond/",
        returns.QuestionRespondView.as_view(),
        name="question_respond",
    ),
    path(
        "section11/returns/<int:pk>/challenge/answers/<int:answer>/",
        returns.AnswerModerateView.as_view(),
        name="answer_moderate",
    ),
    path(
        "section11/returns/<int:pk>/challenge/conclusion/",
        returns.ReturnModerateView.as_view(),
        name="return_moderate",
    ),
]
