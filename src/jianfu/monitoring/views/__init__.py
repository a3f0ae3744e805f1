"""Pages of monitoring, one module per topic (events, bulletins); the app's urls.py names each."""
