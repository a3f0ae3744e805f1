"""Certificates (证明事项) over JSON: the same selectors and services as the pages."""

from ninja import Router

router = Router(tags=["证明事项"])
