from rest_framework.routers import DefaultRouter

from . import views


def register(router: DefaultRouter) -> None:
    router.register("incidents", views.IncidentViewSet, basename="incident")
    router.register("restricted-records", views.ChildIdentityViewSet, basename="childidentity")
    router.register("reviews", views.ReviewViewSet, basename="review")
    router.register("panel-letters", views.LetterViewSet, basename="panelletter")
    router.register("referrals", views.ReferralViewSet, basename="referral")
    router.register("agency-requests", views.AgencyRequestViewSet, basename="agencyrequest")
