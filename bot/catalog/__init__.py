"""catalog domain package (Discord-free)."""
