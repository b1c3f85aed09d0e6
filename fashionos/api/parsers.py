"""Parsers that refuse what the database could not store, before any view sees it.

- `BoundedJSONParser`: refuses oversize bodies with 413 before reading them into memory (DRF
  reads the request stream directly, which skips Django's DATA_UPLOAD_MAX_MEMORY_SIZE check);
  refuses NaN and Infinity (not JSON), nesting deep enough to exhaust the parser, and strings
  holding NUL characters or lone surrogates (PostgreSQL stores neither in text or jsonb).
- `BoundedMultiPartParser`: refuses an upload whose declared size is over
  ASSET_UPLOAD_MAX_BYTES (plus room for the form fields) with 413, before reading it.
"""

import json
import re

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, MultiPartParser

from fashionos.api.errors import PayloadTooLarge

MSG_NOT_JSON_NUMBER = "NaN and Infinity are not valid JSON numbers."
MSG_TOO_DEEP = "The JSON body is nested too deeply."
MSG_BAD_CHARACTERS = "Strings may not contain NUL characters or unpaired surrogates."

# Escapes that can decode to characters PostgreSQL refuses; only bodies that contain one of
# them pay for a walk over the parsed value.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
# Room for the non-file fields and multipart boundaries around an upload.
MULTIPART_OVERHEAD_BYTES = 256 * 1024


def _refuse_constant(name: str):
    raise ParseError(MSG_NOT_JSON_NUMBER)


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
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLarge()
        if stream is None:
            raise ParseError("The request body is empty.")
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise PayloadTooLarge()
        try:
            data = json.loads(raw, parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(MSG_TOO_DEEP) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"Malformed JSON: {exc}") from None
        if _SUSPECT_ESCAPE.search(raw) and not _all_storable(data):
            raise ParseError(MSG_BAD_CHARACTERS)
        return data


class BoundedMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.ASSET_UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD_BYTES
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise PayloadTooLarge()
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig:
            raise PayloadTooLarge() from None
        except SuspiciousOperation as exc:  # too many fields or files
            raise ParseError(str(exc)) from None
