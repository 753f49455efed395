"""Account forms (Flask-WTF: every form carries a CSRF token)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, ValidationError

import i18n
from accounts.handles import handle_problem
from accounts.passwords import password_problem


def _required(message: str) -> InputRequired:
    return InputRequired(message=message)


class RegisterForm(FlaskForm):
    handle = StringField(
        _l("Handle"),
        validators=[_required(_l("Please choose a handle."))],
        description=_l("3–24 letters, digits, _ or -. This is the only name others see."),
        render_kw={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[_required(_l("Please choose a password."))],
        description=_l("At least 10 characters. A short sentence is easy to remember."),
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Password again"),
        validators=[
            _required(_l("Please type your password a second time.")),
            EqualTo("password", message=_l("The two passwords don't match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    age_confirmed = BooleanField(
        _l("I am 18 or older"),
        validators=[
            DataRequired(message=_l("Hearth is for adults; please confirm you are 18 or older."))
        ],
    )
    guidelines_accepted = BooleanField(
        _l("I have read and agree to the community guidelines"),
        validators=[DataRequired(message=_l("Please read and accept the community guidelines."))],
    )

    def validate_handle(self, field: StringField) -> None:
        problem = handle_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_password(self, field: PasswordField) -> None:
        problem = password_problem(field.data or "", handle=(self.handle.data or "").strip())
        if problem:
            raise ValidationError(problem)


class LoginForm(FlaskForm):
    handle = StringField(
        _l("Handle"),
        validators=[_required(_l("Please enter your handle."))],
        render_kw={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[_required(_l("Please enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[_required(_l("Please enter your password to confirm."))],
        render_kw={"autocomplete": "current-password"},
    )


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for POST buttons such as logout."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


class LanguageForm(FlaskForm):
    """The interface language on /account; "" means "as my browser asks"."""

    locale = SelectField(
        _l("Language"),
        choices=[
            SelectChoice("", _l("As my browser asks")),
            # Each language's name is in that language; lang lets a screen reader say it so.
            *(
                SelectChoice(code, name, render_kw={"lang": code})
                for code, name in i18n.LANGUAGES.items()
            ),
        ],
        validate_choice=False,  # the service checks the value and says what went wrong
    )
