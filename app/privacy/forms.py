"""The form of anonymising an account."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField
from wtforms.validators import DataRequired

from app.core.forms import BaseForm


class AnonymiseForm(BaseForm):
    understood = BooleanField(
        _l("Jag förstår att anonymiseringen inte går att ångra"),
        validators=[DataRequired(_l("Kryssa i att du förstår att anonymiseringen inte går "
                                    "att ångra"))],
    )
    submit = SubmitField(_l("Anonymisera kontot"))
