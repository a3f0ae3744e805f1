"""减负监测 over JSON: the same selectors and services as the pages."""

from ninja import Router

router = Router(tags=["减负监测"])
