"""Reads of the integrity app (scoped to the user), one module per sub-domain."""
