"""The default glossary every network starts with: what counts as a visit, a visitor, an hour…

The texts are translatable, so a network sees them in every language until one of its
coordinators edits a definition; from then on the network's own wording is shown as written.
`docs/definitions.md` explains the same definitions in prose (a test keeps them together).

Each text is made of paragraphs: the first says what the term means in a sentence or two (it is
the short help shown next to a form field), the next ones what counts and what does not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DefaultDefinition:
    key: str
    term: Promise
    paragraphs: tuple[Promise, ...]

    @property
    def text(self) -> str:
        """The whole text in the active language, paragraphs separated by a blank line."""
        return "\n\n".join(str(paragraph) for paragraph in self.paragraphs)


DEFAULT_DEFINITIONS: tuple[DefaultDefinition, ...] = (
    DefaultDefinition(
        "session",
        _("Session"),
        (
            _(
                "A session is one occasion of an activity: one evening of the open meeting "
                "place, one meeting of a group, one day of a camp, one class visited, one online "
                "meeting. It has a date, a start and an end (or a length), and it is recorded "
                "once, by the unit that ran it."
            ),
            _(
                "Counts as one session: a continuous stretch of time in which the activity was "
                "open to young people or met with them. If the meeting place closes for a break "
                "and opens again the same day (for example 12–14 and 16–20), record two "
                "sessions. A camp or an event over several days is one session per day. An "
                "opening where nobody came is still a session, with zero participants: being "
                "open is part of the work."
            ),
            _(
                "Does not count: preparation, tidying up, team meetings, staff training and "
                "travel without young people; an activity that was planned but did not happen. "
                "When two units run something together, only one of them records it, so that "
                "nobody is counted twice."
            ),
        ),
    ),
    DefaultDefinition(
        "visit",
        _("Visit"),
        (
            _(
                "A visit is one young person taking part in one session. The participants of a "
                "session are its visits; the visits of a period are the participants of all its "
                "sessions added together."
            ),
            _(
                "Counts: every young person who took part in the session, on site or live "
                "online, once per session, even if they left and came back. The same young "
                "person at two sessions, also on the same day, makes two visits. Youth "
                "producers of the session are participants too."
            ),
            _(
                "Does not count: staff and volunteers running the session; parents, teachers "
                "and other adults who only accompany young people; people who only passed by, "
                "asked something or waited for someone without taking part; later views of a "
                "recording. Visits tell how much an activity was used, not how many different "
                "young people it reached: that is the number of visitors."
            ),
        ),
    ),
    DefaultDefinition(
        "visitor",
        _("Visitor"),
        (
            _(
                "A visitor is one unique young person, however many times they came in the "
                "period. Ten visits by the same two young people are ten visits but two "
                "visitors."
            ),
            _(
                "The head-counts of sessions record visits, not visitors: from counts alone "
                "nobody can tell whether today's twelve are the same twelve as yesterday. The "
                "number of visitors can only be known where young people are recorded as "
                "persons, for example when they check in with an alias. Where check-ins are "
                "used, visitors are counted from them; until then reports show visits only."
            ),
            _(
                "Do not estimate visitors by dividing visits by a guessed number of visits per "
                "person, and do not keep lists of names beside the logbook to count them. If a "
                "unit gives a number of visitors from another source, such as a membership "
                "register, the report must say where it comes from."
            ),
        ),
    ),
    DefaultDefinition(
        "youth-producer",
        _("Youth producer"),
        (
            _(
                "A youth producer is a young person of the activity's target group who planned, "
                "led or ran all or part of a session: they took responsibility for what "
                "happened, not only took part."
            ),
            _(
                "Counts: leading a workshop or a game, running the café or the music, organising "
                "an event, moderating an online stream, coaching younger participants, "
                "presenting their project. Count each youth producer once per session. Youth "
                "producers are also participants of the session, so there can never be more "
                "youth producers than participants."
            ),
            _(
                "Does not count: taking part actively; helping to tidy up or a small task asked "
                "on the spot, such as handing out materials; young people employed to run the "
                "session, who are staff; adult volunteers, who are volunteers. When young people "
                "produced the session, tick “produced by young people” and give the number of "
                "youth producers and the youth-produced time."
            ),
        ),
    ),
    DefaultDefinition(
        "youth-produced-hour",
        _("Youth-produced hour"),
        (
            _(
                "A youth-produced hour is an hour of a session that young people planned and "
                "ran themselves. It is measured in the clock time of the session, like opening "
                "hours."
            ),
            _(
                "Counts: the part of the session led by youth producers. If young people ran "
                "the whole three-hour evening, that is three youth-produced hours; if they led a "
                "one-hour workshop during a four-hour opening, one hour. The share of "
                "youth-produced hours is the youth-produced hours divided by all session hours."
            ),
            _(
                "Does not count: preparation before or after the session; time in which young "
                "people only took part. Hours are not multiplied by the number of youth "
                "producers: three young people leading one hour together make one hour. "
                "Youth-produced time can never be longer than the session."
            ),
        ),
    ),
    DefaultDefinition(
        "opening-hour",
        _("Opening hour"),
        (
            _(
                "An opening hour is an hour in which an open meeting place (drop-in) was open "
                "to young people with a youth worker present. The opening hours of a period are "
                "the lengths of all sessions of open meeting place activities added together."
            ),
            _(
                "Counts: the time the doors were actually open to young people. If you closed "
                "early or stayed open longer, record the real times, not the advertised ones. "
                "Opening hours are clock hours: two youth workers on duty for four hours make "
                "four opening hours, not eight. Hours in which nobody came still count."
            ),
            _(
                "Does not count: time the building is open only for others, such as a rented "
                "hall or a staff meeting; preparation before opening; groups, projects and "
                "events held in the same house, which are sessions of their own activities "
                "(a group's time counts as group hours)."
            ),
        ),
    ),
    DefaultDefinition(
        "group-hour",
        _("Group hour"),
        (
            _(
                "A group hour is an hour of a session of a group or club: a set group of young "
                "people meeting, usually regularly, with a leader, around a shared interest or "
                "aim. The group hours of a period are the lengths of all sessions of group or "
                "club activities added together."
            ),
            _(
                "Counts: the time the group met, in clock hours. A 90-minute meeting is 1.5 "
                "group hours whatever the number of participants or leaders. When two groups "
                "meet at the same time in different rooms, each records its own sessions and "
                "group hours."
            ),
            _(
                "Does not count: drop-in time at the open meeting place (those are opening "
                "hours); projects, events, camps, outreach, school classes and individual "
                "support, which are sessions of their own kind; preparation and travel."
            ),
        ),
    ),
    DefaultDefinition(
        "online-participant",
        _("Online participant (live)"),
        (
            _(
                "An online participant is a person who takes part in an online or hybrid "
                "session while it happens: in the video call, in the online game or chat run by "
                "the youth worker, or by taking part in a live stream."
            ),
            _(
                "Counts: people you can see taking part (names or cameras in a call, people "
                "writing in the chat or playing), each once per session as for a visit. Enter "
                "their number as live online participants and count them among the "
                "participants of the session too: by gender and age band if you know them, "
                "otherwise as a total with the breakdown not known. In a hybrid session, count "
                "each person once, on site or online."
            ),
            _(
                "Does not count: later views of a recording or a post (see “Later view”); a "
                "platform's count of viewers, plays or reactions when you cannot see who took "
                "part; the same person joining on two devices."
            ),
        ),
    ),
    DefaultDefinition(
        "later-view",
        _("Later view"),
        (
            _(
                "A later view is a view of an online session's recording, post or stream by "
                "someone who did not take part live. Later views measure reach, not "
                "participation."
            ),
            _(
                "Counts: the views or plays the platform reports for the recording, read on a "
                "fixed day (for example a week after the session) so that sessions can be "
                "compared. A platform's count of viewers of a live stream, when you cannot see "
                "who took part, is also entered here. Views on several platforms may be added "
                "up, because views are not people."
            ),
            _(
                "Later views are never counted as participants, visits or visitors: reports show "
                "them apart. Views by the youth workers themselves do not count."
            ),
        ),
    ),
    DefaultDefinition(
        "staff-hour",
        _("Staff hour"),
        (
            _(
                "A staff hour is one hour of one paid worker's time in a session. The staff "
                "hours of a session are the hours of every member of staff present added "
                "together: two youth workers for a three-hour evening make six staff hours."
            ),
            _(
                "Counts: employees of the unit and others paid for their work in the session "
                "(project staff, hired instructors, paid trainees), for the time they were in "
                "the session with young people."
            ),
            _(
                "Does not count: preparation, documentation, travel, team meetings and training "
                "outside the session; volunteers, whose time is volunteer hours; young people "
                "who led the session without pay, who are youth producers; staff of partners "
                "who only visited without helping to run the session."
            ),
        ),
    ),
    DefaultDefinition(
        "volunteer-hour",
        _("Volunteer hour"),
        (
            _(
                "A volunteer hour is one hour given without pay by one volunteer in a session. "
                "The volunteer hours of a session are the hours of every volunteer present "
                "added together."
            ),
            _(
                "Counts: people who helped to run the session without being paid for it and not "
                "as part of their job: parents, students, neighbours, members of the "
                "organisation, older young people trained as volunteer leaders. A small "
                "expense allowance does not make them staff."
            ),
            _(
                "Does not count: young people of the target group who produced the session "
                "(they are youth producers and participants, not counted again as volunteers); "
                "paid staff; preparation and travel."
            ),
        ),
    ),
    DefaultDefinition(
        "breakdown-not-known",
        _("Participants, breakdown not known"),
        (
            _(
                "When you know how many young people took part but not their gender and age, "
                "enter a single total and mark the breakdown as not known. The session still "
                "counts fully in sessions and visits."
            ),
            _(
                "Use it when asking was impossible or would have been intrusive: a large event, "
                "a concert, street outreach, an online stream. Reports show such totals as "
                "“breakdown not known”, and shares such as the share of girls are calculated "
                "only from the visits that have a breakdown."
            ),
            _(
                "Do not guess a breakdown or split a total evenly. If you know "
                "most of the breakdown, enter the counts you know and put the rest under “not "
                "stated” and “age not known” instead of giving a total only."
            ),
        ),
    ),
    DefaultDefinition(
        "protected-figure",
        _("Protected figure"),
        (
            _(
                "A protected figure is a count of young people shown to someone who did not "
                "record it: a coordinator, a viewer, an administrator, and the charts and "
                "downloads they receive. A count from 1 to the network's threshold minus one is "
                "shown as “fewer than 5” (or the network's threshold). So is a zero added up "
                "together with such a count (in the same table, or into the same total of a "
                "place or a period), so “fewer than 5” can also mean 0; other zeros are shown "
                "as 0."
            ),
            _(
                "A zero that other zeros hold at 0 anyway (in a row or column of zeros, or 0 in "
                "every place or month that makes up a total) is shown as 0 even then."
            ),
            _(
                "Some larger counts are shown as “hidden” as well, so that a small one cannot "
                "be worked out by subtracting: from the totals beside it, from a municipality "
                "and its other centres, or from a quarter and two of its months. What is hidden "
                "is decided once for the whole network and year, so every page, chart and "
                "download shows the same."
            ),
            _(
                "Now and then even these words would give a count away (four counts each "
                "“fewer than 5” that add up to “fewer than 5” can only be 1 each). The counts "
                "around it are then “not shown”, which says nothing about their size: small or "
                "large."
            ),
            _(
                "Does not apply: to the workers and managers of a unit, who see their own "
                "unit's figures exactly; to sessions and hours, which count no young person. "
                "People who see protected figures choose calendar months, quarters, half-years "
                "and years rather than single days or weeks, which could single out one "
                "session."
            ),
        ),
    ),
    DefaultDefinition(
        "age-band",
        _("Age band"),
        (
            _(
                "Participants are counted in age bands by their age in years on the day of the "
                "session: under 13, 13–15, 16–18, 19–24, 25–29, and “age not known”."
            ),
            _(
                "Counts: the age the young person tells you or that you know. At an event or "
                "outreach where you cannot ask, a youth worker's careful estimate is "
                "acceptable."
            ),
            _(
                "Does not count: an age worked out from the year of birth alone, because young "
                "people born in the same year can be in different bands on the day (a young "
                "person is 15 until their sixteenth birthday); a band picked at random: use “age "
                "not known” instead. Adults who only accompany young people are not "
                "participants at all."
            ),
        ),
    ),
    DefaultDefinition(
        "gender",
        _("Gender"),
        (
            _(
                "Participants are counted as girls, boys, non-binary or not stated, as the "
                "young people describe themselves."
            ),
            _(
                "Counts: the category young people use for themselves, as far as you know it. "
                "In a busy drop-in you count as you know the young people; when someone has told "
                "you how they describe themselves, use that. “Non-binary” is for those who "
                "describe themselves as neither a girl nor a boy, or as both; “not stated” for "
                "when a young person does not want to say, when you do not know, or when asking "
                "would not be appropriate. “Not stated” is always an acceptable answer."
            ),
            _(
                "Do not ask young people to prove or explain their gender, and do not correct "
                "what they told you. Counts are figures only: never write in the notes whom a "
                "count refers to, because in a small group that can identify a young person."
            ),
        ),
    ),
)

DEFAULTS: dict[str, DefaultDefinition] = {item.key: item for item in DEFAULT_DEFINITIONS}
# The order in which a glossary is shown: the defaults' order, then any other key.
ORDER: dict[str, int] = {item.key: index for index, item in enumerate(DEFAULT_DEFINITIONS)}
