"""Demo content for `make run`: builds members (and, as later issues land, their work) through the
apps' services. Nothing here is imported by other apps.
"""
