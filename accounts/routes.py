"""Account pages: register, login, logout, export and delete."""

from __future__ import annotations

import json
import secrets

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import refresh
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response as BaseResponse

import signals
from accounts import export_view, service
from accounts.decorators import login_required
from accounts.forms import (
    DeleteAccountForm,
    EmptyForm,
    LanguageForm,
    LoginForm,
    RegisterForm,
)
from accounts.models import User
from accounts.redirects import same_site_path
from db import db
from extensions import limiter

bp = Blueprint("accounts", __name__, url_prefix="/account")

#: Key of this login's id in the cookie session; sockets remember it so that a
#: logout disconnects exactly the sockets of the session that logged out.
SESSION_KEY = "hearth_sid"


def _submitted_handle_key() -> str:
    handle = (request.form.get("handle") or "").strip().lower()[:64]
    return f"handle:{handle}"


def _login_limit() -> str:
    return str(current_app.config["RATELIMIT_LOGIN"])


def _register_limit() -> str:
    return str(current_app.config["RATELIMIT_REGISTER"])


def _safe_next(target: str | None, default: str | None = None) -> str:
    """Only same-site relative paths, so the login page cannot be used to redirect away."""
    return same_site_path(target) or default or url_for("pages.home")


def landing_for(user: User) -> str:
    """Where someone lands after logging in: moderators on the console, members on
    their groups page (by endpoint name: accounts imports neither package)."""
    endpoint = "moderation.console" if user.is_moderator else "matching.groups_page"
    if endpoint in current_app.view_functions:
        return url_for(endpoint)
    return url_for("pages.home")


def start_session(user: User) -> None:
    """Log ``user`` in on the current request's session (also used by bench/chat_load.py
    to mint the cookies a login would set). A fresh session: nothing set before
    authentication survives it."""
    session.clear()
    login_user(user)
    session[SESSION_KEY] = secrets.token_urlsafe(16)
    session.permanent = True


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
@limiter.limit(_register_limit, methods=["POST"], key_func=_submitted_handle_key)
def register() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("pages.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = service.register_user(form.handle.data or "", form.password.data or "")
        except service.AccountError as problem:
            getattr(form, problem.field).errors.append(problem.message)
            db.session.rollback()
        else:
            db.session.commit()
            start_session(user)
            flash(_("Welcome to Hearth. Let's find people you'll feel at ease with."), "info")
            return redirect(_safe_next(request.args.get("next") or "/profile"))
    status = 400 if form.errors else 200
    return render_template("accounts/register.html", form=form), status


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_submitted_handle_key)
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next"), landing_for(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        user = service.authenticate(form.handle.data or "", form.password.data or "")
        if user is not None:
            db.session.commit()
            start_session(user)
            return redirect(_safe_next(request.args.get("next"), landing_for(user)))
        db.session.rollback()
        form.form_errors.append(_("That handle and password don't match an account."))
    status = 400 if (form.errors or form.form_errors) else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout() -> BaseResponse:
    form = EmptyForm()
    form.validate_on_submit()  # CSRFProtect has already checked the token
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        signals.sessions_ended.send(user, user=user, session_key=session.get(SESSION_KEY))
        logout_user()
    session.clear()
    flash(_("You're logged out. Take care."), "info")
    return redirect(url_for("pages.home"))


def _settings_page(
    *, delete_form: DeleteAccountForm | None = None, language_form: LanguageForm | None = None
) -> str:
    if language_form is None:
        language_form = LanguageForm(data={"locale": current_user.locale or ""})
    return render_template(
        "accounts/settings.html",
        delete_form=delete_form or DeleteAccountForm(),
        language_form=language_form,
        logout_form=EmptyForm(),
    )


@bp.get("")
@login_required
def settings() -> str:
    return _settings_page()


@bp.post("/language")
@login_required
def language() -> ResponseReturnValue:
    """Save the interface language; the next page (and this flash) speak it."""
    form = LanguageForm()
    if form.validate_on_submit():
        try:
            service.set_locale(current_user._get_current_object(), form.locale.data or None)
        except service.AccountError as problem:
            db.session.rollback()
            form.locale.errors.append(problem.message)
        else:
            db.session.commit()
            # Flask-Babel caches the locale per request: drop it so the flash below
            # is written in the language just chosen.
            refresh()
            flash(_("Your language setting is saved."), "info")
            return redirect(url_for("accounts.settings"))
    return _settings_page(language_form=form), 400


@bp.get("/export")
@login_required
def export() -> Response:
    document = service.export_account(current_user._get_current_object())
    body = json.dumps(document, indent=2, ensure_ascii=False, sort_keys=False)
    return Response(
        body,
        mimetype="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="hearth-export.json"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/export/view")
@login_required
def export_page() -> str:
    """The same data as the JSON download, as a page a person can read and print."""
    document = service.export_account(current_user._get_current_object())
    return render_template(
        "accounts/export.html", document=document, sections=export_view.readable(document)
    )


@bp.post("/delete")
@login_required
def delete() -> ResponseReturnValue:
    form = DeleteAccountForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            service.delete_account(user, password=form.password.data or "")
        except service.AccountError as problem:
            db.session.rollback()
            form.password.errors.append(problem.message)
        else:
            db.session.commit()
            signals.sessions_ended.send(user, user=user, session_key=None)
            logout_user()
            session.clear()
            flash(
                _("Your account and personal data have been deleted. Thank you for being here."),
                "info",
            )
            return redirect(url_for("pages.home"))
    return _settings_page(delete_form=form), 400
