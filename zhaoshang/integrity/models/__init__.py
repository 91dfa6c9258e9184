"""Integrity: flags (double counting, packaged projects, registry), spot-checks, inspections and
pre-review. One module per sub-domain; this package re-exports the models."""
