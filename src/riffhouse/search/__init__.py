"""Search: indexing and queries over records, people and productions (SQLite FTS5 or PostgreSQL
full text). Filled by the search issue.
"""
