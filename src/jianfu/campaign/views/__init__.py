"""Pages of campaign, one module per topic (tasks, evaluation, people); the app's urls.py names each."""
