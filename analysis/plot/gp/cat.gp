# SPDX-License-Identifier: GPL-2.0-or-later
#
# cat.gp - minimum, mean and maximum per category (Study A Figs. 2-4, 6-8;
# Study B's probes).  Data columns: 1 x, 2 n, 3 min, 4 p25, 5 median,
# 6 p75, 7 max, 8 mean, 9 label (text, for readers); one block per panel.
# Needs: stem, fmt, data, figtitle, npanels, ptitle[], ncat, cat[], unit,
# ylabel, ylo, yhi (NaN: from 0, automatic top).
# The page: one panel per block of the data file, in a near-square grid.
cols = ceil(sqrt(npanels))
rows = ceil(npanels * 1.0 / cols)
if (fmt eq 'png') {
	set terminal pngcairo noenhanced size 520 * cols, 380 * rows font ',9'
} else {
	if (fmt eq 'svg') {
		set terminal svg noenhanced size 520 * cols, 380 * rows font 'sans,9'
	} else {
		set terminal pdfcairo noenhanced size 5.2 * cols, 3.8 * rows font ',7'
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
if (yhi == yhi) { set yrange [ylo : yhi] } else { set yrange [0 : *] }
set key top left
do for [p = 1 : npanels] {
	set title ptitle[p]
	plot data index (p - 1) using 1 : ($8 / unit) with boxes title 'mean', \
	     '' index (p - 1) using 1 : ($8 / unit) : ($3 / unit) : ($7 / unit) \
		with yerrorbars pt 7 ps 0.5 lc rgb 'black' title 'min .. max'
}
unset multiplot
