"""Young people's voice: /voice/..."""

from django.urls import path

from lift.core.views.generic import object_urls

from . import views as v

app_name = "voice"

urlpatterns = [
    path("voice/", v.ForumView.as_view(), name="forum"),
    path("voice/forum/edit/", v.ForumEditView.as_view(), name="forum_edit"),
    *object_urls(
        "voice/members/",
        "forummember",
        list_view=v.MemberListView,
        add=v.MemberCreateView,
        detail=v.MemberDetailView,
        edit=v.MemberEditView,
        history_view=v.MemberHistoryView,
    ),
    *object_urls(
        "voice/sessions/",
        "forumsession",
        list_view=v.SessionListView,
        add=v.SessionCreateView,
        detail=v.SessionDetailView,
        edit=v.SessionEditView,
        history_view=v.SessionHistoryView,
    ),
    *object_urls(
        "voice/terms/",
        "term",
        list_view=v.TermListView,
        add=v.TermCreateView,
        detail=v.TermDetailView,
        edit=v.TermEditView,
        history_view=v.TermHistoryView,
    ),
    *object_urls(
        "voice/chair-meetings/",
        "chairmeeting",
        add=v.ChairMeetingCreateView,
        detail=v.ChairMeetingDetailView,
        edit=v.ChairMeetingEditView,
        history_view=v.ChairMeetingHistoryView,
    ),
    *object_urls(
        "voice/events/",
        "event",
        list_view=v.EventListView,
        add=v.EventCreateView,
        detail=v.EventDetailView,
        edit=v.EventEditView,
        history_view=v.EventHistoryView,
    ),
    *object_urls(
        "voice/consultations/",
        "consultation",
        list_view=v.ConsultationListView,
        add=v.ConsultationCreateView,
        detail=v.ConsultationDetailView,
        edit=v.ConsultationEditView,
        history_view=v.ConsultationHistoryView,
    ),
    path(
        "voice/consultations/<int:pk>/you-said-we-did/",
        v.YouSaidWeDidView.as_view(),
        name="consultation_yousaid",
    ),
    path("voice/consultations/<int:pk>/views/add/", v.ViewAddView.as_view(), name="view_add"),
    path(
        "voice/consultations/<int:pk>/publish/",
        v.ConsultationPublishView.as_view(),
        name="consultation_publish",
    ),
    path("voice/views/<int:pk>/respond/", v.ViewRespondView.as_view(), name="view_respond"),
    *object_urls(
        "voice/presentations/",
        "presentation",
        list_view=v.PresentationListView,
        add=v.PresentationCreateView,
        detail=v.PresentationDetailView,
        history_view=v.PresentationHistoryView,
    ),
    path(
        "voice/presentations/<int:pk>/materials/add/",
        v.MaterialAddView.as_view(),
        name="material_add",
    ),
]
