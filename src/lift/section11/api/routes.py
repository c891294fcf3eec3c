from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("section11/frameworks", views.FrameworkViewSet, basename="s11-framework")
    router.register("section11/cycles", views.CycleViewSet, basename="s11-cycle")
    router.register("section11/returns", views.ReturnViewSet, basename="s11-return")
    router.register("section11/answers", views.AnswerViewSet, basename="s11-answer")
    router.register("section11/panels", views.PanelViewSet, basename="s11-panel")
    router.register("section11/questions", views.ChallengeQuestionViewSet, basename="s11-question")
    router.register("section11/follow-ups", views.FollowUpViewSet, basename="s11-follow-up")
    router.register("section11/letters", views.EscalationViewSet, basename="s11-letter")
