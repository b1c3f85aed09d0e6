"""Parsers that refuse what the database could not store, before any view sees it.

- `BoundedJSONParser`: refuses oversize bodies with 413 before reading them into memory (DRF
  reads the request stream directly, which skips Django's DATA_UPLOAD_MAX_MEMORY_SIZE check);
  refuses NaN and Infinity (not JSON), numbers too big for a float (`1e400` would otherwise
  become infinity, which no JSON encoder, jsonb column or analyzer takes), nesting deep
  enough to exhaust the parser, and strings holding NUL characters or lone surrogates
  (PostgreSQL stores neither in text or jsonb).
- `BoundedFormParser`: URL-encoded forms (what an OAuth-style client may post to the token
  endpoints) under the same size bound, with too many fields a 400 rather than a 500.
- `BoundedMultiPartParser`: refuses an upload whose declared size is over
  ASSET_UPLOAD_MAX_BYTES (plus room for the form fields) with 413, before reading it. Only
  the endpoints that take uploads use it: anywhere else multipart is a 415, so a file part
  never reaches the temporary directory.
"""

import json
import math
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import QueryDict
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser, get_encoding

from fashionos.errors import MSG_BODY_TOO_LARGE, TooLarge

MSG_NOT_JSON_NUMBER = "NaN and Infinity are not valid JSON numbers."
MSG_NUMBER_TOO_BIG = "A number in the JSON body is too large."
MSG_TOO_DEEP = "The JSON body is nested too deeply."
MSG_BAD_CHARACTERS = "Strings may not contain NUL characters or unpaired surrogates."

# Escapes that can decode to characters PostgreSQL refuses; only bodies that contain one of
# them pay for a walk over the parsed value.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
# Room for the non-file fields and multipart boundaries around an upload.
MULTIPART_OVERHEAD_BYTES = 256 * 1024


def _refuse_constant(name: str):
    raise ParseError(MSG_NOT_JSON_NUMBER)


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e400 and the like overflow to infinity
        raise ParseError(MSG_NUMBER_TOO_BIG)
    return value


def _declared_length_check(parser_context, limit: int) -> None:
    """413 when the request says its body is over `limit`, before a byte of it is read."""
    request = (parser_context or {}).get("request")
    declared = request.META.get("CONTENT_LENGTH") if request is not None else None
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge(MSG_BODY_TOO_LARGE)


def _read_bounded(stream, limit: int) -> bytes:
    """The body, or 413 when it is over `limit` (whatever its declared length said)."""
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise TooLarge(MSG_BODY_TOO_LARGE)
    return raw


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _all_storable(value) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not _storable(item):
                return False
        elif isinstance(item, dict):
            for key, nested in item.items():
                if not _storable(key):
                    return False
                stack.append(nested)
        elif isinstance(item, list):
            stack.extend(item)
    return True


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        _declared_length_check(parser_context, limit)
        if stream is None:
            raise ParseError("The request body is empty.")
        raw = _read_bounded(stream, limit)
        try:
            data = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
        except RecursionError:
            raise ParseError(MSG_TOO_DEEP) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"Malformed JSON: {exc}") from None
        if _SUSPECT_ESCAPE.search(raw) and not _all_storable(data):
            raise ParseError(MSG_BAD_CHARACTERS)
        return data


class BoundedFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        _declared_length_check(parser_context, limit)
        raw = _read_bounded(stream, limit) if stream is not None else b""
        encoding = get_encoding(parser_context or {})  # text codecs only: no bz2 bombs
        try:
            return QueryDict(raw, encoding=encoding)
        except SuspiciousOperation as exc:  # more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields
            raise ParseError(str(exc)) from None


class BoundedMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        _declared_length_check(
            parser_context, settings.ASSET_UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD_BYTES
        )
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig:
            raise TooLarge(MSG_BODY_TOO_LARGE) from None
        except SuspiciousOperation as exc:  # too many fields or files
            raise ParseError(str(exc)) from None
