"""`mogao demo`: migrate, load the built-in demo collection (and real data with --data), serve."""

from __future__ import annotations

from pathlib import Path

import click

from mogao.cli import django_setup, main


@main.command()
@click.option("--data", "data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also load the real data set (e.g. ../shared/data).")
@click.option("--no-texts", is_flag=True,
              help="Skip the classical texts installed from npm (the chinese-poetry corpus).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--no-serve", is_flag=True, help="Load everything, then exit.")
def demo(data: Path | None, no_texts: bool, host: str, port: int, no_serve: bool) -> None:
    """Load the demo collection (idempotent) and serve it."""
    from mogao.cli.serve import announce_address

    if not no_serve:
        announce_address(host, port)
    django_setup()
    from django.core.management import call_command

    from mogao.demo.loader import demo_load
    from mogao.demo.texts import CORPUS

    call_command("migrate", interactive=False, verbosity=0)
    summary = demo_load(data=data, corpus=None if no_texts else CORPUS, echo=click.echo)
    click.echo("Demo loaded: " + ", ".join(f"{n} {name}" for name, n in summary.items()))
    if no_serve:
        return
    from mogao.cli.serve import run_server

    click.echo("Sign in to the admin as 'curator' with password 'mogao-demo' (demo only).")
    run_server(host, port)
