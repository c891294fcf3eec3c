"""Documents of young people's voice: the "you said, we did" sheet the coordinator shares
with the forum (no names: views are never attributed)."""

from __future__ import annotations

from typing import Any

from lift.core.documents import Doc, DocTable, Heading, KeyValue, Para

from .choices import ResponseKind
from .models import Consultation


def you_said_we_did_doc(consultation: Consultation) -> Doc:
    views = list(consultation.views.all())
    answered = [v for v in views if v.response != ResponseKind.PENDING]
    sections: list[Any] = [
        KeyValue(
            [
                ("Topic", consultation.topic),
                ("Views gathered", f"{consultation.opened_on:%-d %B %Y}"),
                ("Views", len(views)),
                ("Answered", len(answered)),
            ]
        )
    ]
    if consultation.description:
        sections.append(Para(consultation.description))
    sections.append(Heading("You said, we did", 1))
    if answered:
        sections.append(
            DocTable(
                "You said, we did",
                ["You said", "Our answer", "What we did, or why not"],
                [[v.said, v.get_response_display(), v.response_text] for v in answered],
            )
        )
    else:
        sections.append(Para("We are still working on our answers."))
    waiting = [v.said for v in views if v.response == ResponseKind.PENDING]
    if waiting:
        sections += [Heading("Still to answer", 1), Para("\n\n".join(waiting))]
    return Doc(
        title=f"You said, we did: {consultation.topic}",
        subtitle="What the partnership did with the Youth Forum's views",
        partnership=consultation.partnership,
        sections=sections,
        date=consultation.published_on,
        toc=False,
    )
