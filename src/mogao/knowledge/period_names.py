"""French names of the dynasties the text toolkit lists in English (``Later Qin`` -> ``Qin postérieurs``).

French writes the qualifier after the (plural) dynasty name, as in « les Han orientaux »; names
that are proper nouns in both languages (Cao Wei, Liu Song, Silla) stay as they are.
"""

from __future__ import annotations

import re

EXACT = {
    "Spring and Autumn period": "période des Printemps et Automnes",
    "Warring States period": "période des Royaumes combattants",
    "Three Kingdoms": "Trois Royaumes",
    "Sixteen Kingdoms": "Seize Royaumes",
    "Northern and Southern dynasties": "dynasties du Nord et du Sud",
    "Northern dynasties": "dynasties du Nord",
    "Southern dynasties": "dynasties du Sud",
    "Gaochang kingdom": "royaume de Gaochang",
    "Tibetan Empire": "Empire tibétain",
    "Tibetan period": "période tibétaine",
    "Guiyijun period": "période du Guiyijun",
    "Five Dynasties": "Cinq Dynasties",
    "Five Dynasties and Ten Kingdoms": "Cinq Dynasties et Dix Royaumes",
    "Khotan": "royaume de Khotan",
    "Republic of China": "République de Chine",
    "Eastern Wu": "Wu oriental",
    "Western Xia": "Xia occidental",
}
QUALIFIERS = {
    "Western": "occidentaux", "Eastern": "orientaux", "Northern": "du Nord", "Southern": "du Sud",
    "Former": "antérieurs", "Later": "postérieurs",
}
_QUALIFIED = re.compile(r"^(Western|Eastern|Northern|Southern|Former|Later) (\w+)(?: \((.+)\))?$")
_DYNASTY = re.compile(r"^(\w+) dynasty(?: \((.+)\))?$")


def french_name(english: str) -> str:
    """The French name of a dynasty given in English (capitalized as a name); unknown forms unchanged."""
    name = _french(english)
    return name[:1].upper() + name[1:]


def _french(english: str) -> str:
    if english in EXACT:
        return EXACT[english]
    if match := _QUALIFIED.match(english):
        note = f" ({_french(match[3])})" if match[3] else ""
        return f"{match[2]} {QUALIFIERS[match[1]]}{note}"
    if match := _DYNASTY.match(english):
        note = f" ({match[2]})" if match[2] else ""
        return f"dynastie {match[1]}{note}"
    return english
