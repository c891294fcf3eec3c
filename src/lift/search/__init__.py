"""Search: one full-text index of the partnership's records, read through restrict()."""
