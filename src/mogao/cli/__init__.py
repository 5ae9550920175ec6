"""The ``mogao`` command line: a click group; each subcommand lives in its own module.

Django is configured lazily by :func:`django_setup`, so ``mogao --help`` stays fast.
"""

from __future__ import annotations

import importlib
import os

import click

#: Modules that each register commands on :data:`main` when imported.
COMMAND_MODULES = [
    "mogao.cli.serve",
    "mogao.cli.demo",
    "mogao.cli.manage",
    "mogao.cli.images",
    "mogao.cli.iiif",
    "mogao.cli.index",
    "mogao.cli.importer",
    "mogao.cli.export",
    "mogao.cli.knowledge",
    "mogao.cli.audience",
    "mogao.cli.worker",
    "mogao.cli.backup",
]


def django_setup() -> None:
    """Configure Django once (settings from the environment)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mogao.site.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mogao")
def main() -> None:
    """Mogao: an open, multilingual smart library for ancient books and manuscripts."""


for _module in COMMAND_MODULES:
    importlib.import_module(_module)
