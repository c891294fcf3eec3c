from django.urls import path

from lift.core.views.generic import object_urls

from .views import agenda, boards, business_plan, calendar, decisions, meetings, members

app_name = "governance"

urlpatterns = [
    # Boards and groups, their members and responsibilities
    *object_urls(
        "boards/members/",
        "membership",
        list_view=members.MembershipListView,
        add=members.MembershipCreateView,
        detail=members.MembershipDetailView,
        edit=members.MembershipEditView,
        delete=members.MembershipDeleteView,
        history_view=members.MembershipHistoryView,
    ),
    *object_urls(
        "boards/",
        "board",
        list_view=boards.BoardListView,
        add=boards.BoardCreateView,
        detail=boards.BoardDetailView,
        edit=boards.BoardEditView,
        delete=boards.BoardDeleteView,
        history_view=boards.BoardHistoryView,
    ),
    path(
        "boards/<int:pk>/responsibilities/",
        boards.BoardResponsibilitiesView.as_view(),
        name="board_responsibilities",
    ),
    path(
        "boards/<int:pk>/responsibilities/<slug:code>/",
        boards.ResponsibilityReportView.as_view(),
        name="board_report",
    ),
    # Meetings
    path("meetings/forward-plan/", meetings.ForwardPlanView.as_view(), name="forward_plan"),
    path("meetings/calendar/", calendar.CalendarView.as_view(), name="calendar"),
    path("meetings/calendar.ics", calendar.CalendarIcsView.as_view(), name="calendar_ics"),
    path(
        "meetings/calendar/<str:token>.ics",
        calendar.PublicCalendarIcsView.as_view(),
        name="calendar_public",
    ),
    *object_urls(
        "meetings/agenda-items/",
        "agendaitem",
        list_view=agenda.AgendaItemListView,
        detail=agenda.AgendaItemDetailView,
        edit=agenda.AgendaItemEditView,
        delete=agenda.AgendaItemDeleteView,
        history_view=agenda.AgendaItemHistoryView,
    ),
    path(
        "meetings/agenda-items/<int:pk>/papers/",
        agenda.PaperAddView.as_view(),
        name="agendaitem_papers",
    ),
    path(
        "meetings/papers/<int:pk>/replace/", agenda.PaperReplaceView.as_view(), name="paper_replace"
    ),
    path("meetings/papers/<int:pk>/late/", agenda.PaperLateView.as_view(), name="paper_late"),
    path("meetings/papers/<int:pk>/move/", agenda.PaperMoveView.as_view(), name="paper_move"),
    path(
        "meetings/papers/<int:pk>/withdraw/",
        agenda.PaperWithdrawView.as_view(),
        name="paper_withdraw",
    ),
    path(
        "meetings/<int:pk>/board-pack/",
        agenda.BoardPackPublishView.as_view(),
        name="boardpack_publish",
    ),
    path(
        "meetings/board-packs/<int:pk>/<str:fmt>/",
        agenda.BoardPackDownloadView.as_view(),
        name="boardpack_download",
    ),
    *object_urls(
        "meetings/decisions/",
        "decision",
        list_view=decisions.DecisionListView,
        detail=decisions.DecisionDetailView,
        edit=decisions.DecisionEditView,
        delete=decisions.DecisionDeleteView,
        history_view=decisions.DecisionHistoryView,
    ),
    path(
        "meetings/decisions/<int:pk>/actions/add/",
        decisions.DecisionActionCreateView.as_view(),
        name="decision_action_add",
    ),
    *object_urls(
        "meetings/",
        "meeting",
        list_view=meetings.MeetingListView,
        add=meetings.MeetingCreateView,
        detail=meetings.MeetingDetailView,
        edit=meetings.MeetingEditView,
        delete=meetings.MeetingDeleteView,
        history_view=meetings.MeetingHistoryView,
    ),
    path("meetings/<int:pk>/status/", meetings.MeetingStatusView.as_view(), name="meeting_status"),
    path(
        "meetings/<int:pk>/attendance/",
        meetings.MeetingAttendanceView.as_view(),
        name="meeting_attendance",
    ),
    path(
        "meetings/<int:pk>/agenda/add/",
        agenda.AgendaItemCreateView.as_view(),
        name="agendaitem_add",
    ),
    path(
        "meetings/<int:pk>/decisions/add/",
        decisions.DecisionCreateView.as_view(),
        name="decision_add",
    ),
    # Business plan
    *object_urls(
        "business-plan/priorities/",
        "priority",
        list_view=business_plan.PriorityListView,
        detail=business_plan.PriorityDetailView,
        edit=business_plan.PriorityEditView,
        delete=business_plan.PriorityDeleteView,
        history_view=business_plan.PriorityHistoryView,
    ),
    path(
        "business-plan/priorities/<int:pk>/links/add/",
        business_plan.PriorityLinkAddView.as_view(),
        name="prioritylink_add",
    ),
    path(
        "business-plan/priorities/links/<int:pk>/remove/",
        business_plan.PriorityLinkRemoveView.as_view(),
        name="prioritylink_remove",
    ),
    *object_urls(
        "business-plan/",
        "businessplan",
        list_view=business_plan.BusinessPlanListView,
        add=business_plan.BusinessPlanCreateView,
        detail=business_plan.BusinessPlanDetailView,
        edit=business_plan.BusinessPlanEditView,
        delete=business_plan.BusinessPlanDeleteView,
        history_view=business_plan.BusinessPlanHistoryView,
    ),
    path(
        "business-plan/<int:pk>/priorities/add/",
        business_plan.PriorityCreateView.as_view(),
        name="priority_add",
    ),
]
