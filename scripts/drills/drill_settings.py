"""Settings for the task-worker drill: the dev settings plus a slow, fictional workload
(`drill_workload`) registered through LIFT's public extension points. Never used in
production."""

from lift.config.settings.dev import *  # noqa: F403
from lift.config.settings.dev import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "drill_workload"]
