"""Opaque tokens: shard iterators and pagination tokens that cannot be read or forged.

A token carries a few text fields (account, region, stream, position, issue time). They are
encrypted with a keystream derived from a per-session random key and a per-token nonce, and
authenticated with a keyed BLAKE2b MAC, so a token cannot be decoded, edited or made up: anything
that does not verify is simply not a token (AWS answers ``Invalid ShardIterator.``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

_SEPARATOR = "\x1f"
_NONCE = 8
_MAC = 16


class Sealer:
    """Seals and opens tokens under one random key per mock session."""

    def __init__(self) -> None:
        self._cipher_key = os.urandom(32)
        self._mac_key = os.urandom(32)

    def seal(self, *fields: object) -> str:
        """A base64 token holding ``fields`` (converted with ``str``)."""
        plain = _SEPARATOR.join(map(str, fields)).encode()
        nonce = os.urandom(_NONCE)
        cipher = _xor(plain, self._keystream(nonce, len(plain)))
        mac = hashlib.blake2b(nonce + cipher, key=self._mac_key, digest_size=_MAC).digest()
        return base64.b64encode(nonce + cipher + mac).decode()

    def open(self, token: str) -> list[str] | None:
        """The fields sealed in ``token``, or ``None`` if it is not a token of this session."""
        try:
            raw = base64.b64decode(token, validate=True)
        except (binascii.Error, ValueError):
            return None
        if len(raw) < _NONCE + _MAC:
            return None
        nonce, cipher, mac = raw[:_NONCE], raw[_NONCE:-_MAC], raw[-_MAC:]
        expected = hashlib.blake2b(nonce + cipher, key=self._mac_key, digest_size=_MAC).digest()
        if not hmac.compare_digest(mac, expected):
            return None
        plain = _xor(cipher, self._keystream(nonce, len(cipher)))
        return plain.decode().split(_SEPARATOR)

    def _keystream(self, nonce: bytes, size: int) -> bytes:
        return hashlib.shake_256(self._cipher_key + nonce).digest(size)


def _xor(data: bytes, key: bytes) -> bytes:
    return (int.from_bytes(data, "big") ^ int.from_bytes(key, "big")).to_bytes(len(data), "big")
