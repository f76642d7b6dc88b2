"""Forms of the administration pages."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, EqualTo, Length, Optional, Regexp

from app.accounts.models import Role
from app.accounts.rules import MIN_PASSWORD
from app.core.forms import BaseForm
from app.ledger.rules import RemainderRule
from app.ledger.sie.rules import ACCOUNT, OBJECT_CODE, SERIES
from app.web.labels import enum_choices


class EarmarkForm(BaseForm):
    code = StringField(
        _l("Kod"),
        description=_l("Används i filer och adresser, t.ex. ungdomsmottagning. 2–40 tecken: "
                       "små bokstäver a–z, siffror, - och _."),
        validators=[DataRequired(_l("Ange fondens kod")),
                    Regexp(r"^[a-z][a-z0-9_-]{1,39}$",
                           message=_l("Koden ska vara 2–40 tecken: små bokstäver a–z, siffror, "
                                      "- och _, och börja med en bokstav"))],
    )
    name = StringField(_l("Namn"), description=_l("Som det står i rapporterna, t.ex. "
                                                 "Ungdomsmottagningen."),
                       validators=[DataRequired(_l("Ange fondens namn")), Length(max=200)])
    description = TextAreaField(_l("Beskrivning (frivillig)"), validators=[Optional(),
                                                                         Length(max=2000)])
    remainder_rule = RadioField(
        _l("Det som blir kvar vid årets slut"),
        choices=enum_choices(RemainderRule),
        default="carry_over",
        validators=[DataRequired(_l("Välj vad som händer med det som blir kvar"))],
    )
    submit = SubmitField(_l("Lägg till fonden"))


class UserForm(BaseForm):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(_l("Ange e-postadressen")),
                                                      Length(max=254)])
    name = StringField(_l("Namn (frivilligt)"), validators=[Optional(), Length(max=200)])
    role = RadioField(_l("Roll"), choices=enum_choices(Role), default="viewer",
                      validators=[DataRequired(_l("Välj en roll"))])
    password = PasswordField(
        _l("Lösenord"),
        description=_l("Minst %(num)s tecken och svårt att gissa, gärna tre eller fyra ord "
                       "som inte hör ihop. Inte personens e-postadress eller namn. Ge det till "
                       "personen på ett säkert sätt.", num=MIN_PASSWORD),
        validators=[DataRequired(_l("Ange ett lösenord")),
                    Length(min=MIN_PASSWORD, max=200,
                           message=_l("Lösenordet måste ha minst %(num)s tecken",
                                      num=MIN_PASSWORD))],
    )
    confirm = PasswordField(_l("Upprepa lösenordet"),
                            validators=[EqualTo("password", _l("Lösenorden är inte lika"))])
    submit = SubmitField(_l("Skapa kontot"))


class ActiveForm(BaseForm):
    active = HiddenField(validators=[AnyOf(["0", "1"])])


class TwoFactorPolicyForm(BaseForm):
    everyone = RadioField(
        _l("Vilka måste logga in med tvåstegsverifiering?"),
        choices=[],  # the view names the roles the settings require
        validators=[AnyOf(["0", "1"], message=_l("Välj vilka som måste"))],
    )
    submit = SubmitField(_l("Spara"))


class ResetTwoFactorForm(BaseForm):
    """Only the CSRF token: the page asks to confirm."""


class AuditFilterForm(BaseForm):
    class Meta:
        csrf = False  # a search, sent with GET

    year = SelectField(_l("År"), choices=[], validate_choice=False)
    action = SelectField(_l("Ändring"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Visa"))


def _sie_code(label, message):
    return StringField(label, filters=[lambda v: v.strip() if v else v], validators=[
        Optional(), Regexp(OBJECT_CODE.pattern, message=message)])


class SieSettingsForm(BaseForm):
    """The SIE file's head and the account every payment is credited to."""

    company = StringField(_l("Regionens namn"), description=_l(
        "Står i filen som företagets namn (#FNAMN), t.ex. Region Jämtland Härjedalen."),
        validators=[DataRequired(_l("Ange regionens namn")), Length(max=200)])
    bank_account = StringField(
        _l("Konto för utbetalningar"),
        description=_l("Krediteras vid en utbetalning och debiteras vid en återbetalning, "
                       "t.ex. 1930. 4–8 siffror."),
        validators=[DataRequired(_l("Ange kontot")),
                    Regexp(ACCOUNT.pattern + "$", message=_l("Ett kontonummer är 4–8 siffror"))])
    bank_account_name = StringField(_l("Kontots namn"), description=_l("T.ex. Bank."),
                                    validators=[DataRequired(_l("Ange kontots namn")),
                                                Length(max=100)])
    series = StringField(_l("Verifikationsserie"), default="S", description=_l(
        "Serien som ekonomisystemet bokför verifikationerna i. 1–10 bokstäver eller siffror."),
        validators=[DataRequired(_l("Ange serien")),
                    Regexp(SERIES.pattern + "$",
                           message=_l("Serien är 1–10 bokstäver a–z eller siffror"))])
    submit = SubmitField(_l("Spara inställningarna"))


_CODE_MESSAGE = _l("En kod är 1–20 tecken: bokstäver a–z, siffror, punkt, - och _ "
                   "(inga mellanslag)")


class EarmarkAccountsForm(BaseForm):
    """Where one earmark's payments are booked."""

    cost_account = StringField(
        _l("Kostnadskonto"), description=_l("Debiteras vid en utbetalning, t.ex. 4990. "
                                            "4–8 siffror."),
        validators=[DataRequired(_l("Ange kostnadskontot")),
                    Regexp(ACCOUNT.pattern + "$", message=_l("Ett kontonummer är 4–8 siffror"))])
    cost_account_name = StringField(_l("Kostnadskontots namn"),
                                    validators=[DataRequired(_l("Ange kontots namn")),
                                                Length(max=100)])
    responsibility = _sie_code(_l("Ansvar (kostnadsställe, dimension 1)"), _CODE_MESSAGE)
    responsibility_name = StringField(_l("Ansvarets namn"), validators=[Length(max=100)])
    activity = _sie_code(_l("Verksamhet (dimension 20)"), _CODE_MESSAGE)
    activity_name = StringField(_l("Verksamhetens namn"), validators=[Length(max=100)])
    project = _sie_code(_l("Projekt (dimension 6)"), _CODE_MESSAGE)
    project_name = StringField(_l("Projektets namn"), validators=[Length(max=100)])
    submit = SubmitField(_l("Spara kontona"))
