"""Pages of consultation, one module per topic (desk, public); the app's urls.py names each."""
