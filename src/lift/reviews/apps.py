from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "lift.reviews"
    label = "reviews"
    verbose_name = "Serious incidents and case reviews"
