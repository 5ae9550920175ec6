"""`mogao index ...`: maintain the search index (rebuild everything, or a few documents)."""

from __future__ import annotations

import click

from mogao.cli import django_setup, main


@main.group()
def index() -> None:
    """Maintain the search index."""


@index.command()
@click.option(
    "--processes", default=1, show_default=True, type=click.IntRange(1, 64),
    help="Worker processes that tokenize documents while this one writes the index (large catalogues).",
)
def rebuild(processes: int) -> None:
    """Clear the index and write every public item, work, person and place again."""
    django_setup()
    from mogao.search import documents, services

    total = documents.count_all()
    with click.progressbar(length=total, label="Indexing", show_pos=True) as bar:
        written = services.index_rebuild(progress=bar.update, processes=processes)
    click.echo(f"Indexed {written} documents.")


@index.command()
@click.argument("ids", nargs=-1, required=True)
def update(ids: tuple[str, ...]) -> None:
    """Reindex documents by id, e.g. `mogao index update item:bl-or-8210-p-2 work:t0235-diamond-sutra`."""
    django_setup()
    from mogao.search import documents, services

    for value in ids:
        try:
            documents.split_doc_id(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="IDS") from exc
    written, deleted = services.index_documents(ids=ids)
    click.echo(f"Written {written}, deleted {deleted}.")
