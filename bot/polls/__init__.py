"""polls domain package (Discord-free)."""
