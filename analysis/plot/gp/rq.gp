# SPDX-License-Identifier: GPL-2.0-or-later
#
# rq.gp - each IO's latency against the time its thread waited in the run
# queue meanwhile (vmlat_ctx=rq), one colour per series.  Data: one block
# per series, columns 1 run-queue delay (ns), 2 latency (ns).
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
set xlabel 'run-queue delay (' . unitname . ')'
set ylabel 'latency (' . unitname . ')'
set key top left
do for [p = 1 : npanels] {
	set title ptitle[p]
	plot for [b = pfirst[p] : plast[p]] data index (b - 1) using ($1 / unit) : ($2 / unit) \
		with points pt 7 ps 0.4 title stitle[b]
}
unset multiplot
