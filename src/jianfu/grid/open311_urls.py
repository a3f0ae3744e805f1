"""Open311 GeoReport v2 under /open311/v2/ (services.json, services/<code>.json, requests.json, requests/<id>.json)."""

app_name = "open311"
urlpatterns: list = []
