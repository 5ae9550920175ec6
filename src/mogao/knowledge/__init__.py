"""Knowledge layer: people, places, periods, subjects, authority links and mentions."""
