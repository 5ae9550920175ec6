"""Search: documents, query tree and parser, and the tantivy, postgres and memory backends."""
