#!/bin/bash
# tests/pkg/completion.sh: the bash completion (completions/ikeroam) as a
# shell would run it: source it, fill COMP_WORDS/COMP_CWORD as readline
# does, call the function `complete -p ikeroam` names, read COMPREPLY.
# Options come from the built ikeroam's --help, profile names from a
# scratch IKEROAM_CONFDIR.  No root, no network.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
prog=${IKEROAM:-$PWD/ikeroam}
[ -x "$prog" ] || { echo "completion: no ikeroam at $prog" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/conf"
touch "$tmp/conf/work.json" "$tmp/conf/home.json" "$tmp/conf/wombat.txt"
export IKEROAM_CONFDIR=$tmp/conf

# shellcheck source=completions/ikeroam
. "$top_srcdir/completions/ikeroam"
fails=0
spec=$(complete -p ikeroam 2>/dev/null)
[ "$spec" = "complete -F _ikeroam ikeroam" ] ||
	{ echo "FAIL: complete -p ikeroam: '$spec'"; fails=$((fails + 1)); }
fn=${spec#complete -F }
fn=${fn%% *}

# expect "LINE" "WORD WORD..."  (the line's last word is completed; a
# trailing space in LINE means an empty word)
expect()
{
	local line=$1 want=$2 got
	read -r -a COMP_WORDS <<<"$line"
	COMP_WORDS[0]=$prog
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	"$fn" ikeroam "${COMP_WORDS[COMP_CWORD]}" \
	    "${COMP_WORDS[COMP_CWORD - 1]}"
	got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd' ')
	if [ "$got" = "$want" ]; then
		echo "ok: '$line' -> $got"
	else
		echo "FAIL: '$line' -> '$got', expected '$want'"
		fails=$((fails + 1))
	fi
}

expect "ikeroam " "check connect disconnect help import kill-switch list reconnect show status version"
expect "ikeroam import --p12" "--p12-password-file"
expect "ikeroam import --in" "--insecure-signature"
expect "ikeroam co" "connect"
expect "ikeroam re" "reconnect"
expect "ikeroam connect " "home work"
expect "ikeroam connect w" "work"
expect "ikeroam show " "home work"
expect "ikeroam check h" "home"
expect "ikeroam kill-switch " "off status"
expect "ikeroam connect work --transport " "auto tcp tls udp"
expect "ikeroam connect work --tra" "--transport"
expect "ikeroam connect work --eap " "gtc mschapv2 tls"
expect "ikeroam connect work --psk" "--psk-file"
expect "ikeroam connect work --kill-switch-a" "--kill-switch-allow-lan"
expect "ikeroam connect work --gateway " ""
expect "ikeroam --ver" "--version"
# A file name after an option that takes one.
touch "$tmp/conf/psk.key"
expect "ikeroam connect work --psk-file $tmp/conf/ps" "$tmp/conf/psk.key"
# Every option of --help is offered after connect.
n_help=$("$prog" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u | wc -l)
expect "ikeroam connect work --" "$("$prog" --help |
    grep -oE -- '--[a-z][a-z0-9-]+' | sort -u | paste -sd' ')"
[ "$n_help" -ge 30 ] ||
	{ echo "FAIL: only $n_help options in --help"; fails=$((fails + 1)); }
[ "$fails" -eq 0 ] && echo "completion: all passed"
[ "$fails" -eq 0 ]
