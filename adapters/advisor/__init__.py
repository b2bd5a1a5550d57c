"""The ethics advisor's workspace."""
