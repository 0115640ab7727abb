"""Feeds: a member's home feed, the public lists (latest, trending, never remixed, open to
remix, needs collaborators) and play counting. Decision 0034."""
