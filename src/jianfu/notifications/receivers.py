"""What the platform tells its administrators about itself."""

from jianfu.orgs.models import User
from jianfu.orgs.roles import Role

from .models import Kind
from .services import notify


def administrators():
    return User.objects.filter(role_assignments__role=Role.ADMIN, is_active=True).distinct()


def tell_administrators(sender, *, job: str, period: str, error: str, url: str, **kwargs) -> None:
    """A job or a message failed after every retry: each administrator's inbox (and chosen channels)."""
    title = f"后台作业失败：{job}" + (f"（{period}）" if period else "")
    notify(
        recipients=administrators(),
        kind=Kind.JOB_FAILED,
        title=title,
        body=f"已重试仍失败：{error[:300]}",
        url=url,
    )
