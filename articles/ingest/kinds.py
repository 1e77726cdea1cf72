"""The kinds a block of a raw file can be, and what each means for the reading body."""

from enum import StrEnum


class Kind(StrEnum):
    TITLE = "title"
    DATELINE = "dateline"
    BREADCRUMB = "breadcrumb"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    CAPTION = "caption"
    PROMO = "promo"
    FOOTER = "footer"
    COMMENT = "comment"
    SECONDARY = "secondary"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def description(self) -> str:
        return _DESCRIPTIONS[self]

    @property
    def readable(self) -> bool:
        """Kinds that may enter the article body (the first title, headings, paragraphs)."""
        return self in (Kind.TITLE, Kind.HEADING, Kind.PARAGRAPH)


_LABELS = {
    Kind.TITLE: "Title",
    Kind.DATELINE: "Dateline",
    Kind.BREADCRUMB: "Breadcrumb",
    Kind.HEADING: "Heading",
    Kind.PARAGRAPH: "Paragraph",
    Kind.CAPTION: "Caption or credit",
    Kind.PROMO: "Promotion",
    Kind.FOOTER: "Footer",
    Kind.COMMENT: "Reader comment",
    Kind.SECONDARY: "Secondary story",
}

_DESCRIPTIONS = {
    Kind.TITLE: "The headline; a repeat of it is kept once.",
    Kind.DATELINE: "Where (and by whom) the story was filed.",
    Kind.BREADCRUMB: "Site navigation above the story.",
    Kind.HEADING: "A subheading inside the story.",
    Kind.PARAGRAPH: "The text of the story.",
    Kind.CAPTION: "A photo caption or a picture credit.",
    Kind.PROMO: "Donation widgets, subscription and share prompts.",
    Kind.FOOTER: "Licence lines, source notes, site addresses, closing widgets.",
    Kind.COMMENT: "The reader-comment section and its widgets.",
    Kind.SECONDARY: "Another story appended to the page.",
}
