"""Tests of IIIF Presentation 3.0, the viewer pages, comparison and downloads."""
