from flask import Blueprint

bp = Blueprint("funds", __name__)

from app.funds import views  # noqa: E402,F401
