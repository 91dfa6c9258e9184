"""产出与服务: what a project yields after production, investor requests, aftercare, talent and
projects run in Beijing (issue 15)."""
