"""`mogao audience …`: roll up the audience events and delete those past retention (#18)."""

from __future__ import annotations

from datetime import date

import click

from mogao.cli import django_setup, main


@main.group()
def audience() -> None:
    """Audience statistics: daily rollups of the cookieless event log."""


@audience.command()
@click.option("--day", "days", multiple=True, help="Day to roll up (YYYY-MM-DD; repeatable). Default: "
              "today, yesterday and any day not rolled up yet.")
@click.option("--delete/--no-delete", "delete", default=True, show_default=True,
              help="Delete raw events older than MOGAO_AUDIENCE_RETENTION_DAYS afterwards.")
def rollup(days: tuple[str, ...], delete: bool) -> None:
    """Roll up raw events into daily counts (what the server's periodic task does)."""
    django_setup()
    from mogao.audience import rollup as rollups

    try:
        chosen = [date.fromisoformat(d) for d in days] or None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--day") from None
    result = rollups.run(chosen, delete=delete)
    click.echo(f"rolled up {len(result['days'])} day(s) into {result['rows']} rows; "
               f"deleted {result['deleted']} raw events past retention")
