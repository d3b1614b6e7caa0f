"""JSON listing APIs as link lists: Guangdong gkmlpt (``/gkmlpt/api/all/{category}?page={n}&sid={sid}``), the Jiangsu
预决算公开 platform and similar. The response is data only: we pick fields by configured dotted paths.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urljoin

from .config import JsonListing
from .links import Link, clean_url, normalise_date


class JsonListingError(ValueError):
    pass


def dig(obj: Any, path: str) -> Any:
    """'data.list' / 'budgetTemplates.0.uuid' — missing steps give None."""
    if not path:
        return obj
    for step in path.split("."):
        if isinstance(obj, dict):
            obj = obj.get(step)
        elif isinstance(obj, list) and step.lstrip("-").isdigit():
            i = int(step)
            obj = obj[i] if -len(obj) <= i < len(obj) else None
        else:
            return None
    return obj


def substitute(value: Any, page: int) -> Any:
    if isinstance(value, str):
        return value.replace("{page}", str(page))
    if isinstance(value, dict):
        return {k: substitute(v, page) for k, v in value.items()}
    return value


def uses_page(listing: JsonListing) -> bool:
    return "{page}" in json.dumps([listing.url, listing.params, listing.data], ensure_ascii=False)


def _date(value: Any) -> str:
    if isinstance(value, (int, float)) and value > 0:
        seconds = value / 1000 if value > 1e11 else value  # epoch milliseconds or seconds
        return dt.datetime.fromtimestamp(seconds, tz=dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d")
    return normalise_date(str(value or ""))


def links_from_json(data: bytes, listing: JsonListing, base_url: str) -> list[tuple[Link, str]]:
    """(link, unit) per item. Raises JsonListingError when the response is not the configured shape."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise JsonListingError(f"response is not JSON ({e})") from None
    items = dig(doc, listing.items)
    if items is None:
        return []
    if not isinstance(items, list):
        raise JsonListingError(f"items path {listing.items!r} is not a list")
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        if listing.url_template:
            try:
                url = listing.url_template.format(**item)
            except (KeyError, IndexError, ValueError):
                continue
        else:
            url = dig(item, listing.url_field)
        if not isinstance(url, str) or not url.strip():
            continue
        title = str(dig(item, listing.title_field) or "")
        date = _date(dig(item, listing.date_field)) if listing.date_field else ""
        unit = str(dig(item, listing.unit_field) or "") if listing.unit_field else ""
        out.append((Link(url=clean_url(urljoin(base_url, url.strip())), text=title.strip(), date=date), unit))
    return out
