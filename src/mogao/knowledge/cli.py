"""`mogao knowledge ...`: load DILA entities, extract mentions, suggest joins (thin adapters).

A standalone click group, so importing it has no side effect on ``mogao``; the CLI mounts it
with ``main.add_command(knowledge)`` (and documents ``mogao knowledge``).
"""

from __future__ import annotations

from pathlib import Path

import click


def django_setup() -> None:
    # Imported when a command runs: ``mogao.cli`` mounts this group as it loads, so importing it
    # at the top would make importing this module first a circular import.
    from mogao.cli import django_setup as setup

    setup()


@click.group()
def knowledge() -> None:
    """People, places and periods: load authorities, extract mentions, suggest joins."""


@knowledge.command("load-dila")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def load_dila(path: Path) -> None:
    """Load DILA people and places from PATH (the data folder or a DILA JSON file); idempotent."""
    django_setup()
    from django.core.exceptions import ValidationError

    from mogao.knowledge.loaders import load_dila_entities

    try:
        counts = load_dila_entities(path)
    except ValidationError as exc:
        raise click.ClickException("; ".join(m for ms in exc.message_dict.values() for m in ms)) from exc
    click.echo(", ".join(f"{n} {name.replace('_', ' ')}" for name, n in sorted(counts.items())) or "nothing to do")


@knowledge.command("load-periods")
def load_periods() -> None:
    """Load the text toolkit's dynasties and reign eras as periods; idempotent."""
    django_setup()
    from mogao.knowledge.loaders import load_toolkit_periods

    counts = load_toolkit_periods()
    click.echo(", ".join(f"{n} {name.replace('_', ' ')}" for name, n in sorted(counts.items())))


@knowledge.command()
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Store matches at or above this confidence (default: the measured threshold).")
def extract(min_confidence: float | None) -> None:
    """Propose mentions of known entities in every item's and work's metadata and text."""
    django_setup()
    from mogao.knowledge.extraction import MIN_CONFIDENCE, mentions_extract_all

    counts = mentions_extract_all(min_confidence=MIN_CONFIDENCE if min_confidence is None else min_confidence)
    click.echo(f"{counts['mentions']} new suggested mentions in {counts['items']} items and {counts['works']} works")


@knowledge.command("suggest-joins")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None, help="Minimum score of a suggestion.")
def suggest_joins(threshold: float | None) -> None:
    """Propose joins of fragments for curators (/curate/joins/); rejected ones are never re-proposed."""
    django_setup()
    from mogao.knowledge.reunification import DEFAULT_THRESHOLD, joins_suggest

    made = joins_suggest(threshold=DEFAULT_THRESHOLD if threshold is None else threshold)
    for join in made:
        click.echo(f"{join.confidence:.2f}  {join.label('en')}  ({join.evidence.get('en', [''])[0]})")
    click.echo(f"{len(made)} new suggestions")
