from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("boards", views.BoardViewSet, basename="board")
    router.register("board-memberships", views.MembershipViewSet, basename="membership")
    router.register("meetings", views.MeetingViewSet, basename="meeting")
    router.register("agenda-items", views.AgendaItemViewSet, basename="agendaitem")
    router.register("meeting-papers", views.PaperViewSet, basename="paper")
    router.register("board-packs", views.BoardPackViewSet, basename="boardpack")
    router.register("decisions", views.DecisionViewSet, basename="decision")
    router.register("business-plans", views.BusinessPlanViewSet, basename="businessplan")
    router.register("priorities", views.PriorityViewSet, basename="priority")
