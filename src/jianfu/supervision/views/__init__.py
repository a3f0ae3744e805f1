"""Pages of supervision, one module per topic (plans, places); the app's urls.py names each."""
