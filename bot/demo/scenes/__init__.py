"""Demo scenes, played in file-name order. Each feature adds one."""
