"""Langbridge's Python side: where GPU training lives."""

__version__ = "0.1.0"
