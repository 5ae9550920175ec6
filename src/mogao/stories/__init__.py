"""Stories (#16): guided journeys through manuscripts, maps and time, in four languages."""
