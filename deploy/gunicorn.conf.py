"""gunicorn settings of the web units (deploy/systemd/ib-portaal-web@.service).

The unit gives the address (``--bind 127.0.0.1:<port>``, one unit per port); the number of
worker processes comes from ``WEB_CONCURRENCY`` in the environment file (gunicorn reads it
itself). Settings a gunicorn version does not know are ignored, so this file also works with
gunicorn releases older than the one a setting came with.
"""

# The default "sync" workers: one request at a time each, a new connection per request (nginx
# buffers the slow clients and uploads, so a worker is never held by one).
worker_class = "sync"
# A request that takes longer is cut off (the worker is restarted); the slowest pages (the
# board's comparisons at national scale) stay well below this.
timeout = 30
# On SIGTERM (systemctl stop or restart) workers finish the requests they have for up to this
# long before they are stopped; the unit's TimeoutStopSec is longer.
graceful_timeout = 25
# Restart each worker after about a thousand requests, so that no slow leak builds up.
max_requests = 1000
max_requests_jitter = 100
# X-Forwarded-* headers are only believed from the proxy on this machine (the default,
# written out): Django reads X-Forwarded-Proto and X-Forwarded-For itself
# (SECURE_PROXY_SSL_HEADER_ENABLED, TRUSTED_PROXY_COUNT).
forwarded_allow_ips = "127.0.0.1,::1"
# No access log here: nginx writes one (without query strings or client addresses, see its
# log_format); gunicorn's own messages go to standard error, that is the journal.
accesslog = None
errorlog = "-"
proc_name = "ib-portaal"
# gunicorn 25.1+ opens a control socket in the service user's home by default; several web
# units under one user would share (and remove) each other's. Nothing here uses it.
control_socket_disable = True
