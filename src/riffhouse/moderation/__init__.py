"""Moderation: reports, moderator actions and their audit. Filled by the moderation issue."""
