"""The claimtrail domain: aggregates, events, value objects. Pure: stdlib and eventsourcing.domain."""
