"""Presentation of plans, drift and findings: pure functions returning strings or documents."""
