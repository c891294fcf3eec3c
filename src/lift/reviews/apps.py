from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "lift.reviews"
    label = "reviews"
    verbose_name = "Serious incidents and case reviews"

    def ready(self) -> None:
        from lift.core import navigation
        from lift.core import roles as r

        from . import panels, todo
        from .reference import reference

        reference()  # a malformed reference/reviews/*.yaml stops start-up, naming the problem
        navigation.register(
            "Reviews",
            "reviews:dashboard",
            roles=r.OVERSIGHT | {r.R.SAFEGUARDING_LEAD, r.R.CASE_TEAM},
            order=30,
            prefix="/reviews/",
            text="Where each review stands, and what is due.",
        )
        navigation.register(
            "Incidents",
            "reviews:incident_list",
            roles=r.OVERSIGHT | {r.R.SAFEGUARDING_LEAD, r.R.CASE_TEAM},
            order=29,
            prefix="/incidents/",
            text="Serious incidents, their notification and the Chair's decision.",
        )
        navigation.register_home_panel(panels.reviews_panel, order=40)
        panels.register_forward_plan()
        todo.register_kinds()

        from lift.core.bench import register_generator

        from .bench import generate_reviews

        register_generator("reviews", generate_reviews, order=55)
