"""The platform's settings plus one bare view, for bench_public_pages: the same gunicorn, middleware and
database serve the pages and the bare view, so their requests per second compare."""

from jianfu.settings import *  # noqa: F403

ROOT_URLCONF = "bench.site_urls"
