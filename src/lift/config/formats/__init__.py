"""LIFT's own display formats (FORMAT_MODULE_PATH): Django's en_GB formats with the month
spelt out, so a date shown without a filter reads "6 December 2026" (GOV.UK style)."""
