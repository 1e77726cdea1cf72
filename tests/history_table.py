"""The admin history page (django-simple-history) read as a table, for tests that need to
know who made which change rather than whether a word appears somewhere on the page."""

from html.parser import HTMLParser


class _HistoryTable(HTMLParser):
    """The rows of the admin history table (#change-history) as {column heading: text}."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("id", "change-history") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def history_rows(html: str) -> list[dict[str, str]]:
    table = _HistoryTable()
    table.feed(html)
    headings, *rows = table.rows
    assert rows, "the history table has no rows"
    return [dict(zip(headings, row, strict=True)) for row in rows]
