from rest_framework.routers import DefaultRouter

from . import pending, views


def register(router: DefaultRouter) -> None:
    router.register("partnerships", views.PartnershipViewSet, basename="partnership")
    router.register("agencies", views.AgencyViewSet, basename="agency")
    router.register("people", views.PersonViewSet, basename="person")
    router.register("roles", views.RoleAssignmentViewSet, basename="roleassignment")
    router.register("clocks", views.ClockViewSet, basename="clock")
    router.register("notifications", views.NotificationViewSet, basename="notification")
    router.register("history", views.ChangeLogViewSet, basename="changelog")
    router.register("todo-partnership", pending.PartnershipTodoViewSet, basename="todo-partnership")
