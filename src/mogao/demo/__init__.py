"""The built-in demo collection (written by the project) and the loader of real data."""
