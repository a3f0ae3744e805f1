"""Record numbers (village code + year + serial) and verification codes.

A number is taken from a per-(village, year, series) counter row locked with ``select_for_update`` inside the
caller's transaction. The counter moves only if the record is saved: a failure later in the transaction (the
document fails to render) rolls the counter back with it, so numbers have no gaps and no duplicates however
many cadres issue at once. SQLite runs with IMMEDIATE transactions, which serialise writers the same way.
"""

import re
import secrets

from jianfu.core.numbering import next_number
from jianfu.orgs.models import Region

from .models import SERIES_MARK, Commitment, Issuance

# No 0/O or 1/I: a code read aloud over the phone or typed from paper is not misread.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 32**12 = 2**60 codes: guessing one that exists is hopeless


def next_serial(village: Region, year: int, series: str) -> int:
    return next_number(serial_key(village, year, series))


def serial_key(village: Region, year: int, series: str) -> str:
    return f"certificate:{village.code}:{year}:{series}"


def format_number(village: Region, year: int, series: str, serial: int) -> str:
    """E.g. 428521101201-2025-0007 (a certificate), 428521101201-2025-BY0003 (a refusal)."""
    return f"{village.code}-{year}-{SERIES_MARK[series]}{serial:04d}"


def new_verification_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        taken = (
            Issuance.objects.filter(verification_code=code).exists()
            or Commitment.objects.filter(verification_code=code).exists()
        )
        if not taken:
            return code


def normalise_code(text: str) -> str:
    """What a person typed (spaces, dashes, lower case) as a stored code."""
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())[: CODE_LENGTH * 2]


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
