from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("section11/frameworks", views.FrameworkViewSet, basename="s11-framework")
    router.register("section11/cycles", views.CycleViewSet, basename="s11-cycle")
    router.register("section11/returns", views.ReturnViewSet, basename="s11-return")
    router.register("section11/answers", views.AnswerViewSet, basename="s11-answer")
