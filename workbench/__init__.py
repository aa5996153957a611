"""SOC 2 Workbench: an offline desktop workbench for the road to a SOC 2 report."""

__version__ = "0.1.0"
APP_NAME = "SOC 2 Workbench"
