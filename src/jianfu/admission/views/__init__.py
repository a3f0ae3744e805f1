"""Pages of admission, one module per topic (applications, filing, public); the app's urls.py names each."""
