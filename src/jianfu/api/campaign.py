"""专项行动与考评 over JSON: the same selectors and services as the pages."""

from ninja import Router

router = Router(tags=["专项行动与考评"])
