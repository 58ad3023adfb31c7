"""knowledge domain package (Discord-free)."""
