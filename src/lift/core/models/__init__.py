"""Core models: tenancy, people, roles, history, clocks, notifications, files."""

from .base import DomainModel, TimeStamped
from .clocks import Clock, ClockState
from .documents import GeneratedDocument
from .files import Attachment
from .forms import FormSubmission
from .history import AccessLog, ChangeLog
from .notifications import Notification, OutboundEmail
from .people import Person
from .tenancy import Agency, AgencyType, Partnership, RoleAssignment
from .workers import ScheduledRun, WorkerHeartbeat

__all__ = [
    "AccessLog",
    "Agency",
    "AgencyType",
    "Attachment",
    "ChangeLog",
    "Clock",
    "ClockState",
    "DomainModel",
    "FormSubmission",
    "GeneratedDocument",
    "Notification",
    "OutboundEmail",
    "Partnership",
    "Person",
    "RoleAssignment",
    "ScheduledRun",
    "TimeStamped",
    "WorkerHeartbeat",
]
