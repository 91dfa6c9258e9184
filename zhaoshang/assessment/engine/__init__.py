"""The assessment engine: schemes (TOML) → measures (SQL) → rules → composition → results."""
