-- jumlah: sums_counted one row per unsur (k = 1..9, the Kota Bekasi codes U1-U9): per unit,
-- year, period and profile group (dimensi null: the total), the respondents, the sum of the
-- scores (skor) and the number of answers (n_jawaban) to the unsur. Every NRR is
-- skor / n_jawaban, a blank answer being no answer (never a zero).
SELECT unit_id, tahun, periode, dimensi, kelompok, n_responden,
       1 AS k, 'persyaratan' AS unsur, 'U1' AS kode, persyaratan__sum AS skor, persyaratan__n AS n_jawaban
FROM sums_counted
UNION ALL
SELECT unit_id, tahun, periode, dimensi, kelompok, n_responden,
       2 AS k, 'prosedur' AS unsur, 'U2' AS kode, prosedur__sum AS skor, prosedur__n AS n_jawaban
FROM sums_counted
UNION ALL
SELECT unit_id, tahun, periode, dimensi, kelompok, n_responden,
       3 AS k, 'waktu' AS unsur, 'U3' AS kode, waktu__sum AS skor, waktu__n AS n_jawaban
FROM sums_counted
UNION ALL
SELECT unit_id, tahun, periode, dimensi, kelompok, n_responden,
       4 AS k, 'biaya' AS unsur, 'U4' AS kode, biaya__sum AS skor, biaya__n AS n_jawaban
FROM sums_counted
UNION ALL
SELECT unit_id, tahun, periode, dimensi, kelompok, n_responden,
       5 AS k, 'produk' AS unsur, 'U5' AS kode, produk__sum AS skor, produk__n AS n_jawaban
FROM sums_counted
UNION ALL
SELECT unit_id, tahun, periode, dimensi, kelompok, n_responden,
       6 AS k, 'kompetensi' AS unsur, 'U6' AS kode, kompetensi__sum AS skor, kompetensi__n AS n_jawaban
FROM sums_counted
UNION ALL
SELECT unit_id, tahun, periode, dimensi, kelompok, n_responden,
       7 AS k, 'perilaku' AS unsur, 'U7' AS kode, perilaku__sum AS skor, perilaku__n AS n_jawaban
FROM sums_counted
UNION ALL
SELECT unit_id, tahun, periode, dimensi, kelompok, n_responden,
       8 AS k, 'sarpras' AS unsur, 'U8' AS kode, sarpras__sum AS skor, sarpras__n AS n_jawaban
FROM sums_counted
UNION ALL
SELECT unit_id, tahun, periode, dimensi, kelompok, n_responden,
       9 AS k, 'pengaduan' AS unsur, 'U9' AS kode, pengaduan__sum AS skor, pengaduan__n AS n_jawaban
FROM sums_counted
