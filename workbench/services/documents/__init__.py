"""The documents management hands the auditor, drafted from the project: description, assertion, bridge letter."""
