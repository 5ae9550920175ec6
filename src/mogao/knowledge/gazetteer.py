"""A gazetteer of entity names and the matcher that finds them in metadata and transcriptions.

Pure Python apart from :meth:`Gazetteer.from_db`. Surface forms are every name and alias of an
entity, their simplified/traditional counterparts and a pinyin romanization of Chinese names.
Han text is matched leftmost-longest without overlaps; Latin text on word boundaries,
ignoring case. Each match carries a confidence from 0 to 1 that combines:

- the length of the surface form (a two-character Chinese name is often an ordinary word);
- ambiguity (a form naming entities of n kinds divides the confidence by n; several
  entities of one kind cost 10 %);
- context cues: a role verb after a name (鳩摩羅什**譯**), a monastic title before it
  (**沙門**法天), a preposition before a place (**於**長安), a year after an era (開元**十九年**),
  and the field it is in (a byline is made of names).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from pypinyin import lazy_pinyin

from mogao.text.convert import to_simplified, to_traditional

_HAN = re.compile(r"^[\u3400-\u9fff\U00020000-\U0002ffff\uf900-\ufaff]+$")
MIN_LATIN = 4
#: Role verbs that may follow a person's name, and the role they imply.
ROLE_CUES: dict[str, str] = {
    "譯": "translator", "译": "translator", "撰": "creator", "著": "creator", "述": "creator",
    "作": "creator", "說": "creator", "说": "creator", "造": "creator", "集": "creator",
    "編": "creator", "编": "creator", "註": "creator", "注": "creator", "疏": "creator",
    "書": "scribe", "书": "scribe", "寫": "scribe", "写": "scribe", "抄": "scribe",
    "共": "creator", "等": "creator", "奉": "creator", "詔": "creator",
}
PERSON_PREFIXES = (
    "沙門", "沙门", "釋", "释", "法師", "法师", "三藏", "大師", "大师", "禪師", "禅师", "尊者",
    "居士", "比丘", "菩薩", "菩萨", "和尚", "上人",
)
PLACE_PREFIXES = ("於", "于", "在", "至", "到", "入", "出", "自", "往", "過", "过", "向", "辭", "还", "還")
YEAR_CUE = re.compile(r"^[元一二三四五六七八九十廿卅]+年")
#: Contexts (where the text comes from) and the confidence they add.
CONTEXT_BONUS = {"byline": 0.3, "metadata": 0.05, "text": 0.0}


@dataclass(frozen=True)
class Entry:
    """One surface form of one entity."""

    kind: str  # person, place, period, subject
    pk: int
    surface: str
    romanized: bool = False


@dataclass(frozen=True)
class Match:
    """An entity found in a text, with its span, the role it suggests and a confidence."""

    kind: str
    pk: int
    surface: str
    start: int
    end: int
    confidence: float
    role: str = "mentioned"


def romanize(name: str) -> str:
    """Toneless pinyin of a Chinese name written as one capitalized word (鳩摩羅什 -> Jiumoluoshi)."""
    return "".join(lazy_pinyin(name)).capitalize()


def surface_forms(names: Iterable[str]) -> Iterable[tuple[str, bool]]:
    """Every form to look for: the names, their S/T counterparts and romanizations."""
    seen: set[str] = set()
    for name in names:
        name = name.strip()
        if not name:
            continue
        forms = [(name, False)]
        if _HAN.match(name):
            forms += [(to_simplified(name), False), (to_traditional(name), False)]
            if len(name) >= 3:
                forms.append((romanize(name), True))
        for form, romanized in forms:
            if form not in seen:
                seen.add(form)
                yield form, romanized


def _role_after(text: str, end: int) -> str:
    """The role named by the first role verb after a name (共/等 defer to the verb that follows)."""
    for ch in text[end : end + 12]:
        role = ROLE_CUES.get(ch)
        if role and ch not in "共等":
            return role
        if ch in " \u3000，。,;；\n":
            break
    return "creator"


class Gazetteer:
    """Surface forms of entities and a matcher over texts."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.han: dict[str, list[Entry]] = defaultdict(list)
        latin: dict[str, list[Entry]] = defaultdict(list)
        for e in entries:
            if _HAN.match(e.surface):
                if len(e.surface) >= 2 and e not in self.han[e.surface]:
                    self.han[e.surface].append(e)
            elif len(e.surface) >= MIN_LATIN and e not in latin[e.surface.lower()]:
                latin[e.surface.lower()].append(e)
        self.latin = dict(latin)
        self.max_han = max((len(s) for s in self.han), default=0)
        forms = sorted(self.latin, key=len, reverse=True)
        self._latin_re = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(f) for f in forms) + r")(?!\w)", re.IGNORECASE)
            if forms else None
        )

    def __len__(self) -> int:
        return len(self.han) + len(self.latin)

    @classmethod
    def from_db(cls, kinds: Iterable[str] = ("person", "place", "period", "subject")) -> Gazetteer:
        """Build from every entity's names and aliases in the database."""
        from mogao.core import langmap
        from mogao.knowledge.models import ENTITY_MODELS

        entries = []
        for kind in kinds:
            for pk, name, aliases in ENTITY_MODELS[kind]._default_manager.values_list("pk", "name", "aliases"):
                for form, romanized in surface_forms([*langmap.all_strings(name), *(aliases or [])]):
                    entries.append(Entry(kind, pk, form, romanized))
        return cls(entries)

    def find(self, text: str, *, context: str = "text") -> list[Match]:
        """Every entity mention in ``text``, in order; ``context`` is byline, metadata or text."""
        bonus = CONTEXT_BONUS.get(context, 0.0)
        out: list[Match] = []
        i, n = 0, len(text)
        while i < n:
            hit = None
            for length in range(min(self.max_han, n - i), 1, -1):
                found = self.han.get(text[i : i + length])
                if found:
                    hit = (length, found)
                    break
            if hit is None:
                i += 1
                continue
            length, found = hit
            out.extend(self._scored(text, i, i + length, found, bonus))
            i += length
        if self._latin_re is not None:
            for m in self._latin_re.finditer(text):
                found = self.latin.get(m.group(0).lower(), [])
                out.extend(self._scored(text, m.start(), m.end(), found, bonus))
        out.sort(key=lambda m: (m.start, -m.confidence))
        return out

    def _scored(self, text: str, start: int, end: int, found: list[Entry], bonus: float) -> list[Match]:
        surface = text[start:end]
        han = bool(_HAN.match(surface))
        if han:
            base = {2: 0.5, 3: 0.8}.get(len(surface), 0.9)
        else:
            base = 0.9 if " " in surface else 0.7
            if all(e.romanized for e in found):
                base -= 0.1
        after, before = text[end : end + 4], text[max(0, start - 1) : start]
        entities = {(e.kind, e.pk) for e in found}
        kinds = Counter(kind for kind, _ in entities)
        out = []
        for kind, pk in sorted(entities):
            score, role = base + bonus, "mentioned"
            if kind == "person":
                if after[:1] in ROLE_CUES:
                    score, role = score + 0.3, _role_after(text, end)
                if text[:start].endswith(PERSON_PREFIXES):
                    score += 0.25
            elif kind == "place" and (before[-1:] in PLACE_PREFIXES):
                score += 0.2
            elif kind == "period" and YEAR_CUE.match(after):
                score += 0.35
            # Different kinds (長安 the city, 長安 the reign era) split the confidence; several
            # entities of one kind are usually one referent in two authority files, so they
            # only cost a little.
            score = min(0.99, score) / len(kinds) * (0.9 if kinds[kind] > 1 else 1.0)
            out.append(Match(kind, pk, surface, start, end, round(score, 3), role))
        return out
