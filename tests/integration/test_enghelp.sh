#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Proves: `fio --enghelp=vmlat.so` lists every engine option with its help
# text, and the engine exports nothing but the symbol fio looks up.
. "$(dirname "$0")/../lib.sh"

"$FIO" --enghelp="$ENGINE" > "$T/help" 2>&1 || fail "fio --enghelp failed: $(cat "$T/help")"
for opt in vmlat_log vmlat_log_dir vmlat_log_name vmlat_log_replace vmlat_tags vmlat_allow_overwrite vmlat_ctx vmlat_probes; do
	line=$(grep -E "^ *$opt +:" "$T/help") || fail "$opt not listed: $(cat "$T/help")"
	[ "${#line}" -gt $(( ${#opt} + 20 )) ] || fail "$opt has no help text: $line"
done
ok "all options listed with help"

syms=$(nm -D --defined-only "$ENGINE" | awk '{ print $3 }' | grep -v '^_' | sort | tr '\n' ' ')
[ "$syms" = "ioengine " ] || fail "engine exports more than ioengine: $syms"
ok "only ioengine is exported"
