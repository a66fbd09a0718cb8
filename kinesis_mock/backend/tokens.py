"""Opaque tokens: shard iterators and pagination tokens that cannot be read or forged.

Each kind of token is a small dataclass with ``seal`` (to the opaque text handed out) and ``open``
(back, checking what it was issued for: kind, account, region, stream, and its age). The fields
are encrypted with a keystream derived from a per-session random key and a per-token nonce, and
authenticated with a keyed BLAKE2b MAC, so a token cannot be decoded, edited or made up: anything
that does not verify is simply not a token (AWS answers ``Invalid ShardIterator.``).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import hashlib
import hmac
import os
from dataclasses import dataclass
from random import getrandbits
from typing import ClassVar, NamedTuple

from .. import _clock
from ..errors import ExpiredIteratorException, ExpiredNextTokenException, InvalidArgumentException

# Shard iterators and pagination tokens are valid for 300 seconds (model documentation of
# GetShardIterator, ListShards and ListStreamConsumers).
ITERATOR_TTL_MS = 300_000
PAGE_TTL_MS = 300_000
_SEPARATOR = "\x1f"
_ITERATOR = "iterator"
_NONCE = 8
_MAC = 16
# Every real shard iterator is base64 of 8 bytes 0x0000000000000001 and then a body of at least
# 144 bytes, longer in steps of 16 as the stream name grows (kinesalite db/index.js
# createShardIterator and test/helpers.js, observed on AWS). Real ones all start "AAAAAAAAAAE":
# the body's first byte is below 0x40, so the mock's nonce starts that way too.
_ITERATOR_HEAD = (1).to_bytes(8, "big")
_ITERATOR_STEP = 16
_ITERATOR_MIN_BODY = 144
_ITERATOR_MIN_PLAIN = _ITERATOR_MIN_BODY - _NONCE - _MAC


class Sealer:
    """Seals and opens tokens under one random key per mock session."""

    # A per-test copy of a decorated class's state also opens the class setup's tokens.
    _earlier: Sealer | None = None

    def __init__(self) -> None:
        self._cipher_key = os.urandom(32)
        self._mac_key = os.urandom(32)
        self._mac = self._keyed_mac()

    def _keyed_mac(self) -> hashlib.blake2b:
        # Keyed once: each MAC starts from a copy (a third cheaper than keying every time).
        return hashlib.blake2b(key=self._mac_key, digest_size=_MAC)

    def __getstate__(self) -> dict[str, object]:
        # The keys, as snapshots hold them; the keyed hash is made again from them.
        return {name: value for name, value in vars(self).items() if name != "_mac"}

    def __setstate__(self, state: dict[str, object]) -> None:
        vars(self).update(state)
        self._mac = self._keyed_mac()

    def renewed(self) -> Sealer:
        """A sealer with new keys that also opens this one's tokens (the class setup's), but never
        those of another sealer renewed from it (the previous test's)."""
        sealer = Sealer()
        sealer._earlier = self if self._earlier is None else self._earlier
        return sealer

    def seal(self, *fields: object) -> str:
        """A base64 token holding ``fields`` (converted with ``str``)."""
        return base64.b64encode(self.seal_bytes(_SEPARATOR.join(map(str, fields)).encode())).decode()

    def open(self, token: str) -> list[str] | None:
        """The fields sealed in ``token``, or ``None`` if it is not a token of this session."""
        plain = self.open_bytes(_unbase64(token))
        return None if plain is None else plain.decode().split(_SEPARATOR)

    def seal_bytes(self, plain: bytes, nonce: bytes | None = None) -> bytes:
        """``plain`` encrypted and authenticated: nonce (random unless given), cipher text, MAC
        (24 bytes more). The nonce needs to be unique, not secret: ``random`` gives one without
        the system call ``os.urandom`` costs (it is reseeded in forked children)."""
        nonce = getrandbits(8 * _NONCE).to_bytes(_NONCE, "big") if nonce is None else nonce
        size = len(plain)
        stream = hashlib.shake_256(self._cipher_key + nonce).digest(size)
        sealed = nonce + (int.from_bytes(plain, "big") ^ int.from_bytes(stream, "big")).to_bytes(size, "big")
        mac = self._mac.copy()
        mac.update(sealed)
        return sealed + mac.digest()

    def open_bytes(self, raw: bytes | None) -> bytes | None:
        """What :meth:`seal_bytes` sealed into ``raw`` (here or, for a per-test copy, in the class
        setup's sealer), or ``None`` if it does not verify."""
        plain = self._open_bytes(raw)
        if plain is None and self._earlier is not None:
            return self._earlier._open_bytes(raw)
        return plain

    def _open_bytes(self, raw: bytes | None) -> bytes | None:
        if raw is None or len(raw) < _NONCE + _MAC:
            return None
        mac = self._mac.copy()
        mac.update(raw[:-_MAC])
        if not hmac.compare_digest(raw[-_MAC:], mac.digest()):
            return None
        nonce, cipher = raw[:_NONCE], raw[_NONCE:-_MAC]
        return _xor(cipher, hashlib.shake_256(self._cipher_key + nonce).digest(len(cipher)))


def _unbase64(token: str) -> bytes | None:
    try:
        return base64.b64decode(token, validate=True)
    except (binascii.Error, ValueError):
        return None


def _xor(data: bytes, key: bytes) -> bytes:
    return (int.from_bytes(data, "big") ^ int.from_bytes(key, "big")).to_bytes(len(data), "big")


def _page_fields(sealer: Sealer, token: str, kind: str, account: str, region: str, count: int) -> list[str]:
    """The ``count`` fields after the header of a page token of ``kind`` issued to ``account`` in
    ``region``; AWS's errors for anything else and for a token past its 300 seconds."""
    fields = sealer.open(token)
    if fields is None or len(fields) != 4 + count or fields[:3] != [kind, account, region]:
        raise InvalidArgumentException.next_token()
    if _clock.now_ms() - int(fields[3]) > PAGE_TTL_MS:
        raise ExpiredNextTokenException.expired()
    return fields[4:]


@dataclass(frozen=True, slots=True)
class _Page:
    """A NextToken of one kind of listing, issued to ``account`` in ``region``; what follows
    those two fields in a subclass is the position the next page starts after."""

    KIND: ClassVar[str] = ""
    account: str
    region: str

    def seal(self, sealer: Sealer) -> str:
        """The opaque NextToken: kind, account, region, issue time, then the position."""
        position = [getattr(self, name) for name in _position_names(type(self))]
        return sealer.seal(
            self.KIND, self.account, self.region, _clock.now_ms(), *("" if v is None else v for v in position)
        )

    @classmethod
    def _position(cls, sealer: Sealer, token: str, account: str, region: str) -> list[str]:
        return _page_fields(sealer, token, cls.KIND, account, region, len(_position_names(cls)))


_POSITION_NAMES: dict[str, tuple[str, ...]] = {}


def _position_names(page: type[_Page]) -> tuple[str, ...]:
    """The fields of a page token after account and region (``dataclasses.fields`` is slow)."""
    names = _POSITION_NAMES.get(page.KIND)
    if names is None:
        names = _POSITION_NAMES[page.KIND] = tuple(field.name for field in dataclasses.fields(page)[2:])
    return names


@dataclass(frozen=True, slots=True)
class StreamsPage(_Page):
    """ListStreams NextToken: the next page starts after stream ``after``."""

    KIND: ClassVar[str] = "ListStreams"
    after: str

    @classmethod
    def open(cls, sealer: Sealer, token: str, account: str, region: str) -> StreamsPage:
        """The page ``token`` resumes, if it was issued to ``account`` in ``region``."""
        (after,) = cls._position(sealer, token, account, region)
        return cls(account, region, after)


@dataclass(frozen=True, slots=True)
class ShardsPage(_Page):
    """ListShards NextToken: the stream (by account, name and tag, so a re-created stream of the
    same name is not it), the ShardFilter of the first page and the shard after which to go on."""

    KIND: ClassVar[str] = "ListShards"
    stream_account: str
    stream_name: str
    stream_tag: int
    after: str
    filter_type: str | None
    filter_shard_id: str | None
    filter_ms: int | None

    @classmethod
    def open(cls, sealer: Sealer, token: str, account: str, region: str) -> ShardsPage:
        """The page ``token`` resumes, if it was issued to ``account`` in ``region``."""
        owner, name, tag, after, kind, shard_id, stamp = cls._position(sealer, token, account, region)
        stamp_ms = int(stamp) if stamp else None
        return cls(account, region, owner, name, int(tag), after, kind or None, shard_id or None, stamp_ms)


@dataclass(frozen=True, slots=True)
class ConsumersPage(_Page):
    """ListStreamConsumers NextToken: the stream it lists and the consumer after which to go on
    (consumers are listed by creation time, then name)."""

    KIND: ClassVar[str] = "ListStreamConsumers"
    stream_arn: str
    after_created_ms: int
    after_name: str

    @classmethod
    def open(cls, sealer: Sealer, token: str, account: str, region: str, stream_arn: str) -> ConsumersPage:
        """The page ``token`` resumes; a token issued for another stream is not one of this
        listing (AWS refuses it with InvalidArgumentException)."""
        arn, created, name = cls._position(sealer, token, account, region)
        if arn != stream_arn:
            raise InvalidArgumentException.next_token()
        return cls(account, region, arn, int(created), name)


class ShardIterator(NamedTuple):
    """A shard iterator: the shard (stream by account, region, name and tag) and the sequence
    counter from which GetRecords reads, issued at ``issued_ms`` to ``caller`` (the account that
    asked: the stream's own, or another reaching it by ARN). A named tuple, as one is made for
    every GetShardIterator and GetRecords."""

    account: str
    region: str
    stream: str
    tag: int
    shard_index: int
    position: int
    issued_ms: int
    caller: str

    def seal(self, sealer: Sealer) -> str:
        """The opaque ShardIterator, in AWS's binary layout (see ``_ITERATOR_HEAD``)."""
        plain = (_ITERATOR_FIELDS % self).encode()
        # The body (nonce, cipher text, MAC) is padded with NULs, which no field holds.
        padded = max(
            _ITERATOR_MIN_PLAIN,
            -(-(len(plain) + _NONCE + _MAC) // _ITERATOR_STEP) * _ITERATOR_STEP - _NONCE - _MAC,
        )
        # A nonce below 2**62 starts with a byte below 0x40, as real iterators' bodies do.
        nonce = getrandbits(8 * _NONCE - 2).to_bytes(_NONCE, "big")
        return base64.b64encode(
            _ITERATOR_HEAD + sealer.seal_bytes(plain.ljust(padded, b"\0"), nonce)
        ).decode()

    @classmethod
    def open(cls, sealer: Sealer, token: str, now_ms: int, caller: str, region: str) -> ShardIterator:
        """The iterator ``token`` is, if it was issued to ``caller`` in ``region``; AWS's errors
        for a forged or an expired one. An iterator presented by another account or in another
        region is not one of theirs, as a NextToken is not (chosen: no record of AWS's answer)."""
        if len(token) > 1 and token[0] == token[-1] == '"':  # AWS accepts a quoted iterator
            token = token[1:-1]
        raw = _unbase64(token)
        plain = sealer.open_bytes(raw[8:]) if raw is not None and raw[:8] == _ITERATOR_HEAD else None
        fields = None if plain is None else plain.rstrip(b"\0").decode().split(_SEPARATOR)
        if fields is None or len(fields) != 1 + len(_TYPES) or fields[0] != _ITERATOR:
            raise InvalidArgumentException.shard_iterator()
        iterator = cls._make(kind(value) for kind, value in zip(_TYPES, fields[1:], strict=True))
        if iterator.caller != caller or iterator.region != region:
            raise InvalidArgumentException.shard_iterator()
        if now_ms - iterator.issued_ms > ITERATOR_TTL_MS:
            raise ExpiredIteratorException.expired(
                created=_clock.java_date(iterator.issued_ms), now=_clock.java_date(now_ms)
            )
        return iterator


# The type of each ShardIterator field, in order: a new field is one line there and one here.
_TYPES: tuple[type[str] | type[int], ...] = (str, str, str, int, int, int, int, str)
# "iterator", then each field: %-formatting a tuple is the cheapest way to join them.
_ITERATOR_FIELDS = _ITERATOR + f"{_SEPARATOR}%s" * len(_TYPES)
