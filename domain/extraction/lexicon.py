"""The English word lists the extraction rules read. Patterns run on folded (lower-case,
accent-free) text."""

from __future__ import annotations

ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "gen",
        "sen",
        "rep",
        "gov",
        "lt",
        "col",
        "capt",
        "sgt",
        "maj",
        "adm",
        "pres",
        "no",
        "nos",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "inc",
        "ltd",
        "co",
        "corp",
        "jr",
        "sr",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "approx",
        "est",
        "dept",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "fig",
        "al",
    ]
)

# Verbs that introduce what someone said, in the forms news prose uses.
SPEECH_VERBS = (
    "told reporters|said|says|say|announced|announces|stated|states|claimed|claims|noted"
    "|notes|told|tells"
    "|added|adds|argued|argues|warned|warns|insisted|insists|denied|denies|confirmed|confirms"
    "|declared|declares|asserted|asserts|maintained|maintains|explained|explains|stressed"
    "|stresses|emphasised|emphasized|emphasises|emphasizes|wrote|writes|tweeted|posted"
    "|acknowledged|acknowledges|admitted|admits|alleged|alleges|suggested|suggests|predicted"
    "|predicts|promised|promises|pledged|pledges|vowed|vows|reported|reports"
    "|believes|believed|thinks|thought|agreed|agrees|countered|replied|responded|urged|urges"
)

# Words that soften an assertion into an opinion or a possibility.
HEDGES = (
    r"\bmay\b|\bmight\b|\bcould\b|\bpossibly\b|\bperhaps\b|\blikely\b|\bunlikely\b"
    r"|\bprobably\b|\bappears? to\b|\bseems? to\b|\bheaded towards?\b|\bheading towards?\b"
    r"|\bis expected to\b|\bare expected to\b|\bsuggests?\b|\bindication\b|\breportedly\b"
    r"|\ballegedly\b|\bapparently\b"
)

# What makes a sentence speak of the future.
FUTURE = (
    r"\bwill\b|\bwon't\b|\bshall\b|\bgoing to\b|\bis set to\b|\bare set to\b|\bplans? to\b"
    r"|\bin hopes? (?:to|of)\b|\bintends? to\b|\bis to\b|\bare to\b|\bnext (?:week|month|year)\b"
)

# Evaluative words: the writer's or speaker's judgement rather than a checkable fact.
OPINION = (
    r"\bimportant\b|\bshould\b|\bmust\b|\bought to\b|\bcrucial\b|\bsignificant\b|\btelling\b"
    r"|\bquasi-|\bclearly\b|\barguably\b|\bdemonstration of\b|\bbest\b|\bworst\b|\bdangerous\b"
    r"|\bunacceptable\b|\bgreat\b|\bterrible\b|\bdisastrous\b|\bi think\b|\bwe believe\b"
)

NEGATIONS = (
    r"\bno\b|\bnot\b|\bnever\b|\bneither\b|\bnor\b|\bnone\b|\bnobody\b|\bnothing\b|n't\b"
    r"|\bwithout\b|\bden(?:y|ies|ied)\b|\brefus(?:e|es|ed)\b|\brul(?:e|es|ed) out\b"
)

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"

NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen|twenty|thirty"
    "|forty|fifty|hundred|hundreds|thousand|thousands|million|millions|billion|billions|dozen"
    "|dozens"
)
UNITS = (
    "percent|per cent|%|years?|months?|weeks?|days?|hours?|people|troops|soldiers|deaths"
    "|km|kilometres|kilometers|miles|tons?|tonnes?|barrels|cubic metres|votes|seats|points"
    "|billion|million|trillion|bn|dollars|euros|pounds|yuan|roubles|rubles"
)

# Cue -> relation slug. The earliest cue in a clause wins; among cues at the same place, the
# first listed.
RELATION_CUES: tuple[tuple[str, str], ...] = (
    (r"\bseek(?:s|ing)?\b[^.]{0,30}\bsupport\b|\bappeal(?:s|ed)? for\b", "seeks_support"),
    (
        r"\bsign(?:s|ed|ing)?\b[^.]{0,40}\b(?:deal|agreement|treaty|accord|contract)",
        "signs_agreement",
    ),
    (r"\bjoint statement\b", "signs_agreement"),
    (r"\b(?:met|meet|meets|meeting|talks with|summit)\b", "meets"),
    (r"\bvisit(?:s|ed|ing)?\b", "visits"),
    (r"\bhost(?:s|ed|ing)?\b", "hosts"),
    (r"\bbargain|\bnegotiat", "negotiates"),
    (r"\bstand(?:s|ing)? by\b|\bback(?:s|ed|ing)?\b|\bsupport(?:s|ed|ing)?\b|\bendors", "supports"),
    (r"\bdefend(?:s|ed)?\b", "defends_verbally"),
    (
        r"\bmilitary (?:involvement|cooperation|commitment|exercises?|aid|alliance)",
        "cooperates_militarily",
    ),
    (r"\baid(?:s|ed)?\b|\bassist(?:s|ed)?\b|\bhelp(?:s|ed)?\b", "provides_aid"),
    (r"\beconomic ties\b|\btrade\b|\bpayments\b|\binvest", "cooperates_economically"),
    (r"\bties\b|\balliance\b|\bpartnership\b|\bcooperat", "cooperates_diplomatically"),
    (r"\bdemand(?:s|ed)?\b", "demands"),
    (r"\bcritici[sz]", "criticizes"),
    (r"\baccus", "accuses"),
    (r"\breject", "rejects"),
    (r"\bthreat", "threatens"),
    (r"\bboycott", "boycotts"),
    (r"\bsanction", "sanctions"),
    (r"\bderail|\boppos|\bconflict with\b|\bagainst\b", "opposes"),
    (r"\binva(?:de|ded|sion)\b|\battack(?:s|ed)?\b|\bstrikes? on\b", "fights"),
)

# Adjectives of place read as the actor they name, when the registry knows that name.
DEMONYMS = {
    "chinese": "China",
    "russian": "Russia",
    "american": "United States",
    "british": "United Kingdom",
    "ukrainian": "Ukraine",
    "french": "France",
    "german": "Germany",
    "japanese": "Japan",
    "indian": "India",
    "iranian": "Iran",
    "israeli": "Israel",
    "turkish": "Turkey",
    "european": "European Union",
    "western": "the West",
}

# Capitalised words that start sentences or name no one.
NOT_NAMES = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "it",
        "its",
        "he",
        "she",
        "we",
        "i",
        "you",
        "his",
        "her",
        "our",
        "my",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "of",
        "to",
        "as",
        "and",
        "or",
        "but",
        "if",
        "when",
        "while",
        "after",
        "before",
        "since",
        "despite",
        "shortly",
        "with",
        "however",
        "meanwhile",
        "also",
        "yet",
        "still",
        "so",
        "no",
        "not",
        "post",
        "comments",
        "by:",
        "according",
        "mr",
        "mrs",
        "ms",
        "dr",
    ]
)

ORGANISATION_WORDS = frozenset(
    [
        "hub",
        "council",
        "ministry",
        "party",
        "organization",
        "organisation",
        "agency",
        "bank",
        "union",
        "commission",
        "institute",
        "university",
        "committee",
        "company",
        "corporation",
        "group",
        "office",
        "department",
        "foundation",
        "association",
        "forum",
        "fund",
        "court",
        "parliament",
        "congress",
        "senate",
        "government",
        "army",
    ]
)
