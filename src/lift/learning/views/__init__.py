"""Pages of the learning chain: the action tracker, findings, recommendations, themes,
the learning library and dissemination."""
