-- gold/kecamatan_unsur: per year, period (and the year, TAHUN, pooled) and kecamatan, the NRR
-- of each unsur over every respondent of the units located there (a heat map), with its
-- margin of error over the pooled respondents (galat_gelombang's NRR formula on the units'
-- cross sums together; no population correction).
SELECT tahun, periode, kecamatan, unsur, kode, n_jawaban, nrr, nrr_bulat, se AS nrr_se,
       CASE WHEN nrr - 1.959963984540054 * se < 1 THEN 1.0 ELSE nrr - 1.959963984540054 * se END AS nrr_bawah,
       CASE WHEN nrr + 1.959963984540054 * se > 4 THEN 4.0 ELSE nrr + 1.959963984540054 * se END AS nrr_atas
FROM (
SELECT s19.tahun, s19.periode, s19.kecamatan, s19.unsur, s19.kode, s19.n_jawaban,
       CAST(s19.skor AS DOUBLE) / NULLIF(s19.n_jawaban, 0) AS nrr,
       FLOOR(CAST(s19.skor AS DOUBLE) / NULLIF(s19.n_jawaban, 0) * 1000 + 0.5 + 0.000000005) / 1000 AS nrr_bulat,
       CASE WHEN s19.n_responden >= 2 AND s19.n_jawaban > 0
            THEN SQRT(CASE WHEN c19.t < 0 THEN 0 ELSE c19.t END * s19.n_responden / (s19.n_responden - 1.0)) END AS se
FROM (
  SELECT j19.tahun, j19.periode, u19.kecamatan, j19.k, j19.unsur, j19.kode,
         SUM(j19.skor) AS skor, SUM(j19.n_jawaban) AS n_jawaban, SUM(j19.n_responden) AS n_responden
  FROM jumlah j19 JOIN units u19 ON j19.unit_id = u19.unit_id
  WHERE j19.dimensi IS NULL AND u19.kecamatan IS NOT NULL
  GROUP BY j19.tahun, j19.periode, u19.kecamatan, j19.k, j19.unsur, j19.kode
  UNION ALL
  SELECT j19.tahun, 'TAHUN' AS periode, u19.kecamatan, j19.k, j19.unsur, j19.kode,
         SUM(j19.skor) AS skor, SUM(j19.n_jawaban) AS n_jawaban, SUM(j19.n_responden) AS n_responden
  FROM jumlah j19 JOIN units u19 ON j19.unit_id = u19.unit_id
  WHERE j19.dimensi IS NULL AND u19.kecamatan IS NOT NULL
  GROUP BY j19.tahun, u19.kecamatan, j19.k, j19.unsur, j19.kode
) s19
LEFT JOIN (
  SELECT x.tahun, x.periode, x.kecamatan, x.k,
         (x.yy - 2 * x.r * x.ya + x.r * x.r * x.aa) / (CAST(x.aa AS DOUBLE) * x.aa) AS t
  FROM (
    SELECT tahun, periode, kecamatan, k, yy, ya, aa, CAST(ya AS DOUBLE) / NULLIF(aa, 0) AS r
    FROM (
      SELECT c.tahun, c.periode, u.kecamatan, c.k, SUM(c.yy) AS yy, SUM(c.ya) AS ya, SUM(c.aa) AS aa
      FROM silang_counted c JOIN units u ON c.unit_id = u.unit_id
      WHERE c.k = c.l AND u.kecamatan IS NOT NULL
      GROUP BY c.tahun, c.periode, u.kecamatan, c.k
      UNION ALL
      SELECT c.tahun, 'TAHUN' AS periode, u.kecamatan, c.k, SUM(c.yy) AS yy, SUM(c.ya) AS ya, SUM(c.aa) AS aa
      FROM silang_counted c JOIN units u ON c.unit_id = u.unit_id
      WHERE c.k = c.l AND u.kecamatan IS NOT NULL
      GROUP BY c.tahun, u.kecamatan, c.k
    ) y
  ) x
) c19 ON s19.tahun = c19.tahun AND s19.periode = c19.periode AND s19.kecamatan = c19.kecamatan AND s19.k = c19.k
) f19
