"""Names of the languages the catalogue uses, in the interface's four languages.

A small table (names as CLDR gives them, with CLDR's gaps filled for the ISO 639-3 codes this field
needs: Old Turkic, Tocharian...) instead of a Babel dependency: the catalogue uses a few dozen codes.
An unknown tag falls back to its language subtag's name, then to the tag itself.
"""

from __future__ import annotations

# tag -> (en, fr, zh-hans, zh-hant)
NAMES: dict[str, tuple[str, str, str, str]] = {
    "lzh": ("Classical Chinese", "chinois classique", "文言文", "文言文"),
    "zh": ("Chinese", "chinois", "中文", "中文"),
    "zh-Hans": ("Simplified Chinese", "chinois simplifié", "简体中文", "簡體中文"),
    "zh-Hant": ("Traditional Chinese", "chinois traditionnel", "繁体中文", "繁體中文"),
    "och": ("Old Chinese", "chinois archaïque", "上古汉语", "上古漢語"),
    "ltc": ("Middle Chinese", "chinois médiéval", "中古汉语", "中古漢語"),
    "cmn": ("Mandarin Chinese", "chinois mandarin", "官话", "官話"),
    "bo": ("Tibetan", "tibétain", "藏语", "藏語"),
    "otb": ("Old Tibetan", "tibétain ancien", "古藏语", "古藏語"),
    "sa": ("Sanskrit", "sanskrit", "梵语", "梵語"),
    "pi": ("Pali", "pali", "巴利语", "巴利語"),
    "pra": ("Prakrit", "prâkrit", "俗语", "俗語"),
    "ug": ("Uyghur", "ouïghour", "维吾尔语", "維吾爾語"),
    "oui": ("Old Uyghur", "ouïghour ancien", "回鹘语", "回鶻語"),
    "otk": ("Old Turkic", "turc ancien", "古突厥语", "古突厥語"),
    "sog": ("Sogdian", "sogdien", "粟特语", "粟特語"),
    "kho": ("Khotanese", "khotanais", "于阗语", "于闐語"),
    "xto": ("Tocharian A", "tokharien A", "吐火罗语A", "吐火羅語A"),
    "txb": ("Tocharian B", "tokharien B", "吐火罗语B", "吐火羅語B"),
    "he": ("Hebrew", "hébreu", "希伯来语", "希伯來語"),
    "hbo": ("Ancient Hebrew", "hébreu ancien", "古希伯来语", "古希伯來語"),
    "syc": ("Classical Syriac", "syriaque classique", "古典叙利亚语", "古典敘利亞語"),
    "pal": ("Middle Persian", "moyen perse", "中古波斯语", "中古波斯語"),
    "mn": ("Mongolian", "mongol", "蒙古语", "蒙古語"),
    "en": ("English", "anglais", "英语", "英語"),
    "fr": ("French", "français", "法语", "法語"),
    "de": ("German", "allemand", "德语", "德語"),
    "ru": ("Russian", "russe", "俄语", "俄語"),
    "ja": ("Japanese", "japonais", "日语", "日語"),
    "ko": ("Korean", "coréen", "韩语", "韓語"),
    "la": ("Latin", "latin", "拉丁语", "拉丁語"),
    "und": ("Undetermined language", "langue indéterminée", "未定语言", "未定語言"),
    "mul": ("Multiple languages", "multilingue", "多语种", "多語種"),
    "zxx": ("No linguistic content", "sans contenu linguistique", "无语言内容", "無語言內容"),
}
_COLUMN = {"en": 0, "fr": 1, "zh-hans": 2, "zh-hant": 3}


def language_name(tag: str, interface_language: str | None) -> str:
    """The name of language ``tag`` in ``interface_language`` (a Django language code)."""
    column = _COLUMN.get((interface_language or "en").lower(), 0)
    names = NAMES.get(tag) or NAMES.get(tag.split("-")[0])
    return names[column] if names else tag
