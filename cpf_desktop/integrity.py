"""The fingerprint of a finalized review: a SHA-256 over its canonical content, and a short code.

The canonical content is the review's hand-off form (``exchange.review_to_dict``) without its
status or stored hash, serialised with sorted keys: the same bytes from the database, from an
exported JSON file or from another machine. The verification code printed on the PDF is the
first 48 bits of that hash, so a printout can be matched to the record it came from.
"""
from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .review import Review

CODE_GROUPS = 3
CODE_GROUP_LENGTH = 4


def canonical_content(data: dict[str, Any]) -> bytes:
    """Return the bytes that are hashed, from a hand-off dictionary."""
    content = {k: v for k, v in data.items() if k != "status"}
    finalized = dict(content.get("finalized") or {})
    finalized.pop("sha256", None)
    if finalized:
        content["finalized"] = finalized
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def content_hash_of_dict(data: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_content(data)).hexdigest()


def content_hash(review: Review) -> str:
    """Return the SHA-256 (hex) of the review's canonical content."""
    from .exchange import review_to_dict  # imported here: exchange imports review, which imports this module

    return content_hash_of_dict(review_to_dict(review))


def verification_code(sha256_hex: str) -> str:
    """Return the short code printed on the PDF, e.g. "3F9A-0C41-B7D2"."""
    digits = sha256_hex[: CODE_GROUPS * CODE_GROUP_LENGTH].upper()
    return "-".join(digits[i : i + CODE_GROUP_LENGTH] for i in range(0, len(digits), CODE_GROUP_LENGTH))


def normalise_code(code: str) -> str:
    """Accept a code as typed by a person: any case, with or without dashes and spaces."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return verification_code(cleaned.lower()) if len(cleaned) == CODE_GROUPS * CODE_GROUP_LENGTH else ""
