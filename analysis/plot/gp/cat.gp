# SPDX-License-Identifier: GPL-2.0-or-later
#
# cat.gp - minimum, mean and maximum per category (Study A Figs. 2-4, 6-8;
# Study B's probes).  Data columns: 1 x, 2 n, 3 min, 4 p25, 5 median,
# 6 p75, 7 max, 8 mean, 9 label (text, for readers); one block per panel.
# Needs: stem, fmt, data, figtitle, npanels, ptitle[], logy[], over[],
# ncat, cat[], unit, unitname, ylabel, ylo, yhi (NaN: from 0, automatic
# top).
# The page: one panel per block of the data file, two panels a row (1240
# px: an HTML page shows it unscaled, legible, in a 1400 px window).
# A panel whose values span a decade or more gets a log axis (logy[p],
# decided by vmlat), or the mean is a sliver and the minimum invisible;
# with a fixed top (yhi, the zoomed figure) whatever lies above it is
# marked with a red triangle at the top and its value printed (over[p]:
# the panel has such a value, and its key says what the triangle means).
# The key sits right of each panel, where it covers no bar or whisker.
cols = npanels > 1 ? 2 : 1
rows = ceil(npanels * 1.0 / cols)
if (fmt eq 'png') {
	set terminal pngcairo noenhanced size 620 * cols, 400 * rows font ',9'
} else {
	if (fmt eq 'svg') {
		set terminal svg noenhanced size 620 * cols, 400 * rows font 'sans,9'
	} else {
		set terminal pdfcairo noenhanced size 6.2 * cols, 4.0 * rows font ',7'
	}
}
set output stem . '.' . fmt
set datafile separator "\t"
set grid ytics
set multiplot layout rows, cols title figtitle
set style fill solid 0.4 border -1
set boxwidth 0.6
set xrange [-0.7 : ncat - 0.3]
set xtics () rotate by -35 scale 0
do for [i = 1 : ncat] { set xtics add (cat[i] i - 1) }
set xlabel xlabel
set ylabel ylabel
set key outside right top vertical Left reverse samplen 2
clipped = yhi == yhi
# where a clipped value's mark and its number go: just under the top
ymark = clipped ? yhi - (yhi - ylo) * 0.04 : NaN
above(v) = clipped && v > yhi
do for [p = 1 : npanels] {
	set title ptitle[p]
	if (clipped) {
		unset logscale y
		set yrange [ylo : yhi]
	} else {
		if (logy[p]) {
			set logscale y
			set yrange [* : *]
		} else {
			unset logscale y
			set yrange [0 : *]
		}
	}
	if (over[p]) {
		plot data index (p - 1) using 1 : ($8 / unit) with boxes title 'mean', \
		     '' index (p - 1) using 1 : ($8 / unit) : ($3 / unit) : ($7 / unit) \
			with yerrorbars pt 7 ps 0.5 lc rgb 'black' title 'min .. max', \
		     '' index (p - 1) using 1 : (above($7 / unit) ? ymark : NaN) \
			with points pt 9 ps 1.5 lc rgb 'red' title 'above the axis', \
		     '' index (p - 1) using 1 : (above($7 / unit) ? ymark : NaN) : (above($8 / unit) ? \
			sprintf('mean %.4g, max %.4g %s', $8 / unit, $7 / unit, unitname) : sprintf('max %.4g %s', $7 / unit, unitname)) \
			with labels left offset 1, 0 tc rgb 'red' notitle
	} else {
		plot data index (p - 1) using 1 : ($8 / unit) with boxes title 'mean', \
		     '' index (p - 1) using 1 : ($8 / unit) : ($3 / unit) : ($7 / unit) \
			with yerrorbars pt 7 ps 0.5 lc rgb 'black' title 'min .. max'
	}
}
unset multiplot
