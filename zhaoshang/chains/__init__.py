"""产业链与目标企业: industry chains, task forces, target enterprises, the pipeline and the meetings
that drive them (issue 14)."""
