"""Forms of logging in and choosing a language."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length

LANGUAGES = [SelectChoice("sv", "Svenska"), SelectChoice("en", "English")]  # in their own words


class LoginForm(FlaskForm):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(_l("Ange din e-postadress")),
                                                      Length(max=254)])
    password = PasswordField(_l("Lösenord"), validators=[DataRequired(_l("Ange ditt lösenord")),
                                                         Length(max=200)])
    submit = SubmitField(_l("Logga in"))


class LanguageForm(FlaskForm):
    lang = SelectField(_l("Språk"), choices=LANGUAGES,
                       validators=[AnyOf([choice.value for choice in LANGUAGES])])
    next = HiddenField()
    submit = SubmitField(_l("Byt språk"))
