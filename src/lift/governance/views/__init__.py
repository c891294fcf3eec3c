"""Pages of boards, meetings and the business plan, one module for each part: boards and
their members, meetings and their calendar, agenda items and papers, decisions, and the
business plan."""

from ..choices import REPORT_COLOURS

__all__ = ["REPORT_COLOURS"]
