"""What became of each annotation of an imported file: imported (created, updated or
unchanged), invalid (fails the W3C model, or what this site can hold, with the reason) or not
anchorable (valid, but its target is nothing here, with the reason)."""

from dataclasses import dataclass, field

from .. import services
from ..import_identity import Outcome


@dataclass(frozen=True, slots=True)
class Refusal:
    """An annotation (its id in the file, or its place) that was not imported, and why."""

    ref: str
    reason: str


@dataclass(frozen=True, slots=True)
class ImportedAnnotation:
    ref: str
    pk: int
    how: str
    outcome: str = Outcome.CREATED  # or updated, unchanged (an earlier import of it)


@dataclass(slots=True)
class ImportReport:
    imported: list[ImportedAnnotation] = field(default_factory=list)
    invalid: list[Refusal] = field(default_factory=list)
    unanchored: list[Refusal] = field(default_factory=list)
    claims_created: int = 0
    claims_reused: int = 0
    rolled_back: bool = False

    @property
    def refused(self) -> list[Refusal]:
        return [*self.invalid, *self.unanchored]

    @property
    def ok(self) -> bool:
        return not self.refused

    def count(self, outcome: str) -> int:
        return sum(1 for i in self.imported if i.outcome == outcome)

    def lines(self) -> list[str]:
        kept = "rolled back, nothing kept" if self.rolled_back else "kept"
        lines = [
            f"Imported: {len(self.imported)} ({kept}): updated {self.count(Outcome.UPDATED)},"
            f" created {self.count(Outcome.CREATED)}, unchanged {self.count(Outcome.UNCHANGED)};"
            f" claims created: {self.claims_created}, reused: {self.claims_reused}",
        ]
        lines += [f"  {i.ref} -> annotation {i.pk}: {i.outcome}, {i.how}" for i in self.imported]
        lines.append(f"Invalid: {len(self.invalid)}")
        lines += [f"  {r.ref}: {r.reason}" for r in self.invalid]
        lines.append(f"Not anchorable: {len(self.unanchored)}")
        lines += [f"  {r.ref}: {r.reason}" for r in self.unanchored]
        return lines


class Invalid(Exception):
    """The annotation is not valid (W3C model, or what this site can hold)."""


class Unanchorable(Exception):
    """Valid, but its target is nothing here."""


def classified(error: Exception) -> Exception:
    """A service's or parser's refusal as invalid, or as not anchorable when about the target."""
    if isinstance(error, Invalid | Unanchorable):
        return error
    if isinstance(error, services.AnnotationInvalid) and "target" in error.errors:
        return Unanchorable(str(error))
    return Invalid(str(error))
