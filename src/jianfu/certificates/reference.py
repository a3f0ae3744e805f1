"""The certificate templates kept as data (data/certificates/types.yaml) and the generic texts in that file."""

from functools import lru_cache
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError

from jianfu.orgs.models import Region

from .models import CertificateType

TYPES_FILE = settings.PROJECT_DIR / "data" / "certificates" / "types.yaml"
TYPE_KEYS = (
    "name",
    "title",
    "requesters",
    "conditions",
    "materials",
    "fields",
    "body",
    "commitment_fields",
    "commitment_body",
)
GENERIC_KEYS = (
    "commitment_fields",
    "commitment_body",
    "commitment_closing",
    "certificate_closing",
    "unlisted_alternative",
    "unlisted_department",
    "cannot_verify_alternative",
)


@lru_cache(maxsize=4)
def _read(path: str) -> dict:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}


def generic_texts(path: Path = TYPES_FILE) -> dict:
    """The texts every template shares (commitment closing, refusal routes); a missing key is an error."""
    generic = _read(str(path)).get("generic") or {}
    missing = [key for key in GENERIC_KEYS if key not in generic]
    if missing:
        raise ValidationError(f"{path.name}：generic 缺少 {'、'.join(missing)}。")
    return generic


def load_certificate_types(path: Path = TYPES_FILE) -> list[CertificateType]:
    """Create the file's types that the region does not have yet; leave existing ones (perhaps edited) alone."""
    from .services import certificate_type_save

    data = _read(str(path))
    region = Region.objects.get(code=str(data["region"]))
    source = str(data.get("source", path.name))[:300]
    existing = set(CertificateType.objects.filter(region=region).values_list("code", flat=True))
    created = []
    for n, entry in enumerate(data.get("types") or [], start=1):
        code = str(entry.get("code", ""))
        if code in existing:
            continue
        fields = {key: entry[key] for key in TYPE_KEYS if key in entry}
        try:
            created.append(
                certificate_type_save(
                    actor=None, region=region, code=code, is_demo=True, source=source, **fields
                )
            )
        except ValidationError as exc:
            raise ValidationError(
                f"{path.name} 第 {n} 项（{code or '无编码'}）：{'；'.join(exc.messages)}"
            ) from exc
    return created
