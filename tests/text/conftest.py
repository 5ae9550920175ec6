"""Fixtures for the mogao.text tests: the dictionary-backed indexes are built once per session."""

from __future__ import annotations

import pytest

from mogao.text.dictionary import Lexicon, entries
from mogao.text.romanize import RomanIndex

CATALOGUE_TITLES = ("金剛般若波羅蜜經", "敦煌", "鳩摩羅什", "長安", "玄奘", "妙法蓮華經", "般若波羅蜜多心經")


@pytest.fixture(scope="session")
def cedict_loaded() -> None:
    """Load CC-CEDICT once (the module caches it for the rest of the session)."""
    entries()


@pytest.fixture(scope="session")
def roman_index(cedict_loaded: None) -> RomanIndex:
    """A RomanIndex over a few catalogue titles and names plus CC-CEDICT headwords."""
    return RomanIndex(CATALOGUE_TITLES)


@pytest.fixture
def lexicon() -> Lexicon:
    """A catalogue's own multilingual titles, as the search layer would register them."""
    lex = Lexicon()
    lex.add("金剛般若波羅蜜經", ["Diamond Sūtra", "Sūtra du Diamant", "Vajracchedikā"])
    lex.add("般若波羅蜜多心經", ["Heart Sūtra", "Sūtra du Cœur"])
    return lex
