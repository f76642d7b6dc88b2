"""Year-end reports: data built by services, rendered as PDF (ReportLab), CSV or Excel."""


def render_report(kind: str, earmark: str, year: int, fmt: str, *, lang: str = "sv") -> bytes:
    raise NotImplementedError
