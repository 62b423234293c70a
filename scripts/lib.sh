# Shared by scripts/setup and scripts/test: where the bench is and how to reach its services.
# Every value can be overridden from the environment.

BENCH_DIR=${BENCH_DIR:-/opt/frappe-bench}
BENCH_USER=${BENCH_USER:-frappe}
BENCH_CLI_VENV=${BENCH_CLI_VENV:-/opt/bench-cli}
DB_ROOT_PASSWORD=${DB_ROOT_PASSWORD:-rma-portal-root}
ADMIN_PASSWORD=${ADMIN_PASSWORD:-admin}
DEMO_SITE=${DEMO_SITE:-rma.localhost}
DEMO_PORT=${DEMO_PORT:-8000}
TEST_SITE=${TEST_SITE:-rma-tests.localhost}
TEST_PORT=${TEST_PORT:-8001}
MAIL_PORT=${MAIL_PORT:-2525}                # the demo mailbox's SMTP sink (scripts/mailbox)
MAILBOX_HTTP_PORT=${MAILBOX_HTTP_PORT:-8025}  # and its page
APP_NAME=rma_portal
PYTHON_BIN=${PYTHON_BIN:-/usr/bin/python3.11}

export SSL_CERT_FILE=${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}
export PATH="$BENCH_CLI_VENV/bin:$PATH"

log() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# Wait (at most $1 seconds) until the 1-minute load average is below a quarter of the cores: a
# measurement then starts on a quiet machine, not in the tail of the work that ran before it.
wait_for_quiet() {
	local waited=0 limit=${1:-180} quiet
	quiet=$(awk -v c="$(nproc)" 'BEGIN { printf "%.2f", c / 4 }')
	while awk -v q="$quiet" '{ exit !($1 >= q) }' /proc/loadavg && [ "$waited" -lt "$limit" ]; do
		[ "$waited" = 0 ] && log "waiting for the machine to settle (1-minute load $(cut -d' ' -f1 /proc/loadavg), below $quiet wanted)"
		sleep 5
		waited=$((waited + 5))
	done
	if [ "$waited" -ge "$limit" ]; then
		log "not settled after $waited s (1-minute load $(cut -d' ' -f1 /proc/loadavg)): measuring anyway"
	elif [ "$waited" != 0 ]; then
		log "settled after $waited s (1-minute load $(cut -d' ' -f1 /proc/loadavg))"
	fi
}

# Run a step with its output in $LOG_DIR/<name>.log; on failure show the end of it (the traceback).
run_logged() {
	local name=$1 dir=${LOG_DIR:-/tmp}
	shift
	mkdir -p "$dir"
	"$@" >"$dir/$name.log" 2>&1 && return 0
	echo "---- $name failed; the end of $dir/$name.log:" >&2
	tail -60 "$dir/$name.log" >&2
	return 1
}

# Run a command as the bench user, in the bench folder, with the bench CLI on PATH.
as_bench() {
	local dir=${BENCH_RUN_DIR:-$BENCH_DIR}
	sudo -u "$BENCH_USER" -H env "PATH=$BENCH_CLI_VENV/bin:/usr/local/bin:/usr/bin:/bin" \
		"SSL_CERT_FILE=$SSL_CERT_FILE" ${CI:+CI=$CI} bash -c "cd '$dir' || exit 1; $*"
}

mariadb_running() { mysqladmin --protocol=socket ping >/dev/null 2>&1; }

start_mariadb() {
	mariadb_running && return 0
	log "starting MariaDB"
	mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
	setsid nohup mysqld_safe >/var/log/rma-portal-mariadb.log 2>&1 </dev/null &
	for _ in $(seq 1 60); do mariadb_running && return 0; sleep 1; done
	echo "MariaDB did not start; see /var/log/rma-portal-mariadb.log" >&2
	return 1
}

redis_port_up() { redis-cli -p "$1" ping >/dev/null 2>&1; }

# The bench's own Redis instances (cache and queue), as configured by `bench init`.
start_redis() {
	local conf port
	for conf in redis_cache redis_queue; do
		[ -f "$BENCH_DIR/config/$conf.conf" ] || continue
		port=$(awk '/^port/ {print $2}' "$BENCH_DIR/config/$conf.conf")
		redis_port_up "$port" && continue
		log "starting $conf on 127.0.0.1:$port"
		as_bench "redis-server config/$conf.conf --daemonize yes"
		for _ in $(seq 1 20); do redis_port_up "$port" && break; sleep 0.5; done
	done
}

start_services() {
	start_mariadb
	start_redis
}

site_exists() { [ -f "$BENCH_DIR/sites/$1/site_config.json" ]; }

# Frappe prefixes a site's Redis cache keys with its database name, which `bench new-site` derives
# from the site's path: a site made again under the same name would read the dropped one's cache.
flush_site_cache() {
	local site=$1 db_name port
	[ -f "$BENCH_DIR/config/redis_cache.conf" ] || return 0
	port=$(awk '/^port/ {print $2}' "$BENCH_DIR/config/redis_cache.conf")
	redis_port_up "$port" || return 0
	db_name=$(python3 -c 'import hashlib, os, sys; print("_" + hashlib.sha1(os.path.realpath(sys.argv[1]).encode()).hexdigest()[:16])' "$BENCH_DIR/sites/$site")
	redis-cli -p "$port" --scan --pattern "$db_name|*" | xargs -r -n 500 redis-cli -p "$port" del >/dev/null
}

# Drop <site> if it exists and make it again with ERPNext and this app, its cache emptied.
make_fresh_site() {
	local site=$1 port=$2
	stop_site "$port" >/dev/null 2>&1
	if [ -d "$BENCH_DIR/sites/$site" ]; then
		log "dropping $site"
		as_bench "bench drop-site '$site' --db-root-username root --db-root-password '$DB_ROOT_PASSWORD' \
			--no-backup --force --archived-sites-path archived/dropped-sites" >/dev/null 2>&1
		rm -rf "$BENCH_DIR/archived/dropped-sites/$site" "$BENCH_DIR/sites/$site"
	fi
	flush_site_cache "$site"
	log "creating $site with ERPNext and $APP_NAME"
	run_logged new-site as_bench "bench new-site '$site' --db-root-username root --db-root-password '$DB_ROOT_PASSWORD' \
		--admin-password '$ADMIN_PASSWORD' --install-app erpnext --install-app $APP_NAME" || return 1
	flush_site_cache "$site"
}

# Point apps/rma_portal at a checkout, so what runs is that checkout's code.
link_app() {
	local checkout=$1
	ln -sfn "$checkout" "$BENCH_DIR/apps/$APP_NAME"
	local apps="$BENCH_DIR/sites/apps.txt"
	if ! grep -qx "$APP_NAME" "$apps"; then
		[ -n "$(tail -c1 "$apps")" ] && echo >>"$apps"  # the file may lack a final newline
		echo "$APP_NAME" >>"$apps"
	fi
}

# Serve one site with gunicorn on 127.0.0.1:<port> (like `bench serve`, but loopback only).
# Logs and pid files go to the bench's logs/ and config/pids/.
serve_web() {
	local site=$1 port=$2 repo=$3
	stop_site "$port"
	log "serving $site at http://127.0.0.1:$port"
	# A simple command in the background (no "a && b &" list), so no subshell keeps our stdout open.
	as_bench "cd sites || exit 1; FRAPPE_SITE=$site setsid nohup ../env/bin/gunicorn -c '$repo/scripts/gunicorn_conf.py' \
		-b 127.0.0.1:$port -p ../config/pids/web-$port.pid frappe.app:application \
		>>../logs/web-$port.log 2>&1 </dev/null &"
	wait_for_site "$port"
}

# The site's web server and a background worker.
serve_site() {
	local site=$1 port=$2 repo=$3
	serve_web "$site" "$port" "$repo" || return 1
	as_bench "setsid nohup bench --site $site worker --queue short,default,long \
		>>logs/worker-$port.log 2>&1 </dev/null & echo \$! > config/pids/worker-$port.pid"
}

# The demo mailbox (scripts/demo_mailbox.py): an SMTP sink on 127.0.0.1:$MAIL_PORT that keeps every
# message in $BENCH_DIR/mailbox, and its page on 127.0.0.1:$MAILBOX_HTTP_PORT. The demo and test
# sites' "Demo mailbox" Email Account sends to it. One for the machine: started when not running.
start_mailbox() {
	local repo=$1
	(exec 3<>"/dev/tcp/127.0.0.1/$MAIL_PORT") 2>/dev/null && return 0
	as_bench "env/bin/python -c 'import aiosmtpd' 2>/dev/null || uv pip install -q aiosmtpd --python env/bin/python" || return 1
	log "starting the demo mailbox: SMTP on 127.0.0.1:$MAIL_PORT, page on http://127.0.0.1:$MAILBOX_HTTP_PORT"
	as_bench "MAIL_PORT=$MAIL_PORT MAILBOX_HTTP_PORT=$MAILBOX_HTTP_PORT MAILBOX_DIR='$BENCH_DIR/mailbox' \
		setsid nohup env/bin/python '$repo/scripts/demo_mailbox.py' serve >>logs/mailbox.log 2>&1 </dev/null & \
		echo \$! > config/pids/mailbox.pid"
	for _ in $(seq 1 20); do (exec 3<>"/dev/tcp/127.0.0.1/$MAIL_PORT") 2>/dev/null && return 0; sleep 0.5; done
	echo "the demo mailbox did not start; see $BENCH_DIR/logs/mailbox.log" >&2
	return 1
}

# Frappe's scheduler for the bench (it runs the jobs of sites whose scheduler is enabled: the demo
# site's), so queued e-mails go out (frappe.email.queue.flush, every minute on the demo site).
start_scheduler() {
	local pidfile="$BENCH_DIR/config/pids/schedule.pid"
	[ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && return 0
	as_bench "setsid nohup bench schedule >>logs/schedule.log 2>&1 </dev/null & echo \$! > config/pids/schedule.pid"
}

wait_for_site() {
	local port=$1
	for _ in $(seq 1 60); do
		curl -fsS "http://127.0.0.1:$port/api/method/ping" >/dev/null 2>&1 && return 0
		sleep 1
	done
	echo "the site did not answer on port $port; see $BENCH_DIR/logs/web-$port.log" >&2
	return 1
}

stop_site() {
	local port=$1 pidfile
	for pidfile in "$BENCH_DIR/config/pids/web-$port.pid" "$BENCH_DIR/config/pids/worker-$port.pid"; do
		if [ -f "$pidfile" ]; then
			kill -- "-$(ps -o pgid= "$(cat "$pidfile")" 2>/dev/null | tr -d ' ')" 2>/dev/null || kill "$(cat "$pidfile")" 2>/dev/null || true
			rm -f "$pidfile"
		fi
	done
	for _ in $(seq 1 20); do curl -fsS "http://127.0.0.1:$port/" >/dev/null 2>&1 || return 0; sleep 0.5; done
}

# The path the bench user should use for a checkout: the checkout itself when that user can read
# it, otherwise a synced copy inside the bench (e.g. a checkout under /root).
readable_checkout() {
	local checkout=$1
	if sudo -u "$BENCH_USER" test -r "$checkout/$APP_NAME/hooks.py"; then
		echo "$checkout"
	else
		rsync -a --delete --exclude .git "$checkout/" "$BENCH_DIR/.checkout/$APP_NAME/"
		chown -R "$BENCH_USER:" "$BENCH_DIR/.checkout"
		echo "$BENCH_DIR/.checkout/$APP_NAME"
	fi
}
