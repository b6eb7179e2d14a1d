-- gold/ikm_unit (sumber = responden): ikm_unit_dasar with its comparisons (docs/DOMAIN.md
-- §1.12), on the figures the units count with (nilai_unit): the unit's figure before (last
-- year's for TAHUN, else its latest earlier wave of any kind) and the change from it; the gap to
-- the city mean of the same year and period; each with whether it is beyond noise at 95%; the
-- rank among the units of that year and period (ties share the best) and the ranks it could
-- hold within noise (a recap's figure counted as exact; its own gaps not judged).
WITH n22 AS (
  SELECT unit_id, tahun, periode, ikm, var,
         CASE periode WHEN 'TW1' THEN 1 WHEN 'TW2' THEN 2 WHEN 'S1' THEN 3 WHEN 'TW3' THEN 4
                      WHEN 'TW4' THEN 5 WHEN 'S2' THEN 6 ELSE 7 END AS urut
  FROM nilai_unit
),
w22 AS (
  SELECT unit_id, tahun, periode, ikm, var,
         CAST(ROW_NUMBER() OVER (PARTITION BY unit_id ORDER BY tahun, urut) AS BIGINT) AS r
  FROM n22
  WHERE periode <> 'TAHUN'
),
s22 AS (
  SELECT a.unit_id, a.tahun, a.periode, b.tahun AS tahun_sebelum, b.periode AS periode_sebelum,
         a.ikm - b.ikm AS selisih, a.var + b.var AS var
  FROM w22 a
  JOIN (SELECT unit_id, tahun, periode, ikm, var, CAST(r + 1 AS BIGINT) AS r_berikut FROM w22) b
    ON a.unit_id = b.unit_id AND a.r = b.r_berikut
  UNION ALL
  SELECT a.unit_id, a.tahun, a.periode, b.tahun AS tahun_sebelum, b.periode AS periode_sebelum,
         a.ikm - b.ikm AS selisih, a.var + b.var AS var
  FROM (SELECT unit_id, tahun, periode, ikm, var FROM n22 WHERE periode = 'TAHUN') a
  JOIN (SELECT unit_id, tahun, periode, ikm, var, CAST(tahun + 1 AS INTEGER) AS tahun_berikut
        FROM n22 WHERE periode = 'TAHUN') b
    ON a.unit_id = b.unit_id AND a.tahun = b.tahun_berikut
),
k22 AS (
  SELECT tahun, periode, AVG(ikm) AS ikm_kota, COUNT(*) AS n,
         SUM(CASE WHEN var IS NULL THEN 0.0 ELSE var END) AS jumlah_var
  FROM n22
  GROUP BY tahun, periode
),
v22 AS (
  SELECT unit_id, tahun, periode, ikm, COALESCE(var, 0.0) AS v FROM n22
),
p22 AS (
  SELECT a.unit_id, a.tahun, a.periode,
         1 + SUM(CASE WHEN b.ikm > a.ikm + 0.000000001 THEN 1 ELSE 0 END) AS peringkat,
         1 + SUM(CASE WHEN b.ikm - a.ikm > 1.959963984540054 * SQRT(a.v + b.v) + 0.000000001 THEN 1 ELSE 0 END)
           AS peringkat_min,
         COUNT(*) - SUM(CASE WHEN a.ikm - b.ikm > 1.959963984540054 * SQRT(a.v + b.v) + 0.000000001 THEN 1 ELSE 0 END)
           AS peringkat_maks
  FROM v22 a
  JOIN v22 b ON a.tahun = b.tahun AND a.periode = b.periode
  GROUP BY a.unit_id, a.tahun, a.periode
),
c22 AS (
  SELECT n.unit_id, n.tahun, n.periode, n.ikm - k.ikm_kota AS selisih_kota,
         ABS(n.ikm - k.ikm_kota) > 1.959963984540054
           * SQRT((1 - 1.0 / k.n) * (1 - 1.0 / k.n) * n.var
                  + (k.jumlah_var - n.var) / (CAST(k.n AS DOUBLE) * k.n)) + 0.000000001 AS selisih_kota_nyata
  FROM n22 n
  JOIN k22 k ON n.tahun = k.tahun AND n.periode = k.periode
)
SELECT d.unit_id, d.unit_nama, d.jenis_unit, d.kecamatan, d.kecamatan_basis, d.tahun, d.periode,
       d.n_responden, d.n_unsur, d.ikm, d.ikm_bulat, d.mutu, d.kinerja, d.ikm_se, d.ikm_bawah,
       d.ikm_atas, d.sumber, d.aturan_tahun, d.tahun_lengkap, d.periode_dipakai, d.catatan,
       s.tahun_sebelum, s.periode_sebelum, s.selisih AS selisih_sebelum,
       ABS(s.selisih) > 1.959963984540054 * SQRT(s.var) + 0.000000001 AS selisih_sebelum_nyata,
       c.selisih_kota, c.selisih_kota_nyata,
       p.peringkat, p.peringkat_min, p.peringkat_maks
FROM ikm_unit_dasar d
LEFT JOIN s22 s ON d.unit_id = s.unit_id AND d.tahun = s.tahun AND d.periode = s.periode
LEFT JOIN c22 c ON d.unit_id = c.unit_id AND d.tahun = c.tahun AND d.periode = c.periode
LEFT JOIN p22 p ON d.unit_id = p.unit_id AND d.tahun = p.tahun AND d.periode = p.periode
