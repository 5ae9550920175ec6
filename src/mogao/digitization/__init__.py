"""Digitization on demand (#17): reader requests, a public queue, priorities that explain themselves."""
