"""Report jobs: a report that takes seconds is built by a worker, not by the web request.

A download above `REPORT_INLINE_MAX_ROWS` rows becomes a `ReportJob` row; `flask jobs work`
builds it (taking the ids from RQ when `REDIS_URL` is set, else from the table itself) and
the person who asked fetches the file from its progress page. The package sits on top: it
reads year_reports and call; nothing below imports it."""
