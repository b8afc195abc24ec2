"""Word lists for the plain-language checks in articles/review/plain_language.py.

Which words end no sentence (abbreviations), and which words make up a passive
phrase: forms of "to be", adverbs that may stand between, irregular past
participles, and "-ed" words that usually describe a state instead.
"""

# Words that are always followed by more of the same sentence.
ABBREVIATIONS = frozenset(
    {
        "e.g", "i.e", "eg", "ie", "cf", "viz", "vs", "approx", "appx", "ca", "incl",
        "esp", "al", "fig", "ref", "vol", "pp",
        "dr", "mr", "mrs", "ms", "mx", "prof", "st", "jr", "sr",
    }
)  # fmt: skip

# Passive voice: a form of "to be", at most one adverb, then a past participle.
BE_FORMS = frozenset(
    {
        "am", "is", "are", "was", "were", "be", "been", "being",
        "isn't", "aren't", "wasn't", "weren't",
    }
)  # fmt: skip
ADVERBS = frozenset(
    {
        "not", "never", "also", "often", "always", "still", "already", "sometimes",
        "now", "then", "just", "only", "even", "well", "further", "first", "once",
        "indeed", "rarely", "seldom", "best", "mostly", "usually",
    }
)  # fmt: skip
IRREGULAR_PARTICIPLES = frozenset(
    {
        "given", "taken", "shown", "known", "seen", "done", "made", "found",
        "written", "told", "thought", "brought", "bought", "caught", "taught",
        "sought", "kept", "left", "lost", "felt", "held", "heard", "meant", "sent",
        "spent", "built", "put", "set", "cut", "hurt", "shut", "spread", "split",
        "led", "fed", "bled", "bred", "paid", "said", "laid", "sold", "understood",
        "worn", "torn", "borne", "drawn", "grown", "thrown", "blown", "sworn",
        "shaken", "broken", "chosen", "frozen", "spoken", "stolen", "woken",
        "forgotten", "hidden", "bitten", "eaten", "fallen", "forbidden", "driven",
        "beaten", "begun", "drunk", "struck", "stuck", "hung", "dug", "withdrawn",
        "undertaken", "mistaken", "misunderstood", "overdone", "rewritten",
        "undergone", "overcome", "agreed", "freed", "guaranteed",
    }
)  # fmt: skip
# -ed words that, after "to be", usually describe a state or are not verbs at all.
# Flagging "I am worried" would teach editors to ignore the check.
NOT_PASSIVE = frozenset(
    {
        "tired", "concerned", "worried", "interested", "married", "scared",
        "frightened", "excited", "pleased", "surprised", "bored", "confused",
        "embarrassed", "ashamed", "annoyed", "relaxed", "stressed", "depressed",
        "exhausted", "dehydrated", "bloated", "constipated", "inflamed",
        "supposed", "related", "based", "limited", "detailed", "complicated",
        "advanced", "aged", "skilled", "experienced", "qualified", "balanced",
        "hundred", "sacred", "naked", "wicked", "rugged", "ragged",
    }
)  # fmt: skip
