"""IIIF: the Image API server (pure core in ``image``) and Presentation manifests."""
