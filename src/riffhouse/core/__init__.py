"""Shared foundations: base models, errors, pagination, htmx helpers, storage helpers, the
home page, the health check and the `serve` command. Holds no domain models."""
