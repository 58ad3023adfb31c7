"""The offline demo: the real bot against SimCord, a scripted fan-server session, printed as text."""
