"""Pages of grid, one module per topic (events, setup, public); the app's urls.py names each."""
