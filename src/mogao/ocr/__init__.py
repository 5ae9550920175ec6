"""OCR: engines behind one interface (rapidocr, Tesseract, a fake), vertical reading order, layout."""
