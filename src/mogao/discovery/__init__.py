"""Discovery by search engines and aggregators: sitemaps, robots.txt, schema.org, IIIF Change Discovery."""
