"""Ledger: revenue and cost events, compensation pools, split proposals, the append-only double-
entry journal, payouts, statements and transparency. Filled by the ledger issue.
"""
