"""The coordinators' forms of the SIE export: a period to export, an earlier export to make
again."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, HiddenField, IntegerField
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from app.core.forms import BaseForm


class SieExportForm(BaseForm):
    year = IntegerField(_l("Räkenskapsår"), validators=[
        InputRequired(_l("Ange året")),
        NumberRange(min=2000, max=2100, message=_l("Ange ett år mellan 2000 och 2100"))])
    date_from = DateField(_l("Från och med (frivilligt)"), validators=[Optional()],
                          description=_l("ÅÅÅÅ-MM-DD. Tomt: årets början."))
    date_to = DateField(_l("Till och med (frivilligt)"), validators=[Optional()],
                        description=_l("ÅÅÅÅ-MM-DD. Tomt: årets slut."))
    include_exported = BooleanField(_l("Ta med utbetalningar som redan har exporterats"),
                                    description=_l("Annars tas bara det som inte har "
                                                   "exporterats förut med, så inget bokförs "
                                                   "två gånger."))


class SieAgainForm(BaseForm):
    export_id = HiddenField(validators=[DataRequired()])

    def export_number(self) -> int | None:
        value = self.export_id.data or ""
        return int(value) if value.isdigit() and len(value) < 10 else None
