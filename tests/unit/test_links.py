"""The link policy (``LINK_POLICY``): which links count as contact details."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from moderation import links
from moderation.screening import EXPLANATIONS, ScreeningPolicy, explanation_for, screen

BLOCK_ALL = ScreeningPolicy(link_policy="block_all")
BLOCK_CONTACT = ScreeningPolicy(link_policy="block_contact")
ALLOW = ScreeningPolicy(link_policy="allow")

#: Links to content: pass under block_contact and allow, blocked under block_all.
CONTENT = [
    "check out https://en.wikipedia.org/wiki/Otter",
    "this song https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC is lovely",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "youtu.be/dQw4w9WgXcQ made me laugh",
    "https://www.bbc.co.uk/news/uk-67890123",
    "www.goodreads.com/book/show/12345678-the-quiet-book",
    "the article: https://www.theguardian.com/society/2024/jan/05/loneliness-study",
    "https://www.instagram.com/p/Cabc123/ look at this view",
    "https://www.tiktok.com/@sammy/video/7234567890123456789",
    "https://x.com/nasa/status/1234567890123456789",
    "reddit.com/r/aww/comments/abc123/cute_otter",
    "medium.com/@writer/on-being-kind-to-yourself-9f8e7d",
    "https://www.facebook.com/watch?v=1234567890",
    "check out www.example.com",
    "https://example.org/page",
    "the recipe is at bbcgoodfood.com/recipes/lentil-soup",
    "it's on github.com/pallets/flask",
    "just search youtube.com for it",
]

#: Links that lead to a person or a private channel: blocked by block_contact.
PROFILES = [
    "instagram.com/sammy_22",
    "https://www.instagram.com/sammy_22/",
    "t.me/sammy",
    "https://telegram.me/sammy",
    "discord.gg/abcd1234",
    "https://discord.com/invite/abcd1234",
    "snapchat.com/add/sammy",
    "https://www.tiktok.com/@sammy",
    "facebook.com/sam.smith.77",
    "fb.me/sam",
    "m.me/sam",
    "x.com/sammy",
    "https://twitter.com/sammy",
    "linkedin.com/in/sam-smith",
    "threads.net/@sam",
    "reddit.com/u/sam",
    "https://www.reddit.com/user/sam",
    "line.me/ti/p/abc",
    "mastodon.social/@sam",
    "bsky.app/profile/sam.bsky.social",
    "linktr.ee/sammy",
    "join my zoom.us/j/123456789",
    "twitch.tv/sammy",
    "sammy.tumblr.com",
    # shorteners hide where they go
    "bit.ly/3abcd",
    "https://tinyurl.com/yc5x8abc",
    # written to slip past the filter
    "instagram dot com/sammy",
    "bbc dot com",
]

#: Contact under every policy: phone numbers, emails, obfuscated messaging hosts.
ALWAYS = [
    "wa.me/447700900123",
    "https://api.whatsapp.com/send?phone=447700900123",
    "signal.me/#p/+447700900123",
    "mailto:sam@example.com",
    "tel:+447700900123",
    "https://example.com/contact?email=sam%40example.com",
    "https://example.com/form?phone=07700900123",
    "t . me/sammy",
    "wa dot me/sam",
    "my whatsapp is wa dot me",
    "wa dot me/447700900123",
    "discord dot gg/abcd",
    "https://www.bbc.co.uk/news/uk-67890123 and call me on 07700 900123",
    "read en.wikipedia.org/wiki/Otter and add me @sammy_22",
    "find me at sam-writes.net",
    "add me on insta @sammy",
    "my snap is sammy22",
    "email me at sam.smith@example.com",
]

#: Never links: sentence breaks, numbers, crisis services.
NEVER = [
    "I'm done. me too",
    "we went to the zoo. it was fun",
    "a polka dot me dress",
    "v1.2.3 fixed it",
    "See 988lifeline.org or samaritans.org for more.",
    "https://www.nhs.uk/mental-health/",
    "hello @everyone",
    "I deleted instagram and feel better.",
]


@pytest.mark.parametrize("line", CONTENT)
def test_content_links_pass_unless_every_link_is_blocked(line: str) -> None:
    assert screen(line, policy=BLOCK_CONTACT).action == "allow", line
    assert screen(line, policy=ALLOW).action == "allow", line
    assert screen(line).action == "allow", "block_contact is the default"
    strict = screen(line, policy=BLOCK_ALL)
    assert strict.action == "block"
    assert strict.contact_details
    assert "contact_details:any_link" in strict.reasons
    assert explanation_for(strict) == EXPLANATIONS["links_blocked"]


@pytest.mark.parametrize("line", PROFILES)
def test_profile_messaging_and_shortened_links_are_contact_details(line: str) -> None:
    for policy in (BLOCK_ALL, BLOCK_CONTACT):
        verdict = screen(line, policy=policy)
        assert verdict.action == "block", (line, policy.link_policy)
        assert "contact_details:any_link" not in verdict.reasons
        assert explanation_for(verdict) == EXPLANATIONS["contact_details"]
    assert screen(line).action == "block"


@pytest.mark.parametrize("line", ALWAYS)
def test_phones_emails_handles_and_disguised_chat_links_are_blocked_under_every_policy(
    line: str,
) -> None:
    for policy in (BLOCK_ALL, BLOCK_CONTACT, ALLOW):
        verdict = screen(line, policy=policy)
        assert verdict.contact_details, (line, policy.link_policy)
        assert verdict.action == "block"
        assert explanation_for(verdict) == EXPLANATIONS["contact_details"]


@pytest.mark.parametrize("line", NEVER)
def test_sentences_numbers_and_crisis_services_are_not_links(line: str) -> None:
    # About links only: "I'm done." may still draw the learned crisis layer's gentle
    # verdict, which is not this test's business.
    for policy in (BLOCK_ALL, BLOCK_CONTACT, ALLOW):
        verdict = screen(line, policy=policy)
        assert not verdict.contact_details, (line, policy.link_policy)
        assert verdict.action != "block", (line, policy.link_policy)


@pytest.mark.parametrize(
    "line",
    ["instagram.com/sammy_22", "t.me/sammy", "bit.ly/3abcd", "x.com/sammy", "discord.gg/abc"],
)
def test_allow_lets_profile_links_through(line: str) -> None:
    assert screen(line, policy=ALLOW).action == "allow"


def test_a_crisis_message_with_a_link_is_still_a_crisis() -> None:
    verdict = screen("I want to kill myself tonight t.me/sammy", policy=BLOCK_CONTACT)
    assert verdict.crisis
    assert verdict.contact_details
    assert verdict.action == "flag"


def test_links_are_found_with_their_host_and_path() -> None:
    found = links.find_links("see https://www.youtube.com/watch?v=x, and t . me/sam.")
    assert [(x.host, x.path, x.obfuscated) for x in found] == [
        ("youtube.com", "/watch?v=x", False),
        ("t.me", "/sam", True),
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("block_all", "block_all"), (" Block-Contact ", "block_contact"), ("ALLOW", "allow")],
)
def test_parse_policy_accepts_the_three_values(value: str, expected: str) -> None:
    assert links.parse_policy(value) == expected


@pytest.mark.parametrize("value", ["", "none", "block", None])
def test_parse_policy_refuses_anything_else(value: object) -> None:
    with pytest.raises(ValueError, match="LINK_POLICY"):
        links.parse_policy(value)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(
            ["http://", "https://", "www.", "t", " . ", "dot", "me", "/", "@", "?", "=", "%40"]
        )
        | st.text(max_size=8),
        max_size=12,
    ).map("".join),
    st.sampled_from(links.LINK_POLICIES),
)
def test_links_never_raise(text: str, policy: links.LinkPolicy) -> None:
    verdict = screen(text, policy=ScreeningPolicy(link_policy=policy))
    assert verdict.action in {"allow", "flag", "hold", "block"}
    for link in links.find_links(text.casefold()):
        assert 0 <= link.start < link.end <= len(text.casefold())
