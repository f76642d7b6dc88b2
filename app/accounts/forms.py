"""Forms of logging in and choosing a language."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    EqualTo,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from app.accounts.api_tokens import MAX_DAYS
from app.accounts.models import OrganisationKind
from app.accounts.rules import MIN_PASSWORD
from app.core.forms import BaseForm

#: What every field where a password is chosen says under its label.
PASSWORD_HINT = _l("Minst 10 tecken och svårt att gissa, gärna tre eller fyra ord som inte hör "
                   "ihop. Inte din e-postadress eller ditt namn.")

LANGUAGES = [SelectChoice("sv", "Svenska"), SelectChoice("en", "English")]  # in their own words


class LoginForm(BaseForm):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(_l("Ange din e-postadress")),
                                                      Length(max=254)])
    password = PasswordField(_l("Lösenord"), validators=[DataRequired(_l("Ange ditt lösenord")),
                                                         Length(max=200)])
    submit = SubmitField(_l("Logga in"))


class LanguageForm(BaseForm):
    lang = SelectField(_l("Språk"), choices=LANGUAGES,
                       validators=[AnyOf([choice.value for choice in LANGUAGES])])
    next = HiddenField()
    submit = SubmitField(_l("Byt språk"))


# SelectChoice, not the tuples of OrganisationKind.choices(): WTForms deprecates tuples.
KIND_CHOICES = [SelectChoice(value, name) for value, name in OrganisationKind.choices()]


class RegisterForm(BaseForm):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(_l("Ange din e-postadress")),
                                                      Length(max=254)])
    name = StringField(_l("Namn"), validators=[DataRequired(_l("Ange ditt namn")), Length(max=200)])
    password = PasswordField(_l("Lösenord"), description=PASSWORD_HINT,
                             validators=[DataRequired(_l("Välj ett lösenord")),
                                         Length(min=MIN_PASSWORD, max=200,
                                                message=_l("Lösenordet måste ha minst 10 tecken"))])
    password2 = PasswordField(_l("Lösenordet igen"),
                              validators=[DataRequired(_l("Skriv lösenordet en gång till")),
                                          EqualTo("password", _l("Lösenorden är inte lika"))])
    organisation = StringField(_l("Organisation"),
                               description=_l("Till exempel kommunen, hälsocentralen eller föreningen."),
                               validators=[DataRequired(_l("Ange organisationens namn")),
                                           Length(max=300)])
    kind = SelectField(_l("Sorts organisation"), choices=KIND_CHOICES,
                       validators=[AnyOf([c.value for c in KIND_CHOICES])])
    org_number = StringField(_l("Organisationsnummer (frivilligt)"),
                             description=_l("Till exempel 212000-2627."),
                             validators=[Optional(), Length(max=20)])
    submit = SubmitField(_l("Skapa konto"))


class ResendForm(BaseForm):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(_l("Ange din e-postadress")),
                                                      Length(max=254)])
    submit = SubmitField(_l("Skicka länken igen"))


class InviteForm(BaseForm):
    email = EmailField(_l("E-postadress"), validators=[DataRequired(_l("Ange en e-postadress")),
                                                      Length(max=254)])
    name = StringField(_l("Namn"), validators=[Optional(), Length(max=200)])
    organisation = StringField(_l("Organisation"),
                               validators=[DataRequired(_l("Ange organisationens namn")),
                                           Length(max=300)])
    kind = SelectField(_l("Sorts organisation"), choices=KIND_CHOICES,
                       validators=[AnyOf([c.value for c in KIND_CHOICES])])
    submit = SubmitField(_l("Bjud in"))


class SetPasswordForm(BaseForm):
    password = PasswordField(_l("Nytt lösenord"), description=PASSWORD_HINT,
                             validators=[DataRequired(_l("Välj ett lösenord")),
                                         Length(min=MIN_PASSWORD, max=200,
                                                message=_l("Lösenordet måste ha minst 10 tecken"))])
    password2 = PasswordField(_l("Lösenordet igen"),
                              validators=[DataRequired(_l("Skriv lösenordet en gång till")),
                                          EqualTo("password", _l("Lösenorden är inte lika"))])
    submit = SubmitField(_l("Spara lösenordet"))


class ForgotPasswordForm(BaseForm):
    email = EmailField(_l("E-postadress"),
                       description=_l("Adressen du loggar in med. Vi skickar en länk dit."),
                       validators=[DataRequired(_l("Ange din e-postadress")), Length(max=254)])
    submit = SubmitField(_l("Skicka länken"))


class ChangePasswordForm(BaseForm):
    present = PasswordField(_l("Nuvarande lösenord"),
                            validators=[DataRequired(_l("Ange ditt nuvarande lösenord")),
                                        Length(max=200)])
    password = PasswordField(_l("Nytt lösenord"), description=PASSWORD_HINT,
                             validators=[DataRequired(_l("Välj ett nytt lösenord")),
                                         Length(min=MIN_PASSWORD, max=200,
                                                message=_l("Lösenordet måste ha minst 10 tecken"))])
    password2 = PasswordField(_l("Nya lösenordet igen"),
                              validators=[DataRequired(_l("Skriv det nya lösenordet en gång till")),
                                          EqualTo("password", _l("Lösenorden är inte lika"))])
    change_password = SubmitField(_l("Byt lösenord"))


class ChangeEmailForm(BaseForm):
    email = EmailField(_l("Ny e-postadress"),
                       description=_l("Vi skickar en länk dit. Kontot behåller den nuvarande "
                                      "adressen tills du har öppnat länken."),
                       validators=[DataRequired(_l("Ange den nya e-postadressen")),
                                   Length(max=254)])
    email_password = PasswordField(_l("Ditt lösenord"),
                                   validators=[DataRequired(_l("Ange ditt lösenord")),
                                               Length(max=200)])
    change_email = SubmitField(_l("Byt e-postadress"))


class CodeForm(BaseForm):
    """The code after the password at login: the app's six digits, or a recovery code."""

    code = StringField(_l("Kod"),
                       description=_l("De sex siffrorna som appen visar, eller en av dina "
                                      "reservkoder."),
                       validators=[DataRequired(_l("Skriv koden")), Length(max=40)])
    submit = SubmitField(_l("Logga in"))


class EnrolForm(BaseForm):
    code = StringField(_l("Kod från appen"),
                       description=_l("De sex siffrorna som appen visar när du har lagt till "
                                      "kontot."),
                       validators=[DataRequired(_l("Skriv koden från appen")), Length(max=40)])
    submit = SubmitField(_l("Aktivera tvåstegsverifiering"))


class DisableTwoFactorForm(BaseForm):
    password = PasswordField(_l("Lösenord"), validators=[DataRequired(_l("Ange ditt lösenord")),
                                                         Length(max=200)])
    code = StringField(_l("Kod"),
                       description=_l("Från appen, eller en av dina reservkoder."),
                       validators=[DataRequired(_l("Skriv koden")), Length(max=40)])
    submit = SubmitField(_l("Stäng av tvåstegsverifiering"))


class RenewCodesForm(BaseForm):
    renew_code = StringField(_l("Kod från appen"),
                             validators=[DataRequired(_l("Skriv koden från appen")),
                                         Length(max=40)])
    renew = SubmitField(_l("Skapa nya reservkoder"))


class ApiTokenForm(BaseForm):
    name = StringField(_l("Namn på nyckeln"),
                       description=_l("Vad nyckeln används till, till exempel ”Ekonomisystemet” "
                                      "eller ”Årsrutinens skript”."),
                       validators=[DataRequired(_l("Ge nyckeln ett namn")), Length(max=100)])
    days = StringField(_l("Giltig i antal dagar (frivilligt)"),
                       description=_l("Lämna tomt för en nyckel som gäller tills du återkallar "
                                      "den. Högst 730 dagar."),
                       validators=[Optional(),
                                   Regexp(r"^\s*[0-9]{1,4}\s*$",
                                          message=_l("Skriv ett helt antal dagar, t.ex. 90"))])
    submit = SubmitField(_l("Skapa nyckel"))

    def validate_days(self, field) -> None:
        if field.data and not 1 <= int(field.data) <= MAX_DAYS:
            raise ValidationError(_l("Skriv ett antal dagar mellan 1 och 730"))


class RevokeApiTokenForm(BaseForm):
    submit = SubmitField(_l("Återkalla nyckeln"))
