"""Writes to annotations, claims and tags: keyword-only, typed, atomic; access checked in
access.py. One module per entity or concern:

- annotations.py: create, reply, update, delete, hide one; re-render notes
- reanchoring.py: follow an article's new current revision
- claims.py: create, update, delete
- groups.py: create a group, invite, join, leave, remove members, set roles
- tags.py: check a name, create, rename, delete, merge
- curation.py: the curators' bulk writes (hide many, re-anchor, re-attach, re-tag, merge
  claims)
- common.py: limits, errors and field checks they share

Callers import the services from here.
"""

from .annotations import (
    annotation_create,
    annotation_delete,
    annotation_reply,
    annotation_set_hidden,
    annotation_update,
    annotations_render_notes,
)
from .claims import claim_create, claim_delete, claim_update
from .common import (
    IDENTITY_FIELDS,
    MAX_EXACT_LENGTH,
    MAX_NOTE_LENGTH,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    AnnotationInvalid,
    CreateResult,
    VersionMismatch,
    group_named,
    identity_fields,
)
from .curation import (
    ClaimMergeReport,
    CurationReanchorReport,
    annotation_reattach,
    annotations_reanchor_current,
    annotations_retag,
    annotations_set_hidden,
    claims_merge,
)
from .groups import (
    group_create,
    group_for_invite,
    group_invite_renew,
    group_join,
    group_member_remove,
    group_member_set_role,
    group_update,
)
from .reanchoring import ReanchorReport, annotations_reanchor
from .tags import (
    TagMergeReport,
    tag_create,
    tag_name_check,
    tag_names_check,
    tag_rename,
    tags_delete,
    tags_merge,
)

__all__ = [
    "IDENTITY_FIELDS",
    "MAX_EXACT_LENGTH",
    "MAX_NOTE_LENGTH",
    "MAX_TAGS",
    "MAX_TAG_LENGTH",
    "AnnotationInvalid",
    "ClaimMergeReport",
    "CreateResult",
    "CurationReanchorReport",
    "ReanchorReport",
    "TagMergeReport",
    "VersionMismatch",
    "annotation_create",
    "annotation_delete",
    "annotation_reattach",
    "annotation_reply",
    "annotation_set_hidden",
    "annotation_update",
    "annotations_reanchor",
    "annotations_reanchor_current",
    "annotations_render_notes",
    "annotations_retag",
    "annotations_set_hidden",
    "claim_create",
    "claim_delete",
    "claim_update",
    "claims_merge",
    "group_create",
    "group_for_invite",
    "group_invite_renew",
    "group_join",
    "group_member_remove",
    "group_member_set_role",
    "group_named",
    "group_update",
    "identity_fields",
    "tag_create",
    "tag_name_check",
    "tag_names_check",
    "tag_rename",
    "tags_delete",
    "tags_merge",
]
