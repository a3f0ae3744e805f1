"""Per-request facts (IP, request id) that the audit log records.

Services never read ``request``; the middleware puts these in a context variable instead.
"""

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestMeta:
    ip: str = ""
    request_id: str = ""
    channel: str = "cli"  # web, api, cli


_DEFAULT = RequestMeta()  # frozen, so sharing one default is safe
_current = contextvars.ContextVar("jianfu_request_meta", default=_DEFAULT)  # noqa: B039


def current_meta() -> RequestMeta:
    return _current.get()


def set_meta(meta: RequestMeta) -> contextvars.Token:
    return _current.set(meta)


def reset_meta(token: contextvars.Token) -> None:
    _current.reset(token)
