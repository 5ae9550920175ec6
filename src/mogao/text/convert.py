"""Simplified/traditional conversion through OpenCC, with converters built once per process."""

from __future__ import annotations

from functools import lru_cache

import opencc


@lru_cache(maxsize=8)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Convert traditional Chinese to simplified (OpenCC ``t2s``); other text is unchanged."""
    return str(_converter("t2s").convert(text)) if text else text


def to_traditional(text: str) -> str:
    """Convert simplified Chinese to traditional (OpenCC ``s2t``); other text is unchanged."""
    return str(_converter("s2t").convert(text)) if text else text
