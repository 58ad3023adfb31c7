"""schedule domain package (Discord-free)."""
