"""`mogao knowledge ...`: the knowledge layer's commands (load-dila, load-periods, extract, suggest-joins)."""

from __future__ import annotations

from mogao.cli import main
from mogao.knowledge.cli import knowledge

main.add_command(knowledge)
