"""Riffhouse: an open, self-hostable home for making creative work together."""
