"""Answers about how a drama was made and where it shows: director, writer, original work, Korean
title, network, platforms, ratings and genres."""

from __future__ import annotations

from bot.knowledge.labels import crew_names, json_list, source_text
from bot.knowledge.model import Answer
from bot.knowledge.text import join_names


async def answer_korean_title(q, d, label, today) -> Answer:
    if d["korean_title"]:
        return Answer(f"The Korean title of {label} is {d['korean_title']}.", intent="korean_title")
    return Answer(f"I don't have the Korean title of {label}.", intent="korean_title", found=False)


async def answer_source(q, d, label, today) -> Answer:
    if not d["source_title"] and not d["source_type"]:
        return Answer(f"I don't have an original work on record for {label}; it may be an original screenplay.",
                      intent="source", found=False)
    text = f"{label} is based on the {source_text(d)}"
    return Answer(text + ".", intent="source")


async def answer_director(q, d, label, today) -> Answer:
    names = crew_names(json_list(d["directors"]))
    if not names:
        return Answer(f"I don't know who directed {label}.", intent="director", found=False)
    return Answer(f"{label} was directed by {join_names(names)}.", intent="director")


async def answer_writer(q, d, label, today) -> Answer:
    names = crew_names(json_list(d["writers"]))
    if not names:
        return Answer(f"I don't know who wrote {label}.", intent="writer", found=False)
    text = f"{label} was written by {join_names(names)}."
    if d["source_title"] and d["source_author"]:
        text += f" It is based on “{d['source_title']}” by {d['source_author']}."
    return Answer(text, intent="writer")


async def answer_platforms(q, d, label, today) -> Answer:
    platforms = json_list(d["platforms"])
    if platforms:
        text = f"You can watch {label} on {join_names(platforms, 'or')}."
        if d["network"] and d["network"] not in platforms:
            text += f" It originally aired on {d['network']}."
        return Answer(text, intent="platforms")
    if d["network"]:
        return Answer(f"{label} aired on {d['network']}; I don't have streaming platforms for it.",
                      intent="platforms")
    return Answer(f"I don't know where to watch {label}.", intent="platforms", found=False)


# How sources and fans also write a network: its channel's full name, its company's name, an older name.
NETWORK_NAMES = {
    "KBS": "KBS (Korean Broadcasting System)", "KBS1": "KBS1 (KBS 1TV)", "KBS2": "KBS2 (KBS 2TV)",
    "MBC": "MBC TV (Munhwa Broadcasting Corporation)", "SBS": "SBS TV (Seoul Broadcasting System)",
    "EBS": "EBS (Educational Broadcasting System)", "MBN": "MBN (Maeil Broadcasting Network)",
    "Kakao TV": "Kakao TV (Daum Kakao TV)", "Coupang Play": "Coupang Play (formerly Coupang TV)",
}


async def answer_network(q, d, label, today) -> Answer:
    if not d["network"]:
        return await answer_platforms(q, d, label, today)
    text = f"{label} aired on {NETWORK_NAMES.get(d['network'], d['network'])}."
    platforms = [p for p in json_list(d["platforms"]) if p != d["network"]]
    if platforms:
        text += f" It streams on {join_names(platforms)}."
    return Answer(text, intent="network")


async def answer_rating(q, d, label, today) -> Answer:
    parts = []
    if d["rating"] is not None:
        parts.append(f"a community rating of {d['rating']:g}/10")
    if d["peak_share"] is not None:
        parts.append(f"a peak nationwide audience share of {d['peak_share']:g}%")
    if not parts:
        return Answer(f"I don't have ratings for {label}.", intent="rating", found=False)
    return Answer(f"{label} has {join_names(parts)}.", intent="rating")


async def answer_genre(q, d, label, today) -> Answer:
    genres = json_list(d["genres"])
    if not genres:
        return Answer(f"I don't have the genres of {label}.", intent="genre", found=False)
    return Answer(f"Genres of {label}: {join_names([g.lower() for g in genres])}.", intent="genre")
