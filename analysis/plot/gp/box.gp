# SPDX-License-Identifier: GPL-2.0-or-later
#
# box.gp - box plots per category (per-vCPU latency): whiskers at min and
# max, box from the 25th to the 75th percentile, a line at the median.
# Data columns as cat.gp's: 1 x, 2 n, 3 min, 4 p25, 5 median, 6 p75,
# 7 max, 8 mean, 9 label; one block per panel.
# The page: one panel per block of the data file, two panels a row (1240
# px: an HTML page shows it unscaled, legible, in a 1400 px window).
cols = npanels > 1 ? 2 : 1
rows = ceil(npanels * 1.0 / cols)
if (fmt eq 'png') {
	set terminal pngcairo noenhanced size 620 * cols, 380 * rows font ',9'
} else {
	if (fmt eq 'svg') {
		set terminal svg noenhanced size 620 * cols, 380 * rows font 'sans,9'
	} else {
		set terminal pdfcairo noenhanced size 6.2 * cols, 3.8 * rows font ',7'
	}
}
set output stem . '.' . fmt
set datafile separator "\t"
set grid ytics
set multiplot layout rows, cols title figtitle
set style fill solid 0.3 border -1
set boxwidth 0.5
set xrange [-0.7 : ncat - 0.3]
set xtics () rotate by -35 scale 0
do for [i = 1 : ncat] { set xtics add (cat[i] i - 1) }
set xlabel xlabel
set ylabel ylabel
set logscale y
set key outside right top vertical Left reverse samplen 2
do for [p = 1 : npanels] {
	set title ptitle[p]
	plot data index (p - 1) using 1 : ($4 / unit) : ($3 / unit) : ($7 / unit) : ($6 / unit) \
		with candlesticks title 'min, p25 .. p75, max', \
	     '' index (p - 1) using 1 : ($5 / unit) : ($5 / unit) : ($5 / unit) : ($5 / unit) \
		with candlesticks lc rgb 'black' lw 2 title 'median'
}
unset multiplot
