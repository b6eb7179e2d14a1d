-- gold/nrr_unsur (sumber = responden): the NRR of every unsur of every figure that has one,
-- nine rows a figure (nrr null for an unsur nobody answered). nrr_bulat at 3 decimals as the
-- reports print NRR; ikm_unsur = NRR x 25; mutu graded on ikm_unsur at 2 decimals.
SELECT unit_id, tahun, periode, unsur, kode, n_jawaban, nrr,
       FLOOR(nrr * 1000 + 0.5 + 0.000000005) / 1000 AS nrr_bulat,
       nrr * 25 AS ikm_unsur,
       h / 100 AS ikm_unsur_bulat,
       CASE WHEN h BETWEEN 8831 AND 10000 THEN 'A' WHEN h BETWEEN 7661 AND 8830 THEN 'B'
            WHEN h BETWEEN 6500 AND 7660 THEN 'C' WHEN h BETWEEN 2500 AND 6499 THEN 'D' END AS mutu,
       'responden' AS sumber
FROM (
  SELECT unit_id, tahun, periode, unsur, kode, n_jawaban, nrr,
         FLOOR(nrr * 25 * 100 + 0.5 + 0.000000005) AS h,
         COUNT(nrr) OVER (PARTITION BY unit_id, tahun, periode) AS n_unsur
  FROM figur_unsur
) f12
WHERE n_unsur > 0
