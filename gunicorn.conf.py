"""gunicorn's settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`.

Each worker process serves several requests at once in threads (gthread), so one slow page
does not hold up the others behind it; reports that take seconds are built by
`flask jobs work`, never in a request. Every value can be set in the environment."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# The usual 2 × CPU + 1 processes; each with its threads, so the requests served at once are
# workers × threads. Each thread may hold one database connection (the pool has 5 + 10).
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A request still running after this is killed and its worker restarted: far above any page,
# which answers in well under a second; reports above REPORT_INLINE_MAX_ROWS go to a job.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
# On a restart or a deploy, requests under way get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# Workers are not replaced after a number of requests unless asked (GUNICORN_MAX_REQUESTS,
# say 50 000, with some jitter): a worker replaced under load closes the kept-alive
# connections of its clients mid-stream, which a load test counts as errors (wrk's "socket
# errors: read") and a client without retries shows as a failed request.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 0))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 0))
# Access and error logs to standard output, for the service manager's journal.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
# Behind the load balancer only: it sets X-Forwarded-For (the app reads it with PROXY_COUNT).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# A request line (method, path and query) up to gunicorn's largest, 8190 bytes, reaches the app,
# which answers every bad request in its own way (problem details under /api/); only a longer
# one gets gunicorn's own HTML 400, as a proxy in front would answer it 414.
limit_request_line = int(os.environ.get("GUNICORN_LIMIT_REQUEST_LINE", 8190))
