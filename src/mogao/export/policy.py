"""Which tables the JSON Lines export carries, and why the others are left out.

Every model installed in the project has exactly one entry, in :data:`EXPORTED` (the record type
that carries it) or in :data:`NOT_EXPORTED` (why it is not the record). A new model without an
entry fails ``tests/export/test_policy.py``: decide, then add it here.

The round-trip test (``tests/export/test_roundtrip.py``) compares whole-database dumps of every
table except those in :data:`NOT_EXPORTED`; :data:`COMPARED_FIELDS` narrows tables exported on
purpose only in part.
"""

from __future__ import annotations

from django.apps import apps

#: model label -> the export record type that carries its rows
EXPORTED: dict[str, str] = {
    "auth.user": "account (username and names only: no password, e-mail or privileges)",
    "catalogue.institution": "institution",
    "catalogue.collection": "collection",
    "catalogue.work": "work",
    "catalogue.workcreator": "work.creators",
    "catalogue.item": "item",
    "catalogue.itemwork": "item.works",
    "catalogue.canvas": "item.canvases",
    "catalogue.transcription": "item.canvases[].transcriptions",
    "catalogue.translation": "item.translations",
    "catalogue.join": "join",
    "catalogue.joinmember": "join.items",
    "knowledge.person": "person",
    "knowledge.place": "place",
    "knowledge.period": "period",
    "knowledge.subject": "subject",
    "knowledge.authoritylink": "<entity>.authorities",
    "knowledge.collectionorigin": "collection_origin",
    "knowledge.mention": "mention",
    "knowledge.joinsuggestion": "join.suggestion",
    "reading.correction": "correction",
    "search.titlealias": "title_alias (curated titles of a work, with provenance)",
    "search.featuredwork": "featured_work (a curator's featured mark on a work)",
    "showcase.featureditem": "featured_item (a curator's mark putting an item on the home page)",
    "ingest.structure": "item.structure",
    "ingest.harvestedrecord": "harvested_record",
    "oai.tombstone": "tombstone (harvesters must still learn of deletions after a restore)",
}

#: model label -> why it is not exported
NOT_EXPORTED: dict[str, str] = {
    "admin.logentry": "admin action log of this database (the change history is audit, not the record)",
    "auth.permission": "created by migrations",
    "auth.group": "roles are created by migrations (accounts app); membership is access control",
    "auth.group_permissions": "created by migrations",
    "auth.user_groups": "access control is configured per deployment, never restored from a file",
    "auth.user_user_permissions": "access control is configured per deployment, never restored from a file",
    "contenttypes.contenttype": "created by migrations",
    "sessions.session": "ephemeral",
    "django_tasks_database.dbtaskresult": "ephemeral task queue",
    "accounts.curatorship": "access control is configured per deployment, never restored from a file",
    "api.apitoken": "secrets: never exported",
    "search.zeroresultquery": "ephemeral search analytics",
    "ingest.ingestrun": "log of an import run (the records it wrote are exported)",
    "ingest.ingesterror": "log of an import run",
    "catalogue.historicalinstitution": "change history: audit trail of this database",
    "catalogue.historicalcollection": "change history: audit trail of this database",
    "catalogue.historicalwork": "change history: audit trail of this database",
    "catalogue.historicalitem": "change history: audit trail of this database",
    "catalogue.historicaljoin": "change history: audit trail of this database",
    "catalogue.historicaltranscription": "change history: audit trail of this database",
    "catalogue.historicaltranslation": "change history: audit trail of this database",
    "reading.historicalcorrection": "change history: audit trail of this database",
    "axes.accessattempt": "sign-in failures for lockout: security log of this deployment",
    "axes.accessattemptexpiration": "sign-in lockout bookkeeping: ephemeral",
    "axes.accessfailurelog": "sign-in failures: security log of this deployment",
    "axes.accesslog": "sign-ins: security log of this deployment",
    "security.ratecounter": "rate-limit windows: ephemeral",
    "accounts.profile": "personal settings and reader roles: personal data and access control of this deployment",
    "community.readergroup": "reader groups are membership, i.e. access control of this deployment",
    "community.readergroup_members": "reader groups are membership, i.e. access control of this deployment",
    "account.emailaddress": "readers' e-mail addresses: personal data of this deployment (#15)",
    "account.emailconfirmation": "e-mail verification keys: ephemeral secrets (#15)",
    "audience.event": "raw audience events are short-lived (30 days) operational data, not the record (#18)",
    "audience.dailycount": "audience rollups are statistics of this deployment, published at /statistics/ (#18)",
    "community.reaction": "who reacted to what is personal data; only the public counts are shown (#15)",
    "annotations.annotation": "readers' contributions, not the catalogue record: public ones are published "
    "through the W3C Annotation containers and IIIF manifests; private and group ones must never leave",
    "annotations.historicalannotation": "change history: audit trail of this database",
    "discussion.comment": "readers' comments: their authors' personal writing, not the catalogue record (#15)",
    "discussion.historicalcomment": "change history: audit trail of this database",
    "discussion.report": "readers' reports to moderators: moderation records of this deployment",
    "discussion.moderationdecision": "moderation log of this deployment (audit, not the record)",
    "saved.readercollection": (
        "readers' personal collections (#15) are their personal data, not the holders' record; a public one is "
        "published by itself as a page, a IIIF manifest/collection and a CSV (/saved/{pid}/…), never in the dump"
    ),
    "saved.savedentry": "entries of readers' personal collections: exported with their collection's CSV, not here",
    "saved.historicalreadercollection": "change history: audit trail of this database",
    "saved.historicalsavedentry": "change history: audit trail of this database",
    # #16 is moving these into EXPORTED with the round trip that carries them:
    "stories.story": "stories are published as pages and IIIF manifests (#16)",
    "stories.step": "stories are published as pages and IIIF manifests (#16)",
    "stories.step_places": "stories are published as pages and IIIF manifests (#16)",
    "stories.historicalstory": "change history: audit trail of this database",
    "stories.historicalstep": "change history: audit trail of this database",
    "stories.storytransition": "the review workflow's log of this deployment (audit, not the record)",
}

#: tables exported only in part: model label -> the fields the round trip must reproduce
COMPARED_FIELDS: dict[str, tuple[str, ...]] = {
    "auth.user": ("username", "first_name", "last_name"),
}


def undecided_models() -> list[str]:
    """Installed models (auto-created join tables included) with no export decision."""
    decided = EXPORTED.keys() | NOT_EXPORTED.keys()
    return sorted(
        m._meta.label_lower for m in apps.get_models(include_auto_created=True) if m._meta.label_lower not in decided
    )
