"""Pages of boards, meetings and the business plan, one module for each part: boards and
their members, meetings and their calendar, agenda items and papers, decisions, and the
business plan."""
