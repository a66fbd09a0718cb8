"""The front door of the HTTP server: what Kinesis answers before a request reaches an operation.

Kinesis checks a request in this order (kinesalite ``index.js#httpHandler``, whose
``test/connection.js`` was recorded against AWS): CORS preflight, method, empty body, content
type, body syntax, the ``application/json`` oddity, operation name, then the presence (never the
validity) of a SigV4 signature. Each step has its own error form: XML for method and content-type
failures, otherwise JSON when the request was JSON and CBOR in every other case. A request that
passes comes out as a :class:`kinesis_mock._protocol.Request` with its body already decoded.
"""

from __future__ import annotations

import base64
import json
import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from .. import _clock, _model, _protocol
from . import _cbor

JSON = _protocol.CONTENT_TYPE
CBOR = "application/x-amz-cbor-1.1"
PLAIN_JSON = "application/json"
SERVICE = _protocol.TARGET_PREFIX.rstrip(".")
_ACCESS_DENIED = (
    b"<AccessDeniedException>\n"
    b"  <Message>Unable to determine service/operation name to be authorized</Message>\n"
    b"</AccessDeniedException>\n"
)
_EXPOSED = "x-amzn-RequestId,x-amzn-ErrorType,x-amz-request-id,x-amz-id-2,x-amzn-ErrorMessage,Date"
_QUERY_AUTH = ("X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date")
_HEADER_AUTH = ("Credential", "Signature", "SignedHeaders")


@dataclass(slots=True)
class Response:
    """An HTTP answer: status, headers (lower-case names), body."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


@dataclass(slots=True)
class Admitted:
    """A request that passed the front door, and whether to answer it in CBOR."""

    request: _protocol.Request
    cbor: bool


def base_headers(origin: bool) -> dict[str, str]:
    """The headers every Kinesis answer carries (and CORS ones for a request with ``Origin``)."""
    headers = {
        "x-amzn-requestid": str(uuid.uuid4()),
        "x-amz-id-2": base64.b64encode(os.urandom(72)).decode(),
        "date": _clock.http_date(_clock.now_ms()),
    }
    if origin:
        headers["access-control-allow-origin"] = "*"
        headers["access-control-expose-headers"] = _EXPOSED
    return headers


def admit(
    method: str, query: str, headers: Mapping[str, str], body: bytes, default_region: str
) -> Admitted | Response:
    """Check a request as Kinesis does before any operation runs; AWS's answer if it fails."""
    origin = "origin" in headers
    if method == "OPTIONS" and origin:
        return _preflight(headers)
    target = headers.get("x-amz-target", "")
    service, _, operation = target.partition(".")
    known = service == SERVICE and operation in _model.service_model()["operations"]
    content_type = headers.get("content-type", "").split(";")[0].strip()
    if method != "POST":
        return _xml(403, _ACCESS_DENIED, origin)
    if not body:
        code = "SerializationException" if known else "UnknownOperationException"
        return error_response(400, {"__type": code}, content_type == JSON, origin)
    if content_type not in (JSON, CBOR, PLAIN_JSON):
        if not service or not operation:
            return _xml(403, _ACCESS_DENIED, origin)
        return _xml(404, b"<UnknownOperationException/>\n", origin)
    document = _parse(body, content_type == CBOR)
    if content_type == PLAIN_JSON:
        # A plain JSON request gets the Coral framework's own envelope, and never an operation.
        code = "SerializationException" if document is None else "UnknownOperationException"
        envelope = {"Output": {"__type": f"com.amazon.coral.service#{code}"}, "Version": "1.0"}
        return error_response(400 if document is None else 404, envelope, True, origin, PLAIN_JSON)
    is_json = content_type == JSON
    if document is None:
        return error_response(400, {"__type": "SerializationException"}, is_json, origin)
    if not known:
        return error_response(400, {"__type": "UnknownOperationException"}, is_json, origin)
    authorization = headers.get("authorization")
    problem = _auth_problem(authorization, query, headers)
    if problem is not None:
        return error_response(400, {"__type": problem[0], "message": problem[1]}, is_json, origin)
    request = _protocol.from_http(target, body, authorization or _query_scope(query), default_region)
    request.document = document
    return Admitted(request, not is_json)


def error_response(
    status: int, document: dict[str, Any], as_json: bool, origin: bool, content_type: str = JSON
) -> Response:
    """An error body in the request's encoding (JSON, or CBOR for anything else)."""
    headers = base_headers(origin)
    if as_json:
        headers["content-type"] = content_type
        body = json.dumps(document, separators=(",", ":")).encode()
    else:
        headers["content-type"] = CBOR
        body = _cbor.dumps(document)
    return Response(status, headers, body)


def _preflight(headers: Mapping[str, str]) -> Response:
    answer = base_headers(True)
    del answer["x-amz-id-2"], answer["access-control-expose-headers"]
    answer["access-control-max-age"] = "172800"
    for asked, allowed in (("headers", "headers"), ("method", "methods")):
        requested = headers.get(f"access-control-request-{asked}")
        if requested is not None:
            answer[f"access-control-allow-{allowed}"] = requested
    return Response(200, answer)


def _xml(status: int, body: bytes, origin: bool) -> Response:
    # These XML answers carry no Content-Type (kinesalite test/connection.js, assertBody).
    return Response(status, base_headers(origin), body)


def _parse(body: bytes, cbor: bool) -> dict[str, Any] | None:
    try:
        document = _cbor.request_document(body) if cbor else _protocol.parse_json(body)
    except ValueError:
        return None
    return document if isinstance(document, dict) else None


def _auth_problem(
    authorization: str | None, query: str, headers: Mapping[str, str]
) -> tuple[str, str] | None:
    params = dict(parse_qsl(query, keep_blank_values=True))
    if authorization is not None and "X-Amz-Algorithm" in params:
        return (
            "InvalidSignatureException",
            "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
        )
    if authorization is None and "X-Amz-Algorithm" not in params:
        return "MissingAuthenticationTokenException", "Missing Authentication Token"
    if authorization is not None:
        # The first token (the algorithm) is dropped and the rest split on commas and spaces.
        fields = dict(part.partition("=")[::2] for part in authorization.replace(",", " ").split()[1:])
        missing = [
            f"Authorization header requires '{name}' parameter. "
            for name in _HEADER_AUTH
            if not fields.get(name)
        ]
        if "x-amz-date" not in headers and "date" not in headers:
            missing.append(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
            )
        text = "".join(missing) + f"Authorization={authorization}" if missing else ""
    else:
        missing = [
            f"AWS query-string parameters must include '{name}'. "
            for name in _QUERY_AUTH
            if not params.get(name)
        ]
        text = "".join(missing) + "Re-examine the query-string parameters." if missing else ""
    return ("IncompleteSignatureException", text) if text else None


def _query_scope(query: str) -> str:
    """A presigned request's credential scope, in the form ``_protocol.from_http`` reads."""
    credential = dict(parse_qsl(query)).get("X-Amz-Credential", "")
    return f"Credential={credential}"
