#!/bin/bash
# tests/pkg/completion-zsh.sh: the zsh completion (completions/_ikeroam):
# it parses, compinit binds it to ikeroam, and its helpers give the
# options of the built ikeroam's --help (with and without values, each
# once) and the profile names of a scratch IKEROAM_CONFDIR.  Needs zsh
# (scripts/deps.sh installs it).  No root, no network.
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
prog=${IKEROAM:-$PWD/ikeroam}
[ -x "$prog" ] || { echo "completion-zsh: no ikeroam at $prog" >&2; exit 1; }
command -v zsh >/dev/null || { echo "completion-zsh: zsh is not installed (apt-get install zsh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/conf" "$tmp/fn"
touch "$tmp/conf/work.json" "$tmp/conf/home.json" "$tmp/conf/wombat.txt"
cp "$top_srcdir/completions/_ikeroam" "$tmp/fn/"
fails=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fails=$((fails + 1)); }

zsh -n "$tmp/fn/_ikeroam" && ok "parses" || bad "zsh -n completions/_ikeroam"
bound=$(HOME=$tmp zsh -f -c "fpath=($tmp/fn \$fpath); autoload -U compinit;
    compinit -u -d $tmp/zcompdump; print -r -- \${_comps[ikeroam]}")
[ "$bound" = _ikeroam ] && ok "compinit binds ikeroam to _ikeroam" ||
	bad "compinit: ikeroam -> '$bound'"
specs=$(IKEROAM_COMPLETION_TEST=1 zsh -f -c "source $tmp/fn/_ikeroam;
    _ikeroam_connect_specs $prog")
for want in '--psk-file=[FILE]:FILE:{_ikeroam_value --psk-file}' \
    '--eap-only' '--send-remote-id' \
    '--transport=[auto|udp|tcp|tls]:auto|udp|tcp|tls:{_ikeroam_value --transport}'; do
	printf '%s\n' "$specs" | grep -qxF -- "$want" && ok "spec $want" ||
		bad "no spec '$want'"
done
dups=$(printf '%s\n' "$specs" | sed 's/=.*//' | sort | uniq -d)
[ -z "$dups" ] && ok "each option once ($(printf '%s\n' "$specs" | wc -l) options)" ||
	bad "options twice: $dups"
n_help=$("$prog" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u | wc -l)
n_spec=$(printf '%s\n' "$specs" | wc -l)
[ "$n_help" = "$n_spec" ] && ok "every option of --help ($n_help)" ||
	bad "--help names $n_help options, the completion $n_spec"
names=$(IKEROAM_CONFDIR=$tmp/conf IKEROAM_COMPLETION_TEST=1 zsh -f -c \
    "source $tmp/fn/_ikeroam; _ikeroam_profile_names" | sort | paste -sd' ')
[ "$names" = "home work" ] && ok "profile names: $names" || bad "profile names: '$names'"
echo "completion-zsh: $fails failed"
[ "$fails" -eq 0 ]
