from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("training/courses", views.CourseViewSet, basename="training-course")
    router.register("training/sessions", views.SessionViewSet, basename="training-session")
    router.register("training/bookings", views.BookingViewSet, basename="training-booking")
    router.register("training/evaluations", views.EvaluationViewSet, basename="training-evaluation")
