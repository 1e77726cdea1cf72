"""Where an imported annotation's target lands: an article of this site named by the path of
its IRI (any host), or, for other tools' annotations whose source is the original web page,
the one published article whose current body holds the quote (one confident match, else
refused as ambiguous). Quotes are placed as the API places them (anchor_input), so that POST
and import anchor alike."""

from dataclasses import dataclass

from articles.models import Article

from .. import access
from ..anchor_input import Target, TargetAmbiguous, TargetInvalid, anchor_target
from ..anchoring import AnchorStatus
from ..revision_state import target_keywords
from ..w3c import ParsedAnnotation
from .report import Unanchorable


@dataclass(frozen=True, slots=True)
class Passage:
    """The article and span found, the words there (None when only positions were given), and
    how they were found (for the report)."""

    article: Article
    start: int | None
    end: int | None
    exact: str | None
    how: str

    def keywords(self) -> dict:
        """The passage as annotation_create's keywords."""
        return {"article": self.article, "start": self.start, "end": self.end, "exact": self.exact}


def _target(parsed: ParsedAnnotation, body: str) -> Target:
    return anchor_target(body, **target_keywords(parsed))


class PassageFinder:
    def __init__(self) -> None:
        self._bodies: list[tuple[Article, str]] | None = None

    def find(self, parsed: ParsedAnnotation, creator) -> Passage:
        """The article and span of the target: by the article's IRI, else by the quote."""
        if parsed.article_slug is not None:
            try:
                article = access.article_get_for_annotating(user=creator, slug=parsed.article_slug)
            except access.NotVisible:
                article = None
            if article is not None:
                return self._in_article(parsed, article)
            if parsed.exact is None:
                raise Unanchorable(f"There is no article {parsed.article_slug!r} here.")
        return self._by_quote(parsed)

    def _in_article(self, parsed: ParsedAnnotation, article: Article) -> Passage:
        where = f"on {article.slug}"
        if article.current_revision is None:
            raise Unanchorable(f"The article {article.slug} has no text yet.")
        if parsed.exact is None:  # positions only: the services check them
            return Passage(article, parsed.start, parsed.end, None, where)
        body = article.current_revision.body
        try:
            target = _target(parsed, body)
        except TargetAmbiguous as error:
            raise Unanchorable(f"On {article.slug}: {error}") from None
        except TargetInvalid:
            raise Unanchorable(f"The quote is not in the current text of {article.slug}.") from None
        if target.status is not AnchorStatus.ANCHORED:
            where += f" ({target.status}, score {target.score:.2f})"
        return Passage(article, target.start, target.end, body[target.start : target.end], where)

    def _published_bodies(self) -> list[tuple[Article, str]]:
        if self._bodies is None:
            articles = (
                access.articles_listed()
                .filter(current_revision__isnull=False)
                .select_related("current_revision", "outlet")
                .order_by("pk")
            )
            self._bodies = [(a, a.current_revision.body) for a in articles]
        return self._bodies

    def _by_quote(self, parsed: ParsedAnnotation) -> Passage:
        if parsed.exact is None:
            raise Unanchorable(
                "Its target is not an article here, and it has no TextQuoteSelector to find "
                "the passage by."
            )
        exact, fuzzy, ambiguous = [], [], []
        for article, body in self._published_bodies():
            try:
                target = _target(parsed, body)
            except TargetAmbiguous as error:
                ambiguous.append((article, error))
                continue
            except TargetInvalid:
                continue
            found = exact if target.status is not AnchorStatus.FUZZY else fuzzy
            found.append((article, target, body[target.start : target.end]))
        matches = exact or fuzzy
        if not matches and not ambiguous:
            raise Unanchorable("Its quote is in no published article here.")
        if len(matches) + len(ambiguous) > 1:
            slugs = ", ".join([a.slug for a, *_ in matches][:5] + [a.slug for a, _ in ambiguous])
            raise Unanchorable(
                f"Its quote is in {len(matches) + len(ambiguous)} articles ({slugs}); which "
                "one is meant is not clear."
            )
        if ambiguous:
            article, error = ambiguous[0]
            raise Unanchorable(f"On {article.slug}: {error}")
        article, target, text = matches[0]
        how = f"on {article.slug}, found by its quote"
        if target.status is AnchorStatus.FUZZY:
            how += f" (fuzzy, score {target.score:.2f})"
        return Passage(article, target.start, target.end, text, how)
