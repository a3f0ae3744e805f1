"""Pages of forms, one module per topic (base_table, forms, channels); the app's urls.py names each."""
