from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("voice/members", views.ForumMemberViewSet, basename="voice-member")
    router.register("voice/sessions", views.ForumSessionViewSet, basename="voice-session")
    router.register("voice/terms", views.TermViewSet, basename="voice-term")
    router.register("voice/chair-meetings", views.ChairMeetingViewSet, basename="voice-chair")
    router.register("voice/events", views.EventViewSet, basename="voice-event")
    router.register("voice/consultations", views.ConsultationViewSet, basename="voice-consultation")
    router.register("voice/presentations", views.PresentationViewSet, basename="voice-presentation")
