# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench-ratio.awk - per mode and depth, the ratio vmlat IOPS / fio IOPS of
# each rep, their median, and a 95% bootstrap CI of that median (2000
# resamples of the reps, fixed seed: the same input gives the same CI).
# Input lines: ENGINE MODE DEPTH REP IOPS (ENGINE fio, the baseline, or
# another: vmlat, or cand's value).  Variables: modes, depths
# (space-separated, the row order); cand, the engine set against fio
# (vmlat when unset); label, words added after each row's mode;
# nodepth=1 leaves the depth column out (scripts/bench.sh: one depth, "-",
# and each variant a "mode" against psync).

function isort(a, n,    i, j, t) {
	for (i = 2; i <= n; i++) {
		t = a[i]
		for (j = i - 1; j >= 1 && a[j] > t; j--)
			a[j + 1] = a[j]
		a[j + 1] = t
	}
}

function median(a, n,    b, i) {
	for (i = 1; i <= n; i++)
		b[i] = a[i]
	isort(b, n)
	return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
}

{ iops[$1, $2, $3, $4] = $5; if ($4 > nrep) nrep = $4 }

END {
	if (cand == "")
		cand = "vmlat"
	srand(20261201)
	nm = split(modes, mode, " ")
	nd = split(depths, depth, " ")
	for (i = 1; i <= nm; i++) for (j = 1; j <= nd; j++) {
		m = mode[i]; d = depth[j]; n = 0; list = ""
		for (r = 1; r <= nrep; r++) {
			if (!((("fio", m, d, r) in iops) && ((cand, m, d, r) in iops)))
				continue
			n++
			f[n] = iops["fio", m, d, r]
			v[n] = iops[cand, m, d, r]
			ratio[n] = f[n] > 0 ? v[n] / f[n] : 0
		}
		if (!n)
			continue
		med = median(ratio, n)
		for (b = 1; b <= 2000; b++) {
			for (k = 1; k <= n; k++)
				s[k] = ratio[int(rand() * n) + 1]
			boot[b] = median(s, n)
		}
		isort(boot, 2000)
		for (k = 1; k <= n; k++) sr[k] = ratio[k]
		isort(sr, n)
		for (k = 1; k <= n; k++) list = list sprintf("%.3f ", sr[k])
		printf "| %s%s |%s %.0f | %.0f | %.3f | %.3f - %.3f | %s|\n", m, label, nodepth ? "" : " " d " |",
			median(f, n), median(v, n), med, boot[50], boot[1951], list
	}
}
