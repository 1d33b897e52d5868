"""The claimtrail domain: aggregates, events, value objects.

Pure: the stdlib and eventsourcing.domain only.
"""
