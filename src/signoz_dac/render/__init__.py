"""Render definitions into SigNoz v6 dashboard bodies."""

from signoz_dac.render.pipeline import dump, render

__all__ = ["dump", "render"]
