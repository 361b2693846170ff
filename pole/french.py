"""French grammar for sentences built around a name: "de" before a vowel or a mute h is
elided ("Candidature d'Hydrogène", "la partie d'Électrolyse"), and "de le"/"de les"
contract ("du Mans", "des Échos"). One helper for the whole portal; templates use it
through the `elide_de` filter of pole/templatetags/french.py."""

from django.utils import translation

# Vowels, accented capitals included, and h: names are taken to begin with a mute h
# ("d'Hydrogène", "d'Hélios"), the usual case for the names the portal shows.
ELIDING_INITIALS = frozenset("aàâäeéèêëiîïoôöuùûüyÿæœh")


def de(name: str) -> str:
    """`name` preceded by the French preposition "de", elided or contracted as needed."""
    name = str(name).strip()
    lowered = name.lower()
    for article, contraction in (("les ", "des "), ("le ", "du ")):
        if lowered.startswith(article):
            return contraction + name[len(article) :]
    if lowered[:1] in ELIDING_INITIALS:
        return "d'" + name
    return "de " + name


def elide_de(sentence: str, name: str) -> str:
    """In a French `sentence` built as "… de {name} …", put `de(name)` in its place; a
    sentence in another language is returned as it is."""
    language = translation.get_language() or ""
    name = str(name).strip()
    if not name or not language.startswith("fr"):
        return sentence
    phrase = de(name)
    return sentence.replace("de " + name, phrase).replace("De " + name, phrase[0].upper() + phrase[1:])
