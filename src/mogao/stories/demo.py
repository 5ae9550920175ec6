"""The two demo stories (#16), loaded by ``mogao demo`` (receiver of ``demo_loaded``); idempotent.

Written by the project in English, 简体中文, 繁體中文 and Français from ``shared/docs/DEMO_FACTS.md``
only: the printed Diamond Sūtra of 868 (Or.8210/P.2) and the Compendium of Mani divided between
London (Or.8210/S.3969) and Paris (Pelliot chinois 3884). They show the demo's own drawn pages
(:mod:`mogao.demo.pages`), which say on themselves that they are illustrations.

Running the loader twice changes nothing: stories are found by slug and steps by position, and a
row is saved (and so gets a history entry) only when a value changed. Regions are computed from
the canvases' real sizes so that they always lie inside the images.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from mogao.catalogue.models import Canvas, Institution, Item, Join
from mogao.knowledge.models import Period, Place
from mogao.stories.models import Step, StepKind, Story, StoryStatus

DIAMOND = "diamond-sutra-868"
MANI = "compendium-of-mani-reunited"


def _t(en: str, fr: str, hans: str, hant: str) -> dict[str, list[str]]:
    return {"en": [en], "fr": [fr], "zh-Hans": [hans], "zh-Hant": [hant]}


DRAWN = _t(
    "This page is an illustration drawn by Mogao, not a photograph.",
    "Cette page est une illustration dessinée par Mogao, non une photographie.",
    "此页是 Mogao 绘制的示意图，并非照片。",
    "此頁是 Mogao 繪製的示意圖，並非照片。",
)


def _p(text: dict[str, list[str]], *, drawn: bool = False) -> dict[str, list[str]]:
    """Each language's text as HTML paragraphs (the drawn-page notice appended when asked)."""
    out = {}
    for tag, values in text.items():
        paragraphs = [*values, *(DRAWN[tag] if drawn else [])]
        out[tag] = ["".join(f"<p>{v}</p>" for v in paragraphs)]
    return out


STORIES: list[dict[str, Any]] = [
    {
        "slug": DIAMOND, "institution": "BL", "position": 1,
        "title": _t("The Diamond Sūtra of 868: the earliest dated printed book",
                    "Le Sūtra du Diamant de 868 : le plus ancien livre imprimé daté",
                    "868年的《金刚经》：现存最早有纪年的印本书",
                    "868年的《金剛經》：現存最早有紀年的印本書"),
        "summary": _t(
            "A woodblock-printed scroll about five metres long, made in 868 for free distribution and found in the "
            "Library Cave at Mogao: its frontispiece, its colophon, its date, and its journey to London.",
            "Un rouleau imprimé par xylographie, long d'environ cinq mètres, fait en 868 pour être distribué "
            "gratuitement et retrouvé dans la grotte aux bibliothèques de Mogao : son frontispice, son colophon, "
            "sa date et son voyage jusqu'à Londres.",
            "一卷长约五米的雕版印本，868年刻成以供普施，出自莫高窟藏经洞：它的卷首、题记、年代，以及它如何到了伦敦。",
            "一卷長約五米的雕版印本，868年刻成以供普施，出自莫高窟藏經洞：它的卷首、題記、年代，以及它如何到了倫敦。"),
        "credits": _t(
            "Text by the Mogao project. Or.8210/P.2, British Library. The pages shown are illustrations drawn by "
            "Mogao from the transcription, not photographs of the scroll.",
            "Texte du projet Mogao. Or.8210/P.2, British Library. Les pages montrées sont des illustrations "
            "dessinées par Mogao d'après la transcription, non des photographies du rouleau.",
            "文字：Mogao 项目。Or.8210/P.2，大英图书馆。所示页面为 Mogao 据录文绘制的示意图，并非卷子照片。",
            "文字：Mogao 專案。Or.8210/P.2，大英圖書館。所示頁面為 Mogao 據錄文繪製的示意圖，並非卷子照片。"),
        "cover": ("BL", "Or.8210/P.2", 1),
        "steps": [
            {"kind": StepKind.IMAGE, "canvas": ("BL", "Or.8210/P.2", 1), "region": "opening", "drawn": True,
             "text": _t(
                 "The scroll is about five metres long. It opens with a frontispiece illustration, and the text of "
                 "the Diamond Sūtra follows, in Kumārajīva's Chinese translation. The region shown here is the "
                 "opening of the text, read from the top of the right-hand column: 如是我聞.",
                 "Le rouleau mesure environ cinq mètres. Il s'ouvre sur une illustration en frontispice, suivie du "
                 "texte du Sūtra du Diamant dans la traduction chinoise de Kumārajīva. La région montrée ici est le "
                 "début du texte, à lire depuis le haut de la colonne de droite : 如是我聞.",
                 "这卷经长约五米，卷首是一幅扉画，其后是鸠摩罗什所译《金刚经》的经文。这里显示的是经文的开端，"
                 "从最右一行的顶端读起：如是我闻。",
                 "這卷經長約五米，卷首是一幅扉畫，其後是鳩摩羅什所譯《金剛經》的經文。這裡顯示的是經文的開端，"
                 "從最右一行的頂端讀起：如是我聞。")},
            {"kind": StepKind.TEXT, "canvas": ("BL", "Or.8210/P.2", 2), "lines": (1, 2), "drawn": True,
             "text": _t(
                 "The colophon: 咸通九年四月十五日王玠為二親敬造普施. Wang Jie had the book made for free "
                 "distribution on behalf of his two parents, on the fifteenth day of the fourth month of the ninth "
                 "year of the Xiantong era: 11 May 868.",
                 "Le colophon : 咸通九年四月十五日王玠為二親敬造普施. Wang Jie fit faire ce livre pour le "
                 "distribuer gratuitement au nom de ses deux parents, le quinzième jour du quatrième mois de la "
                 "neuvième année de l'ère Xiantong : le 11 mai 868.",
                 "题记：“咸通九年四月十五日王玠为二亲敬造普施”。王玠为其双亲敬造此经，普施众人，"
                 "时在咸通九年四月十五日，即公元868年5月11日。",
                 "題記：「咸通九年四月十五日王玠為二親敬造普施」。王玠為其雙親敬造此經，普施眾人，"
                 "時在咸通九年四月十五日，即公元868年5月11日。")},
            {"kind": StepKind.TIMELINE, "years": (868, 868), "period": "tang",
             "text": _t(
                 "868 falls in the Xiantong era (860–874) of the Tang dynasty (618–907). Its dated colophon makes "
                 "this scroll the earliest complete dated printed book known.",
                 "868 tombe dans l'ère Xiantong (860–874) de la dynastie Tang (618–907). Son colophon daté fait de "
                 "ce rouleau le plus ancien livre imprimé complet et daté que l'on connaisse.",
                 "868年属唐代（618–907）咸通年间（860–874）。凭着有纪年的题记，这卷经是现存最早有明确纪年的完整印本书籍。",
                 "868年屬唐代（618–907）咸通年間（860–874）。憑著有紀年的題記，這卷經是現存最早有明確紀年的完整印本書籍。")},
            {"kind": StepKind.MAP, "places": ["mogao-library-cave", "dunhuang"],
             "text": _t(
                 "The scroll was found in the Library Cave (Cave 17) of the Mogao Caves at Dunhuang. Wang Yuanlu, "
                 "the Daoist caretaker of the caves, opened the Library Cave in 1900.",
                 "Le rouleau a été retrouvé dans la grotte aux bibliothèques (grotte 17) des grottes de Mogao, à "
                 "Dunhuang. Wang Yuanlu, gardien taoïste des grottes, ouvrit la grotte aux bibliothèques en 1900.",
                 "这卷经出自敦煌莫高窟藏经洞（第17窟）。1900年，莫高窟的道士住持王圆箓发现了藏经洞。",
                 "這卷經出自敦煌莫高窟藏經洞（第17窟）。1900年，莫高窟的道士住持王圓籙發現了藏經洞。")},
            {"kind": StepKind.MAP, "places": ["mogao-library-cave"], "dispersal": True,
             "text": _t(
                 "Aurel Stein acquired the scroll in 1907. It is now in the British Library in London, under the "
                 "shelfmark Or.8210/P.2. The lines on the map follow the manuscripts of the Library Cave to the "
                 "libraries that hold them today.",
                 "Aurel Stein acquit le rouleau en 1907. Il est aujourd'hui à la British Library, à Londres, sous la "
                 "cote Or.8210/P.2. Les lignes de la carte suivent les manuscrits de la grotte aux bibliothèques "
                 "jusqu'aux bibliothèques qui les conservent aujourd'hui.",
                 "1907年，斯坦因得到了这卷经。它现藏伦敦大英图书馆，编号Or.8210/P.2。"
                 "地图上的连线标出藏经洞文献从敦煌到今天收藏它们的各家图书馆的去向。",
                 "1907年，斯坦因得到了這卷經。它現藏倫敦大英圖書館，編號Or.8210/P.2。"
                 "地圖上的連線標出藏經洞文獻從敦煌到今天收藏它們的各家圖書館的去向。")},
        ],
    },
    {
        "slug": MANI, "institution": "BL", "position": 2,
        "title": _t("One manuscript, two cities: the Compendium of Mani reunited",
                    "Un manuscrit, deux villes : le Compendium de Mani réuni",
                    "一件写本，两座城市：《摩尼光佛教法仪略》重新缀合",
                    "一件寫本，兩座城市：《摩尼光佛教法儀略》重新綴合"),
        "summary": _t(
            "The Compendium of the Teachings of Mani, the Buddha of Light, was divided between London and Paris. "
            "Its two parts, Or.8210/S.3969 and Pelliot chinois 3884, are shown side by side again.",
            "Le Compendium des doctrines de Mani, le Bouddha de lumière, a été partagé entre Londres et Paris. Ses "
            "deux parties, Or.8210/S.3969 et Pelliot chinois 3884, sont de nouveau montrées côte à côte.",
            "《摩尼光佛教法仪略》一分为二，分藏伦敦与巴黎。它的两部分——Or.8210/S.3969与伯希和汉文3884——在这里重新并列。",
            "《摩尼光佛教法儀略》一分為二，分藏倫敦與巴黎。它的兩部分——Or.8210/S.3969與伯希和漢文3884——在這裡重新並列。"),
        "credits": _t(
            "Text by the Mogao project. Or.8210/S.3969, British Library; Pelliot chinois 3884, Bibliothèque "
            "nationale de France. The pages shown are illustrations drawn by Mogao, not photographs of the "
            "manuscript.",
            "Texte du projet Mogao. Or.8210/S.3969, British Library ; Pelliot chinois 3884, Bibliothèque "
            "nationale de France. Les pages montrées sont des illustrations dessinées par Mogao, non des "
            "photographies du manuscrit.",
            "文字：Mogao 项目。Or.8210/S.3969，大英图书馆；伯希和汉文3884，法国国家图书馆。"
            "所示页面为 Mogao 绘制的示意图，并非写本照片。",
            "文字：Mogao 專案。Or.8210/S.3969，大英圖書館；伯希和漢文3884，法國國家圖書館。"
            "所示頁面為 Mogao 繪製的示意圖，並非寫本照片。"),
        "cover": ("BL", "Or.8210/S.3969", 1),
        "steps": [
            {"kind": StepKind.IMAGE, "canvas": ("BL", "Or.8210/S.3969", 1), "region": "title", "drawn": True,
             "text": _t(
                 "In London, the British Library keeps Or.8210/S.3969: the first part of the Compendium of the "
                 "Teachings of Mani, the Buddha of Light (摩尼光佛教法儀略), a Manichaean summary of doctrine "
                 "composed in Chinese in 731.",
                 "À Londres, la British Library conserve Or.8210/S.3969 : la première partie du Compendium des "
                 "doctrines de Mani, le Bouddha de lumière (摩尼光佛教法儀略), un résumé de la doctrine manichéenne "
                 "composé en chinois en 731.",
                 "伦敦的大英图书馆收藏着Or.8210/S.3969：《摩尼光佛教法仪略》的前部。这是731年以汉文撰写的摩尼教教义纲要。",
                 "倫敦的大英圖書館收藏著Or.8210/S.3969：《摩尼光佛教法儀略》的前部。這是731年以漢文撰寫的摩尼教教義綱要。")},
            {"kind": StepKind.COMPARISON, "canvas": ("BL", "Or.8210/S.3969", 1),
             "canvas2": ("BnF", "Pelliot chinois 3884", 1), "drawn": True, "join": True,
             "text": _t(
                 "In Paris, the Bibliothèque nationale de France keeps Pelliot chinois 3884, the continuation of the "
                 "same manuscript, acquired by Paul Pelliot in 1908. Side by side, the London part and the Paris part "
                 "make one manuscript again; the Taishō edition of the text (T2141A) was edited from both.",
                 "À Paris, la Bibliothèque nationale de France conserve Pelliot chinois 3884, la suite du même "
                 "manuscrit, acquise par Paul Pelliot en 1908. Côte à côte, la partie de Londres et celle de Paris "
                 "forment de nouveau un seul manuscrit ; l'édition du Taishō (T2141A) a été établie d'après les deux.",
                 "巴黎的法国国家图书馆收藏着伯希和汉文3884，即同一写本的后续部分，由伯希和于1908年所得。"
                 "伦敦与巴黎的两部分并列在一起，重新成为一件写本；《大正藏》T2141A即据两者校录。",
                 "巴黎的法國國家圖書館收藏著伯希和漢文3884，即同一寫本的後續部分，由伯希和於1908年所得。"
                 "倫敦與巴黎的兩部分並列在一起，重新成為一件寫本；《大正藏》T2141A即據兩者校錄。")},
            {"kind": StepKind.MAP, "places": ["mogao-library-cave"], "dispersal": True,
             "text": _t(
                 "Both parts come from the Library Cave at Mogao, near Dunhuang. One part went to London; the other, "
                 "acquired by Paul Pelliot in 1908, went to Paris. The lines on the map follow the manuscripts of the "
                 "Library Cave to the cities where they are kept today.",
                 "Les deux parties proviennent de la grotte aux bibliothèques de Mogao, près de Dunhuang. L'une est "
                 "partie pour Londres ; l'autre, acquise par Paul Pelliot en 1908, pour Paris. Les lignes de la carte "
                 "suivent les manuscrits de la grotte jusqu'aux villes où ils sont conservés aujourd'hui.",
                 "两部分都出自敦煌莫高窟藏经洞。一部分去了伦敦；另一部分由伯希和于1908年所得，去了巴黎。"
                 "地图上的连线标出藏经洞文献到今天收藏它们的城市的去向。",
                 "兩部分都出自敦煌莫高窟藏經洞。一部分去了倫敦；另一部分由伯希和於1908年所得，去了巴黎。"
                 "地圖上的連線標出藏經洞文獻到今天收藏它們的城市的去向。")},
            {"kind": StepKind.TIMELINE, "years": (731, 731), "period": "kaiyuan",
             "text": _t(
                 "The text was composed in 731, the nineteenth year of the Kaiyuan era (713–741) of the Tang "
                 "dynasty.",
                 "Le texte fut composé en 731, la dix-neuvième année de l'ère Kaiyuan (713–741) de la dynastie Tang.",
                 "这部经文撰于731年，即唐开元十九年（开元：713–741）。",
                 "這部經文撰於731年，即唐開元十九年（開元：713–741）。")},
        ],
    },
]

JOIN_LINK = _t(
    'Open the <a href="{compare}">reunification manifest</a> (<a href="{manifest}">IIIF</a>) to turn the pages '
    "of both parts in one viewer.",
    'Ouvrez le <a href="{compare}">manifeste de la réunification</a> (<a href="{manifest}">IIIF</a>) pour '
    "feuilleter les deux parties dans une même visionneuse.",
    '打开<a href="{compare}">缀合清单</a>（<a href="{manifest}">IIIF</a>），在同一个查看器中翻阅两部分。',
    '開啟<a href="{compare}">綴合清單</a>（<a href="{manifest}">IIIF</a>），在同一個檢視器中翻閱兩部分。',
)


def _canvas(key: tuple[str, str, int]) -> Canvas | None:
    inst, shelfmark, order = key
    return Canvas.objects.filter(item__institution__code=inst, item__shelfmark=shelfmark, order=order).first()


def _region(canvas: Canvas, name: str) -> str:
    """A region inside the drawn page: its right-hand columns (where vertical text starts)."""
    w, h = canvas.width, canvas.height
    if name == "opening":  # the first two columns on the right, top to bottom
        x, y, rw, rh = w // 2, 0, w - w // 2, h * 2 // 3
    else:  # "title": the right half of the page
        x, y, rw, rh = w // 2, 0, w - w // 2, h
    return f"{x},{y},{rw},{rh}"


def _join_link(step_text: dict[str, list[str]]) -> dict[str, list[str]]:
    join = Join.objects.filter(members__item__shelfmark="Or.8210/S.3969").filter(
        members__item__shelfmark="Pelliot chinois 3884").first()
    if join is None:
        return step_text
    urls = {"compare": f"/compare/join/{join.pid}", "manifest": f"/iiif/joins/{join.pid}/manifest"}
    return {tag: [values[0] + f"<p>{JOIN_LINK[tag][0].format(**urls)}</p>"] for tag, values in step_text.items()}


def _save_if_changed(obj: Any, wanted: dict[str, Any]) -> bool:
    changed = obj.pk is None or any(getattr(obj, k) != v for k, v in wanted.items())
    if changed:
        for k, v in wanted.items():
            setattr(obj, k, v)
        obj.save()
    return changed


def _step_fields(spec: dict[str, Any]) -> dict[str, Any] | None:
    text = _p(spec["text"], drawn=spec.get("drawn", False))
    fields: dict[str, Any] = {
        "kind": spec["kind"], "canvas": None, "region": "", "canvas2": None, "region2": "", "first_line": None,
        "last_line": None, "show_dispersal": spec.get("dispersal", False), "year_start": None, "year_end": None,
        "period": None, "audio": "", "captions": {},
    }
    if "canvas" in spec:
        canvas = _canvas(spec["canvas"])
        if canvas is None:
            return None
        fields["canvas"] = canvas
        if spec.get("region"):
            fields["region"] = _region(canvas, spec["region"])
    if "canvas2" in spec:
        fields["canvas2"] = _canvas(spec["canvas2"])
        if fields["canvas2"] is None:
            return None
    if "lines" in spec:
        fields["first_line"], fields["last_line"] = spec["lines"]
    if "years" in spec:
        fields["year_start"], fields["year_end"] = spec["years"]
    if "period" in spec:
        fields["period"] = Period.objects.filter(pid=spec["period"]).first()
    if spec.get("join"):
        text = _join_link(text)
    fields["text"] = text
    return fields


@transaction.atomic
def load_demo_stories(**kwargs: Any) -> dict[str, int]:
    """Create or update the demo stories where their pages exist; returns counts."""
    counts = {"stories": 0, "steps": 0}
    for spec in STORIES:
        institution = Institution.objects.filter(code=spec["institution"]).first()
        cover = _canvas(spec["cover"])
        if institution is None or cover is None:
            continue
        steps = [(n, _step_fields(s), s) for n, s in enumerate(spec["steps"], start=1)]
        if any(fields is None for _, fields, _ in steps):
            continue
        story = Story.objects.filter(slug=spec["slug"]).first() or Story(slug=spec["slug"])
        wanted = {
            "institution": institution, "title": spec["title"], "summary": spec["summary"],
            "credits": spec["credits"], "default_language": "en", "cover": cover, "cover_region": "",
            "status": StoryStatus.PUBLISHED, "featured": True, "position": spec["position"],
        }
        if story.published_at is None:
            wanted["published_at"] = timezone.now()
        _save_if_changed(story, wanted)
        counts["stories"] += 1
        existing = {s.position: s for s in story.steps.all()}
        for position, fields, step_spec in steps:
            assert fields is not None
            step = existing.pop(position, None) or Step(story=story, position=position)
            _save_if_changed(step, fields)
            wanted_places = list(Place.objects.filter(pid__in=step_spec.get("places", [])).order_by("pk"))
            if sorted(p.pk for p in step.places.all()) != [p.pk for p in wanted_places]:
                step.places.set(wanted_places)
            counts["steps"] += 1
        for leftover in existing.values():
            leftover.delete()
    return counts


def demo_story_items() -> list[Item]:
    """The items the demo stories show (for tests and the reader's fixtures)."""
    return list(Item.objects.filter(shelfmark__in=["Or.8210/P.2", "Or.8210/S.3969", "Pelliot chinois 3884"]))
