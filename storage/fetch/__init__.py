"""Subscriptions and fetching: feeds.py (what to fetch, which days), http.py (how: polite, conditional, retried),
run.py (fetch, keep the bodies under the data dir, ingest them through `Store.ingest` like any feed file).

The only network access in the project is in http.py.
"""
