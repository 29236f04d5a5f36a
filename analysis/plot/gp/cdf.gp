# SPDX-License-Identifier: GPL-2.0-or-later
#
# cdf.gp - share of IOs at or below each latency, one line per series,
# log x.  Data: one block per line, columns 1 latency (ns), 2 fraction.
# Lines pfirst[p] .. plast[p] belong to panel p; stitle[] are their names.
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
set logscale x
set xlabel 'latency (' . unitname . ')'
set ylabel 'fraction of IOs'
set yrange [0 : 1]
set key bottom right
do for [p = 1 : npanels] {
	set title ptitle[p]
	plot for [b = pfirst[p] : plast[p]] data index (b - 1) using ($1 / unit) : 2 \
		with steps lw 1.5 title stitle[b]
}
unset multiplot
