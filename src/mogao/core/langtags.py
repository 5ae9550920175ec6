"""Language tags Mogao accepts in language maps: BCP 47 tags built from known subtags.

A tag is ``language[-Script][-REGION]``; the language must be an ISO 639-1 code or one of the
ISO 639-3 codes this field needs (Classical Chinese, Old Tibetan, Old Turkic, Sogdian...). IIIF's
``none`` stands for text in no language (numbers, shelfmarks).
"""

from __future__ import annotations

import re

ISO_639_1 = frozenset(
    (
        "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu "
        "cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi "
        "ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks "
        "ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl "
        "nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl "
        "sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve "
        "vi vo wa wo xh yi yo za zh zu "
    ).split()
)
ISO_639_3_EXTRA = frozenset(
    (
        "lzh och ltc cmn yue wuu hak nan otk oui sog xto txb kho pra pal xpr syc arc hbo otb xct "
        "bft mnc mvf jpn kor vie tib san pli und mul zxx "
    ).split()
)
SCRIPTS = frozenset(
    (
        "Hans Hant Latn Tibt Orkh Sogd Hebr Arab Cyrl Grek Brah Khar Mong Ougr Syrc Deva Jpan "
        "Kore Hira Kana Hang Zyyy "
    ).split()
)
_TAG = re.compile(
    r"^(?P<lang>[a-z]{2,3})(?:-(?P<script>[A-Z][a-z]{3}))?(?:-(?P<region>[A-Z]{2}|\d{3}))?$"
)

NONE = "none"


def normalize(tag: str) -> str:
    """Return the canonical case of a tag (``zh-hant`` -> ``zh-Hant``, ``EN-gb`` -> ``en-GB``)."""
    parts = tag.strip().replace("_", "-").split("-")
    if not parts or not parts[0]:
        return tag
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())
        elif len(part) in (2, 3):
            out.append(part.upper())
        else:
            out.append(part)
    return "-".join(out)


def is_known(tag: str) -> bool:
    """True when ``tag`` (already normalized) is ``none`` or a tag built from known subtags."""
    if tag == NONE:
        return True
    match = _TAG.match(tag)
    if not match:
        return False
    lang = match["lang"]
    if lang not in ISO_639_1 and lang not in ISO_639_3_EXTRA:
        return False
    script = match["script"]
    return script is None or script in SCRIPTS
