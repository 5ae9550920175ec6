"""The built-in demo collection: Mogao's own catalogue records of real, well-known objects.

Facts come from ``shared/docs/DEMO_FACTS.md`` (vetted); the sentences are the project's own. Where a
fact is not known, the field stays empty. Every title is given in zh-Hant, zh-Hans, en and fr.
"""

from __future__ import annotations

from typing import Any

PD = "http://creativecommons.org/publicdomain/mark/1.0/"


def t(hant: str, hans: str, en: str, fr: str) -> dict[str, list[str]]:
    """A title in the four demo languages."""
    return {"zh-Hant": [hant], "zh-Hans": [hans], "en": [en], "fr": [fr]}


# The project's Chinese versions of the demo's English sentences (simplified; traditional by OpenCC).
ZH: dict[str, str] = {
    "Manuscripts and prints that Aurel Stein brought from the Library Cave in 1907.":
        "斯坦因于1907年从藏经洞带走的写本与印本。",
    "Chinese manuscripts chosen by Paul Pelliot in the Library Cave in 1908.":
        "伯希和于1908年在藏经洞挑选的汉文写本。",
    "Tibetan manuscripts from the Library Cave, acquired by Paul Pelliot in 1908.":
        "伯希和于1908年所得的藏经洞藏文写本。",
    "The Library Cave manuscripts that reached Beijing in 1910.": "1910年运抵北京的藏经洞写本。",
    "Manuscripts from Dunhuang held in St Petersburg.": "收藏于圣彼得堡的敦煌写本。",
    "Finds of the Ōtani expeditions to Central Asia.": "大谷探险队在中亚所获文物。",
    "Manuscripts and prints from the Turfan oasis.": "出自吐鲁番绿洲的写本与印本。",
    "A short Mahāyāna sūtra on the perfection of wisdom, here in Kumārajīva's translation.":
        "阐说般若智慧的大乘短篇经典，此为鸠摩罗什译本。",
    "The shortest perfection-of-wisdom sūtra, translated by Xuanzang.": "篇幅最短的般若经典，玄奘译。",
    "The Lotus Sūtra in Kumārajīva's Chinese translation.": "《法华经》鸠摩罗什汉译本。",
    "A Manichaean summary of doctrine composed in Chinese in 731.": "731年以汉文撰写的摩尼教教义纲要。",
    "Hyecho's account of his journey to India and back through Central Asia.":
        "慧超记述其西行印度、经中亚东归的行记。",
    "An annotated almanac for 877, among the earliest printed calendars.": "877年的具注历日，是最早的印本历书之一。",
    "Printed privately by the Dadao family (大刀家) although an edict of 835 had banned the private printing "
    "of almanacs.": "由大刀家私人刊印，尽管835年的诏令已禁止私印历日。",
    "The opening of a manuscript whose continuation is in Paris as Pelliot chinois 3884.":
        "一件写本的前部，其后部现藏巴黎，编号伯希和汉文3884。",
    "The continuation of Or.8210/S.3969 in London.": "伦敦所藏Or.8210/S.3969的后续部分。",
    "Hymns of the Manichaean church in Chinese.": "摩尼教会的汉文赞美诗。",
    "A fragmentary copy of Hyecho's account of his journey of 723–727.": "慧超723–727年行记的残抄本。",
    "A Tibetan-language chronicle from the Library Cave.": "出自藏经洞的藏文编年史。",
    "The “civil” version of the Annals; the same roll continues in Paris as Pelliot tibétain 1288.":
        "《大事纪年》的“民政”本；同一卷子的其余部分现藏巴黎，编号伯希和藏文1288。",
    "Joins IOL Tib J 750 in London.": "与伦敦所藏IOL Tib J 750缀合。",
    "The only complete manuscript in the Old Turkic runic script; Chinese Buddhist verses are written on its "
    "first and last folios.": "唯一完整的古突厥卢尼文写本；首尾两叶抄有汉文佛教偈颂。",
    "Found at Dunhuang by Pelliot; a witness of Jewish presence on the Silk Road.":
        "伯希和得于敦煌，是丝绸之路上犹太人活动的见证。",
    "Came to Beijing from Dunhuang in 1910 with the remaining Library Cave manuscripts.":
        "1910年随藏经洞余下的写本自敦煌运抵北京。",
    "One of the seven original manuscript sets, once kept in the Wenjin Ge pavilion of the Chengde summer "
    "palace; compiled under the chief editor Ji Yun.":
        "七部原抄本之一，原藏承德避暑山庄文津阁；由总纂官纪昀主持编纂。",
    "The Paris text continues the London text of the same manuscript; Taishō T2141A was edited from both.":
        "巴黎所藏部分接续伦敦所藏部分，同属一件写本；《大正藏》T2141A即据两者校录。",
    "Both parts come from the same original roll, about 4.34 m long.": "两部分出自同一原卷，原长约4.34米。",
}


def d(en: str, fr: str, hans: str = "", hant: str = "") -> dict[str, list[str]]:
    """A description in the languages given; Chinese from :data:`ZH` when not given."""
    from mogao.text.convert import to_traditional

    hans = hans or ZH.get(en, "")
    hant = hant or (to_traditional(hans) if hans else "")
    out = {"en": [en], "fr": [fr]}
    if hans:
        out["zh-Hans"] = [hans]
    if hant:
        out["zh-Hant"] = [hant]
    return out


INSTITUTIONS: list[dict[str, Any]] = [
    {"code": "BL", "name": t("大英圖書館", "大英图书馆", "British Library", "British Library"),
     "city": t("倫敦", "伦敦", "London", "Londres"), "country": "GB", "latitude": 51.530, "longitude": -0.128},
    {"code": "BnF", "name": t("法國國家圖書館", "法国国家图书馆", "Bibliothèque nationale de France",
                              "Bibliothèque nationale de France"),
     "city": t("巴黎", "巴黎", "Paris", "Paris"), "country": "FR", "latitude": 48.867, "longitude": 2.339},
    {"code": "NLC", "name": t("中國國家圖書館", "中国国家图书馆", "National Library of China",
                              "Bibliothèque nationale de Chine"),
     "city": t("北京", "北京", "Beijing", "Pékin"), "country": "CN", "latitude": 39.943, "longitude": 116.322},
    {"code": "IOM", "name": t("俄羅斯科學院東方文獻研究所", "俄罗斯科学院东方文献研究所",
                              "Institute of Oriental Manuscripts, Russian Academy of Sciences",
                              "Institut des manuscrits orientaux, Académie des sciences de Russie"),
     "city": t("聖彼得堡", "圣彼得堡", "St Petersburg", "Saint-Pétersbourg"), "country": "RU",
     "latitude": 59.941, "longitude": 30.310},
    {"code": "RYU", "name": t("龍谷大學圖書館", "龙谷大学图书馆", "Ryukoku University Library",
                              "Bibliothèque de l'université Ryūkoku"),
     "city": t("京都", "京都", "Kyoto", "Kyoto"), "country": "JP", "latitude": 34.964, "longitude": 135.757},
    {"code": "SBB", "name": t("柏林國家圖書館", "柏林国家图书馆", "Staatsbibliothek zu Berlin",
                              "Staatsbibliothek zu Berlin"),
     "city": t("柏林", "柏林", "Berlin", "Berlin"), "country": "DE", "latitude": 52.507, "longitude": 13.370},
    {"code": "HYL", "name": t("哈佛燕京圖書館", "哈佛燕京图书馆", "Harvard-Yenching Library",
                              "Bibliothèque Harvard-Yenching"),
     "city": t("劍橋（麻薩諸塞州）", "剑桥（马萨诸塞州）", "Cambridge, MA", "Cambridge (Massachusetts)"),
     "country": "US", "latitude": 42.376, "longitude": -71.114},
    {"code": "DHA", "name": t("敦煌研究院", "敦煌研究院", "Dunhuang Academy", "Académie de Dunhuang"),
     "city": t("敦煌", "敦煌", "Dunhuang", "Dunhuang"), "country": "CN", "latitude": 40.040, "longitude": 94.804},
]

COLLECTIONS: list[dict[str, Any]] = [
    {"institution": "BL", "code": "stein", "name": t("斯坦因收集品", "斯坦因收集品", "Stein collection",
                                                      "Collection Stein"),
     "description": d("Manuscripts and prints that Aurel Stein brought from the Library Cave in 1907.",
                      "Manuscrits et imprimés rapportés de la grotte aux bibliothèques par Aurel Stein en 1907.")},
    {"institution": "BnF", "code": "pelliot-chinois", "name": t("伯希和漢文收集品", "伯希和汉文收集品",
                                                                "Pelliot chinois", "Pelliot chinois"),
     "description": d("Chinese manuscripts chosen by Paul Pelliot in the Library Cave in 1908.",
                      "Manuscrits chinois choisis par Paul Pelliot dans la grotte aux bibliothèques en 1908.")},
    {"institution": "BnF", "code": "pelliot-tibetain", "name": t("伯希和藏文收集品", "伯希和藏文收集品",
                                                                 "Pelliot tibétain", "Pelliot tibétain"),
     "description": d("Tibetan manuscripts from the Library Cave, acquired by Paul Pelliot in 1908.",
                      "Manuscrits tibétains de la grotte aux bibliothèques, acquis par Paul Pelliot en 1908.")},
    {"institution": "BnF", "code": "hebreu", "name": t("希伯來文寫本", "希伯来文写本", "Hebrew manuscripts",
                                                       "Manuscrits hébreux"), "description": {}},
    {"institution": "NLC", "code": "dunhuang", "name": t("敦煌遺書", "敦煌遗书", "Dunhuang manuscripts",
                                                         "Manuscrits de Dunhuang"),
     "description": d("The Library Cave manuscripts that reached Beijing in 1910.",
                      "Les manuscrits de la grotte aux bibliothèques arrivés à Pékin en 1910.")},
    {"institution": "NLC", "code": "siku", "name": t("四庫全書", "四库全书", "Four Treasuries",
                                                     "Quatre Trésors"), "description": {}},
    {"institution": "IOM", "code": "dunhuang", "name": t("敦煌收集品", "敦煌收集品", "Dunhuang collection",
                                                         "Collection de Dunhuang"),
     "description": d("Manuscripts from Dunhuang held in St Petersburg.",
                      "Manuscrits de Dunhuang conservés à Saint-Pétersbourg.")},
    {"institution": "RYU", "code": "otani", "name": t("大谷收集品", "大谷收集品", "Ōtani collection",
                                                      "Collection Ōtani"),
     "description": d("Finds of the Ōtani expeditions to Central Asia.",
                      "Trouvailles des expéditions Ōtani en Asie centrale.")},
    {"institution": "SBB", "code": "turfan", "name": t("吐魯番收集品", "吐鲁番收集品", "Turfan collection",
                                                       "Collection de Tourfan"),
     "description": d("Manuscripts and prints from the Turfan oasis.",
                      "Manuscrits et imprimés de l'oasis de Tourfan.")},
]

PEOPLE: list[dict[str, Any]] = [
    {"pid": "aurel-stein", "name": t("斯坦因", "斯坦因", "Aurel Stein", "Aurel Stein"),
     "aliases": ["Marc Aurel Stein", "斯坦因"], "year_start": 1862, "year_end": 1943, "roles": ["explorer"],
     "description": d("Explorer who took manuscripts from the Library Cave in 1907.",
                      "Explorateur qui emporta des manuscrits de la grotte aux bibliothèques en 1907.",
                      "探险家，1907年从藏经洞带走大批写本。", "探險家，1907年從藏經洞帶走大批寫本。")},
    {"pid": "paul-pelliot", "name": t("伯希和", "伯希和", "Paul Pelliot", "Paul Pelliot"),
     "aliases": ["伯希和"], "year_start": 1878, "year_end": 1945, "roles": ["sinologist"],
     "description": d("Sinologist who selected manuscripts in the Library Cave in 1908.",
                      "Sinologue qui sélectionna des manuscrits dans la grotte aux bibliothèques en 1908.",
                      "汉学家，1908年在藏经洞挑选写本。", "漢學家，1908年在藏經洞挑選寫本。")},
    {"pid": "wang-yuanlu", "name": t("王圓籙", "王圆箓", "Wang Yuanlu", "Wang Yuanlu"),
     "aliases": ["王圓籙"], "year_start": 1850, "year_end": 1931, "dates_note": "c. 1850–1931",
     "roles": ["caretaker"],
     "description": d("Daoist caretaker of the Mogao caves who opened the Library Cave in 1900.",
                      "Gardien taoïste des grottes de Mogao, qui ouvrit la grotte aux bibliothèques en 1900.",
                      "莫高窟的道士住持，1900年发现藏经洞。", "莫高窟的道士住持，1900年發現藏經洞。")},
    {"pid": "kumarajiva", "name": t("鳩摩羅什", "鸠摩罗什", "Kumārajīva", "Kumārajīva"),
     "aliases": ["鳩摩羅什", "Jiumoluoshi", "Kumarajiva"], "year_start": 344, "year_end": 413,
     "roles": ["translator"],
     "description": d("Translator of Buddhist scriptures into Chinese.",
                      "Traducteur d'écritures bouddhiques en chinois.",
                      "将佛经译为汉文的译经家。", "將佛經譯為漢文的譯經家。")},
    {"pid": "xuanzang", "name": t("玄奘", "玄奘", "Xuanzang", "Xuanzang"),
     "aliases": ["玄奘", "Hsüan-tsang"], "year_start": 602, "year_end": 664,
     "roles": ["monk", "traveller", "translator"],
     "description": d("Monk, traveller to India and translator.", "Moine, voyageur en Inde et traducteur.",
                       "僧人，曾西行印度，译经家。", "僧人，曾西行印度，譯經家。")},
    {"pid": "hyecho", "name": t("慧超", "慧超", "Hyecho", "Hyecho"), "aliases": ["慧超", "Hye-ch'o"],
     "year_start": 704, "year_end": 787, "roles": ["monk", "traveller"],
     "description": d("Korean monk from Silla who travelled to India and wrote of his journey.",
                      "Moine coréen de Silla qui voyagea en Inde et relata son périple.",
                      "新罗僧人，曾游历印度并记述其行程。", "新羅僧人，曾遊歷印度並記述其行程。")},
    {"pid": "wang-jie", "name": t("王玠", "王玠", "Wang Jie", "Wang Jie"), "aliases": ["王玠"],
     "year_start": 868, "year_end": 868, "dates_note": "fl. 868", "roles": ["commissioner"],
     "description": d("Commissioned the printed Diamond Sūtra of 868.",
                      "Commanditaire du Sūtra du Diamant imprimé de 868.",
                      "出资刊印868年《金刚经》者。", "出資刊印868年《金剛經》者。")},
    {"pid": "ji-yun", "name": t("紀昀", "纪昀", "Ji Yun", "Ji Yun"), "aliases": ["紀昀"],
     "year_start": 1724, "year_end": 1805, "roles": ["editor"],
     "description": d("Chief editor of the Complete Library of the Four Treasuries.",
                      "Rédacteur en chef de la Bibliothèque complète des Quatre Trésors.",
                      "《四库全书》总纂官。", "《四庫全書》總纂官。")},
    {"pid": "qianlong-emperor", "name": t("乾隆帝", "乾隆帝", "Qianlong Emperor", "Empereur Qianlong"),
     "aliases": ["乾隆帝", "弘曆"], "year_start": 1711, "year_end": 1799,
     "roles": ["emperor"],
     "description": d("Emperor who commissioned the Four Treasuries.",
                      "Empereur qui commanda les Quatre Trésors.",
                      "下令编纂《四库全书》的皇帝。", "下令編纂《四庫全書》的皇帝。")},
]

# Places that lie within another: the Library Cave's items also appear on Dunhuang's page.
PLACE_WITHIN: dict[str, str] = {"mogao-library-cave": "dunhuang"}

PLACES: list[dict[str, Any]] = [
    {"pid": "mogao-library-cave", "name": t("莫高窟藏經洞", "莫高窟藏经洞", "Mogao Caves, Library Cave (Cave 17)",
                                            "Grottes de Mogao, grotte aux bibliothèques (grotte 17)"),
     "aliases": ["莫高窟", "藏經洞", "Cave 17"], "latitude": 40.037, "longitude": 94.804},
    {"pid": "dunhuang", "name": t("敦煌", "敦煌", "Dunhuang", "Dunhuang"),
     "aliases": ["Tun-huang", "Shazhou", "沙州"], "latitude": 40.142, "longitude": 94.662},
    {"pid": "changan", "name": t("長安", "长安", "Chang'an", "Chang'an"),
     "aliases": ["Xi'an", "西安", "Ch'ang-an"], "latitude": 34.264, "longitude": 108.943},
    {"pid": "chengde-summer-palace", "name": t("承德避暑山莊", "承德避暑山庄", "Chengde summer palace",
                                               "Résidence d'été de Chengde"),
     "aliases": [], "latitude": 40.995, "longitude": 117.935},
]

PERIODS: list[dict[str, Any]] = [
    {"pid": "later-qin", "kind": "dynasty", "name": t("後秦", "后秦", "Later Qin", "Qin postérieurs"),
     "year_start": 384, "year_end": 417},
    {"pid": "tang", "kind": "dynasty", "name": t("唐", "唐", "Tang", "Tang"), "year_start": 618, "year_end": 907},
    {"pid": "qing", "kind": "dynasty", "name": t("清", "清", "Qing", "Qing"), "year_start": 1644, "year_end": 1912},
    {"pid": "kaiyuan", "kind": "reign_era", "parent": "tang", "name": t("開元", "开元", "Kaiyuan", "Kaiyuan"),
     "year_start": 713, "year_end": 741},
    {"pid": "xiantong", "kind": "reign_era", "parent": "tang", "name": t("咸通", "咸通", "Xiantong", "Xiantong"),
     "year_start": 860, "year_end": 874},
    {"pid": "qianfu", "kind": "reign_era", "parent": "tang", "name": t("乾符", "乾符", "Qianfu", "Qianfu"),
     "year_start": 874, "year_end": 879},
    {"pid": "qianlong", "kind": "reign_era", "parent": "qing", "name": t("乾隆", "乾隆", "Qianlong", "Qianlong"),
     "year_start": 1736, "year_end": 1795},
]

WORKS: list[dict[str, Any]] = [
    {"pid": "t0235-diamond-sutra", "key": ("taisho", "T0235"),
     "title": t("金剛般若波羅蜜經", "金刚般若波罗蜜经", "Diamond Sūtra", "Sūtra du Diamant"),
     "aliases": ["金剛經", "金刚经", "Vajracchedikā Prajñāpāramitā Sūtra", "Diamond Sutra", "Sutra du diamant",
                 "Chin-kang ching", "Jingang jing"],
     "creators": [("kumarajiva", "translator")], "date_expression": "402–412", "year_start": 402,
     "year_end": 412, "period": "later-qin", "category": "Prajñāpāramitā",
     "description": d("A short Mahāyāna sūtra on the perfection of wisdom, here in Kumārajīva's translation.",
                      "Bref sūtra du Mahāyāna sur la perfection de sagesse, ici dans la traduction de Kumārajīva.")},
    {"pid": "t0251-heart-sutra", "key": ("taisho", "T0251"),
     "title": t("般若波羅蜜多心經", "般若波罗蜜多心经", "Heart Sūtra", "Sūtra du Cœur"),
     "aliases": ["心經", "心经", "Heart Sutra", "Sutra du coeur", "Hsin ching"],
     "creators": [("xuanzang", "translator")], "date_expression": "649", "year_start": 649, "year_end": 649,
     "period": "tang", "category": "Prajñāpāramitā",
     "description": d("The shortest perfection-of-wisdom sūtra, translated by Xuanzang.",
                      "Le plus court des sūtras de la perfection de sagesse, traduit par Xuanzang.")},
    {"pid": "t0262-lotus-sutra", "key": ("taisho", "T0262"),
     "title": t("妙法蓮華經", "妙法莲华经", "Lotus Sūtra", "Sūtra du Lotus"),
     "aliases": ["法華經", "法华经", "Lotus Sutra", "Sutra du lotus", "Miao-fa lien-hua ching"],
     "creators": [("kumarajiva", "translator")], "date_expression": "406", "year_start": 406, "year_end": 406,
     "period": "later-qin", "category": "Lotus",
     "description": d("The Lotus Sūtra in Kumārajīva's Chinese translation.",
                      "Le Sūtra du Lotus dans la traduction chinoise de Kumārajīva.")},
    {"pid": "t2141a-compendium-of-mani", "key": ("taisho", "T2141A"),
     "title": t("摩尼光佛教法儀略", "摩尼光佛教法仪略", "Compendium of the Teachings of Mani, the Buddha of Light",
                "Compendium des doctrines de Mani, Bouddha de lumière"),
     "aliases": ["Compendium of the Teachings of Mani"], "creators": [], "date_expression": "開元十九年",
     "year_start": 731, "year_end": 731, "period": "kaiyuan", "category": "Manichaean",
     "description": d("A Manichaean summary of doctrine composed in Chinese in 731.",
                      "Un résumé de la doctrine manichéenne composé en chinois en 731.")},
    {"pid": "t2140-manichaean-hymnscroll", "key": ("taisho", "T2140"),
     "title": t("摩尼教下部讚", "摩尼教下部赞", "Manichaean Hymnscroll", "Rouleau des hymnes manichéens"),
     "aliases": ["下部讚", "下部赞"], "creators": [], "date_expression": "Tang", "year_start": 618,
     "year_end": 907, "period": "tang", "category": "Manichaean", "description": {}},
    {"pid": "t2141b-manichaean-treatise", "key": ("taisho", "T2141B"),
     "title": t("摩尼教殘經", "摩尼教残经", "Chinese Manichaean Treatise", "Traité manichéen chinois"),
     "aliases": ["波斯教殘經", "波斯教残经"], "creators": [], "date_expression": "Tang", "year_start": 618,
     "year_end": 907, "period": "tang", "category": "Manichaean", "description": {}},
    {"pid": "wang-ocheonchukguk-jeon", "key": None,
     "title": t("往五天竺國傳", "往五天竺国传", "Memoir of a Pilgrimage to the Five Kingdoms of India",
                "Mémoire d'un pèlerinage aux cinq royaumes de l'Inde"),
     "aliases": ["Wang ocheonchukguk jeon"], "creators": [("hyecho", "author")], "date_expression": "c. 727",
     "year_start": 727, "year_end": 727, "period": "kaiyuan", "category": "Travel",
     "description": d("Hyecho's account of his journey to India and back through Central Asia.",
                      "Le récit par Hyecho de son voyage en Inde et de son retour par l'Asie centrale.")},
]

_STEIN = {"acquired_by": "aurel-stein", "acquisition_year": 1907, "find_place": "mogao-library-cave"}
_PELLIOT = {"acquired_by": "paul-pelliot", "acquisition_year": 1908, "find_place": "mogao-library-cave"}

ITEMS: list[dict[str, Any]] = [
    {"institution": "BL", "collection": "stein", "shelfmark": "Or.8210/P.2", "item_type": "printed",
     "title": t("金剛般若波羅蜜經", "金刚般若波罗蜜经", "Diamond Sūtra, printed scroll of 868",
                "Sūtra du Diamant, rouleau imprimé de 868"),
     "works": [("t0235-diamond-sutra", "text")], "languages": ["lzh"],
     "date_expression": "咸通九年四月十五日", "year_start": 868, "year_end": 868, "period": "xiantong",
     "material": d("paper, printed from woodblocks", "papier, imprimé par xylographie", "纸本，雕版印刷",
                   "紙本，雕版印刷"),
     "dimensions": "≈ 5 m", "digitization_status": "digitized", **_STEIN,
     "description": d(
         "A woodblock-printed scroll of about five metres opening with a frontispiece of the Buddha "
         "preaching. Its colophon dates it to the fifteenth day of the fourth month of the ninth year of "
         "Xiantong (11 May 868): it is the earliest complete printed book known that carries a date.",
         "Rouleau imprimé par xylographie, long d'environ cinq mètres, qui s'ouvre sur un frontispice du "
         "Bouddha prêchant. Son colophon le date du quinzième jour du quatrième mois de la neuvième année "
         "Xiantong (11 mai 868) : c'est le plus ancien livre imprimé complet et daté que l'on connaisse.",
         "木刻印本卷子，长约五米，卷首为佛陀说法图。据题记刻于咸通九年四月十五日（868年5月11日），是现存最早有明确纪年的完整印本书籍。",
         "木刻印本卷子，長約五米，卷首為佛陀說法圖。據題記刻於咸通九年四月十五日（868年5月11日），是現存最早有明確紀年的完整印本書籍。"),
     "notes": d("Colophon: 王玠為二親敬造普施 — Wang Jie had it made for free distribution on behalf of his "
                "two parents. Text in Kumārajīva's translation.",
                "Colophon : 王玠為二親敬造普施 — Wang Jie le fit faire pour le distribuer gratuitement au nom de "
                "ses deux parents. Texte dans la traduction de Kumārajīva.",
                "题记：王玠为二亲敬造普施——王玠为其双亲敬造，普施众人。经文为鸠摩罗什译本。",
                "題記：王玠為二親敬造普施——王玠為其雙親敬造，普施眾人。經文為鳩摩羅什譯本。"),
     "pages": [
         {"label": t("卷首扉畫及經文開端", "卷首扉画及经文开端", "frontispiece and opening",
                     "frontispice et début du texte"),
          "text": "如是我聞。一時佛在舍衛國祇樹給孤獨園，與大比丘眾千二百五十人俱。"
                  "爾時世尊食時著衣持鉢，入舍衛大城乞食。"},
         {"label": t("題記", "题记", "colophon", "colophon"), "text": "咸通九年四月十五日王玠為二親敬造普施"},
     ]},
    {"institution": "BL", "collection": "stein", "shelfmark": "Or.8210/S.3326", "item_type": "scroll",
     "title": t("敦煌星圖", "敦煌星图", "Dunhuang Star Chart", "Carte des étoiles de Dunhuang"),
     "works": [], "languages": ["lzh"], "date_expression": "Tang, about 7th century", "year_start": 601,
     "year_end": 700, "period": "tang", "material": d("paper, manuscript", "papier, manuscrit", "纸本写本", "紙本寫本"),
     "digitization_status": "catalogued", **_STEIN,
     "description": d("The oldest complete star atlas known, drawing more than 1,300 stars.",
                      "Le plus ancien atlas céleste complet connu ; il figure plus de 1 300 étoiles.",
                      "现存最古老的完整星图，绘有一千三百余颗星。", "現存最古老的完整星圖，繪有一千三百餘顆星。")},
    {"institution": "BL", "collection": "stein", "shelfmark": "Or.8210/P.6", "item_type": "printed",
     "title": t("乾符四年丁酉歲具注曆日", "乾符四年丁酉岁具注历日", "Printed almanac for the year 877",
                "Almanach imprimé pour l'année 877"),
     "works": [], "languages": ["lzh"], "date_expression": "乾符四年", "year_start": 877, "year_end": 877,
     "period": "qianfu", "material": d("paper, printed", "papier, imprimé", "纸本印本", "紙本印本"),
     "digitization_status": "catalogued",
     **_STEIN,
     "description": d("An annotated almanac for 877, among the earliest printed calendars.",
                      "Un almanach annoté pour 877, parmi les plus anciens calendriers imprimés.")},
    {"institution": "BL", "collection": "stein", "shelfmark": "Or.8210/P.12", "item_type": "fragment",
     "title": t("長安東市大刀家印曆日殘片", "长安东市大刀家印历日残片",
                "Almanac fragment printed by the Dadao family of the East Market, Chang'an",
                "Fragment d'almanach imprimé par la famille Dadao du marché de l'Est, Chang'an"),
     "works": [], "languages": ["lzh"], "date_expression": "late 9th century", "year_start": 867,
     "year_end": 900, "period": "tang", "digitization_status": "catalogued", **_STEIN,
     "description": d("Printed privately by the Dadao family (大刀家) although an edict of 835 had banned "
                      "the private printing of almanacs.",
                      "Imprimé à titre privé par la famille Dadao (大刀家) alors qu'un édit de 835 interdisait "
                      "l'impression privée des almanachs.")},
    {"institution": "BL", "collection": "stein", "shelfmark": "Or.8210/S.3969", "item_type": "fragment",
     "title": t("摩尼光佛教法儀略（前部）", "摩尼光佛教法仪略（前部）",
                "Compendium of the Teachings of Mani, first part", "Compendium des doctrines de Mani, première partie"),
     "works": [("t2141a-compendium-of-mani", "part")], "languages": ["lzh"], "date_expression": "開元十九年",
     "year_start": 731, "year_end": 731, "period": "kaiyuan", "digitization_status": "digitized", **_STEIN,
     "description": d("The opening of a manuscript whose continuation is in Paris as Pelliot chinois 3884.",
                      "Le début d'un manuscrit dont la suite est à Paris sous la cote Pelliot chinois 3884."),
     # An illustrative page with the work's title only (the demo has no transcription of the text):
     # the story of the reunited scroll (#16) shows the two parts side by side.
     "pages": [{"label": t("示意頁：書題", "示意页：书题", "illustrative page: the work's title",
                           "page d'illustration : le titre de l'œuvre"), "text": "摩尼光佛教法儀略"}]},
    {"institution": "BnF", "collection": "pelliot-chinois", "shelfmark": "Pelliot chinois 3884",
     "item_type": "fragment",
     "title": t("摩尼光佛教法儀略（後部）", "摩尼光佛教法仪略（后部）",
                "Compendium of the Teachings of Mani, continuation", "Compendium des doctrines de Mani, suite"),
     "works": [("t2141a-compendium-of-mani", "part")], "languages": ["lzh"], "date_expression": "開元十九年",
     "year_start": 731, "year_end": 731, "period": "kaiyuan", "digitization_status": "digitized", **_PELLIOT,
     "description": d("The continuation of Or.8210/S.3969 in London.", "La suite de Or.8210/S.3969 à Londres."),
     "pages": [{"label": t("示意頁：書題", "示意页：书题", "illustrative page: the work's title",
                           "page d'illustration : le titre de l'œuvre"), "text": "摩尼光佛教法儀略"}]},
    {"institution": "BL", "collection": "stein", "shelfmark": "Or.8210/S.2659", "item_type": "scroll",
     "title": t("摩尼教下部讚", "摩尼教下部赞", "Manichaean Hymnscroll", "Rouleau des hymnes manichéens"),
     "works": [("t2140-manichaean-hymnscroll", "text")], "languages": ["lzh"], "date_expression": "Tang",
     "year_start": 618, "year_end": 907, "period": "tang", "digitization_status": "catalogued", **_STEIN,
     "description": d("Hymns of the Manichaean church in Chinese.", "Hymnes de l'Église manichéenne en chinois.")},
    {"institution": "BnF", "collection": "pelliot-chinois", "shelfmark": "Pelliot chinois 3532",
     "item_type": "scroll",
     "title": t("往五天竺國傳", "往五天竺国传", "Hyecho's Memoir of a Pilgrimage to the Five Kingdoms of India",
                "Mémoire d'un pèlerinage aux cinq royaumes de l'Inde, par Hyecho"),
     "works": [("wang-ocheonchukguk-jeon", "part")], "languages": ["lzh"], "date_expression": "8th century",
     "year_start": 701, "year_end": 800, "period": "tang", "digitization_status": "catalogued", **_PELLIOT,
     "description": d("A fragmentary copy of Hyecho's account of his journey of 723–727.",
                      "Une copie fragmentaire du récit par Hyecho de son voyage de 723–727.")},
    {"institution": "BnF", "collection": "pelliot-tibetain", "shelfmark": "Pelliot tibétain 1287",
     "item_type": "scroll",
     "title": t("古藏文編年史", "古藏文编年史", "Old Tibetan Chronicle", "Chronique tibétaine ancienne"),
     "works": [], "languages": ["bo"], "date_expression": "about 800–840", "year_start": 800, "year_end": 840,
     "digitization_status": "catalogued", **_PELLIOT,
     "description": d("A Tibetan-language chronicle from the Library Cave.",
                      "Une chronique en langue tibétaine provenant de la grotte aux bibliothèques.")},
    {"institution": "BL", "collection": "stein", "shelfmark": "IOL Tib J 750", "item_type": "scroll",
     "title": t("古藏文大事紀年（前部）", "古藏文大事纪年（前部）", "Old Tibetan Annals, first part",
                "Annales tibétaines anciennes, première partie"),
     "works": [], "languages": ["bo"], "date_expression": "covers 650–748", "year_start": 650, "year_end": 748,
     "digitization_status": "catalogued", **_STEIN,
     "description": d("The “civil” version of the Annals; the same roll continues in Paris as Pelliot tibétain 1288.",
                      "La version « civile » des Annales ; le même rouleau se poursuit à Paris "
                      "sous la cote Pelliot tibétain 1288.")},
    {"institution": "BnF", "collection": "pelliot-tibetain", "shelfmark": "Pelliot tibétain 1288",
     "item_type": "scroll",
     "title": t("古藏文大事紀年（後部）", "古藏文大事纪年（后部）", "Old Tibetan Annals, other part",
                "Annales tibétaines anciennes, autre partie"),
     "works": [], "languages": ["bo"], "date_expression": "covers 650–748", "year_start": 650, "year_end": 748,
     "digitization_status": "catalogued", **_PELLIOT,
     "description": d("Joins IOL Tib J 750 in London.", "Se raccorde à IOL Tib J 750 à Londres.")},
    {"institution": "BL", "collection": "stein", "shelfmark": "Or.8212/187", "item_type": "scroll",
     "title": t("古藏文大事紀年（軍事本）", "古藏文大事纪年（军事本）", "Old Tibetan Annals, “military” version",
                "Annales tibétaines anciennes, version « militaire »"),
     "works": [], "languages": ["bo"], "date_expression": "covers 743–765", "year_start": 743, "year_end": 765,
     "digitization_status": "catalogued", **_STEIN, "description": {}},
    {"institution": "BL", "collection": "stein", "shelfmark": "Or.8212/161", "item_type": "booklet",
     "title": t("占卜書", "占卜书", "Irk Bitig (Book of Omens)", "Irk Bitig (Livre des présages)"),
     "works": [], "languages": ["otk", "lzh"], "date_expression": "9th–10th century", "year_start": 801,
     "year_end": 1000, "extent": "58 folded folios", "digitization_status": "catalogued", **_STEIN,
     "description": d("The only complete manuscript in the Old Turkic runic script; Chinese Buddhist verses "
                      "are written on its first and last folios.",
                      "Le seul manuscrit complet en écriture runique turque ancienne ; des vers bouddhiques "
                      "chinois occupent ses premier et dernier feuillets.")},
    {"institution": "BnF", "collection": "hebreu", "shelfmark": "Hébreu 1412", "item_type": "manuscript",
     "title": t("希伯來文懺悔祈禱文", "希伯来文忏悔祈祷文", "Hebrew penitential prayer (selichah)",
                "Prière pénitentielle en hébreu (selihah)"),
     "works": [], "languages": ["he"], "date_expression": "8th–9th century", "year_start": 701,
     "year_end": 900, "material": d("paper", "papier", "纸本", "紙本"), "digitization_status": "catalogued",
     "acquired_by": "paul-pelliot", "acquisition_year": 1908, "find_place": "dunhuang",
     "description": d("Found at Dunhuang by Pelliot; a witness of Jewish presence on the Silk Road.",
                      "Trouvée à Dunhuang par Pelliot ; témoin de la présence juive sur la route de la soie.")},
    {"institution": "NLC", "collection": "dunhuang", "shelfmark": "BD00256", "item_type": "scroll",
     "title": t("摩尼教殘經", "摩尼教残经", "Chinese Manichaean Treatise", "Traité manichéen chinois"),
     "works": [("t2141b-manichaean-treatise", "text")], "languages": ["lzh"], "date_expression": "Tang",
     "year_start": 618, "year_end": 907, "period": "tang", "digitization_status": "catalogued",
     "find_place": "mogao-library-cave", "acquisition_year": 1910,
     "notes": d("Old number 北8470. Taishō T2141B was edited from this manuscript.",
                "Ancienne cote 北8470. Le Taishō T2141B a été établi d'après ce manuscrit.",
                "旧编号北8470。《大正藏》T2141B即据此写本校录。", "舊編號北8470。《大正藏》T2141B即據此寫本校錄。"),
     "description": d("Came to Beijing from Dunhuang in 1910 with the remaining Library Cave manuscripts.",
                      "Arrivé à Pékin depuis Dunhuang en 1910 avec les derniers manuscrits de la grotte.")},
    {"institution": "NLC", "collection": "siku", "shelfmark": "", "local_id": "wenjinge-siku-quanshu",
     "item_type": "set",
     "title": t("文津閣四庫全書", "文津阁四库全书", "Wenjin Ge copy of the Complete Library of the Four Treasuries",
                "Exemplaire du Wenjin Ge de la Bibliothèque complète des Quatre Trésors"),
     "works": [], "languages": ["lzh"], "date_expression": "乾隆 (1773–1782)", "year_start": 1773,
     "year_end": 1782, "period": "qianlong",
     "material": d("paper, manuscript", "papier, manuscrit", "纸本写本", "紙本寫本"),
     "digitization_status": "catalogued",
     "description": d("One of the seven original manuscript sets, once kept in the Wenjin Ge pavilion of the "
                      "Chengde summer palace; compiled under the chief editor Ji Yun.",
                      "L'un des sept exemplaires manuscrits originaux, autrefois conservé au pavillon Wenjin Ge "
                      "de la résidence d'été de Chengde ; compilé sous la direction de Ji Yun.")},
]

JOINS: list[dict[str, Any]] = [
    {"items": [("BL", "Or.8210/S.3969"), ("BnF", "Pelliot chinois 3884")],
     "label_map": t("摩尼光佛教法儀略：倫敦與巴黎兩段", "摩尼光佛教法仪略：伦敦与巴黎两段",
                    "Compendium of Mani: London and Paris parts of one manuscript",
                    "Compendium de Mani : les parties de Londres et de Paris d'un même manuscrit"),
     "evidence": d("The Paris text continues the London text of the same manuscript; Taishō T2141A was "
                   "edited from both.",
                   "Le texte de Paris prolonge celui de Londres du même manuscrit ; le Taishō T2141A a été "
                   "établi d'après les deux."),
     "confidence": 1.0, "asserted_by": "Mogao demo curators (published scholarship)"},
    {"items": [("BL", "IOL Tib J 750"), ("BnF", "Pelliot tibétain 1288")],
     "label_map": t("古藏文大事紀年：同一卷子", "古藏文大事纪年：同一卷子",
                    "Old Tibetan Annals: one roll split between London and Paris",
                    "Annales tibétaines anciennes : un rouleau partagé entre Londres et Paris"),
     "evidence": d("Both parts come from the same original roll, about 4.34 m long.",
                   "Les deux parties proviennent du même rouleau original, long d'environ 4,34 m."),
     "confidence": 1.0, "asserted_by": "Mogao demo curators (published scholarship)"},
]
