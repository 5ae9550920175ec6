"""Curated word lists for query translation: stop words, French -> English, missing titles.

Written for this project (not copied from any data set). ``FRENCH_TO_ENGLISH`` keys are folded
(lowercase, no diacritics: ``cœur`` -> ``coeur``), values are English words or phrases, most
likely first. ``SUPPLEMENT`` adds dictionary entries for famous titles of the field that
CC-CEDICT lacks (it has no "Diamond Sutra"), in CC-CEDICT's own shape.
"""

from __future__ import annotations

__all__ = ["EN_STOPWORDS", "EN_SYNONYMS", "FRENCH_TO_ENGLISH", "FR_STOPWORDS", "SUPPLEMENT"]

EN_STOPWORDS: frozenset[str] = frozenset(
    "the a an of on in to and or for with by from at as is are be its his her their this that "
    "one sb sth etc esp".split()
)

# Spellings folded together before stemming, on both the dictionary's side and the query's.
EN_SYNONYMS: dict[str, str] = {
    "manichaean": "manichaeism", "manichean": "manichaeism", "manichaeans": "manichaeism",
    "sutta": "sutra", "sootra": "sutra", "grotto": "cave", "grottoes": "cave",
}

FR_STOPWORDS: frozenset[str] = frozenset(
    "le la les l de du des d un une et en sur au aux pour par dans a à ce cette son sa ses".split()
)

FRENCH_TO_ENGLISH: dict[str, tuple[str, ...]] = {
    "sutra": ("sutra",), "sutras": ("sutra",), "soutra": ("sutra",), "soutras": ("sutra",),
    "diamant": ("diamond",), "coeur": ("heart",), "lotus": ("lotus",),
    "etoile": ("star",), "etoiles": ("star",), "carte": ("chart", "map"), "cartes": ("chart", "map"),
    "calendrier": ("calendar",), "calendriers": ("calendar",), "almanach": ("almanac",),
    "manuscrit": ("manuscript",), "manuscrits": ("manuscript",), "rouleau": ("scroll",),
    "rouleaux": ("scroll",), "imprime": ("printed",), "imprimes": ("printed",),
    "impression": ("printing",), "xylographie": ("woodblock printing",), "moine": ("monk",),
    "moines": ("monk",), "nonne": ("nun",), "grotte": ("cave", "grotto"),
    "grottes": ("cave", "grotto"), "bouddha": ("buddha",), "bouddhas": ("buddha",),
    "bouddhisme": ("buddhism",), "bouddhique": ("buddhist",), "hymne": ("hymn",),
    "hymnes": ("hymn",), "manicheen": ("manichaeism",), "manicheenne": ("manichaeism",), "manicheens": ("manichaeism",),
    "manicheisme": ("manichaeism",), "taoisme": ("taoism",), "taoiste": ("taoist",),
    "confucianisme": ("confucianism",), "sagesse": ("wisdom",), "perfection": ("perfection",),
    "lumiere": ("light",), "or": ("gold",), "dore": ("golden",), "vie": ("life",),
    "mort": ("death",), "ciel": ("heaven", "sky"), "terre": ("earth",), "montagne": ("mountain",),
    "fleur": ("flower",), "fleurs": ("flower",), "poeme": ("poem",), "poemes": ("poem",),
    "poesie": ("poetry",), "priere": ("prayer",), "prieres": ("prayer",), "contrat": ("contract",),
    "contrats": ("contract",), "lettre": ("letter",), "lettres": ("letter",), "dieu": ("god",),
    "histoire": ("history",), "medecine": ("medicine",), "astronomie": ("astronomy",),
    "astrologie": ("astrology",), "divination": ("divination",), "dragon": ("dragon",),
    "temple": ("temple",), "monastere": ("monastery",), "grand": ("great",), "grande": ("great",),
    "dynastie": ("dynasty",), "empereur": ("emperor",), "livre": ("book",), "livres": ("book",),
    "peinture": ("painting",), "peintures": ("painting",), "bannieres": ("banner",),
    "banniere": ("banner",), "dictionnaire": ("dictionary",), "classique": ("classic",),
    "classiques": ("classic",), "rites": ("rites",), "musique": ("music",), "nuage": ("cloud",),
    "pelerin": ("pilgrim",), "voyage": ("journey",), "royaume": ("kingdom",),
    "occident": ("west",), "occidental": ("western",), "paradis": ("paradise",),
    "pure": ("pure",), "eveil": ("enlightenment",),
    "loi": ("law", "dharma"), "dharma": ("dharma",), "nirvana": ("nirvana",),
    "soie": ("silk",), "route": ("road",), "papier": ("paper",), "encre": ("ink",),
}

# (traditional, simplified, CC-CEDICT-style pinyin, definition)
SUPPLEMENT: tuple[tuple[str, str, str, str], ...] = (
    ("金剛經", "金刚经", "Jin1 gang1 jing1", "the Diamond Sutra"),
    ("金剛般若波羅蜜經", "金刚般若波罗蜜经", "Jin1 gang1 Bo1 re3 Bo1 luo2 mi4 Jing1",
     "Vajracchedika Prajnaparamita Sutra (the Diamond Sutra)"),
    ("維摩詰經", "维摩诘经", "Wei2 mo2 jie2 jing1", "the Vimalakirti Sutra"),
    ("華嚴經", "华严经", "Hua2 yan2 jing1", "the Avatamsaka Sutra (Flower Garland Sutra)"),
    ("涅槃經", "涅槃经", "Nie4 pan2 jing1", "the Nirvana Sutra"),
    ("阿彌陀經", "阿弥陀经", "A1 mi2 tuo2 jing1", "the Amitabha Sutra"),
    ("金光明經", "金光明经", "Jin1 guang1 ming2 jing1", "the Golden Light Sutra"),
    ("六祖壇經", "六祖坛经", "Liu4 zu3 tan2 jing1", "the Platform Sutra"),
    ("楞嚴經", "楞严经", "Leng2 yan2 jing1", "the Surangama Sutra"),
    ("敦煌星圖", "敦煌星图", "Dun1 huang2 xing1 tu2", "the Dunhuang Star Chart"),
    ("星圖", "星图", "xing1 tu2", "star chart"),
    ("具注曆日", "具注历日", "ju4 zhu4 li4 ri4", "annotated calendar (almanac)"),
)
