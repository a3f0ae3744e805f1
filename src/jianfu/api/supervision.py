"""督查检查与机制牌子 over JSON: the same selectors and services as the pages."""

from ninja import Router

router = Router(tags=["督查检查与机制牌子"])
