"""Partner search [S4]: members post "looking for partners" requests by strategic domain;
others answer through the portal.

Neither party's e-mail address is shown to the other: an answer is stored and e-mailed to
the request's author by the portal (no Reply-To), with the answerer's name, organisation
and message, and a link to the request, where the author reads every answer.
"""

from django.db import transaction

from members.models import Organisation
from pole.activity import record_activity
from pole.emails import send_email_to_user
from pole.links import absolute_url, language_of
from projects.models import PartnerSearch, PartnerSearchAnswer
from projects.permissions import organisations_for_answering, organisations_for_posting


class PartnerSearchClosed(Exception):
    """The request is closed: it takes no more answers."""


class NotAllowed(Exception):
    """The user may not do this with this request (not its author, or answering his own)."""


def person_name(user) -> str:
    """What the other party sees of a user: his name, never his e-mail address."""
    return user.get_full_name().strip()


def post_partner_search(
    *, author, organisation: Organisation, strategic_domain, title: str, description: str
) -> PartnerSearch:
    """Publish a request on behalf of `organisation` (which `author` must be allowed to post
    for: see organisations_for_posting). Side effects: creates it, writes the activity log."""
    if not organisations_for_posting(author).filter(pk=organisation.pk).exists():
        raise NotAllowed("post")
    with transaction.atomic():
        search = PartnerSearch.objects.create(
            author=author,
            organisation=organisation,
            strategic_domain=strategic_domain,
            title=title.strip(),
            description=description.strip(),
        )
        record_activity(actor=author, verb="partner_search.posted", target=search, data={"title": search.title})
    return search


def answer_partner_search(
    *, search: PartnerSearch, author, organisation: Organisation, message: str
) -> PartnerSearchAnswer:
    """Answer `search` on behalf of `organisation`.

    Side effects: stores the answer, writes the activity log, and e-mails the request's
    author after commit, in his language: the answerer's name and organisation, the
    message and a link to the request — no e-mail address of either party, no Reply-To
    (replies go through the portal). Raises PartnerSearchClosed, or NotAllowed when the
    user answers his own request or for an organisation he is not a contact of."""
    with transaction.atomic():
        search = PartnerSearch.objects.select_for_update().select_related("author", "organisation").get(pk=search.pk)
        if not search.is_open:
            raise PartnerSearchClosed(search.pk)
        if author.pk == search.author_id:
            raise NotAllowed("answer own request")
        if not organisations_for_answering(author, search).filter(pk=organisation.pk).exists():
            raise NotAllowed("answer for this organisation")
        answer = PartnerSearchAnswer.objects.create(
            search=search, author=author, organisation=organisation, message=message.strip()
        )
        record_activity(
            actor=author,
            verb="partner_search.answered",
            target=search,
            data={"answer": answer.pk, "organisation": organisation.pk},
        )
        recipient = search.author
        send_email_to_user(
            user=recipient,
            name="projects_partner_search_answer",
            context={
                "search_title": search.title,
                "recipient_name": recipient.first_name,
                "answerer_name": person_name(author),
                "answerer_organisation": organisation.display_name,
                "message": answer.message,
                "search_url": absolute_url(
                    "projects:partner-search-detail", language=language_of(recipient), kwargs={"pk": search.pk}
                ),
            },
        )
    return answer


def close_partner_search(*, search: PartnerSearch, actor) -> PartnerSearch:
    """Close `search` (its author only): it leaves the list and takes no more answers.
    Side effects: saves `is_open`, writes the activity log. Closing twice is harmless."""
    if actor.pk != search.author_id:
        raise NotAllowed("close")
    with transaction.atomic():
        updated = PartnerSearch.objects.filter(pk=search.pk, is_open=True).update(is_open=False)
        search.is_open = False
        if updated:
            record_activity(actor=actor, verb="partner_search.closed", target=search)
    return search
