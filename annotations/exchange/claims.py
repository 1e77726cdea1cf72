"""The claim an imported assessing annotation assesses: one the file defines (under
"astana:claims"), created here through the services unless a claim with the same text and
claimant exists (then reused), or one of this site's claims named by its IRI."""

from dataclasses import dataclass, field

from .. import services
from ..models import Claim
from ..w3c import resolve_iri
from .creators import Creators
from .jsonld import CLAIMS_KEY
from .reading import as_list, on_host
from .report import Invalid


@dataclass(slots=True)
class NewClaims:
    """Claims one annotation brought: created (undone if the annotation is) and reused."""

    created: list[str] = field(default_factory=list)
    reused: int = 0


class ClaimFinder:
    """The claims of one import, each found or created once."""

    def __init__(
        self, *, in_file: dict[str, dict], creators: Creators, local_host: str | None
    ) -> None:
        self.in_file = in_file  # claim IRI in the file -> the claim as the file gives it
        self.found: dict[str, int] = {}  # claim IRI in the file -> Claim pk here
        self.creators = creators
        self.local_host = local_host

    def forget(self, iris: list[str]) -> None:
        """The claims created for an annotation that was rolled back are gone again."""
        for iri in iris:
            self.found.pop(iri, None)

    def assessed_by(self, data: dict, creator, claims: NewClaims) -> Claim:
        """The claim the assessing annotation `data` names; Invalid when it is nowhere."""
        iris = [data.get("claim")] + [
            body.get("source")
            for body in as_list(data.get("body"))
            if isinstance(body, dict) and body.get("purpose") == "assessing"
        ]
        iris = [iri for iri in iris if isinstance(iri, str)]
        for iri in iris:
            if iri in self.found:
                claim = Claim.objects.filter(pk=self.found[iri]).first()
                if claim is not None:
                    return claim
            if iri in self.in_file:
                return self._from_file(iri, creator, claims)
        for iri in iris:
            if on_host(iri, self.local_host):
                kwargs = resolve_iri(iri, "api:claim-detail")
                claim = Claim.objects.filter(pk=kwargs["pk"]).first() if kwargs else None
                if claim is not None:
                    return claim
        shown = iris[0] if iris else "none given"
        raise Invalid(
            f"An assessing annotation needs its claim; the claim ({shown}) is neither in the "
            f'file\'s "{CLAIMS_KEY}" nor here.'
        )

    def _from_file(self, iri: str, creator, claims: NewClaims) -> Claim:
        data = self.in_file[iri]
        text = data.get("text")
        claimant = data.get("claimant") or ""
        if not isinstance(text, str) or not isinstance(claimant, str):
            raise Invalid(f"The claim {iri} needs its text (and claimant) as strings.")
        existing = (
            Claim.objects.filter(text=text.strip(), claimant=claimant.strip())
            .order_by("pk")
            .first()
        )
        if existing is not None:
            self.found[iri] = existing.pk
            claims.reused += 1
            return existing
        owner = creator
        if self.creators.keep_creators:  # whoever made it, else whoever rated it, if known here
            for name in (data.get("created_by"), data.get("reviewed_by")):
                if isinstance(name, str) and (known := self.creators.named(name)):
                    owner = known
                    break
        fields = {
            name: data[name]
            for name in ("kind", "rating", "reviewer_notes", "tags")
            if data.get(name) is not None
        }
        try:
            claim = services.claim_create(user=owner, text=text, claimant=claimant, **fields)
        except services.AnnotationInvalid as error:
            raise Invalid(f"The claim {iri} is not valid: {error}") from None
        self.found[iri] = claim.pk
        claims.created.append(iri)
        return claim
