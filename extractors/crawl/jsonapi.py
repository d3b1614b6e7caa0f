"""JSON listing APIs as link lists: Guangdong gkmlpt (``/gkmlpt/api/all/{category}?page={n}&sid={sid}``), the Jiangsu
预决算公开 platform and similar. The response is data only: we pick fields by configured dotted paths and fill
``{variables}`` in URLs, form bodies and templates — nothing in a response is ever executed.
"""
from __future__ import annotations

import datetime as dt
import json
import re
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


_VAR = re.compile(r"\{([A-Za-z_]\w*(?:\.[\w\-]+)*)\}")


def render(template: str, variables: dict) -> str:
    """Fill ``{page}``, ``{iid}`` (a field of the current item) and ``{dept.name}`` (a field of the item an
    earlier chain step bound to ``dept``). Raises JsonListingError naming a variable that has no value."""
    def value(m: re.Match) -> str:
        v = dig(variables, m.group(1))
        if v is None or isinstance(v, (dict, list)):
            raise JsonListingError(f"no value for {{{m.group(1)}}} in {template!r}")
        return str(v)
    return _VAR.sub(value, template)


def render_value(value: Any, variables: dict) -> Any:
    if isinstance(value, str):
        return render(value, variables)
    if isinstance(value, dict):
        return {k: render_value(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [render_value(v, variables) for v in value]
    return value


def substitute(value: Any, page: int) -> Any:
    """``{page}`` only (kept for callers of the single-request listing)."""
    return render_value(value, {"page": page})


def uses_page(listing) -> bool:
    return "{page}" in json.dumps([listing.url, listing.params, listing.data], ensure_ascii=False)


def parse_items(data: bytes, path: str) -> list:
    """The list at ``path`` in a JSON response ([] when absent). Raises JsonListingError when it is no list."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise JsonListingError(f"response is not JSON ({e})") from None
    items = dig(doc, path)
    if items is None:
        return []
    if not isinstance(items, list):
        raise JsonListingError(f"items path {path!r} is not a list")
    return items


def _date(value: Any) -> str:
    if isinstance(value, (int, float)) and value > 0:
        seconds = value / 1000 if value > 1e11 else value  # epoch milliseconds or seconds
        return dt.datetime.fromtimestamp(seconds, tz=dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m-%d")
    return normalise_date(str(value or ""))


def links_from_json(data: bytes, listing: JsonListing, base_url: str) -> list[tuple[Link, str]]:
    """(link, unit) per item. Raises JsonListingError when the response is not the configured shape."""
    return links_from_items(parse_items(data, listing.items), listing, base_url)


def links_from_items(items: list, listing: JsonListing, base_url: str, bound: dict | None = None
                     ) -> list[tuple[Link, str]]:
    """(link, unit) per usable item; ``bound`` holds the items earlier chain steps bound to their names."""
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        variables = {**item, **(bound or {})}  # step names win over item fields of the same name
        try:
            url = render(listing.url_template, variables) if listing.url_template else dig(item, listing.url_field)
            title = render(listing.title_template, variables) if listing.title_template else \
                str(dig(item, listing.title_field) or "")
            unit = render(listing.unit_template, variables) if listing.unit_template else \
                str(dig(item, listing.unit_field) or "") if listing.unit_field else ""
        except JsonListingError:
            continue  # an item without the fields the templates need is not a document link
        if not isinstance(url, str) or not url.strip():
            continue
        date = _date(dig(item, listing.date_field)) if listing.date_field else ""
        out.append((Link(url=clean_url(urljoin(base_url, url.strip())), text=title.strip(), date=date), unit.strip()))
    return out
