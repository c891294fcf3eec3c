from django.urls import path

from .ops.metrics import metrics_view
from .views import admin, brand, documents, footer, pages
from .views import pending as pending_views
from .views import todo as todo_views
from .views.areas import area_urls
from .views.generic import object_urls

app_name = "core"

urlpatterns = [
    path("", pages.HomeView.as_view(), name="home"),
    *area_urls(),
    path("todo/", todo_views.TodoListView.as_view(), name="todo_list"),
    path(
        "todo/partnership/",
        pending_views.PartnershipPendingView.as_view(),
        name="todo_partnership",
    ),
    path("todo/calendar.ics", todo_views.TodoCalendarView.as_view(), name="todo_calendar"),
    path(
        "todo/calendar/<str:token>.ics",
        todo_views.todo_calendar_token_view,
        name="todo_calendar_token",
    ),
    path("healthz", pages.healthz, name="healthz"),
    path("readyz", pages.readyz, name="readyz"),
    path("metrics", metrics_view, name="metrics"),
    path("accessibility/", footer.AccessibilityStatementView.as_view(), name="accessibility"),
    path("privacy/", footer.PrivacyNoticeView.as_view(), name="privacy"),
    path("cookies/", footer.CookiesView.as_view(), name="cookies"),
    path("contact/", footer.ContactView.as_view(), name="contact"),
    path("brand/<int:partnership_id>.css", brand.partnership_brand_css, name="brand_css"),
    path("partnership/<int:pk>/", admin.PartnershipDetailView.as_view(), name="partnership_detail"),
    path(
        "partnership/<int:pk>/edit/", admin.PartnershipEditView.as_view(), name="partnership_edit"
    ),
    path(
        "partnership/<int:pk>/history/",
        admin.PartnershipHistoryView.as_view(),
        name="partnership_history",
    ),
    path("partnership/switch/", admin.PartnershipSwitchView.as_view(), name="partnership_switch"),
    *object_urls(
        "agencies/",
        "agency",
        list_view=admin.AgencyListView,
        add=admin.AgencyCreateView,
        detail=admin.AgencyDetailView,
        edit=admin.AgencyEditView,
        delete=admin.AgencyDeleteView,
        history_view=admin.AgencyHistoryView,
    ),
    *object_urls(
        "people/",
        "person",
        list_view=admin.PersonListView,
        add=admin.PersonCreateView,
        detail=admin.PersonDetailView,
        edit=admin.PersonEditView,
        history_view=admin.PersonHistoryView,
    ),
    *object_urls(
        "roles/",
        "roleassignment",
        list_view=admin.RoleAssignmentListView,
        add=admin.RoleAssignmentCreateView,
        detail=admin.RoleAssignmentDetailView,
        edit=admin.RoleAssignmentEditView,
        delete=admin.RoleAssignmentDeleteView,
        history_view=admin.RoleAssignmentHistoryView,
    ),
    path("people/import/", admin.PersonImportView.as_view(), name="person_import"),
    path("people/<int:pk>/invitation/", admin.PersonInviteView.as_view(), name="person_invite"),
    path(
        "people/<int:pk>/two-factor/reset/",
        admin.PersonTwoFactorResetView.as_view(),
        name="person_two_factor_reset",
    ),
    path("history/", admin.HistorySearchView.as_view(), name="history"),
    path("notifications/", admin.NotificationListView.as_view(), name="notification_list"),
    path("files/<int:pk>/", admin.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("documents/<int:pk>/", documents.DocumentStatusView.as_view(), name="document_status"),
    path("documents/<int:pk>/retry/", documents.DocumentRetryView.as_view(), name="document_retry"),
    path(
        "documents/<int:pk>/download/",
        documents.DocumentDownloadView.as_view(),
        name="document_download",
    ),
]
