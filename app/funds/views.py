"""The coordinators' pages of the ledger."""
from app.funds import bp


@bp.get("/")
def dashboard():
    return "Stimulansmedel"
