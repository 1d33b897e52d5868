"""Words of a statement as comparable stems: function words out, inflection stripped.

A light English stemmer, not a dictionary lemmatiser: "supports", "supported" and
"supporting" give "support"; "countries" and "country" give "country"; "increase" and
"increased" give "increas"; "guarantee" and "guaranteed" give "guarant". Both sides of a
comparison go through the same rules, so a stem only has to be the same, not a real word.
A few irregular forms news prose uses are listed.
"""

from __future__ import annotations

_STOP = """
    a about above after again against all also am an and any are as at be been before being
    below between both but by can cannot could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it
    its itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own s same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up upon very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves us let said says say told tells according reportedly item regarding amid via per
"""
STOP_WORDS = frozenset(_STOP.split())

IRREGULAR = {
    "met": "meet",
    "made": "make",
    "gave": "give",
    "given": "give",
    "took": "take",
    "taken": "take",
    "went": "go",
    "gone": "go",
    "sent": "send",
    "sold": "sell",
    "bought": "buy",
    "held": "hold",
    "won": "win",
    "lost": "lose",
    "fought": "fight",
    "struck": "strike",
    "led": "lead",
    "left": "leave",
    "began": "begin",
    "begun": "begin",
    "broke": "break",
    "broken": "break",
    "chose": "choose",
    "chosen": "choose",
    "drew": "draw",
    "drawn": "draw",
    "grew": "grow",
    "grown": "grow",
    "rose": "rise",
    "risen": "rise",
    "fell": "fall",
    "fallen": "fall",
    "spent": "spend",
    "paid": "pay",
    "built": "build",
    "men": "man",
    "women": "woman",
    "children": "child",
    "people": "person",
}

_DOUBLED = frozenset("bdgmnprt")


def stem(word: str) -> str:
    """The stem of a folded (lower-case, accent-free) word."""
    word = IRREGULAR.get(word, word)
    if len(word) <= 3 or not word.isalpha():
        return word
    word = _strip_suffix(word)
    if len(word) > 4 and word.endswith("e"):  # "agree", "agreed" -> "agr"
        word = word.rstrip("e") if len(word.rstrip("e")) >= 3 else word
    if word.endswith("iz"):  # -ise / -ize
        word = word[:-2] + "is"
    return word


def _strip_suffix(word: str) -> str:
    if word.endswith(("ies", "ied")) and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("sses"):
        return word[:-2]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return _undouble(word[: -len(suffix)])
    if word.endswith(("ches", "shes", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _undouble(word: str) -> str:
    """ "stopp" -> "stop", "planned" -> "plan" (not "fall" or "pass")."""
    if len(word) >= 4 and word[-1] == word[-2] and word[-1] in _DOUBLED:
        return word[:-1]
    return word
