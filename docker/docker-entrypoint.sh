#!/bin/sh
# Entry point of the AkkaRedis image; behaves as the official redis image's docker-entrypoint.sh.
set -e

# The first argument is an option (`--maxmemory 100mb`) or a config file (`/etc/akkaredis/redis.conf`):
# they are the server's arguments.
if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then
	set -- akkaredis-server "$@"
fi
# `docker run akkaredis redis-server --port 7000`, as one would write it for the redis image.
if [ "$1" = 'redis-server' ]; then
	shift
	set -- akkaredis-server "$@"
fi

# Started as root (the default): hand the data directory to the server's user and step down to it.
# Started with `docker run --user ...`: run as that user, as it is.
if [ "$1" = 'akkaredis-server' ] && [ "$(id -u)" = '0' ]; then
	find . \! -user akkaredis -exec chown akkaredis '{}' +
	export HOME=/data
	exec setpriv --reuid=akkaredis --regid=akkaredis --init-groups "$0" "$@"
fi

# Files the server writes (dumps, AOF, rewritten configs) are for its own user only, unless a umask was set.
um="$(umask)"
if [ "$um" = '0022' ]; then
	umask 0077
fi

# exec: the server becomes PID 1 and receives `docker stop`'s SIGTERM directly.
exec "$@"
