"""The learning chain's pages: /actions/, /findings/, /recommendations/, /themes/,
/library/ and /dissemination/."""

from django.urls import path

from lift.core.views.generic import object_urls

from .views import actions, chain, feeds, library

app_name = "learning"

urlpatterns = [
    path("actions/ours/", actions.ActionOursView.as_view(), name="action_ours"),
    path("actions/overdue/", actions.ActionOverdueView.as_view(), name="action_overdue"),
    path("actions/calendar.ics", feeds.ActionCalendarView.as_view(), name="action_calendar"),
    path(
        "actions/calendar/<str:token>.ics",
        feeds.calendar_token_view,
        name="action_calendar_token",
    ),
    *object_urls(
        "actions/",
        "action",
        list_view=actions.ActionListView,
        add=actions.ActionCreateView,
        detail=actions.ActionDetailView,
        edit=actions.ActionEditView,
        history_view=actions.ActionHistoryView,
    ),
    path(
        "actions/<int:pk>/status/<slug:to>/", actions.ActionMoveView.as_view(), name="action_move"
    ),
    path(
        "actions/<int:pk>/updates/add/",
        actions.ActionUpdateAddView.as_view(),
        name="action_update_add",
    ),
    path("actions/<int:pk>/due-date/", actions.ActionDueDateView.as_view(), name="action_due"),
    path("actions/<int:pk>/evidence/add/", actions.EvidenceAddView.as_view(), name="evidence_add"),
    path("actions/<int:pk>/impact/add/", actions.ImpactCheckAddView.as_view(), name="impact_add"),
    path(
        "actions/<int:pk>/impact/<int:check>/verify/",
        actions.ImpactVerifyView.as_view(),
        name="impact_verify",
    ),
    *object_urls(
        "findings/",
        "finding",
        list_view=chain.FindingListView,
        add=chain.FindingCreateView,
        detail=chain.FindingDetailView,
        edit=chain.FindingEditView,
        history_view=chain.FindingHistoryView,
    ),
    path("findings/<int:pk>/applies/", chain.FindingJudgeView.as_view(), name="finding_judge"),
    path(
        "findings/<int:pk>/recommend/",
        chain.FindingRecommendView.as_view(),
        name="finding_recommend",
    ),
    *object_urls(
        "recommendations/",
        "recommendation",
        list_view=chain.RecommendationListView,
        add=chain.RecommendationCreateView,
        detail=chain.RecommendationDetailView,
        edit=chain.RecommendationEditView,
        history_view=chain.RecommendationHistoryView,
    ),
    path(
        "recommendations/<int:pk>/respond/",
        chain.RecommendationRespondView.as_view(),
        name="recommendation_respond",
    ),
    path("themes/recurring/", chain.RecurringThemesView.as_view(), name="theme_recurring"),
    *object_urls(
        "themes/",
        "theme",
        list_view=chain.ThemeListView,
        add=chain.ThemeCreateView,
        detail=chain.ThemeDetailView,
        edit=chain.ThemeEditView,
        history_view=chain.ThemeHistoryView,
    ),
    *object_urls(
        "library/",
        "libraryitem",
        list_view=library.LibraryItemListView,
        add=library.LibraryItemCreateView,
        detail=library.LibraryItemDetailView,
        edit=library.LibraryItemEditView,
        history_view=library.LibraryItemHistoryView,
    ),
    path(
        "library/<int:pk>/lessons/add/",
        library.LibraryLessonAddView.as_view(),
        name="libraryitem_lesson_add",
    ),
    *object_urls(
        "dissemination/",
        "dissemination",
        list_view=library.DisseminationListView,
        add=library.DisseminationCreateView,
        detail=library.DisseminationDetailView,
        edit=library.DisseminationEditView,
        history_view=library.DisseminationHistoryView,
    ),
]
