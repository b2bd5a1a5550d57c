"""The ethics advisor's web workspace."""
