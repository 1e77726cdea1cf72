"""Whether text can be stored: every string, at any depth, must encode as UTF-8.

Pure Python, no Django. JSON may spell a lone surrogate (`"\\udc00"`) and `json.loads` keeps
it, but no database, encoder or page can hold one; the edges (the API's JSON parser, the W3C
import) ask `unencodable_at` once and refuse the input, naming where the bad text is.
"""

from typing import Any


def is_encodable(text: str) -> bool:
    """True when the string encodes as UTF-8 (holds no lone surrogate)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _describe(text: str) -> str:
    bad = next(ch for ch in text if 0xD800 <= ord(ch) <= 0xDFFF)
    return f"a lone surrogate (U+{ord(bad):04X})"


def unencodable_at(value: Any, root: str = "$") -> str | None:
    """Where the first string (key or value, at any depth) that is not encodable text is, and
    why (e.g. `$.body[0].value holds a lone surrogate (U+DC00)`), or None when all are fine."""
    stack: list[tuple[str, Any]] = [(root, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if not is_encodable(item):
                return f"{path} holds {_describe(item)}"
        elif isinstance(item, dict):
            children = []
            for key, child in item.items():
                if isinstance(key, str) and not is_encodable(key):
                    return f"a key in {path} holds {_describe(key)}"
                children.append((f"{path}.{key}" if isinstance(key, str) else path, child))
            stack.extend(reversed(children))
        elif isinstance(item, list | tuple):
            stack.extend((f"{path}[{i}]", child) for i, child in reversed(list(enumerate(item))))
    return None
