"""Reader discussion (#15): threaded comments across languages, reports and the moderation queue."""
