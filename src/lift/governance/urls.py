from django.urls import path

from lift.core.views.generic import object_urls

from . import views as v

app_name = "governance"

urlpatterns = [
    # Boards and groups, their members and responsibilities
    *object_urls(
        "boards/members/",
        "membership",
        list_view=v.MembershipListView,
        add=v.MembershipCreateView,
        detail=v.MembershipDetailView,
        edit=v.MembershipEditView,
        delete=v.MembershipDeleteView,
        history_view=v.MembershipHistoryView,
    ),
    *object_urls(
        "boards/",
        "board",
        list_view=v.BoardListView,
        add=v.BoardCreateView,
        detail=v.BoardDetailView,
        edit=v.BoardEditView,
        delete=v.BoardDeleteView,
        history_view=v.BoardHistoryView,
    ),
    path(
        "boards/<int:pk>/responsibilities/",
        v.BoardResponsibilitiesView.as_view(),
        name="board_responsibilities",
    ),
    path(
        "boards/<int:pk>/responsibilities/<slug:code>/",
        v.ResponsibilityReportView.as_view(),
        name="board_report",
    ),
    # Meetings
    path("meetings/forward-plan/", v.ForwardPlanView.as_view(), name="forward_plan"),
    path("meetings/calendar/", v.CalendarView.as_view(), name="calendar"),
    path("meetings/calendar.ics", v.CalendarIcsView.as_view(), name="calendar_ics"),
    path(
        "meetings/calendar/<str:token>.ics",
        v.PublicCalendarIcsView.as_view(),
        name="calendar_public",
    ),
    *object_urls(
        "meetings/agenda-items/",
        "agendaitem",
        list_view=v.AgendaItemListView,
        detail=v.AgendaItemDetailView,
        edit=v.AgendaItemEditView,
        delete=v.AgendaItemDeleteView,
        history_view=v.AgendaItemHistoryView,
    ),
    path(
        "meetings/agenda-items/<int:pk>/papers/",
        v.PaperAddView.as_view(),
        name="agendaitem_papers",
    ),
    path("meetings/papers/<int:pk>/replace/", v.PaperReplaceView.as_view(), name="paper_replace"),
    path("meetings/papers/<int:pk>/late/", v.PaperLateView.as_view(), name="paper_late"),
    path("meetings/papers/<int:pk>/move/", v.PaperMoveView.as_view(), name="paper_move"),
    path(
        "meetings/papers/<int:pk>/withdraw/", v.PaperWithdrawView.as_view(), name="paper_withdraw"
    ),
    path(
        "meetings/<int:pk>/board-pack/",
        v.BoardPackPublishView.as_view(),
        name="boardpack_publish",
    ),
    path(
        "meetings/board-packs/<int:pk>/<str:fmt>/",
        v.BoardPackDownloadView.as_view(),
        name="boardpack_download",
    ),
    *object_urls(
        "meetings/decisions/",
        "decision",
        list_view=v.DecisionListView,
        detail=v.DecisionDetailView,
        edit=v.DecisionEditView,
        delete=v.DecisionDeleteView,
        history_view=v.DecisionHistoryView,
    ),
    path(
        "meetings/decisions/<int:pk>/actions/add/",
        v.DecisionActionCreateView.as_view(),
        name="decision_action_add",
    ),
    *object_urls(
        "meetings/",
        "meeting",
        list_view=v.MeetingListView,
        add=v.MeetingCreateView,
        detail=v.MeetingDetailView,
        edit=v.MeetingEditView,
        delete=v.MeetingDeleteView,
        history_view=v.MeetingHistoryView,
    ),
    path("meetings/<int:pk>/status/", v.MeetingStatusView.as_view(), name="meeting_status"),
    path(
        "meetings/<int:pk>/attendance/",
        v.MeetingAttendanceView.as_view(),
        name="meeting_attendance",
    ),
    path("meetings/<int:pk>/agenda/add/", v.AgendaItemCreateView.as_view(), name="agendaitem_add"),
    path("meetings/<int:pk>/decisions/add/", v.DecisionCreateView.as_view(), name="decision_add"),
    # Business plan
    *object_urls(
        "business-plan/priorities/",
        "priority",
        list_view=v.PriorityListView,
        detail=v.PriorityDetailView,
        edit=v.PriorityEditView,
        delete=v.PriorityDeleteView,
        history_view=v.PriorityHistoryView,
    ),
    path(
        "business-plan/priorities/<int:pk>/links/add/",
        v.PriorityLinkAddView.as_view(),
        name="prioritylink_add",
    ),
    path(
        "business-plan/priorities/links/<int:pk>/remove/",
        v.PriorityLinkRemoveView.as_view(),
        name="prioritylink_remove",
    ),
    *object_urls(
        "business-plan/",
        "businessplan",
        list_view=v.BusinessPlanListView,
        add=v.BusinessPlanCreateView,
        detail=v.BusinessPlanDetailView,
        edit=v.BusinessPlanEditView,
        delete=v.BusinessPlanDeleteView,
        history_view=v.BusinessPlanHistoryView,
    ),
    path(
        "business-plan/<int:pk>/priorities/add/",
        v.PriorityCreateView.as_view(),
        name="priority_add",
    ),
]
