"""signoz-dac: dashboards as code for SigNoz."""

__version__ = "0.1.0"
