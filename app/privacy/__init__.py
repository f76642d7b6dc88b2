"""Personal data (GDPR): a person's own export, anonymising an account, clearing what is past
its retention, and the privacy page. It sits on top of every other area and may read them
all; nothing below imports it."""
