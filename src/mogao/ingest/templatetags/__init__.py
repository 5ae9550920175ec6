"""Template filters of mogao.ingest."""
