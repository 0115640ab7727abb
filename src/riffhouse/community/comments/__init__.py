"""Comments on records and productions (and a production's segments): threads, mentions,
edits kept for moderators, tombstones, one pinned comment per target (decision 0032).

`services` writes, `selectors` reads, `text` renders a comment's Markdown and its mentions.
"""
