"""ISO 639-1 language codes: Apple refuses a feed whose <language> is not one."""

import re

# The two-letter codes of ISO 639-1 (Library of Congress list), as Apple reads them.
CODES = """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu
    cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi
    ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks
    ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl
    nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl
    sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve
    vi vo wa wo xh yi yo za zh zu
"""
ISO_639_1 = frozenset(CODES.split())
LANGUAGE_TAG = re.compile(r"(?P<primary>[a-z]{2})(?:-[a-z0-9]{2,8})*", re.IGNORECASE)


def language_problem(tag: str) -> str:
    """Why a feed <language> value would be refused, or "" when it is fine ("en", "en-us")."""
    match = LANGUAGE_TAG.fullmatch(tag.strip())
    if match is None:
        return f"{tag!r} is not a language code such as en or en-us"
    if match["primary"].lower() not in ISO_639_1:
        return f"{match['primary']!r} is not an ISO 639-1 language code"
    return ""
