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

TABLE = """
url name                          | target     | anon | alice | carl | maria | walter | vera | otto
core:home                         | -          | 302  | 302   | 302  | 302   | 302    | 302  | 302
core:healthz                      | -          | 200  | 200   | 200  | 200   | 200    | 200  | 200
core:set_language                 | -          | 405  | 405   | 405  | 405   | 405    | 405  | 405
accounts:login                    | -          | 200  | 302   | 302  | 302   | 302    | 302  | 302
accounts:login_verify             | -          | 302  | 302   | 302  | 302   | 302    | 302  | 302
accounts:logout                   | -          | 405  | 405   | 405  | 405   | 405    | 405  | 405
accounts:profile                  | -          | 302  | 200   | 200  | 200   | 200    | 200  | 200
accounts:twofactor_setup          | -          | 302  | 200   | 200  | 200   | 200    | 200  | 200
accounts:twofactor_disable        | -          | 302  | 200   | 200  | 200   | 200    | 200  | 200
accounts:password_change          | -          | 302  | 200   | 200  | 200   | 200    | 200  | 200
accounts:password_reset           | -          | 200  | 200   | 200  | 200   | 200    | 200  | 200
accounts:password_reset_done      | -          | 200  | 200   | 200  | 200   | 200    | 200  | 200
accounts:password_reset_confirm   | reset      | 200  | 200   | 200  | 200   | 200    | 200  | 200
accounts:password_reset_complete  | -          | 200  | 200   | 200  | 200   | 200    | 200  | 200
accounts:accept_invitation        | token      | 200  | 403   | 403  | 403   | 403    | 403  | 403
structure:node                    | unit       | 302  | 200   | 200  | 200   | 200    | 200  | 404
structure:tree                    | unit       | 302  | 200   | 200  | 200   | 200    | 200  | 404
structure:add                     | unit       | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:edit                    | unit       | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:move                    | unit       | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:archive                 | unit       | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:restore                 | unit       | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:members                 | unit       | 302  | 200   | 200  | 200   | 403    | 403  | 404
structure:invite                  | unit       | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:member_edit             | member     | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:member_remove           | member     | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:invitation_revoke       | invitation | 302  | 405   | 403  | 403   | 403    | 403  | 404
structure:audit                   | unit       | 302  | 200   | 403  | 403   | 403    | 403  | 404
logbook:activities                | unit       | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:activity_add              | unit       | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:activity_edit             | activity   | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:week                      | activity   | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:log                       | unit       | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:sessions                  | unit       | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_edit              | session    | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_history           | session    | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_delete            | session    | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:figures                   | unit       | 302  | 200   | 200  | 200   | 200    | 200  | 404
glossary:definitions               | unit       | 302  | 200   | 200  | 200   | 200    | 200  | 404
glossary:definition_questions      | unit       | 302  | 200   | 403  | 403   | 403    | 403  | 404
glossary:definition                | definition | 302  | 200   | 200  | 200   | 200    | 200  | 404
glossary:definition_edit           | definition | 302  | 200   | 403  | 403   | 403    | 403  | 404
glossary:definition_ask            | definition | 302  | 200   | 200  | 200   | 200    | 200  | 404
glossary:definition_answer         | question   | 302  | 200   | 403  | 403   | 403    | 403  | 404
logbook:export                    | unit       | 302  | 200   | 200  | 200   | 200    | 200  | 404
logbook:export_sessions_csv       | unit       | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:export_sessions_xlsx      | unit       | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:export_figures_csv        | unit       | 302  | 200   | 200  | 200   | 200    | 200  | 404
logbook:export_figures_xlsx       | unit       | 302  | 200   | 200  | 200   | 200    | 200  | 404
logbook:import                    | unit       | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:import_check              | unit       | 302  | 403   | 403  | 302   | 302    | 403  | 404
logbook:import_template_csv       | unit       | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:import_template_xlsx      | unit       | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_files             | session    | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_file              | file       | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_file_delete       | file       | 302  | 403   | 403  | 200   | 200    | 403  | 404
network:settings                  | unit       | 302  | 200   | 403  | 403   | 403    | 403  | 404
network:topic_add                 | unit       | 302  | 405   | 405  | 405   | 405    | 405  | 404
network:topic_archive             | tag        | 302  | 405   | 405  | 405   | 405    | 405  | 404
network:reflection                | unit       | 302  | 200   | 403  | 200   | 403    | 403  | 404
network:reflection_archive        | reflection | 302  | 405   | 403  | 405   | 403    | 403  | 404
"""


def rows() -> list[tuple[str, str, dict[str, int]]]:
    lines = [line for line in TABLE.strip().splitlines() if line.strip()]
    header = [cell.strip() for cell in lines[0].split("|")]
    personas = header[2:]
    parsed = []
    for line in lines[1:]:
        cells = [cell.strip() for cell in line.split("|")]
        parsed.append((cells[0], cells[1], dict(zip(personas, map(int, cells[2:]), strict=True))))
    return parsed
