"""Curated translations of the demo passages, written by the Mogao project in English and French.

The translations are the project's own wording. Facts (the date of the Diamond Sūtra's colophon,
11 May 868, and its sense) come from the project's checked demo facts; where a public-domain
translation was compared, the translator field names it so the reader can check:

- William Gemmell, *The Diamond Sutra (Chin-kang-ching) or Prajna-paramita*, London, 1912;
- James Legge, *The Chinese Classics*, vol. 1, *Confucian Analects* (1861) and vol. 4, *The She King* (1871);
- Séraphin Couvreur, *Les Quatre Livres* (1895) and *Cheu king* (1896).

Each translation is attached to one page (canvas) and aligned with its source by passage, so the
reading room shows source and translations side by side. The passages of the corpus texts load
only when those texts are in the catalogue (see :mod:`mogao.demo.texts`). Idempotent: a
translation is found by (item, page, language) and rewritten only when it differs.
"""

from __future__ import annotations

from typing import Any

from mogao.catalogue.models import Canvas, Item, Translation

P = tuple[str, str, str]  # (source, English, French)

#: Diamond Sūtra, Or.8210/P.2, page 1: the opening (Kumārajīva's translation, T0235).
DIAMOND_OPENING: list[P] = [
    ("如是我聞。", "Thus have I heard.", "Ainsi ai-je entendu."),
    ("一時佛在舍衛國祇樹給孤獨園，與大比丘眾千二百五十人俱。",
     "Once the Buddha was staying in the land of Śrāvastī, in the Jeta Grove, the park of Anāthapiṇḍada, "
     "with a great assembly of twelve hundred and fifty monks.",
     "Une fois, le Bouddha séjournait au pays de Śrāvastī, dans le bois de Jeta, au jardin d'Anāthapiṇḍada, "
     "avec une grande assemblée de mille deux cent cinquante moines."),
    ("爾時世尊食時著衣持鉢，入舍衛大城乞食。",
     "At that time, when the hour of the meal came, the World-Honoured One put on his robe, took his bowl "
     "and went into the great city of Śrāvastī to beg for his food.",
     "En ce temps-là, à l'heure du repas, le Vénéré du monde revêtit son manteau, prit son bol et entra "
     "dans la grande ville de Śrāvastī pour mendier sa nourriture."),
]
#: Diamond Sūtra, page 2: the colophon (咸通九年四月十五日 = 11 May 868).
DIAMOND_COLOPHON: list[P] = [
    ("咸通九年四月十五日",
     "On the fifteenth day of the fourth month of the ninth year of the Xiantong era (11 May 868),",
     "Le quinzième jour du quatrième mois de la neuvième année de l'ère Xiantong (11 mai 868),"),
    ("王玠為二親敬造普施",
     "Wang Jie reverently had this made for free distribution on behalf of his two parents.",
     "Wang Jie l'a fait faire avec révérence, pour être distribué gratuitement, au nom de ses deux parents."),
]
#: The Analects, chapter 1 (學而), its first passage.
ANALECTS_1_1: list[P] = [
    ("子曰：“学而时习之，不亦说乎？",
     "The Master said: “To learn, and in due season to practise what one has learnt: is that not a pleasure?",
     "Le Maître dit : « Apprendre, et le moment venu mettre en pratique ce que l'on a appris, n'est-ce pas "
     "un plaisir ?"),
    ("有朋自远方来，不亦乐乎？",
     "To have friends come from far away: is that not a joy?",
     "Recevoir des amis venus de loin, n'est-ce pas une joie ?"),
    ("人不知而不愠，不亦君子乎？”",
     "To go unrecognised by others and feel no resentment: is that not the mark of a gentleman?”",
     "Rester méconnu des hommes sans en concevoir d'amertume, n'est-ce pas le propre de l'homme de bien ? »"),
]
#: Classic of Poetry, the first ode (關雎), five stanzas.
SHIJING_GUANJU: list[P] = [
    ("关关雎鸠，在河之洲。窈窕淑女，君子好逑。",
     "“Guan, guan” cry the ospreys on the islet in the river. The lovely and modest maiden is a fit match "
     "for the lord.",
     "« Guan, guan » crient les balbuzards sur l'îlot de la rivière. La belle et modeste jeune fille est la "
     "digne compagne du seigneur."),
    ("参差荇菜，左右流之。窈窕淑女，寤寐求之。",
     "Long and short grows the floating-heart; left and right it drifts in the stream. The lovely and modest "
     "maiden: waking and sleeping he sought her.",
     "Longs et courts poussent les faux-nénuphars ; à gauche, à droite, ils flottent au fil de l'eau. La belle "
     "et modeste jeune fille, éveillé ou endormi, il la cherchait."),
    ("求之不得，寤寐思服。悠哉悠哉，辗转反侧。",
     "He sought her and did not find her; waking and sleeping he thought of her. Longing, longing, he tossed "
     "and turned from side to side.",
     "Il la cherchait sans la trouver ; éveillé ou endormi, il pensait à elle. Quelle langueur, quelle "
     "langueur ! Il se tournait et se retournait."),
    ("参差荇菜，左右采之。窈窕淑女，琴瑟友之。",
     "Long and short grows the floating-heart; left and right we gather it. The lovely and modest maiden: "
     "with zithers we greet her as a friend.",
     "Longs et courts poussent les faux-nénuphars ; à gauche, à droite, on les cueille. La belle et modeste "
     "jeune fille, au son des cithares on lui fait amitié."),
    ("参差荇菜，左右芼之。窈窕淑女，钟鼓乐之。",
     "Long and short grows the floating-heart; left and right we choose it. The lovely and modest maiden: "
     "with bells and drums we gladden her.",
     "Longs et courts poussent les faux-nénuphars ; à gauche, à droite, on les choisit. La belle et modeste "
     "jeune fille, au son des cloches et des tambours on la réjouit."),
]
#: Three Hundred Tang Poems: Wang Zhihuan, “On the Stork Tower” (登鸛雀樓).
STORK_TOWER: list[P] = [
    ("白日依山盡，黃河入海流。",
     "The white sun sinks behind the mountains; the Yellow River flows into the sea.",
     "Le soleil blanc s'efface derrière les montagnes ; le fleuve Jaune s'en va vers la mer."),
    ("欲窮千里目，更上一層樓。",
     "To see a thousand li farther, climb one storey higher.",
     "Pour porter le regard mille li plus loin, monte encore d'un étage."),
]

#: (item lookup, passages, English translator note, French translator note)
TRANSLATIONS: list[tuple[dict[str, str], list[P], str, str]] = [
    ({"institution__code": "BL", "shelfmark": "Or.8210/P.2"}, DIAMOND_OPENING,
     "Mogao project; compare W. Gemmell (1912)", "Projet Mogao"),
    ({"institution__code": "BL", "shelfmark": "Or.8210/P.2"}, DIAMOND_COLOPHON, "Mogao project", "Projet Mogao"),
    ({"institution__code": "CPOETRY", "local_id": "lunyu"}, ANALECTS_1_1,
     "Mogao project; compare J. Legge (1861)", "Projet Mogao ; comparer S. Couvreur (1895)"),
    ({"institution__code": "CPOETRY", "local_id": "shijing"}, SHIJING_GUANJU,
     "Mogao project; compare J. Legge (1871)", "Projet Mogao ; comparer S. Couvreur (1896)"),
    ({"institution__code": "CPOETRY", "local_id": "tangshi-300"}, STORK_TOWER, "Mogao project", "Projet Mogao"),
]


def _canvas(item: Item, first_source: str) -> Canvas | None:
    """The item's page whose primary transcription contains ``first_source`` (punctuation ignored)."""
    wanted = _bare(first_source)
    for canvas in item.canvases.order_by("order").prefetch_related("transcriptions"):
        if any(wanted in _bare(t.text) for t in canvas.transcriptions.all() if t.is_primary):
            return canvas
    return None


def _bare(text: str) -> str:
    return "".join(c for c in text if c.isalnum())


def _upsert(item: Item, canvas: Canvas, language: str, translator: str, passages: list[dict[str, str]]) -> bool:
    text = "\n".join(p["text"] for p in passages)
    found = Translation.objects.filter(item=item, canvas=canvas, language=language).order_by("pk").first()
    wanted: dict[str, Any] = {"text": text, "passages": passages, "translator": translator}
    if found is not None and all(getattr(found, k) == v for k, v in wanted.items()):
        return False
    translation = found or Translation(item=item, canvas=canvas, language=language)
    for name, value in wanted.items():
        setattr(translation, name, value)
    translation.full_clean()
    translation.save()
    return True


def load_demo_translations() -> dict[str, int]:
    """Attach the translations whose item and page exist; returns {"translations": n, "written": m}."""
    count = written = 0
    for lookup, passages, note_en, note_fr in TRANSLATIONS:
        item = Item.objects.filter(**lookup).first()
        canvas = _canvas(item, passages[0][0]) if item is not None else None
        if item is None or canvas is None:
            continue
        for column, language, note in ((1, "en", note_en), (2, "fr", note_fr)):
            aligned = [{"ref": str(i), "source": p[0], "text": p[column]} for i, p in enumerate(passages, start=1)]
            written += _upsert(item, canvas, language, note, aligned)
            count += 1
    return {"translations": count, "written": written}
