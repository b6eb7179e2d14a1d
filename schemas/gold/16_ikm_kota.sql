-- gold/ikm_kota: the city figure per year and period, the plain mean of the units' figures
-- (nilai_unit), counts per grade, the highest and the lowest unit (ties: the first in the
-- registry), the change from last year and the units that did not report (year rows); beside
-- it ikm_gabungan, every respondent of every unit pooled (a different, labelled figure).
-- ikm_se: the mean's error, sqrt(sum of the units' variances) / n_unit, a recap's figure
-- counted as exact; null when no unit's figure is from respondents. selisih_tahun_lalu_nyata:
-- |change| > 1.96 sqrt(var + last year's var).
SELECT k16.tahun, k16.periode, k16.n_unit, k16.n_unit_responden, k16.n_unit_rekap, k16.ikm,
       k16.h / 100 AS ikm_bulat,
       CASE WHEN k16.h BETWEEN 8831 AND 10000 THEN 'A' WHEN k16.h BETWEEN 7661 AND 8830 THEN 'B'
            WHEN k16.h BETWEEN 6500 AND 7660 THEN 'C' WHEN k16.h BETWEEN 2500 AND 6499 THEN 'D' END AS mutu,
       CASE WHEN k16.h BETWEEN 8831 AND 10000 THEN 'Sangat Baik' WHEN k16.h BETWEEN 7661 AND 8830 THEN 'Baik'
            WHEN k16.h BETWEEN 6500 AND 7660 THEN 'Kurang Baik' WHEN k16.h BETWEEN 2500 AND 6499 THEN 'Tidak Baik' END AS kinerja,
       SQRT(k16.var) AS ikm_se,
       CASE WHEN k16.ikm - 1.959963984540054 * SQRT(k16.var) < 25 THEN 25.0
            ELSE k16.ikm - 1.959963984540054 * SQRT(k16.var) END AS ikm_bawah,
       CASE WHEN k16.ikm + 1.959963984540054 * SQRT(k16.var) > 100 THEN 100.0
            ELSE k16.ikm + 1.959963984540054 * SQRT(k16.var) END AS ikm_atas,
       g16.ikm_gabungan, k16.n_a, k16.n_b, k16.n_c, k16.n_d,
       hi16.unit_nama AS unit_tertinggi, hi16.ikm AS ikm_tertinggi,
       lo16.unit_nama AS unit_terendah, lo16.ikm AS ikm_terendah,
       CASE WHEN k16.periode = 'TAHUN' THEN k16.ikm - l16.ikm_lalu END AS selisih_tahun_lalu,
       CASE WHEN k16.periode = 'TAHUN'
            THEN ABS(k16.ikm - l16.ikm_lalu) > 1.959963984540054 * SQRT(k16.var + l16.var_lalu) + 0.000000001 END
         AS selisih_tahun_lalu_nyata,
       CASE WHEN k16.periode = 'TAHUN' THEN COALESCE(m16.n, 0) END AS n_unit_tidak_lapor
FROM (
  SELECT tahun, periode, n_unit, n_unit_responden, n_unit_rekap, ikm, n_a, n_b, n_c, n_d,
         FLOOR(ikm * 100 + 0.5 + 0.000000005) AS h,
         CASE WHEN n_unit_responden > 0 THEN jumlah_var / (CAST(n_unit AS DOUBLE) * n_unit) END AS var
  FROM (
    SELECT tahun, periode, COUNT(*) AS n_unit,
           SUM(CASE WHEN sumber = 'responden' THEN 1 ELSE 0 END) AS n_unit_responden,
           SUM(CASE WHEN sumber = 'rekap' THEN 1 ELSE 0 END) AS n_unit_rekap,
           AVG(ikm) AS ikm,
           SUM(CASE WHEN var IS NULL THEN 0.0 ELSE var END) AS jumlah_var,
           SUM(CASE WHEN h BETWEEN 8831 AND 10000 THEN 1 ELSE 0 END) AS n_a,
           SUM(CASE WHEN h BETWEEN 7661 AND 8830 THEN 1 ELSE 0 END) AS n_b,
           SUM(CASE WHEN h BETWEEN 6500 AND 7660 THEN 1 ELSE 0 END) AS n_c,
           SUM(CASE WHEN h BETWEEN 2500 AND 6499 THEN 1 ELSE 0 END) AS n_d
    FROM (SELECT tahun, periode, ikm, sumber, var, FLOOR(ikm * 100 + 0.5 + 0.000000005) AS h
          FROM nilai_unit) v16
    GROUP BY tahun, periode
  ) a16
) k16
JOIN (
  SELECT tahun, periode, unit_nama, ikm,
         ROW_NUMBER() OVER (PARTITION BY tahun, periode ORDER BY 0 - ikm, urutan) AS r
  FROM nilai_unit
) hi16 ON k16.tahun = hi16.tahun AND k16.periode = hi16.periode
JOIN (
  SELECT tahun, periode, unit_nama, ikm,
         ROW_NUMBER() OVER (PARTITION BY tahun, periode ORDER BY ikm, urutan) AS r
  FROM nilai_unit
) lo16 ON k16.tahun = lo16.tahun AND k16.periode = lo16.periode
LEFT JOIN (
  SELECT tahun, periode, CASE WHEN COUNT(nrr) = 9 THEN SUM(nrr) / 9 * 25 END AS ikm_gabungan
  FROM (
    SELECT tahun, periode, k, CAST(SUM(skor) AS DOUBLE) / NULLIF(SUM(n_jawaban), 0) AS nrr
    FROM jumlah WHERE dimensi IS NULL GROUP BY tahun, periode, k
    UNION ALL
    SELECT tahun, 'TAHUN' AS periode, k, CAST(SUM(skor) AS DOUBLE) / NULLIF(SUM(n_jawaban), 0) AS nrr
    FROM jumlah WHERE dimensi IS NULL GROUP BY tahun, k
  ) p16
  GROUP BY tahun, periode
) g16 ON k16.tahun = g16.tahun AND k16.periode = g16.periode
LEFT JOIN (
  SELECT CAST(tahun + 1 AS INTEGER) AS tahun_berikut, ikm_lalu,
         CASE WHEN n_resp > 0 THEN jumlah_var / (CAST(n AS DOUBLE) * n) END AS var_lalu
  FROM (SELECT tahun, AVG(ikm) AS ikm_lalu, COUNT(*) AS n,
               SUM(CASE WHEN sumber = 'responden' THEN 1 ELSE 0 END) AS n_resp,
               SUM(CASE WHEN var IS NULL THEN 0.0 ELSE var END) AS jumlah_var
        FROM nilai_unit WHERE periode = 'TAHUN' GROUP BY tahun) t16
) l16 ON k16.tahun = l16.tahun_berikut
LEFT JOIN (SELECT tahun, COUNT(*) AS n FROM unit_tidak_lapor GROUP BY tahun) m16
  ON k16.tahun = m16.tahun
WHERE hi16.r = 1 AND lo16.r = 1
