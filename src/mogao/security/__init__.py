"""Abuse and injection defences: Content-Security-Policy, the client address, shared rate limits."""
