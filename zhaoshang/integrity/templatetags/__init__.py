"""Template tags of the integrity app."""
