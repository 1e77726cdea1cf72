"""The admin form data of a framing family with one term, as a curator submits it."""


def family_form(name: str, phrase: str, not_after: str = "[]") -> dict:
    """A new family `name` with one term and its "not after" context (a JSON list)."""
    return {
        "name": name,
        "position": "5",
        "description": "",
        "terms-TOTAL_FORMS": "1",
        "terms-INITIAL_FORMS": "0",
        "terms-MIN_NUM_FORMS": "0",
        "terms-MAX_NUM_FORMS": "1000",
        "terms-0-phrase": phrase,
        "terms-0-not_after": not_after,
        "terms-0-not_before": "[]",
    }
