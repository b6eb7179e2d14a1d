-- gold/nrr_unsur (sumber = responden): the NRR of every unsur of every figure that has one,
-- nine rows a figure (nrr null for an unsur nobody answered). nrr_bulat at 3 decimals as the
-- reports print NRR; ikm_unsur = NRR x 25; mutu graded on ikm_unsur at 2 decimals; nrr_se the
-- square root of galat_figur's variance, the 95% interval nrr -/+ 1.96 nrr_se within 1..4.
SELECT unit_id, tahun, periode, unsur, kode, n_jawaban, nrr,
       FLOOR(nrr * 1000 + 0.5 + 0.000000005) / 1000 AS nrr_bulat,
       nrr * 25 AS ikm_unsur,
       h / 100 AS ikm_unsur_bulat,
       CASE WHEN h BETWEEN 8831 AND 10000 THEN 'A' WHEN h BETWEEN 7661 AND 8830 THEN 'B'
            WHEN h BETWEEN 6500 AND 7660 THEN 'C' WHEN h BETWEEN 2500 AND 6499 THEN 'D' END AS mutu,
       se AS nrr_se,
       CASE WHEN nrr - 1.959963984540054 * se < 1 THEN 1.0 ELSE nrr - 1.959963984540054 * se END AS nrr_bawah,
       CASE WHEN nrr + 1.959963984540054 * se > 4 THEN 4.0 ELSE nrr + 1.959963984540054 * se END AS nrr_atas,
       'responden' AS sumber
FROM (
  SELECT f.unit_id, f.tahun, f.periode, f.unsur, f.kode, f.n_jawaban, f.nrr,
         FLOOR(f.nrr * 25 * 100 + 0.5 + 0.000000005) AS h,
         CASE WHEN f.nrr IS NOT NULL THEN SQRT(g.var) END AS se,
         COUNT(f.nrr) OVER (PARTITION BY f.unit_id, f.tahun, f.periode) AS n_unsur
  FROM figur_unsur f
  LEFT JOIN galat_figur g
    ON f.unit_id = g.unit_id AND f.tahun = g.tahun AND f.periode = g.periode AND f.k = g.k
) f12
WHERE n_unsur > 0
