"""全国汇总 over JSON: provinces push their signed months here; national users read the provinces' rows.

``POST /api/v1/federation/rollups`` takes no token: the sender names its province in ``X-Jianfu-Province`` and
signs the exact body with its Ed25519 key (``X-Jianfu-Signature``, Base64); the key registered for that
province decides. 201: accepted (a new month or a correction); 200: the same content was already held.
403: unknown sender, bad signature, or a province that is not the sender's; 400: a malformed rollup;
409: a month already accepted, sent with other figures and not as the next correction with a reason.
429: the client's address had too many pushes refused lately (``RATE_LIMITS["federation_push"]``).
"""

from datetime import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from jianfu.core import ratelimit
from jianfu.core.api_types import Year
from jianfu.orgs import access
from jianfu.orgs.models import Region
from jianfu.orgs.roles import Capability

from . import selectors, services
from .views import REFUSED

router = Router(tags=["全国汇总"])
PUSH_LIMITED = "本地址的报送被拒绝次数过多，请约 {minutes} 分钟后再试，并先核对省份代码、密钥和签名。"


class ReceiptOut(Schema):
    province: str
    month: str
    revision: int
    digest: str
    created: bool
    message: str


class ProvinceOut(Schema):
    code: str
    name: str
    events: int
    hours: Decimal
    violations: int
    undecided: int
    months: int
    last: datetime | None


class PeerIn(Schema):
    province_code: str
    public_key: str


class PeerOut(Schema):
    province_code: str
    name: str
    version: int


ROLLUP_BODY = {
    "requestBody": {
        "required": True,
        "description": "jianfu.federation.rollup/1：省份代码、月份、版本、更正原因和汇总格（区划 × 事件类型）",
        "content": {"application/json": {"schema": {"type": "object"}}},
    },
    "parameters": [
        {"name": "X-Jianfu-Province", "in": "header", "required": True, "schema": {"type": "string"}},
        {"name": "X-Jianfu-Signature", "in": "header", "required": True, "schema": {"type": "string"}},
    ],
}


@router.post(
    "/rollups",
    auth=None,
    response={200: ReceiptOut, 201: ReceiptOut},
    url_name="federation_receive",
    openapi_extra=ROLLUP_BODY,
)
def receive(request):
    # Anyone may call this: an address whose pushes keep being refused (unknown sender, bad signature,
    # malformed) is stopped before its next body is read or verified. Accepted and repeated pushes are not
    # counted, so a province catching up a year of months is never held back.
    refusals = ratelimit.limit(request, "federation_push", PUSH_LIMITED)
    refusals.check()
    try:
        receipt = services.submission_receive(
            sender=request.headers.get("X-Jianfu-Province", ""),
            body=request.body,
            signature=request.headers.get("X-Jianfu-Signature", ""),
        )
    except Exception:
        refusals.hit()
        raise
    return Status(201 if receipt.created else 200, receipt.as_dict())


@router.get("/provinces", response=list[ProvinceOut], url_name="federation_provinces")
def provinces(request, year: Year):
    access.require(request.user, Capability.FEDERATION_VIEW, message=REFUSED)
    return selectors.national_rows(request.user, year)


@router.post("/peers", response={201: PeerOut}, url_name="federation_peer_register")
def peer_register(request, payload: PeerIn):
    access.require(
        request.user, Capability.FEDERATION_MANAGE, message="只有国家平台的系统管理员可以登记省级部署。"
    )
    region = get_object_or_404(Region.objects.visible_to(request.user), code=payload.province_code)
    peer = services.peer_register(actor=request.user, region=region, public_key=payload.public_key)
    return Status(201, {"province_code": region.code, "name": region.name, "version": peer.version})
