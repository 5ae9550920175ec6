"""`mogao manage ...`: Django's manage.py, for migrations and other admin tasks."""

from __future__ import annotations

import click

from mogao.cli import django_setup, main


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (e.g. `mogao manage migrate`)."""
    django_setup()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["mogao manage", *args])
