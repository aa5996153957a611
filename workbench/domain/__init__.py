"""Pure-Python domain: entities, enums, the criteria catalog, readiness rules. Imports nothing of ours."""
