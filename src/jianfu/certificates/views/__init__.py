"""Pages of certificates, one module per topic (desk, records, certificate_types, public); the app's urls.py names each."""
