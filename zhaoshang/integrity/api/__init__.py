"""API routers of the integrity app, one module per sub-domain (registered in zhaoshang/api/api.py)."""
