"""Pages of catalog, one module per topic (lists, corrections, public); the app's urls.py names each."""
