"""The application form's text fields; goal areas, budget rows and questions are built from the
call and read in the view."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import StringField, SubmitField, TextAreaField


class ApplicationForm(FlaskForm):
    title = StringField(_l("Projektets namn"), description=_l("Högst 300 tecken."))
    summary = TextAreaField(_l("Sammanfattning"),
                            description=_l("Beskriv projektet kort, några meningar."))
    background = TextAreaField(_l("Bakgrund"), description=_l("Varför behövs projektet?"))
    aim = TextAreaField(_l("Syfte och förväntade resultat"))
    target_group = TextAreaField(_l("Målgrupp"))
    owner = StringField(_l("Projektägare"), description=_l("Den organisation som äger projektet."))
    partners = TextAreaField(_l("Samverkanspartner"), description=_l("En per rad."))
    user_participation = TextAreaField(
        _l("Brukarmedverkan"),
        description=_l("Hur brukare eller anhöriga är delaktiga i projektet."))
    long_term_plan = TextAreaField(
        _l("Plan för långsiktigt breddinförande"),
        description=_l("Hur arbetet lever vidare och sprids när projektet är slut."))
    period_start = StringField(_l("Projektet börjar"), description=_l("ÅÅÅÅ-MM-DD"))
    period_end = StringField(_l("Projektet slutar"), description=_l("ÅÅÅÅ-MM-DD"))
    indicators = TextAreaField(_l("Indikatorer"),
                               description=_l(
                                   "Det projektet följer upp och rapporterar, en per rad. "
                                   "Skriv (%) efter en andel och (ja/nej) efter en fråga som "
                                   "besvaras med ja eller nej; övriga rapporteras som antal, "
                                   "som kan delas upp på kvinnor, män, flickor och pojkar."))
    save = SubmitField(_l("Spara utkast"))


class AttachmentForm(FlaskForm):
    file = FileField(_l("Bilaga"),
                     description=_l("PDF, Word, Excel eller bild (.png, .jpg)."))
    upload = SubmitField(_l("Ladda upp"))
