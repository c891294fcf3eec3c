from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("cdop/cases", views.ChildDeathViewSet, basename="cdop-case")
    router.register("cdop/analyses", views.AnalysisViewSet, basename="cdop-analysis")
    router.register("cdop/meetings", views.CdopMeetingViewSet, basename="cdop-meeting")
    router.register("cdop/campaigns", views.CampaignViewSet, basename="cdop-campaign")
