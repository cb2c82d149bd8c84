"""The default vocabulary of progress: the eight key competences for lifelong learning (the
European Council's recommendation of 2018, used by Youthpass) and the 1–5 scale every rating,
a worker's or the young person's own, is made on.

Declared once, here. An organisation adds its own competences (models.Competence), each
optionally mapped to one of the eight, which is what the learning summary groups by.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class KeyCompetence(models.TextChoices):
    LITERACY = "literacy", _("Literacy")
    MULTILINGUAL = "multilingual", _("Multilingual competence")
    STEM = (
        "stem",
        _("Mathematical competence and competence in science, technology and engineering"),
    )
    DIGITAL = "digital", _("Digital competence")
    LEARNING = "learning", _("Personal, social and learning to learn competence")
    CITIZENSHIP = "citizenship", _("Citizenship competence")
    ENTREPRENEURSHIP = "entrepreneurship", _("Entrepreneurship competence")
    CULTURE = "culture", _("Cultural awareness and expression competence")


LOWEST = 1
HIGHEST = 5


class Level(models.IntegerChoices):
    """The steps of the scale, each with a short label a young person understands."""

    STARTING = 1, _("Just starting")
    WITH_HELP = 2, _("With help")
    ON_MY_OWN = 3, _("On my own")
    CONFIDENT = 4, _("Confidently")
    TEACHING = 5, _("Can show others")
