"""What an operator needs: JSON logs with a request id, redaction of restricted identifiers,
Prometheus metrics and the readiness checks (docs/operations.md)."""
