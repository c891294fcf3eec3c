from django.urls import path

from lift.core.views.generic import object_urls

from .views import bookings, programme, registers, sessions

app_name = "training"

urlpatterns = [
    path("training/", sessions.CatalogueView.as_view(), name="catalogue"),
    path("training/mine/", sessions.MyTrainingView.as_view(), name="mine"),
    path("public/training/", sessions.PublicCatalogueView.as_view(), name="public_catalogue"),
    path("training/dashboard/", registers.DashboardView.as_view(), name="dashboard"),
    path("training/reports/annual/", registers.AnnualReportView.as_view(), name="annual_report"),
    path("training/settings/", registers.SettingsView.as_view(), name="settings"),
    # Programme
    *object_urls(
        "training/programmes/",
        "programme",
        list_view=programme.ProgrammeListView,
        add=programme.ProgrammeCreateView,
        detail=programme.ProgrammeDetailView,
        edit=programme.ProgrammeEditView,
        history_view=programme.ProgrammeHistoryView,
    ),
    path(
        "training/programmes/<int:pk>/approve/",
        programme.ProgrammeApproveView.as_view(),
        name="programme_approve",
    ),
    path(
        "training/programmes/<int:pk>/changes/add/",
        programme.ProgrammeChangeAddView.as_view(),
        name="programme_change_add",
    ),
    path(
        "training/programmes/<int:pk>/priorities/add/",
        programme.ProgrammePriorityAddView.as_view(),
        name="programme_priority_add",
    ),
    # Courses
    *object_urls(
        "training/courses/",
        "course",
        list_view=programme.CourseListView,
        add=programme.CourseCreateView,
        detail=programme.CourseDetailView,
        edit=programme.CourseEditView,
        history_view=programme.CourseHistoryView,
    ),
    path(
        "training/courses/<int:pk>/commissions/add/",
        programme.CommissionAddView.as_view(),
        name="commission_add",
    ),
    path(
        "training/courses/<int:pk>/materials/add/",
        programme.MaterialAddView.as_view(),
        name="material_add",
    ),
    path(
        "training/courses/<int:pk>/sessions/add/",
        sessions.SessionCreateView.as_view(),
        name="trainingsession_add",
    ),
    # Sessions
    *object_urls(
        "training/sessions/",
        "trainingsession",
        list_view=sessions.SessionListView,
        detail=sessions.SessionDetailView,
        edit=sessions.SessionEditView,
        history_view=sessions.SessionHistoryView,
    ),
    path(
        "training/sessions/<int:pk>/book/", sessions.SessionBookView.as_view(), name="session_book"
    ),
    path(
        "training/sessions/<int:pk>/register/",
        sessions.SessionRegisterView.as_view(),
        name="session_register",
    ),
    path(
        "training/sessions/<int:pk>/cancel/",
        sessions.SessionCancelView.as_view(),
        name="session_cancel",
    ),
    path(
        "training/sessions/<int:pk>/calendar.ics",
        sessions.SessionCalendarView.as_view(),
        name="session_calendar",
    ),
    # Bookings
    *object_urls(
        "training/bookings/",
        "booking",
        list_view=bookings.BookingListView,
        detail=bookings.BookingDetailView,
        history_view=bookings.BookingHistoryView,
    ),
    path(
        "training/bookings/<int:pk>/cancel/",
        bookings.BookingCancelView.as_view(),
        name="booking_cancel",
    ),
    path(
        "training/bookings/<int:pk>/approve/",
        bookings.BookingApproveView.as_view(),
        name="booking_approve",
    ),
    path(
        "training/bookings/<int:pk>/offer/",
        bookings.BookingOfferView.as_view(),
        name="booking_offer",
    ),
    path(
        "training/bookings/<int:pk>/evaluate/<str:kind>/",
        bookings.EvaluateView.as_view(),
        name="booking_evaluate",
    ),
    path(
        "training/bookings/<int:pk>/certificate/",
        bookings.CertificateView.as_view(),
        name="booking_certificate",
    ),
    # Evaluations and follow-ups
    *object_urls(
        "training/evaluations/",
        "evaluation",
        list_view=bookings.EvaluationListView,
        detail=bookings.EvaluationDetailView,
    ),
    path(
        "training/evaluations/<int:pk>/finding/",
        bookings.EvaluationFindingView.as_view(),
        name="evaluation_finding",
    ),
    path("training/follow-ups/", bookings.FollowUpListView.as_view(), name="followup_list"),
    path(
        "training/follow-ups/<int:pk>/",
        bookings.FollowUpDetailView.as_view(),
        name="followup_detail",
    ),
    # Cascade
    *object_urls(
        "training/cascade/",
        "cascadesession",
        list_view=registers.CascadeListView,
        add=registers.CascadeCreateView,
        detail=registers.CascadeDetailView,
        edit=registers.CascadeEditView,
        delete=registers.CascadeDeleteView,
        history_view=registers.CascadeHistoryView,
    ),
    # Single-agency register
    path(
        "training/agency-training/import/",
        registers.AgencyTrainingImportView.as_view(),
        name="agencytraining_import",
    ),
    *object_urls(
        "training/agency-training/",
        "agencytraining",
        list_view=registers.AgencyTrainingListView,
        add=registers.AgencyTrainingCreateView,
        detail=registers.AgencyTrainingDetailView,
        edit=registers.AgencyTrainingEditView,
        delete=registers.AgencyTrainingDeleteView,
        history_view=registers.AgencyTrainingHistoryView,
    ),
    # Needs assessment
    *object_urls(
        "training/needs/",
        "needsassessment",
        list_view=registers.NeedsListView,
        add=registers.NeedsCreateView,
        detail=registers.NeedsDetailView,
        edit=registers.NeedsEditView,
        history_view=registers.NeedsHistoryView,
    ),
    path(
        "training/needs/<int:pk>/returns/add/",
        registers.NeedsReturnAddView.as_view(),
        name="needs_return_add",
    ),
    path("training/needs/<int:pk>/close/", registers.NeedsCloseView.as_view(), name="needs_close"),
]
