"""Readers take part (#15): contributions (annotations, comments…), reader groups, moderation."""
