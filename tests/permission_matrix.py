"""Who gets what on every page: URL name by persona → HTTP status of a GET.

This is data, not code. `test_permission_matrix.py` requests every cell and fails when a URL
exists that this table does not list. Targets: `-` no arguments; `unit` Harbour Youth Centre;
`member` Walter's role at Harbour; `invitation` an open invitation at Harbour; `token` the link
of an invitation for a new person; `reset` a password-reset link; `activity` the drop-in
at Harbour; `session` one recorded session of it; `definition` the network's definition of a
visit, seen from Harbour; `question` Walter's open question on it; `file` a photo of
the session.

Personas: anon (not signed in), alice (network admin), carl (municipality coordinator),
maria (Harbour manager), walter (Harbour youth worker), vera (municipality viewer),
otto (admin of another organisation).
"""

from dataclasses import dataclass

TABLE = """
url name                          | target     | perm              | anon | alice | carl | maria | walter | vera | otto
core:home                         | -          | -                 | 302  | 302   | 302  | 302   | 302    | 302  | 302
core:healthz                      | -          | -                 | 200  | 200   | 200  | 200   | 200    | 200  | 200
core:set_language                 | -          | -                 | 405  | 405   | 405  | 405   | 405    | 405  | 405
accounts:login                    | -          | -                 | 200  | 302   | 302  | 302   | 302    | 302  | 302
accounts:login_verify             | -          | -                 | 302  | 302   | 302  | 302   | 302    | 302  | 302
accounts:logout                   | -          | -                 | 405  | 405   | 405  | 405   | 405    | 405  | 405
accounts:profile                  | -          | -                 | 302  | 200   | 200  | 200   | 200    | 200  | 200
accounts:twofactor_setup          | -          | -                 | 302  | 200   | 200  | 200   | 200    | 200  | 200
accounts:twofactor_disable        | -          | -                 | 302  | 200   | 200  | 200   | 200    | 200  | 200
accounts:password_change          | -          | -                 | 302  | 200   | 200  | 200   | 200    | 200  | 200
accounts:password_reset           | -          | -                 | 200  | 200   | 200  | 200   | 200    | 200  | 200
accounts:password_reset_done      | -          | -                 | 200  | 200   | 200  | 200   | 200    | 200  | 200
accounts:password_reset_confirm   | reset      | -                 | 200  | 200   | 200  | 200   | 200    | 200  | 200
accounts:password_reset_complete  | -          | -                 | 200  | 200   | 200  | 200   | 200    | 200  | 200
accounts:accept_invitation        | token      | -                 | 200  | 403   | 403  | 403   | 403    | 403  | 403
structure:node                    | unit       | node.view         | 302  | 200   | 200  | 200   | 200    | 200  | 404
structure:tree                    | unit       | node.view         | 302  | 200   | 200  | 200   | 200    | 200  | 404
structure:add                     | unit       | structure.manage  | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:edit                    | unit       | structure.manage  | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:move                    | unit       | structure.manage  | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:archive                 | unit       | structure.manage  | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:restore                 | unit       | structure.manage  | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:members                 | unit       | members.view      | 302  | 200   | 200  | 200   | 403    | 403  | 404
structure:invite                  | unit       | members.manage    | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:member_edit             | member     | members.manage    | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:member_remove           | member     | members.manage    | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:invitation_revoke       | invitation | members.manage    | 302  | 405   | 403  | 403   | 403    | 403  | 404
structure:audit                   | unit       | audit.view        | 302  | 200   | 403  | 403   | 403    | 403  | 404
logbook:activities                | unit       | records.view      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:activity_add              | unit       | records.edit      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:activity_edit             | activity   | records.edit      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:week                      | activity   | records.edit      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:log                       | unit       | records.edit      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:sessions                  | unit       | records.view      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_edit              | session    | records.edit      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_history           | session    | records.view      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_delete            | session    | records.edit      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:figures                   | unit       | reports.view      | 302  | 200   | 200  | 200   | 200    | 200  | 404
glossary:definitions              | unit       | node.view         | 302  | 200   | 200  | 200   | 200    | 200  | 404
glossary:definition_questions     | unit       | definitions.edit  | 302  | 200   | 403  | 403   | 403    | 403  | 404
glossary:definition               | definition | node.view         | 302  | 200   | 200  | 200   | 200    | 200  | 404
glossary:definition_edit          | definition | definitions.edit  | 302  | 200   | 403  | 403   | 403    | 403  | 404
glossary:definition_ask           | definition | node.view         | 302  | 200   | 200  | 200   | 200    | 200  | 404
glossary:definition_answer        | question   | definitions.edit  | 302  | 200   | 403  | 403   | 403    | 403  | 404
logbook:export                    | unit       | reports.view      | 302  | 200   | 200  | 200   | 200    | 200  | 404
logbook:export_sessions_csv       | unit       | records.view      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:export_sessions_xlsx      | unit       | records.view      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:export_figures_csv        | unit       | reports.view      | 302  | 200   | 200  | 200   | 200    | 200  | 404
logbook:export_figures_xlsx       | unit       | reports.view      | 302  | 200   | 200  | 200   | 200    | 200  | 404
logbook:import                    | unit       | records.edit      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:import_check              | unit       | records.edit      | 302  | 403   | 403  | 302   | 302    | 403  | 404
logbook:import_template_csv       | unit       | records.edit      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:import_template_xlsx      | unit       | records.edit      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_files             | session    | records.view      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_file              | file       | records.view      | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_file_delete       | file       | records.edit      | 302  | 403   | 403  | 200   | 200    | 403  | 404
network:settings                  | unit       | definitions.edit  | 302  | 200   | 403  | 403   | 403    | 403  | 404
network:topic_add                 | unit       | definitions.edit  | 302  | 405   | 403  | 403   | 403    | 403  | 404
network:topic_archive             | tag        | definitions.edit  | 302  | 405   | 403  | 403   | 403    | 403  | 404
network:reflection                | unit       | reflection.manage | 302  | 200   | 403  | 200   | 403    | 403  | 404
network:reflection_archive        | reflection | reflection.manage | 302  | 405   | 403  | 405   | 403    | 403  | 404
"""

POST_TABLE = """
url name                          | body          | anon  | alice | carl  | maria | walter | vera  | otto
core:home                         | -             | 302   | 302   | 302   | 302   | 302    | 302   | 302
core:healthz                      | -             | 405   | 405   | 405   | 405   | 405    | 405   | 405
core:set_language                 | language      | 302   | 302   | 302   | 302   | 302    | 302   | 302
accounts:login                    | login         | 200   | 302   | 302   | 302   | 302    | 302   | 302
accounts:login_verify             | -             | 302   | 302   | 302   | 302   | 302    | 302   | 302
accounts:logout                   | -             | 302   | 302   | 302   | 302   | 302    | 302   | 302
accounts:profile                  | -             | 302   | 200   | 200   | 200   | 200    | 200   | 200
accounts:twofactor_setup          | -             | 302   | 200   | 200   | 200   | 200    | 200   | 200
accounts:twofactor_disable        | -             | 302   | 302   | 302   | 302   | 302    | 302   | 302
accounts:password_change          | -             | 302   | 200   | 200   | 200   | 200    | 200   | 200
accounts:password_reset           | -             | 200   | 200   | 200   | 200   | 200    | 200   | 200
accounts:password_reset_done      | -             | 405   | 405   | 405   | 405   | 405    | 405   | 405
accounts:password_reset_confirm   | -             | 200   | 200   | 200   | 200   | 200    | 200   | 200
accounts:password_reset_complete  | -             | 405   | 405   | 405   | 405   | 405    | 405   | 405
accounts:accept_invitation        | -             | 200   | 403   | 403   | 403   | 403    | 403   | 403
structure:node                    | -             | 302   | 200   | 200   | 200   | 200    | 200   | 404
structure:tree                    | -             | 302   | 200   | 200   | 200   | 200    | 200   | 404
structure:add                     | new-unit      | 302   | 302   | 403   | 403   | 403    | 403   | 404
structure:edit                    | harbour       | 302   | 302   | 403   | 403   | 403    | 403   | 404
structure:move                    | under-network | 302   | 302   | 403   | 403   | 403    | 403   | 404
structure:archive                 | -             | 302   | 302   | 403   | 403   | 403    | 403   | 404
structure:restore                 | -             | 302   | 200   | 403   | 403   | 403    | 403   | 404
structure:members                 | -             | 302   | 200   | 200   | 200   | 403    | 403   | 404
structure:invite                  | invite        | 302   | 302   | 403   | 403   | 403    | 403   | 404
structure:member_edit             | role          | 302   | 302   | 403   | 403   | 403    | 403   | 404
structure:member_remove           | -             | 302   | 302   | 403   | 403   | 403    | 403   | 404
structure:invitation_revoke       | -             | 302   | 302   | 403   | 403   | 403    | 403   | 404
structure:audit                   | -             | 302   | 200   | 403   | 403   | 403    | 403   | 404
logbook:activities                | -             | 302   | 403   | 403   | 200   | 200    | 403   | 404
logbook:activity_add              | activity      | 302   | 403   | 403   | 302   | 302    | 403   | 404
logbook:activity_edit             | activity      | 302   | 403   | 403   | 302   | 302    | 403   | 404
logbook:week                      | -             | 302   | 403   | 403   | 200   | 200    | 403   | 404
logbook:log                       | -             | 302   | 403   | 403   | 200   | 200    | 403   | 404
logbook:sessions                  | -             | 302   | 403   | 403   | 200   | 200    | 403   | 404
logbook:session_edit              | -             | 302   | 403   | 403   | 200   | 200    | 403   | 404
logbook:session_history           | -             | 302   | 403   | 403   | 200   | 200    | 403   | 404
logbook:session_delete            | -             | 302   | 403   | 403   | 302   | 302    | 403   | 404
logbook:figures                   | -             | 302   | 200   | 200   | 200   | 200    | 200   | 404
glossary:definitions              | -             | 302   | 200   | 200   | 200   | 200    | 200   | 404
glossary:definition_questions     | -             | 302   | 200   | 403   | 403   | 403    | 403   | 404
glossary:definition               | -             | 302   | 200   | 200   | 200   | 200    | 200   | 404
glossary:definition_edit          | definition    | 302   | 302   | 403   | 403   | 403    | 403   | 404
glossary:definition_ask           | question      | 302   | 302   | 302   | 302   | 302    | 302   | 404
glossary:definition_answer        | answer        | 302   | 302   | 403   | 403   | 403    | 403   | 404
logbook:export                    | -             | 302   | 405   | 405   | 405   | 405    | 405   | 404
logbook:export_sessions_csv       | -             | 302   | 403   | 403   | 405   | 405    | 403   | 404
logbook:export_sessions_xlsx      | -             | 302   | 403   | 403   | 405   | 405    | 403   | 404
logbook:export_figures_csv        | -             | 302   | 405   | 405   | 405   | 405    | 405   | 404
logbook:export_figures_xlsx       | -             | 302   | 405   | 405   | 405   | 405    | 405   | 404
logbook:import                    | -             | 302   | 403   | 403   | 200   | 200    | 403   | 404
logbook:import_check              | -             | 302   | 403   | 403   | 302   | 302    | 403   | 404
logbook:import_template_csv       | -             | 302   | 403   | 403   | 405   | 405    | 403   | 404
logbook:import_template_xlsx      | -             | 302   | 403   | 403   | 405   | 405    | 403   | 404
logbook:session_files             | -             | 302   | 403   | 403   | 200   | 200    | 403   | 404
logbook:session_file              | -             | 302   | 403   | 403   | 405   | 405    | 403   | 404
logbook:session_file_delete       | -             | 302   | 403   | 403   | 302   | 302    | 403   | 404
network:settings                  | settings      | 302   | 302   | 403   | 403   | 403    | 403   | 404
network:topic_add                 | topic         | 302   | 302   | 403   | 403   | 403    | 403   | 404
network:topic_archive             | -             | 302   | 302   | 403   | 403   | 403    | 403   | 404
network:reflection                | reflection    | 302   | 302   | 403   | 302   | 403    | 403   | 404
network:reflection_archive        | -             | 302   | 302   | 403   | 302   | 403    | 403   | 404
"""

# Bodies of the POSTs, by the name in the `body` column (`-`: an empty POST). `{name}` is replaced
# by the id of that object of the world (see `ids` in the test). A valid body makes an allowed
# POST do its work (usually a 302 to the next page); an empty one re-shows the form (200).
BODIES: dict[str, dict[str, str]] = {
    "harbour": {
        "name": "Harbour Youth Centre",
        "slug": "harbour",
        "kind": "unit",
        "country": "LV",
        "language": "lv",
        "time_zone": "Europe/Riga",
    },
    "new-unit": {
        "name": "Bay Youth Centre",
        "slug": "bay",
        "kind": "unit",
        "country": "LV",
        "language": "lv",
        "time_zone": "Europe/Riga",
    },
    "under-network": {"new_parent": "{network}"},
    "invite": {"email": "someone@example.org", "role": "worker"},
    "role": {"role": "viewer"},
    "activity": {"name": "Evening club", "kind": "drop_in"},
    "definition": {"term": "Visit", "text": "A young person who comes in.", "version": "1"},
    "question": {"text": "Does a phone call count as a visit?"},
    "answer": {"answer": "No: a visit is in person."},
    "settings": {"plausible_participants": "150", "bands": ""},
    "topic": {"name": "Dance"},
    "reflection": {"text": "What did the young people decide?"},
    "language": {"language": "en", "next": "/"},
    "login": {"username": "nobody@example.org", "password": "wrong"},
}


@dataclass(frozen=True)
class Row:
    name: str
    target: str
    perm: str  # the permission the view declares, or "-" where it is not node-scoped
    get: dict[str, int]


@dataclass(frozen=True)
class PostRow:
    name: str
    body: str
    post: dict[str, int]


def _lines(table: str) -> tuple[list[str], list[list[str]]]:
    lines = [line for line in table.strip().splitlines() if line.strip()]
    header = [cell.strip() for cell in lines[0].split("|")]
    return header, [[cell.strip() for cell in line.split("|")] for line in lines[1:]]


def rows() -> list[Row]:
    header, cells = _lines(TABLE)
    personas = header[3:]
    return [
        Row(c[0], c[1], c[2], dict(zip(personas, map(int, c[3:]), strict=True))) for c in cells
    ]


def post_rows() -> list[PostRow]:
    header, cells = _lines(POST_TABLE)
    personas = header[2:]
    return [PostRow(c[0], c[1], dict(zip(personas, map(int, c[2:]), strict=True))) for c in cells]
