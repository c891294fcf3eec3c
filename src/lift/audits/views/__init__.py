"""Pages of the audits area."""
