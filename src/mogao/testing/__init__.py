"""Support for Mogao's own test suite (a pytest plugin); never imported by the running site."""
