from flask import Blueprint

bp = Blueprint("funds", __name__)

from app.funds import allocation_views, views  # noqa: E402,F401
