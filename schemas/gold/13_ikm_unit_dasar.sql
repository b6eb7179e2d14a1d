-- ikm_unit_dasar: gold/ikm_unit (sumber = responden) before its comparisons (22_ikm_unit): the IKM of every unit, wave and year from its
-- respondents, with the unit's registry attributes; the year's row made by the unit's rule,
-- saying which (aturan_tahun), whether the year is complete and which waves it used.
-- n_unsur: the unsur answered; ikm null unless all nine are. mutu graded on ikm_bulat. ikm_se
-- the square root of galat_figur's variance (k = 0), the 95% interval ikm -/+ 1.96 ikm_se
-- within 25..100.
SELECT f13.unit_id, u13.unit_nama, u13.jenis_unit, u13.kecamatan, u13.kecamatan_basis,
       f13.tahun, f13.periode, f13.n_responden, f13.n_unsur, f13.ikm,
       f13.h / 100 AS ikm_bulat,
       CASE WHEN f13.h BETWEEN 8831 AND 10000 THEN 'A' WHEN f13.h BETWEEN 7661 AND 8830 THEN 'B'
            WHEN f13.h BETWEEN 6500 AND 7660 THEN 'C' WHEN f13.h BETWEEN 2500 AND 6499 THEN 'D' END AS mutu,
       CASE WHEN f13.h BETWEEN 8831 AND 10000 THEN 'Sangat Baik' WHEN f13.h BETWEEN 7661 AND 8830 THEN 'Baik'
            WHEN f13.h BETWEEN 6500 AND 7660 THEN 'Kurang Baik' WHEN f13.h BETWEEN 2500 AND 6499 THEN 'Tidak Baik' END AS kinerja,
       f13.se AS ikm_se,
       CASE WHEN f13.ikm - 1.959963984540054 * f13.se < 25 THEN 25.0 ELSE f13.ikm - 1.959963984540054 * f13.se END AS ikm_bawah,
       CASE WHEN f13.ikm + 1.959963984540054 * f13.se > 100 THEN 100.0 ELSE f13.ikm + 1.959963984540054 * f13.se END AS ikm_atas,
       'responden' AS sumber,
       f13.aturan AS aturan_tahun, f13.tahun_lengkap, f13.periode_dipakai, f13.catatan
FROM (
  SELECT x13.unit_id, x13.tahun, x13.periode, COALESCE(g13.n_responden, t13.n_responden) AS n_responden,
         x13.n_unsur, x13.ikm, FLOOR(x13.ikm * 100 + 0.5 + 0.000000005) AS h,
         t13.aturan, t13.tahun_lengkap, t13.periode_dipakai, t13.catatan,
         CASE WHEN x13.ikm IS NOT NULL THEN SQRT(e13.var) END AS se
  FROM (
    SELECT unit_id, tahun, periode, COUNT(nrr) AS n_unsur,
           CASE WHEN COUNT(nrr) = 9 THEN SUM(nrr) / 9 * 25 END AS ikm
    FROM figur_unsur
    GROUP BY unit_id, tahun, periode
  ) x13
  LEFT JOIN (SELECT unit_id, tahun, periode, n_responden FROM gelombang WHERE k = 1) g13
    ON x13.unit_id = g13.unit_id AND x13.tahun = g13.tahun AND x13.periode = g13.periode
  LEFT JOIN tahun_terpakai t13
    ON x13.unit_id = t13.unit_id AND x13.tahun = t13.tahun AND x13.periode = t13.periode
  LEFT JOIN (SELECT unit_id, tahun, periode, var FROM galat_figur WHERE k = 0) e13
    ON x13.unit_id = e13.unit_id AND x13.tahun = e13.tahun AND x13.periode = e13.periode
) f13
LEFT JOIN units u13 ON f13.unit_id = u13.unit_id
