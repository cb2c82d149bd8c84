"""View decorators that know nothing of the domain."""

from __future__ import annotations

from django.views.decorators.http import require_http_methods

# A page with a form: shown on GET (and HEAD), submitted by POST.
form_view = require_http_methods(["GET", "HEAD", "POST"])
