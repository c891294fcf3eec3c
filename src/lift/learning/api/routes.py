from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("findings", views.FindingViewSet, basename="finding")
    router.register("recommendations", views.RecommendationViewSet, basename="recommendation")
    router.register("actions", views.ActionViewSet, basename="action")
    router.register("themes", views.ThemeViewSet, basename="theme")
    router.register("library", views.LibraryItemViewSet, basename="libraryitem")
    router.register("dissemination", views.DisseminationViewSet, basename="dissemination")
