"""Productions: themed calls with needs, submissions, curation, the lineup, fairness report,
release and production credits. Filled by the productions issue.
"""
