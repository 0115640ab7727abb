"""Lineage: source links between record versions (the remix graph), remix policies and requests,
licences, credits of a record. Filled by the lineage issue.
"""
