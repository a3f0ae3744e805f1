"""The client's address, and limits on how often one address may do something: one helper for every limited
endpoint (public write-ins, the satisfaction survey, sign-in, certificate verification).

Behind our own reverse proxy every request comes from the proxy's address, so a limit keyed on REMOTE_ADDR would
let one resident block every other. The address is read with python-ipware (django-ipware's engine): the
``X-Forwarded-For`` hop our proxy appended is believed only when the request really came from that proxy
(``JIANFU_TRUSTED_PROXIES``, addresses or CIDR ranges); anyone else could write any address into the header. The counting is
django-ratelimit's, in the shared cache (Redis in production, so every app server counts together).
"""

import ipaddress
import math
from dataclasses import dataclass

from django.conf import settings
from django_ratelimit.core import get_usage
from python_ipware import IpWare


class Throttled(Exception):
    """Too many requests from one client address; ``message`` says so in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


_ONE_PROXY = IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_count=1)


def trusted_networks() -> list:
    """JIANFU_TRUSTED_PROXIES as networks; an entry that is neither an address nor a range is reported by
    ``check`` (core.system_checks) and trusted for nothing."""
    networks = []
    for entry in settings.TRUSTED_PROXIES:
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            continue
    return networks


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in trusted_networks())


def client_address(request) -> str:
    """The address of the person at the other end, as far as we can know it."""
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and _trusted(remote):
        # The chain as our proxy saw it, with the proxy itself last: the hop before it is the client.
        # Entries further left were written by the client and prove nothing.
        chain = {"HTTP_X_FORWARDED_FOR": f"{forwarded}, {remote}"}
        ip, _ = _ONE_PROXY.get_client_ip(chain, strict=False)
        if ip:
            return str(ip)
    try:
        return str(ipaddress.ip_address(remote))
    except ValueError:
        return ""


def _by_address(group, request) -> str:
    return client_address(request) or "unknown"


@dataclass
class Limit:
    """One kind of limited action for the client of one request: ``check`` refuses when the client is over the
    limit, ``hit`` counts one more (refusing once it goes over). A service that must count only some outcomes
    (a wrong survey code, a wrong password) is handed a Limit instead of the request."""

    request: object
    group: str
    message: str  # Chinese, with "{minutes}" where the wait goes

    def _usage(self, increment: bool) -> dict | None:
        rate = settings.RATE_LIMITS[self.group]
        return get_usage(self.request, group=self.group, key=_by_address, rate=rate, increment=increment)

    def _refuse(self, usage: dict) -> None:
        minutes = max(1, math.ceil(max(usage["time_left"], 0) / 60))
        raise Throttled(self.message.format(minutes=minutes))

    def check(self) -> None:
        """Refuse when the client has used up the limit already (without counting this request)."""
        usage = self._usage(increment=False)
        if usage and (usage["should_limit"] or usage["count"] >= usage["limit"]):
            self._refuse(usage)

    def hit(self) -> None:
        """Count this request; refuse it if it is one too many."""
        usage = self._usage(increment=True)
        if usage and usage["should_limit"]:
            self._refuse(usage)


def limit(request, group: str, message: str = "操作过于频繁，请约 {minutes} 分钟后再试。") -> Limit:
    return Limit(request, group, message)


WRONG_CODES = "输入错误的码次数过多，请约 {minutes} 分钟后再试，或向村（社区）、网格员核对。"


def wrong_codes(request) -> Limit:
    """Wrong one-time codes and receipts typed on public pages, counted together per client address: each is
    8 characters of 32, so capping the wrong guesses keeps guessing hopeless."""
    return Limit(request, "public_code", WRONG_CODES)
