"""协商议事 over JSON: the same selectors and services as the pages."""

from ninja import Router

router = Router(tags=["协商议事"])
