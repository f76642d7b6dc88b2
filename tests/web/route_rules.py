"""Who may use each route of the app, per method: the table the route walk checks.

Every endpoint of `app.url_map` has one line here, and a new route without one fails
tests/web/test_route_walk.py. Adding a rule is one line:

    "health.healthz": rule(get=EVERYONE),

The walk fills every URL with ids of organisation A's objects (tests/web/route_world.py), so
`APPLICANT_A` is the owner and `APPLICANT_B` the stranger. A role not allowed is refused:

- anonymous: a redirect to the login page (`anonymous=401` where the app answers a script),
- a logged-in role: 403, except the roles in `hidden`, who get 404: the applicants' pages
  answer another organisation's applicant 404 on purpose, so no route tells whether an
  application or a project exists (app/call/views/applicant.py, app/followup/views/applicant.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.web.route_world import (
    ACTORS,
    ADMIN,
    ANONYMOUS,
    APPLICANT_A,
    APPLICANT_B,
    COORDINATOR,
    VIEWER,
    YEAR,
)

EVERYONE = frozenset(ACTORS)
#: The region's staff, who read the whole ledger, every call and every project.
STAFF = frozenset({VIEWER, COORDINATOR, ADMIN})
#: Coordinators and administrators, who change money, calls and projects.
MONEY = frozenset({COORDINATOR, ADMIN})
ADMINS = frozenset({ADMIN})
APPLICANTS = frozenset({APPLICANT_A, APPLICANT_B})
#: Applicant A is the owner of every object in the walk's URLs.
OWNER = frozenset({APPLICANT_A})
#: Refused with 404 rather than 403: another organisation's applicant.
STRANGER = frozenset({APPLICANT_B})


@dataclass(frozen=True)
class Rule:
    """Who may use a route with each method; how the others are refused."""

    methods: dict[str, frozenset[str]]
    hidden: frozenset[str] = frozenset()
    anonymous: int | None = None  # the status anonymous gets instead of the login redirect
    query: str = ""  # what the URL needs besides its parameters (a download's format)
    #: URL parameters filled with another of the world's values than their own name's
    #: (tests/web/route_world.py): {"application_id": "review_application_id"}.
    ids: dict[str, str] = field(default_factory=dict)
    get_changes: bool = False  # a GET changes nothing, unless the rule says it does
    #: The API: each actor calls with their personal token, never their session.
    bearer: bool = False

    def refusal(self, actor: str) -> int | str:
        """The status `actor` gets when refused, or "login" for the login redirect."""
        if actor == ANONYMOUS:
            return self.anonymous or "login"
        return 404 if actor in self.hidden else 403


def rule(*, get=None, post=None, put=None, patch=None, delete=None, hidden=frozenset(),
         anonymous=None, query="", ids=None, get_changes=False, bearer=False) -> Rule:
    """Declare who may use a route with each method (a method left out: it takes none)."""
    given = {"GET": get, "POST": post, "PUT": put, "PATCH": patch, "DELETE": delete}
    methods = {m: frozenset(roles) for m, roles in given.items() if roles is not None}
    return Rule(methods, frozenset(hidden), anonymous, query, dict(ids or {}), get_changes,
                bearer)


def api_rule(*, get=None, post=None, patch=None, hidden=frozenset(), query="",
             ids=None) -> Rule:
    """An API route: called with the actor's token; no token (anonymous) is answered 401."""
    return rule(get=get, post=post, patch=patch, hidden=hidden, query=query, ids=ids,
                anonymous=401, bearer=True)


#: The coordinators' review of an application: one under review, so its forms are shown.
UNDER_REVIEW = {"application_id": "review_application_id"}


RULES: dict[str, Rule] = {
    # --- accounts: open to all (a logged-in person is sent on to their first page) ----------
    "auth.login": rule(get=EVERYONE, post=EVERYONE),
    "auth.logout": rule(post=EVERYONE),
    "auth.set_language": rule(post=EVERYONE),
    # --- two-factor login: the code step has no session yet; one's own settings need one ----
    "auth.login_code": rule(get=EVERYONE, post=EVERYONE),
    "auth.two_factor": rule(get=EVERYONE - {ANONYMOUS}),
    # Showing the enrolment page keeps the new key it shows (until a first code confirms it).
    "auth.two_factor_enrol": rule(get=EVERYONE - {ANONYMOUS}, post=EVERYONE - {ANONYMOUS},
                                  get_changes=True),
    "auth.two_factor_disable": rule(post=EVERYONE - {ANONYMOUS}),
    "auth.two_factor_renew": rule(post=EVERYONE - {ANONYMOUS}),
    "auth.register": rule(get=EVERYONE, post=EVERYONE),
    "auth.resend_confirmation": rule(get=EVERYONE, post=EVERYONE),
    # The signed link is the permission: whoever holds it may use it. Opening the e-mail's
    # link confirms the address: the one GET that changes something.
    "auth.confirm_email": rule(get=EVERYONE, ids={"token": "confirm_token"}, get_changes=True),
    "auth.set_password": rule(get=EVERYONE, post=EVERYONE,
                               ids={"token": "password_token"}),
    "auth.forgot_password": rule(get=EVERYONE, post=EVERYONE),
    "auth.reset_password": rule(get=EVERYONE, post=EVERYONE, ids={"token": "reset_token"}),
    # Opening the link sent to the new address moves the account there.
    "auth.confirm_email_change": rule(get=EVERYONE, ids={"token": "email_token"},
                                      get_changes=True),
    # One's own account: whoever is logged in.
    "auth.account": rule(get=EVERYONE - {ANONYMOUS}),
    "auth.change_password": rule(get=EVERYONE - {ANONYMOUS}, post=EVERYONE - {ANONYMOUS}),
    "auth.change_email": rule(get=EVERYONE - {ANONYMOUS}, post=EVERYONE - {ANONYMOUS}),
    "auth.invite": rule(get=MONEY, post=MONEY),
    # One's own API tokens; another's token is not found (the walk's token is applicant A's).
    "auth.api_keys": rule(get=EVERYONE - {ANONYMOUS}, post=EVERYONE - {ANONYMOUS}),
    "auth.revoke_api_key": rule(get=OWNER, post=OWNER,
                                hidden=EVERYONE - {ANONYMOUS, APPLICANT_A}),
    "static": rule(get=EVERYONE),
    # --- administration ----------------------------------------------------------------------
    # The audit log is read by coordinators too (they answer for the changes), not viewers.
    "admin.audit_log": rule(get=MONEY),
    "admin.earmarks": rule(get=ADMINS, post=ADMINS),
    "admin.users": rule(get=ADMINS, post=ADMINS),
    "admin.user_active": rule(get=ADMINS, post=ADMINS),
    "admin.security": rule(get=ADMINS, post=ADMINS),
    "admin.user_two_factor": rule(get=ADMINS, post=ADMINS),
    # Where payments are booked in the accounting system: administrators set it.
    "admin.sie_settings_page": rule(get=ADMINS, post=ADMINS),
    "admin.sie_earmark": rule(get=ADMINS, post=ADMINS),
    # --- the load balancer's probes: no login, whatever the session ------------------------
    "health.healthz": rule(get=EVERYONE),
    "health.readyz": rule(get=EVERYONE),
    # --- privacy: the policy is public; everyone logged in downloads their own data -------
    "privacy.policy": rule(get=EVERYONE),
    "privacy.my_data": rule(get=EVERYONE - {ANONYMOUS}),
    "privacy.user_data": rule(get=ADMINS),
    "privacy.anonymise": rule(get=ADMINS, post=ADMINS),
    "funds.threshold": rule(get=ADMINS, post=ADMINS),
    # --- the applicants' side of the call ----------------------------------------------------
    "applications.open_calls": rule(get=EVERYONE),
    "applications.call_detail": rule(get=EVERYONE),
    # Any applicant may start an application to an open call, for their own organisation.
    "applications.start": rule(post=APPLICANTS),
    # Each applicant's list shows only their own organisation's applications.
    "applications.my_applications": rule(get=APPLICANTS),
    # A draft is its organisation's applicants' own until it is sent: another organisation's
    # applicant and the staff are told it does not exist (404). (Staff read one sent in, and
    # still change nothing: tests/call/test_access.py.)
    "applications.edit": rule(get=OWNER, post=OWNER, hidden=STRANGER | STAFF),
    "applications.autosave": rule(post=OWNER, hidden=STRANGER | STAFF, anonymous=401),
    "applications.review": rule(get=OWNER, post=OWNER, hidden=STRANGER | STAFF),
    "applications.withdraw": rule(get=OWNER, post=OWNER, hidden=STRANGER | STAFF),
    "applications.upload": rule(post=OWNER, hidden=STRANGER | STAFF),
    "applications.download": rule(get=OWNER, hidden=STRANGER | STAFF),
    "applications.delete_attachment": rule(post=OWNER, hidden=STRANGER | STAFF),
    "applications.pdf": rule(get=OWNER, hidden=STRANGER | STAFF),
    "applications.version": rule(get=OWNER | STAFF, hidden=STRANGER,
                                 ids={"app_id": "application_id"}),
    # --- the coordinators' side of the call --------------------------------------------------
    "calls.index": rule(get=STAFF),
    "calls.new": rule(get=MONEY, post=MONEY),
    "calls.call": rule(get=STAFF),
    # Only a draft call can be changed: the form is shown for the draft one.
    "calls.edit": rule(get=MONEY, post=MONEY, ids={"call_id": "draft_call_id"}),
    "calls.change_state": rule(get=MONEY, post=MONEY),
    "calls.correct": rule(get=MONEY, post=MONEY),
    "calls.decisions": rule(get=STAFF),
    "calls.decisions_pdf": rule(get=STAFF),
    # A report job (the world's was asked for by the coordinator): the asker and the staff;
    # anybody else is told it does not exist.
    "jobs.status": rule(get=STAFF, hidden=APPLICANTS),
    "jobs.status_json": rule(get=STAFF, hidden=APPLICANTS),
    "jobs.download": rule(get=STAFF, hidden=APPLICANTS),
    "calls.application": rule(get=STAFF, ids=UNDER_REVIEW),
    "calls.start_review": rule(post=MONEY, ids=UNDER_REVIEW),
    "calls.return_application": rule(get=MONEY, post=MONEY, ids=UNDER_REVIEW),
    # Assessing is the coordinators' work: a viewer does not even see the form.
    "calls.assess": rule(get=MONEY, post=MONEY, ids=UNDER_REVIEW),
    "calls.propose": rule(get=MONEY, post=MONEY, ids=UNDER_REVIEW),
    "calls.decide": rule(get=MONEY, post=MONEY, ids=UNDER_REVIEW),
    # The organisations' list names contact accounts: coordinators only.
    "calls.organisations": rule(get=MONEY),
    "calls.merge": rule(get=MONEY, post=MONEY),
    # --- the ledger ----------------------------------------------------------------------------
    "funds.dashboard": rule(get=STAFF),
    "funds.allocation": rule(get=STAFF),
    "funds.allocation_lines": rule(get=STAFF, query="format=csv"),
    "funds.allocation_grants": rule(get=STAFF, query="format=csv"),
    "funds.report": rule(get=STAFF),
    "funds.year_workbook": rule(get=STAFF),
    # The reports as accessible pages, and the year's document for SVOM: staff, as the PDFs.
    "funds.report_page": rule(get=STAFF),
    "funds.year_document": rule(get=STAFF),
    "funds.year_document_page": rule(get=STAFF),
    "funds.import_file": rule(get=MONEY, post=MONEY),
    "funds.allocation_new": rule(get=MONEY, post=MONEY),
    "funds.allocation_edit": rule(get=MONEY, post=MONEY),
    "funds.budget_decide": rule(get=MONEY, post=MONEY),
    "funds.budget_revise": rule(get=MONEY, post=MONEY),
    "funds.line_new": rule(get=MONEY, post=MONEY),
    "funds.line_edit": rule(get=MONEY, post=MONEY),
    "funds.line_delete": rule(get=MONEY, post=MONEY),
    "funds.grant_new": rule(get=MONEY, post=MONEY),
    "funds.grant_edit": rule(get=MONEY, post=MONEY),
    "funds.grant_delete": rule(get=MONEY, post=MONEY),
    "funds.close_year": rule(get=MONEY, post=MONEY),
    "funds.goal_areas": rule(get=STAFF, post=MONEY),
    "funds.goal_area_rename": rule(get=MONEY, post=MONEY),
    "funds.goal_area_retire": rule(get=MONEY, post=MONEY),
    "funds.goal_area_restore": rule(post=MONEY),
    "funds.goal_areas_from_previous": rule(post=MONEY),
    # Reopening undoes a carry-over: administrators only.
    "funds.reopen_year": rule(get=ADMINS, post=ADMINS),
    "funds.payments": rule(get=STAFF),
    "funds.register_payment": rule(post=MONEY),
    "funds.approve_payment": rule(post=MONEY),
    "funds.reject_payment": rule(post=MONEY),
    "funds.decline_requisition": rule(post=MONEY),
    # An export records what it held (so nothing is booked twice): coordinators make them.
    "funds.sie_exports": rule(get=MONEY, post=MONEY),
    "funds.sie_download": rule(post=MONEY),
    # --- project follow-up: the coordinators' pages -----------------------------------------
    "projects.index": rule(get=STAFF),
    "projects.show": rule(get=STAFF),
    "projects.reports": rule(get=STAFF),
    "projects.schedule_report": rule(post=MONEY),
    "projects.link_previous": rule(post=MONEY),
    # A viewer reads a report; a coordinator approves or returns it.
    "projects.review_report": rule(get=STAFF, post=MONEY),
    "projects.change_due_date": rule(post=MONEY),
    # --- project follow-up: the applicant's project page ------------------------------------
    # Staff read the project as its applicants see it; coordinators may also write for it.
    "projects.application_project": rule(get=OWNER | STAFF, hidden=STRANGER),
    "projects.applicant_requisition": rule(post=OWNER | MONEY, hidden=STRANGER),
    "projects.write_report": rule(get=OWNER | STAFF, post=OWNER | MONEY, hidden=STRANGER),
    # --- the API (app/api): its description public, every call by token ---------------------
    "api-docs.openapi_json": rule(get=EVERYONE),
    "api_docs.docs": rule(get=EVERYONE),
    "api_allocations.list_allocations": api_rule(get=STAFF),
    "api_allocations.get_allocation": api_rule(get=STAFF),
    "api_exchange.import_file": api_rule(post=MONEY),
    "api_exchange.export_file": api_rule(get=MONEY, query=f"year={YEAR}"),
    "api_years.close_year": api_rule(post=MONEY),
    "api_years.reopen_year": api_rule(post=ADMINS),
    # Calls as on the web: staff see every one, applicants the open ones; coordinators create.
    "api_calls.list_calls": api_rule(get=EVERYONE - {ANONYMOUS}),
    "api_calls.get_call": api_rule(get=EVERYONE - {ANONYMOUS}),
    "api_calls.create_call": api_rule(post=MONEY),
    # Applications: another organisation's applicant is told it does not exist (404); staff
    # read but only applicants write (403); coordinators decide one under review.
    "api_applications.start_application": api_rule(post=APPLICANTS),
    "api_applications.get_application": api_rule(get=OWNER | STAFF, hidden=STRANGER),
    "api_applications.update_application": api_rule(patch=OWNER, hidden=STRANGER,
                                                    ids={"application_id": "app_id"}),
    "api_applications.submit_application": api_rule(post=OWNER, hidden=STRANGER,
                                                    ids={"application_id": "app_id"}),
    "api_applications.decide_application": api_rule(post=MONEY, ids=UNDER_REVIEW),
    # A project: staff, and its own organisation's applicants; coordinators pay.
    "api_grants.get_grant": api_rule(get=OWNER | STAFF, hidden=STRANGER),
    "api_grants.register_payment": api_rule(post=MONEY),
    "api_reports.download_report": api_rule(get=STAFF),
    # The world's job was asked for by the coordinator: staff see it, applicants get 404.
    "api_jobs.get_job": api_rule(get=STAFF, hidden=APPLICANTS),
    "api_jobs.download_job": api_rule(get=STAFF, hidden=APPLICANTS),
}
