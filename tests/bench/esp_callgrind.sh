#!/bin/sh
# tests/bench/esp_callgrind.sh BUILD [BEFORE_BUILD]: instructions per
# packet (callgrind's Ir) of esp_encrypt() and esp_decrypt() on
# 1400-octet packets, per suite, and how many of them OpenSSL spends
# looking parameters up by name (OSSL_PARAM_locate and the strcmp under
# it: OpenSSL 3.0 providers do so on every EVP_CIPHER_CTX_ctrl and
# parameter query).  Counts, unlike times, do not depend on the load of
# a shared machine.  With BEFORE_BUILD (an earlier build directory), its
# figures are printed beside.  Figures only: nothing is asserted.
set -eu
build=$1
before=${2-}
n=${ESP_CALLGRIND_PACKETS:-2000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
command -v valgrind >/dev/null || { echo "esp_callgrind: valgrind not installed" >&2; exit 1; }

# count BUILD SUITE FUNCTION: "Ir-per-packet locate-Ir-per-packet"
count() {
	out=$tmp/cg.out
	valgrind --tool=callgrind --callgrind-out-file="$out" \
		--toggle-collect="$3" "$1/tests/bench/esp_bench" --count "$n" \
		"$2" >/dev/null 2>&1
	callgrind_annotate --inclusive=yes "$out" 2>/dev/null | awk -v n="$n" '
		/PROGRAM TOTALS/ { gsub(",", "", $1); total = $1 }
		/OSSL_PARAM_locate/ && !seen { gsub(",", "", $1); loc = $1; seen = 1 }
		END { printf "%.0f %.0f\n", total / n, loc / n }'
}

printf 'ESP instructions per 1400-octet packet (callgrind Ir, %s packets)\n' "$n"
printf '%-19s %-7s %10s %10s' suite op Ir/pkt "param-Ir"
[ -n "$before" ] && printf ' | %10s %10s %7s' "before" "param-Ir" "change"
printf '\n'
for suite in AES-128-GCM AES-256-GCM ChaCha20-Poly1305 AES-128-CBC+SHA256; do
	for op in esp_encrypt esp_decrypt; do
		set -- $(count "$build" "$suite" "$op")
		printf '%-19s %-7s %10s %10s' "$suite" "${op#esp_}" "$1" "$2"
		if [ -n "$before" ]; then
			now=$1
			set -- $(count "$before" "$suite" "$op")
			awk -v a="$now" -v b="$1" -v l="$2" 'BEGIN {
				printf " | %10s %10s %+6.1f%%", b, l, 100 * (a - b) / b }'
		fi
		printf '\n'
	done
done
