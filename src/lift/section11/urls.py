from django.urls import path  # noqa: F401

app_name = "section11"

urlpatterns: list = []
