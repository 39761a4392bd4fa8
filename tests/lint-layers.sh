#!/bin/sh
# The layering of STYLE.md, checked by grep: arrows point down only.
#   ike/ esp/  no libuv, no sockets, no clock, no getrandom, no OpenSSL
#   tun/       no libuv, no OpenSSL
#   crypto/    the only layer that includes OpenSSL
#   common/    depends on nothing of ours
top=${top_srcdir:-$(dirname "$0")/..}
cd "$top" || exit 99
fail=0

check() {	# check DIR REGEX WHY
	# Comment lines may name what the code must not call.
	hits=$(grep -nE "$2" "$1"/*.c "$1"/*.h 2>/dev/null |
	    grep -vE '^[^:]+:[0-9]+:[[:space:]]*(\*|/\*|//)')
	if [ -n "$hits" ]; then
		printf '%s\n' "$hits" | sed "s|^|lint-layers: $3: |"
		fail=1
	fi
}

for d in ike esp; do
	check "$d" '#include <(uv\.h|sys/socket\.h|netinet/|arpa/|sys/random\.h|openssl/|json|curl/)' "I/O, OpenSSL or src/ library in a sans-I/O engine"
	check "$d" '\b(clock_gettime|gettimeofday|time|getrandom|socket|sendto|recvfrom|uv_[a-z_]+)[[:space:]]*\(' "clock, socket or libuv call in a sans-I/O engine"
	check "$d" '#include "(src|tun)/' "engine includes a higher layer"
done
check tun '#include <(uv\.h|openssl/|json|curl/)' "tun/ includes libuv, OpenSSL or a src/ library"
check tun '#include "(src|ike|esp)/' "tun/ includes a higher or sibling layer"
check common '#include "(crypto|ike|esp|tun|src)/' "common/ includes a higher layer"
check common '#include <(openssl|uv)' "common/ includes a library"
check crypto '#include "(ike|esp|tun|src)/' "crypto/ includes a higher layer"
for d in common ike esp tun src; do
	check "$d" '#include <openssl/' "OpenSSL outside crypto/"
done
check esp '#include "ike/' "esp/ includes ike/"
check ike '#include "esp/' "ike/ includes esp/"

[ $fail -eq 0 ] && echo "lint-layers: ok"
exit $fail
