"""Tags on streams and consumers: AWS's character rules and the 50-tag cap."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ..errors import InvalidArgumentException
from .consumers import Consumer

if TYPE_CHECKING:
    from .stream import Stream

# The characters AddTagsToStream accepts (kinesalite actions/addTagsToStream.js, recorded against
# AWS); '%' passes this test but is refused by a second one, with another message.
_STREAM_TAG_CHARS = re.compile(r"[^\u00C0-\u1FFF\u2C00-\uD7FF\w./\-=+_ @%]")
# TagResource's documented set: "Unicode letters, digits, white space, or these symbols:
# _ . : / = + - @" (model documentation).
_RESOURCE_TAG_CHARS = re.compile(r"[^\u00C0-\u1FFF\u2C00-\uD7FF\w./\-=+_ @:]")


def check_stream_tags(strings: Iterable[str], stream: str, account: str, verb: str) -> None:
    """The character checks of Add/RemoveTagsFromStream (``verb`` is "add" or "remove")."""
    strings = list(strings)
    if any(_STREAM_TAG_CHARS.search(text) for text in strings):
        raise InvalidArgumentException.tag_characters()
    if any("%" in text for text in strings):
        raise InvalidArgumentException.tag_percent(
            verb=verb,
            direction="to" if verb == "add" else "from",
            stream=stream,
            account=account,
        )


def check_resource_tags(strings: Iterable[str]) -> None:
    """The character check of TagResource/UntagResource and of tags given at creation."""
    if any(_RESOURCE_TAG_CHARS.search(text) for text in strings):
        raise InvalidArgumentException.resource_tag_characters()


def merge(
    current: dict[str, str], added: Mapping[str, str], kind: str, resource: str, account: str, limit: int
) -> None:
    """Add or overwrite ``added`` in ``current`` (of a ``kind``, "stream" or "consumer"); at most
    ``limit`` tags in all (AWS: 50), and no ``aws:`` keys."""
    check_merge(current, added, kind, resource, account, limit)
    current.update(added)


def check_merge(
    current: Mapping[str, str],
    added: Mapping[str, str],
    kind: str,
    resource: str,
    account: str,
    limit: int,
    stated: int | None = None,
) -> None:
    """The checks of :func:`merge`, for tags given at creation: made before anything is created,
    so a refused request creates nothing. The refusal names ``stated`` as the limit when given
    (what AWS's text says, which is not what it enforces)."""
    if any(key.lower().startswith("aws:") for key in added):
        raise InvalidArgumentException.tag_reserved()
    if len(current.keys() | added.keys()) > limit:
        shown = limit if stated is None else stated
        raise InvalidArgumentException.tag_limit(kind=kind, resource=resource, account=account, limit=shown)


def remove(current: dict[str, str], keys: Iterable[str]) -> None:
    """Remove ``keys``; keys that are not there are not an error."""
    for key in keys:
        current.pop(key, None)


def kind_and_owner(resource: Stream | Consumer) -> tuple[str, str]:
    """("stream" or "consumer", the owning account), as the tag-limit message names them."""
    if isinstance(resource, Consumer):
        return "consumer", resource.stream.account
    return "stream", resource.account
