"""Who gets what on every URL: URL name by persona → HTTP status of a GET and of a POST.

This is data, not code. `test_permission_matrix.py` requests every cell and fails when a URL
exists that these tables do not list: every URL has a row in both, in the same order.

TABLE: the GET of every URL, on the object named in `target`.

POST_TABLE: the POST of every URL, with the body named in `body` (see BODIES below; `-` is an
empty POST). 405: the URL takes no POST. Anonymous → 302 to the sign-in page; no right → 403;
outside the tree → 404; allowed → 200 (the form shown again) or 302 (done). A refused POST,
and one answered 200, must leave the database as it was: the test compares every tenant
table and the accounts before and after.

PERM_TABLE: the permission each URL's view declares with
`impactlog.tenancy.decorators.node_permission` (checked against the view's `required_perm`);
`-` where the view is not about a place (accounts, core) and has no such declaration.

Targets: `-` no arguments; `unit` Harbour Youth Centre; `survey` Harbour's exit survey;
`member` Walter's role at Harbour; `invitation` an open invitation at Harbour; `token` the link
of an invitation for a new person; `reset` a password-reset link; `activity` the drop-in
at Harbour; `session` one recorded session of it; `definition` the network's definition of a
visit, seen from Harbour; `question` Walter's open question on it; `file` a photo of
the session; `tag` a topic of the network's vocabulary; `reflection` a reflection question
of Harbour; `participant` Robin, a young person registered at Harbour; `consent` Robin's
registration consent; `mylink` the token of Robin's personal link
(the /me/ pages are public: without the young person's own session, staff or not, they answer
403, and the link's PIN page 200); `job` Walter's finished download of Harbour's sessions,
prepared as a job (only the person who started a job sees it: everyone else gets 404).
registration consent; `guardian` the link of a request for a guardian's consent at
Harbour (the guardian's public page, no account); `job` Walter's finished download of
Harbour's sessions, prepared as a job (only the person who started a job sees it: everyone
else gets 404).
registration consent; `device` a kiosk paired to the drop-in; `job` Walter's finished
download of Harbour's sessions, prepared as a job (only the person who started a job sees
it: everyone else gets 404).

Personas: anon (not signed in), alice (network admin), carl (municipality coordinator),
maria (Harbour manager), walter (Harbour youth worker), vera (municipality viewer),
otto (admin of another organisation).
"""

from dataclasses import dataclass

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
glossary:definitions              | unit       | 302  | 200   | 200  | 200   | 200    | 200  | 404
glossary:definition_questions     | unit       | 302  | 200   | 403  | 403   | 403    | 403  | 404
glossary:definition               | definition | 302  | 200   | 200  | 200   | 200    | 200  | 404
glossary:definition_edit          | definition | 302  | 200   | 403  | 403   | 403    | 403  | 404
glossary:definition_ask           | definition | 302  | 200   | 200  | 200   | 200    | 200  | 404
glossary:definition_answer        | question   | 302  | 200   | 403  | 403   | 403    | 403  | 404
logbook:export                    | unit       | 302  | 200   | 200  | 200   | 200    | 200  | 404
logbook:export_sessions_csv       | unit       | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:export_sessions_xlsx      | unit       | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:export_sessions_job       | unit       | 302  | 403   | 403  | 405   | 405    | 403  | 404
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
network:topic_add                 | unit       | 302  | 405   | 403  | 403   | 403    | 403  | 404
network:topic_archive             | tag        | 302  | 405   | 403  | 403   | 403    | 403  | 404
network:reflection                | unit       | 302  | 200   | 403  | 200   | 403    | 403  | 404
network:reflection_archive        | reflection | 302  | 405   | 403  | 405   | 403    | 403  | 404
jobs:status                       | job        | 302  | 404   | 404  | 404   | 200    | 404  | 404
jobs:download                     | job        | 302  | 404   | 404  | 404   | 200    | 404  | 404
participants:list                 | unit        | 302  | 403   | 403  | 200   | 200    | 403  | 404
participants:register             | unit        | 302  | 403   | 403  | 200   | 200    | 403  | 404
participants:settings             | unit        | 302  | 200   | 403  | 403   | 403    | 403  | 404
participants:notice               | unit        | 302  | 200   | 403  | 403   | 403    | 403  | 404
participants:detail               | participant | 302  | 403   | 403  | 200   | 200    | 403  | 404
participants:edit                 | participant | 302  | 403   | 403  | 200   | 200    | 403  | 404
participants:consent              | participant | 302  | 403   | 403  | 200   | 200    | 403  | 404
participants:withdraw             | consent     | 302  | 403   | 403  | 200   | 200    | 403  | 404
participants:erase                | participant | 302  | 403   | 403  | 200   | 200    | 403  | 404
participants:export_json          | participant | 302  | 403   | 403  | 200   | 200    | 403  | 404
participants:export_pdf           | participant | 302  | 403   | 403  | 200   | 200    | 403  | 404
participants:retention            | unit        | 302  | 200   | 403  | 403   | 403    | 403  | 404
participants:link                 | participant | 302  | 403   | 403  | 200   | 200    | 403  | 404
participants:link_revoke          | participant | 302  | 403   | 403  | 405   | 405    | 403  | 404
me:home                           | -           | 403  | 403   | 403  | 403   | 403    | 403  | 403
me:export_json                    | -           | 403  | 403   | 403  | 403   | 403    | 403  | 403
me:sign_out                       | -           | 405  | 405   | 405  | 405   | 405    | 405  | 405
me:open                           | mylink      | 200  | 200   | 200  | 200   | 200    | 200  | 200
kiosk:aliases                     | -           | 401  | 401   | 401  | 401   | 401    | 401  | 401
kiosk:check_in                    | -           | 405  | 405   | 405  | 405   | 405    | 405  | 405
progress:timeline                 | participant | 302  | 403   | 403  | 200   | 200    | 403  | 404
progress:rate                     | participant | 302  | 403   | 403  | 200   | 200    | 403  | 404
progress:note                     | participant | 302  | 403   | 403  | 200   | 200    | 403  | 404
progress:goal_add                 | participant | 302  | 403   | 403  | 200   | 200    | 403  | 404
progress:goal                     | goal        | 302  | 403   | 403  | 200   | 200    | 403  | 404
progress:answer                   | journal     | 302  | 403   | 403  | 200   | 200    | 403  | 404
progress:summary                  | participant | 302  | 403   | 403  | 200   | 200    | 403  | 404
progress:summary_pdf              | participant | 302  | 403   | 403  | 200   | 200    | 403  | 404
progress:recognitions             | unit        | 302  | 403   | 403  | 200   | 200    | 403  | 404
progress:recognition_approve      | recognition | 302  | 403   | 403  | 405   | 405    | 403  | 404
progress:recognition_reject       | recognition | 302  | 403   | 403  | 405   | 405    | 403  | 404
progress:competences              | unit        | 302  | 200   | 403  | 403   | 403    | 403  | 404
participants:guardian_request     | unit        | 302  | 403   | 403  | 200   | 200    | 403  | 404
participants:guardian_paper       | unit        | 302  | 403   | 403  | 200   | 200    | 403  | 404
participants:guardian_paper_pdf   | unit        | 302  | 403   | 403  | 200   | 200    | 403  | 404
participants:guardian_consent     | guardian    | 200  | 200   | 200  | 200   | 200    | 200  | 200
me:progress                       | -           | 403  | 403   | 403  | 403   | 403    | 403  | 403
me:rate                           | -           | 403  | 403   | 403  | 403   | 403    | 403  | 403
me:journal                        | -           | 403  | 403   | 403  | 403   | 403    | 403  | 403
me:recognise                      | -           | 403  | 403   | 403  | 403   | 403    | 403  | 403
kiosk:screen                      | -           | 401  | 401   | 401  | 401   | 401    | 401  | 401
kiosk:pair                        | -           | 200  | 200   | 200  | 200   | 200    | 200  | 200
kiosk:devices                     | unit        | 302  | 403   | 403  | 200   | 403    | 403  | 404
kiosk:code                        | unit        | 302  | 403   | 403  | 405   | 403    | 403  | 404
kiosk:revoke                      | device      | 302  | 403   | 403  | 200   | 403    | 403  | 404
cards:unit                        | unit        | 302  | 403   | 403  | 200   | 200    | 403  | 404
cards:issue_missing               | unit        | 302  | 403   | 403  | 405   | 405    | 403  | 404
cards:sheet                       | unit        | 302  | 403   | 403  | 200   | 200    | 403  | 404
cards:sheet_pdf                   | unit        | 302  | 403   | 403  | 200   | 200    | 403  | 404
cards:issue                       | participant | 302  | 403   | 403  | 405   | 405    | 403  | 404
cards:revoke                      | participant | 302  | 403   | 403  | 405   | 405    | 403  | 404
xlsform:import                    | unit       | 302  | 200   | 200  | 200   | 200    | 403  | 404
xlsform:download                  | survey     | 302  | 200   | 200  | 200   | 200    | 403  | 404
results:page                      | survey      | 302  | 200   | 200  | 200   | 200    | 200  | 404
results:export                    | survey-csv  | 302  | 403   | 403  | 200   | 200    | 403  | 404
results:codebook                  | survey      | 302  | 403   | 403  | 200   | 200    | 403  | 404
surveys:list                      | unit        | 302  | 200   | 200  | 200   | 200    | 403  | 404
"""

POST_TABLE = """
url name                          | body       | anon | alice | carl | maria | walter | vera | otto
core:home                         | -          | 302  | 302   | 302  | 302   | 302    | 302  | 302
core:healthz                      | -          | 405  | 405   | 405  | 405   | 405    | 405  | 405
core:set_language                 | language   | 302  | 302   | 302  | 302   | 302    | 302  | 302
accounts:login                    | login      | 200  | 302   | 302  | 302   | 302    | 302  | 302
accounts:login_verify             | -          | 302  | 302   | 302  | 302   | 302    | 302  | 302
accounts:logout                   | -          | 302  | 302   | 302  | 302   | 302    | 302  | 302
accounts:profile                  | -          | 302  | 200   | 200  | 200   | 200    | 200  | 200
accounts:twofactor_setup          | -          | 302  | 200   | 200  | 200   | 200    | 200  | 200
accounts:twofactor_disable        | -          | 302  | 302   | 302  | 302   | 302    | 302  | 302
accounts:password_change          | -          | 302  | 200   | 200  | 200   | 200    | 200  | 200
accounts:password_reset           | -          | 200  | 200   | 200  | 200   | 200    | 200  | 200
accounts:password_reset_done      | -          | 405  | 405   | 405  | 405   | 405    | 405  | 405
accounts:password_reset_confirm   | -          | 200  | 200   | 200  | 200   | 200    | 200  | 200
accounts:password_reset_complete  | -          | 405  | 405   | 405  | 405   | 405    | 405  | 405
accounts:accept_invitation        | -          | 200  | 403   | 403  | 403   | 403    | 403  | 403
structure:node                    | -          | 302  | 200   | 200  | 200   | 200    | 200  | 404
structure:tree                    | -          | 302  | 200   | 200  | 200   | 200    | 200  | 404
structure:add                     | new-unit   | 302  | 302   | 403  | 403   | 403    | 403  | 404
structure:edit                    | harbour    | 302  | 302   | 403  | 403   | 403    | 403  | 404
structure:move                    | move       | 302  | 302   | 403  | 403   | 403    | 403  | 404
structure:archive                 | -          | 302  | 302   | 403  | 403   | 403    | 403  | 404
structure:restore                 | -          | 302  | 200   | 403  | 403   | 403    | 403  | 404
structure:members                 | -          | 302  | 200   | 200  | 200   | 403    | 403  | 404
structure:invite                  | invite     | 302  | 302   | 403  | 403   | 403    | 403  | 404
structure:member_edit             | role       | 302  | 302   | 403  | 403   | 403    | 403  | 404
structure:member_remove           | -          | 302  | 302   | 403  | 403   | 403    | 403  | 404
structure:invitation_revoke       | -          | 302  | 302   | 403  | 403   | 403    | 403  | 404
structure:audit                   | -          | 302  | 200   | 403  | 403   | 403    | 403  | 404
logbook:activities                | -          | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:activity_add              | activity   | 302  | 403   | 403  | 302   | 302    | 403  | 404
logbook:activity_edit             | activity   | 302  | 403   | 403  | 302   | 302    | 403  | 404
logbook:week                      | -          | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:log                       | -          | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:sessions                  | -          | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_edit              | -          | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_history           | -          | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_delete            | -          | 302  | 403   | 403  | 302   | 302    | 403  | 404
logbook:figures                   | -          | 302  | 200   | 200  | 200   | 200    | 200  | 404
glossary:definitions              | -          | 302  | 200   | 200  | 200   | 200    | 200  | 404
glossary:definition_questions     | -          | 302  | 200   | 403  | 403   | 403    | 403  | 404
glossary:definition               | -          | 302  | 200   | 200  | 200   | 200    | 200  | 404
glossary:definition_edit          | definition | 302  | 302   | 403  | 403   | 403    | 403  | 404
glossary:definition_ask           | question   | 302  | 302   | 302  | 302   | 302    | 302  | 404
glossary:definition_answer        | answer     | 302  | 302   | 403  | 403   | 403    | 403  | 404
logbook:export                    | -          | 302  | 405   | 405  | 405   | 405    | 405  | 404
logbook:export_sessions_csv       | -          | 302  | 403   | 403  | 405   | 405    | 403  | 404
logbook:export_sessions_xlsx      | -          | 302  | 403   | 403  | 405   | 405    | 403  | 404
logbook:export_sessions_job       | -          | 302  | 403   | 403  | 302   | 302    | 403  | 404
logbook:export_figures_csv        | -          | 302  | 405   | 405  | 405   | 405    | 405  | 404
logbook:export_figures_xlsx       | -          | 302  | 405   | 405  | 405   | 405    | 405  | 404
logbook:import                    | -          | 302  | 403   | 403  | 400   | 400    | 403  | 404
logbook:import_check              | -          | 302  | 403   | 403  | 302   | 302    | 403  | 404
logbook:import_template_csv       | -          | 302  | 403   | 403  | 405   | 405    | 403  | 404
logbook:import_template_xlsx      | -          | 302  | 403   | 403  | 405   | 405    | 403  | 404
logbook:session_files             | -          | 302  | 403   | 403  | 200   | 200    | 403  | 404
logbook:session_file              | -          | 302  | 403   | 403  | 405   | 405    | 403  | 404
logbook:session_file_delete       | -          | 302  | 403   | 403  | 302   | 302    | 403  | 404
network:settings                  | settings   | 302  | 302   | 403  | 403   | 403    | 403  | 404
network:topic_add                 | topic      | 302  | 302   | 403  | 403   | 403    | 403  | 404
network:topic_archive             | -          | 302  | 302   | 403  | 403   | 403    | 403  | 404
network:reflection                | reflection | 302  | 302   | 403  | 302   | 403    | 403  | 404
network:reflection_archive        | -          | 302  | 302   | 403  | 302   | 403    | 403  | 404
jobs:status                       | -          | 302  | 405   | 405  | 405   | 405    | 405  | 404
jobs:download                     | -          | 302  | 405   | 405  | 405   | 405    | 405  | 404
participants:list                 | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
participants:register             | participant | 302  | 403   | 403  | 302   | 302    | 403  | 404
participants:settings             | keeping     | 302  | 302   | 403  | 403   | 403    | 403  | 404
participants:notice               | notice      | 302  | 302   | 403  | 403   | 403    | 403  | 404
participants:detail               | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
participants:edit                 | participant | 302  | 403   | 403  | 302   | 302    | 403  | 404
participants:consent              | consent     | 302  | 403   | 403  | 302   | 302    | 403  | 404
participants:withdraw             | -           | 302  | 403   | 403  | 302   | 302    | 403  | 404
participants:erase                | -           | 302  | 403   | 403  | 302   | 302    | 403  | 404
participants:export_json          | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
participants:export_pdf           | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
participants:retention            | -           | 302  | 405   | 403  | 403   | 403    | 403  | 404
participants:link                 | link        | 302  | 403   | 403  | 302   | 302    | 403  | 404
participants:link_revoke          | -           | 302  | 403   | 403  | 302   | 302    | 403  | 404
me:home                           | -           | 405  | 405   | 405  | 405   | 405    | 405  | 405
me:export_json                    | -           | 405  | 405   | 405  | 405   | 405    | 405  | 405
me:sign_out                       | -           | 200  | 200   | 200  | 200   | 200    | 200  | 200
me:open                           | -           | 200  | 200   | 200  | 200   | 200    | 200  | 200
kiosk:aliases                     | -           | 405  | 405   | 405  | 405   | 405    | 405  | 405
kiosk:check_in                    | -           | 400  | 400   | 400  | 400   | 400    | 400  | 400
progress:timeline                 | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
progress:rate                     | rating      | 302  | 403   | 403  | 302   | 302    | 403  | 404
progress:note                     | note        | 302  | 403   | 403  | 302   | 302    | 403  | 404
progress:goal_add                 | goal        | 302  | 403   | 403  | 302   | 302    | 403  | 404
progress:goal                     | goal-update | 302  | 403   | 403  | 302   | 302    | 403  | 404
progress:answer                   | reply       | 302  | 403   | 403  | 302   | 302    | 403  | 404
progress:summary                  | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
progress:summary_pdf              | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
progress:recognitions             | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
progress:recognition_approve      | -           | 302  | 403   | 403  | 302   | 302    | 403  | 404
progress:recognition_reject       | -           | 302  | 403   | 403  | 302   | 302    | 403  | 404
progress:competences              | competence  | 302  | 302   | 403  | 403   | 403    | 403  | 404
participants:guardian_request     | -           | 302  | 403   | 403  | 200   | 200    | 403  | 404
participants:guardian_paper       | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
participants:guardian_paper_pdf   | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
participants:guardian_consent     | -           | 200  | 200   | 200  | 200   | 200    | 200  | 200
me:progress                       | -           | 405  | 405   | 405  | 405   | 405    | 405  | 405
me:rate                           | -           | 403  | 403   | 403  | 403   | 403    | 403  | 403
me:journal                        | -           | 403  | 403   | 403  | 403   | 403    | 403  | 403
me:recognise                      | -           | 403  | 403   | 403  | 403   | 403    | 403  | 403
kiosk:screen                      | -           | 405  | 405   | 405  | 405   | 405    | 405  | 405
kiosk:pair                        | pairing     | 200  | 200   | 200  | 200   | 200    | 200  | 200
kiosk:devices                     | -           | 302  | 403   | 403  | 405   | 403    | 403  | 404
kiosk:code                        | code        | 302  | 403   | 403  | 201   | 403    | 403  | 404
kiosk:revoke                      | -           | 302  | 403   | 403  | 302   | 403    | 403  | 404
cards:unit                        | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
cards:issue_missing               | -           | 302  | 403   | 403  | 302   | 302    | 403  | 404
cards:sheet                       | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
cards:sheet_pdf                   | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
cards:issue                       | -           | 302  | 403   | 403  | 302   | 302    | 403  | 404
cards:revoke                      | -           | 302  | 403   | 403  | 302   | 302    | 403  | 404
xlsform:import                    | -           | 302  | 400   | 400  | 400   | 400    | 403  | 404
xlsform:download                  | -           | 302  | 405   | 405  | 405   | 405    | 403  | 404
results:page                      | -           | 302  | 405   | 405  | 405   | 405    | 405  | 404
results:export                    | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
results:codebook                  | -           | 302  | 403   | 403  | 405   | 405    | 403  | 404
surveys:list                      | -           | 302  | 405   | 405  | 405   | 405    | 403  | 404
"""

# The permission each view declares; "-": not about a place, no `node_permission`.
PERM_TABLE = """
url name                          | perm
core:home                         | -
core:healthz                      | -
core:set_language                 | -
accounts:login                    | -
accounts:login_verify             | -
accounts:logout                   | -
accounts:profile                  | -
accounts:twofactor_setup          | -
accounts:twofactor_disable        | -
accounts:password_change          | -
accounts:password_reset           | -
accounts:password_reset_done      | -
accounts:password_reset_confirm   | -
accounts:password_reset_complete  | -
accounts:accept_invitation        | -
structure:node                    | node.view
structure:tree                    | node.view
structure:add                     | structure.manage
structure:edit                    | structure.manage
structure:move                    | structure.manage
structure:archive                 | structure.manage
structure:restore                 | structure.manage
structure:members                 | members.view
structure:invite                  | members.manage
structure:member_edit             | members.manage
structure:member_remove           | members.manage
structure:invitation_revoke       | members.manage
structure:audit                   | audit.view
logbook:activities                | records.view
logbook:activity_add              | records.edit
logbook:activity_edit             | records.edit
logbook:week                      | records.edit
logbook:log                       | records.edit
logbook:sessions                  | records.view
logbook:session_edit              | records.edit
logbook:session_history           | records.view
logbook:session_delete            | records.edit
logbook:figures                   | reports.view
glossary:definitions              | node.view
glossary:definition_questions     | definitions.edit
glossary:definition               | node.view
glossary:definition_edit          | definitions.edit
glossary:definition_ask           | node.view
glossary:definition_answer        | definitions.edit
logbook:export                    | reports.view
logbook:export_sessions_csv       | records.view
logbook:export_sessions_xlsx      | records.view
logbook:export_sessions_job       | records.view
logbook:export_figures_csv        | reports.view
logbook:export_figures_xlsx       | reports.view
logbook:import                    | records.edit
logbook:import_check              | records.edit
logbook:import_template_csv       | records.edit
logbook:import_template_xlsx      | records.edit
logbook:session_files             | records.view
logbook:session_file              | records.view
logbook:session_file_delete       | records.edit
network:settings                  | definitions.edit
network:topic_add                 | definitions.edit
network:topic_archive             | definitions.edit
network:reflection                | reflection.manage
network:reflection_archive        | reflection.manage
jobs:status                       | node.view
jobs:download                     | node.view
participants:list                 | personal.view
participants:register             | personal.edit
participants:settings             | structure.manage
participants:notice               | structure.manage
participants:detail               | personal.view
participants:edit                 | personal.edit
participants:consent              | personal.edit
participants:withdraw             | personal.edit
participants:erase                | personal.edit
participants:export_json          | personal.view
participants:export_pdf           | personal.view
participants:retention            | structure.manage
participants:link                 | personal.edit
participants:link_revoke          | personal.edit
me:home                           | -
me:export_json                    | -
me:sign_out                       | -
me:open                           | -
kiosk:aliases                     | -
kiosk:check_in                    | -
progress:timeline                 | personal.view
progress:rate                     | personal.edit
progress:note                     | personal.edit
progress:goal_add                 | personal.edit
progress:goal                     | personal.edit
progress:answer                   | personal.edit
progress:summary                  | personal.view
progress:summary_pdf              | personal.view
progress:recognitions             | personal.view
progress:recognition_approve      | personal.edit
progress:recognition_reject       | personal.edit
progress:competences              | structure.manage
participants:guardian_request     | personal.edit
participants:guardian_paper       | personal.edit
participants:guardian_paper_pdf   | personal.edit
participants:guardian_consent     | -
me:progress                       | -
me:rate                           | -
me:journal                        | -
me:recognise                      | -
kiosk:screen                      | -
kiosk:pair                        | -
kiosk:devices                     | kiosk.manage
kiosk:code                        | kiosk.manage
kiosk:revoke                      | kiosk.manage
cards:unit                        | personal.view
cards:issue_missing               | personal.edit
cards:sheet                       | personal.view
cards:sheet_pdf                   | personal.view
cards:issue                       | personal.edit
cards:revoke                      | personal.edit
xlsform:import                    | surveys.manage
xlsform:download                  | surveys.manage
results:page                      | reports.view
results:export                    | surveys.answers
results:codebook                  | surveys.answers
surveys:list                      | surveys.manage
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
    "move": {"new_parent": "{network}"},
    "invite": {"email": "someone@example.org", "role": "worker"},
    "role": {"role": "viewer"},
    "activity": {"name": "Evening club", "kind": "drop_in"},
    "definition": {"term": "Visit", "text": "A young person who comes in.", "version": "1"},
    "question": {"text": "Does a phone call count as a visit?"},
    "answer": {"answer": "No: a visit is in person."},
    "settings": {
        "plausible_participants": "150",
        "bands": "",
        "threshold_visits": "5",
        "threshold_people": "5",
        "threshold_annual_survey": "15",
        "threshold_other_surveys": "5",
    },
    "topic": {"name": "Dance"},
    "participant": {
        "alias": "Fox",
        "birth_year": "2010",
        "birth_month": "3",
        "gender": "girl",
        "status": "school",
        "given_by": "young_person",
        "method": "worker",
        "given_on": "2026-11-18",
    },
    "consent": {
        "kind": "photos",
        "given_by": "young_person",
        "method": "paper",
        "given_on": "2026-11-01",
    },
    "keeping": {"ask_real_name": "on", "new_areas": "Old Town"},
    "notice": {"en": "We keep your alias and your age."},
    "reflection": {"text": "What did the young people decide?"},
    "language": {"language": "en", "next": "/"},
    "login": {"username": "nobody@example.org", "password": "wrong"},
    "link": {"days": "30", "pin": ""},
    "rating": {"competence": "digital", "level": "3", "rated_on": "2026-11-18"},
    "note": {"text": "Led the warm-up today."},
    "goal": {"title": "Lead a workshop", "mentor": "{walter}", "steps": "Pick a topic"},
    "goal-update": {"status": "reached", "reached_on": "2026-11-18"},
    "reply": {"text": "Well done!"},
    "competence": {"name": "Confidence in science experiments", "key_competence": "stem"},
    "pairing": {"code": "WRONGCODE", "name": "Front desk"},
    "code": {"activity": "{drop_in}"},
}


@dataclass(frozen=True)
class Row:
    name: str
    target: str
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
    personas = header[2:]
    return [Row(c[0], c[1], dict(zip(personas, map(int, c[2:]), strict=True))) for c in cells]


def declared_perms() -> dict[str, str]:
    _header, cells = _lines(PERM_TABLE)
    return {name: perm for name, perm in cells}


def post_rows() -> list[PostRow]:
    header, cells = _lines(POST_TABLE)
    personas = header[2:]
    return [PostRow(c[0], c[1], dict(zip(personas, map(int, c[2:]), strict=True))) for c in cells]
