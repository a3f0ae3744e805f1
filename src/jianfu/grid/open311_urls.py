"""Open311 GeoReport v2 under /open311/v2/ (services.json, services/<code>.json, requests.json,
requests/<id>.json), each also as .xml."""

from django.urls import path, register_converter

from . import open311


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(FormatConverter, "open311fmt")

app_name = "open311"
urlpatterns = [
    path("services.<open311fmt:fmt>", open311.services, name="services"),
    path("services/<str:code>.<open311fmt:fmt>", open311.service_definition, name="service_definition"),
    path("requests.<open311fmt:fmt>", open311.service_requests, name="requests"),
    path("requests/<str:request_id>.<open311fmt:fmt>", open311.service_request, name="request"),
]
