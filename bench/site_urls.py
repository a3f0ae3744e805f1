"""The platform's routes and ``/bench/bare/``: a view that returns two bytes through the whole middleware."""

from django.http import HttpResponse
from django.urls import path

from jianfu.urls import urlpatterns as platform


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *platform]
