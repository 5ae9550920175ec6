"""The `mogao knowledge` commands are thin adapters over the services."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mogao.knowledge.cli import knowledge


@pytest.mark.django_db
def test_suggest_joins_and_extract(demo: dict[str, int]) -> None:
    from mogao.catalogue.models import Join

    Join.objects.all().delete()
    result = CliRunner().invoke(knowledge, ["suggest-joins"])
    assert result.exit_code == 0, result.output
    assert "2 new suggestions" in result.output and "T2141A" in result.output
    result = CliRunner().invoke(knowledge, ["extract"])
    assert result.exit_code == 0 and "new suggested mentions" in result.output


@pytest.mark.django_db
def test_load_dila_bad_path_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(knowledge, ["load-dila", str(tmp_path)])
    assert result.exit_code != 0 and "No DILA catalogue" in result.output
