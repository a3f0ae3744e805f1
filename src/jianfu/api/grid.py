"""网格化服务管理 over JSON: the same selectors and services as the pages."""

from ninja import Router

router = Router(tags=["网格化服务管理"])
