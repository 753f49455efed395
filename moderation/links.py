"""Links in a chat message, and which of them count as contact details.

Pure: standard library only (no Flask, no database), imported by
:mod:`moderation.screening`. The operator chooses a policy (``LINK_POLICY``):

``block_all``
    Every link and bare domain is a contact detail (Hearth's behaviour before
    the setting existed). Crisis-service sites (``RESOURCE_DOMAINS``) pass.
``block_contact`` (default)
    A link is a contact detail when it leads to a person rather than to
    content: a profile on a social or messaging service (``instagram.com/name``,
    ``t.me/name``, ``wa.me/…``, ``discord.gg/…``, ``tiktok.com/@name``,
    ``x.com/name``, ``reddit.com/u/name``, ``linkedin.com/in/name`` …), any link
    on a messaging or meeting service, a link-in-bio page, a URL shortener
    (it hides where it goes: share the full address instead), a link written to
    slip past the filter ("name dot com", "t . me/x"), and any link carrying a
    phone number or an email address. Links to content pass: an article, a
    video, a song, a book page, a post (``x.com/name/status/1``,
    ``instagram.com/p/…``), Wikipedia, a news site.
``allow``
    Links are not contact details by themselves; a link still is when it
    carries a phone number or an email address (``mailto:``, ``tel:``,
    ``wa.me/<number>``, ``?phone=…``), and so is a messaging link written to slip
    past the filter ("wa dot me"). Bare handles ("@name"), numbers, emails and
    "add me on insta" are refused under every policy by the screener itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal
from urllib.parse import parse_qsl, unquote

LinkPolicy = Literal["block_all", "block_contact", "allow"]
LinkKind = Literal["resource", "contact", "content"]

#: The accepted values of ``LINK_POLICY``, in order of strictness.
LINK_POLICIES: Final[tuple[LinkPolicy, ...]] = ("block_all", "block_contact", "allow")
DEFAULT_LINK_POLICY: Final[LinkPolicy] = "block_contact"

#: Top-level domains a bare "name.tld" is read as a domain for (no scheme needed).
TLDS: Final = (
    r"(?:com|net|org|io|me|co|uk|gg|ly|tv|app|xyz|info|link|to|be|us|ca|au|de|fr|nl|ru|cc|"
    r"site|online|live|chat|social|page|dev|ai|biz|store|shop|club|fm|ie|nz|in|es|it|onion|am|"
    r"ee|id|gd|at|ws|la|su|dog)"
)

#: Every link on these hosts reaches a person or a private space (chat, call, meeting).
MESSAGING_HOSTS: Final = frozenset(
    {
        "t.me",
        "telegram.me",
        "telegram.dog",
        "telegram.org",
        "wa.me",
        "whatsapp.com",
        "whatsapp.net",
        "discord.gg",
        "discord.me",
        "discord.com",
        "discordapp.com",
        "discord.new",
        "signal.me",
        "signal.group",
        "kik.me",
        "kik.com",
        "line.me",
        "lin.ee",
        "m.me",
        "fb.me",
        "messenger.com",
        "msng.link",
        "wechat.com",
        "weixin.qq.com",
        "viber.com",
        "vb.me",
        "join.skype.com",
        "skype.com",
        "snapchat.com",
        "snap.com",
        "threema.id",
        "matrix.to",
        "open.kakao.com",
        "zoom.us",
        "zoom.com",
        "meet.google.com",
        "teams.microsoft.com",
        "teams.live.com",
        "whereby.com",
        "meet.jit.si",
        "calendly.com",
        "keybase.io",
        "ask.fm",
        "tellonym.me",
        "ngl.link",
        "onlyfans.com",
        "fansly.com",
        "tinder.com",
        "hinge.co",
        "bumble.com",
        "grindr.com",
        "kick.com",
    }
)

#: Link-in-bio pages: a list of someone's profiles.
BIO_HOSTS: Final = frozenset(
    {"linktr.ee", "beacons.ai", "lnk.bio", "bio.link", "carrd.co", "solo.to", "allmylinks.com"}
)

#: Shorteners hide the destination, so they are read as contact links.
SHORTENER_HOSTS: Final = frozenset(
    {
        "bit.ly",
        "bitly.com",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "v.gd",
        "buff.ly",
        "rebrand.ly",
        "cutt.ly",
        "shorturl.at",
        "tiny.cc",
        "rb.gy",
        "s.id",
        "t.ly",
        "bl.ink",
        "short.io",
        "shorturl.com",
        "qrco.de",
        "lnkd.in",
        "tiny.one",
        "soo.gd",
        "clck.ru",
        "shor.by",
        "dub.sh",
        "surl.li",
    }
)

#: Social sites where a path names either a person (profile) or content.
#: host -> first path segments that are content; anything else is a profile.
_CONTENT_FIRST: Final[dict[str, frozenset[str]]] = {
    "instagram.com": frozenset({"p", "reel", "reels", "tv", "explore"}),
    "instagr.am": frozenset({"p", "reel", "reels", "tv"}),
    "facebook.com": frozenset(
        {
            "watch",
            "reel",
            "reels",
            "photo.php",
            "photo",
            "story.php",
            "permalink.php",
            "video.php",
            "hashtag",
            "events",
            "notes",
        }
    ),
    "fb.com": frozenset({"watch", "reel", "photo.php", "story.php", "permalink.php"}),
    "fb.watch": frozenset({"*"}),
    "x.com": frozenset({"i", "hashtag", "search", "explore"}),
    "twitter.com": frozenset({"i", "hashtag", "search", "explore"}),
    "tiktok.com": frozenset({"t", "discover", "tag", "music", "video"}),
    "vm.tiktok.com": frozenset({"*"}),
    "vt.tiktok.com": frozenset({"*"}),
    "threads.net": frozenset({"t", "search"}),
    "threads.com": frozenset({"t", "search"}),
    "bsky.app": frozenset({"search", "hashtag"}),
    "twitch.tv": frozenset({"videos", "directory", "search"}),
    "clips.twitch.tv": frozenset({"*"}),
    "tumblr.com": frozenset({"tagged", "search", "explore"}),
    "vk.com": frozenset({"video", "wall", "music", "feed"}),
    "steamcommunity.com": frozenset({"app", "sharedfiles", "games", "market", "workshop"}),
}
#: Second path segments that make a profile-rooted path content
#: (``x.com/name/status/1``, ``tiktok.com/@name/video/1``).
_CONTENT_SECOND: Final = frozenset(
    {"status", "statuses", "video", "videos", "post", "posts", "photo", "photos", "clip", "p"}
)
#: Sites that are content except for these first segments (profiles).
_PROFILE_FIRST: Final[dict[str, frozenset[str]]] = {
    "reddit.com": frozenset({"u", "user", "message", "chat"}),
    "linkedin.com": frozenset({"in", "pub", "messaging"}),
    "steamcommunity.com": frozenset({"id", "profiles"}),
    "github.com": frozenset(),
    "medium.com": frozenset(),
}

#: Mobile and language prefixes that do not change what a link is.
_PREFIXES: Final = ("www.", "m.", "mobile.", "old.", "new.", "en.", "web.", "touch.")

#: "dot", a bracketed dot, or a dot with spaces around it: a domain written to evade.
_SEP: Final = r"(?:\s*(?:\(\.\)|\[\.\]|\(dot\)|\[dot\]|\{dot\}|\bdot\b)\s*|\s+\.\s*|\s*\.\s+)"
_OBFUSCATED_TLDS: Final = r"(?:com|net|org|io|co|uk|gg|tv|app|xyz|ly|me|ee|gd|link|chat)"
_GENERIC_OBFUSCATED_TLDS: Final = r"(?:com|net|org|io|gg|tv|app|xyz|ly|link)"
_URL: Final = re.compile(
    r"\b(?:(?:https?|ftp)://|www\.)[^\s<>\"']+|\b(?:mailto|tel|sms|callto|facetime|skype|"
    r"whatsapp|tg|viber|signal):[^\s<>\"']+"
)
_BARE: Final = re.compile(
    r"(?<![@\w.\-/])((?:[a-z0-9][a-z0-9-]{0,62}\.){1,6}" + TLDS + r")(?![.\-]?\w)"
    r"((?:/|\?|#)[^\s<>\"']*)?"
)
_OBFUSCATED: Final = re.compile(
    r"(?<![a-z0-9.@])([a-z0-9][a-z0-9-]{0,62})(" + _SEP + r")(" + _OBFUSCATED_TLDS + r")"
    r"(?![a-z0-9])(\s*/\s*[^\s<>\"']+)?"
)
_EMAIL_IN_URL: Final = re.compile(r"[a-z0-9._%+\-]{1,64}@[a-z0-9\-]{1,63}(?:\.[a-z0-9\-]{1,63})+")
_DIGIT_RUN: Final = re.compile(r"\+?\d[\d\-.() ]{5,22}\d")
_PHONE_VALUE: Final = re.compile(r"^\+?[\d\s().\-]{7,24}$")
_PHONE_KEYS: Final = frozenset(
    {"phone", "tel", "telephone", "mobile", "cell", "number", "whatsapp", "wa", "contact", "sms"}
)
_CONTACT_SCHEMES: Final = frozenset(
    {"mailto", "tel", "sms", "callto", "facetime", "skype", "whatsapp", "tg", "viber", "signal"}
)
_TRAILING: Final = ".,;:!?)]}'\""


@dataclass(frozen=True)
class Link:
    """One link found in a message (``host`` without ``www.``; ``path`` includes the query)."""

    start: int
    end: int
    host: str
    path: str
    #: Written to slip past a filter ("name dot com", "t . me/x").
    obfuscated: bool = False
    #: A ``mailto:``/``tel:``/... address rather than a web page.
    scheme: str = ""


def _strip_host(host: str) -> str:
    host = host.strip(".").split("@")[-1].split(":")[0]
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if host.startswith(prefix) and host.count(".") > 1:
                host = host[len(prefix) :]
                changed = True
    return host


def _split(url: str) -> tuple[str, str]:
    rest = re.sub(r"^(?:(?:https?|ftp)://)", "", url)
    cut = re.search(r"[/?#]", rest)
    host, path = (rest[: cut.start()], rest[cut.start() :]) if cut else (rest, "")
    return _strip_host(host), path


def find_links(text: str) -> list[Link]:
    """Every link in ``text`` (case-folded), in order, without overlaps."""
    found: list[Link] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for m in _URL.finditer(text):
        raw = m.group(0).rstrip(_TRAILING)
        end = m.start() + len(raw)
        scheme, colon, rest = raw.partition(":")
        if scheme in _CONTACT_SCHEMES and colon:
            found.append(Link(m.start(), end, "", rest, scheme=scheme))
        else:
            host, path = _split(raw)
            found.append(Link(m.start(), end, host, path))
        taken.append((m.start(), end))
    for m in _BARE.finditer(text):
        if not free(m.start(), m.end()) or re.fullmatch(r"[\d.]+", m.group(1)):
            continue
        raw = m.group(0).rstrip(_TRAILING)
        host, path = _split(raw)
        found.append(Link(m.start(), m.start() + len(raw), host, path))
        taken.append((m.start(), m.end()))
    if "dot" in text or " ." in text or ". " in text or "(.)" in text or "[.]" in text:
        for m in _OBFUSCATED.finditer(text):
            if not free(m.start(), m.end()):
                continue
            path = re.sub(r"\s+", "", m.group(4) or "").rstrip(_TRAILING)
            if m.group(2).strip() == "." and not path:
                continue  # "done. me too": a sentence break, not a link
            host = _strip_host(f"{m.group(1)}.{m.group(3)}")
            if not _on(host, MESSAGING_HOSTS) and (
                len(m.group(1)) < 2 or not re.fullmatch(_GENERIC_OBFUSCATED_TLDS, m.group(3))
            ):
                continue  # "a polka dot me": only messaging hosts take the short endings
            found.append(Link(m.start(), m.end(), host, path, obfuscated=True))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda link: link.start)


def _on(host: str, domains: frozenset[str] | dict[str, frozenset[str]]) -> str | None:
    """The entry of ``domains`` that ``host`` is, or is a subdomain of."""
    for domain in domains:
        if host == domain or host.endswith("." + domain):
            return domain
    return None


def _segments(path: str) -> list[str]:
    return [s for s in re.split(r"[?#]", path, maxsplit=1)[0].split("/") if s]


def carries_phone_or_email(link: Link) -> bool:
    """A ``mailto:``/``tel:`` link, or an email or phone number inside the URL."""
    if link.scheme:
        return True
    decoded = unquote(link.path)
    if _EMAIL_IN_URL.search(decoded):
        return True
    query = decoded.partition("?")[2]
    for key, value in parse_qsl(query, keep_blank_values=True):
        digits = re.sub(r"\D", "", value)
        if key.lower() in _PHONE_KEYS and 7 <= len(digits) <= 15 and _PHONE_VALUE.match(value):
            return True
    if _on(link.host, MESSAGING_HOSTS):
        for run in _DIGIT_RUN.findall(decoded):
            if 7 <= len(re.sub(r"\D", "", run)) <= 15:
                return True
    return False


def is_profile(link: Link) -> bool:
    """A link that leads to a person: messaging, profile, link-in-bio or shortener."""
    host = link.host
    if _on(host, MESSAGING_HOSTS) or _on(host, BIO_HOSTS) or _on(host, SHORTENER_HOSTS):
        return True
    segments = _segments(link.path)
    site = _on(host, _CONTENT_FIRST)
    if site is not None:
        if not segments:
            return host != site and not host.startswith("clips.")  # name.tumblr.com
        content = _CONTENT_FIRST[site]
        if "*" in content or segments[0] in content:
            return False
        if len(segments) >= 2 and (
            segments[1] in _CONTENT_SECOND or (segments[0].startswith("@") and segments[1])
        ):
            return False
        return not (site == "tumblr.com" and any(s.isdigit() for s in segments))
    site = _on(host, _PROFILE_FIRST)
    if site is not None:
        return bool(segments) and segments[0] in _PROFILE_FIRST[site]
    # Any other site: "/@name" alone is a profile (mastodon.social/@name).
    return len(segments) == 1 and segments[0].startswith("@") and len(segments[0]) > 1


def is_resource(host: str, resource_domains: frozenset[str]) -> bool:
    """A crisis or support service's own site (always allowed)."""
    return _on(host.removeprefix("www."), resource_domains) is not None


def blocks(link: Link, policy: LinkPolicy, resource_domains: frozenset[str]) -> bool:
    """Whether ``link`` counts as a contact detail under ``policy``."""
    if carries_phone_or_email(link):
        return True
    if is_resource(link.host, resource_domains):
        return False
    if policy == "block_all":
        return True
    if link.obfuscated and _on(link.host, MESSAGING_HOSTS):
        return True
    if policy == "allow":
        return False
    return link.obfuscated or is_profile(link)


def parse_policy(value: object) -> LinkPolicy:
    """``value`` as a link policy; ValueError with the accepted values otherwise."""
    text = str(value).strip().lower().replace("-", "_") if value is not None else ""
    for policy in LINK_POLICIES:
        if text == policy:
            return policy
    raise ValueError(f"LINK_POLICY must be one of {', '.join(LINK_POLICIES)} (got {value!r})")


def mask(text: str, links: list[Link]) -> str:
    """``text`` with every link replaced by the word "link".

    Its digits and "@" are then not read again as a phone number or a handle,
    while "find me at <link>" still reads as an invitation to move elsewhere.
    """
    out: list[str] = []
    last = 0
    for link in links:
        out.append(text[last : link.start])
        out.append(" link ")
        last = link.end
    out.append(text[last:])
    return "".join(out)
