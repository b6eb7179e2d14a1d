-- gold/kecamatan_unsur: per year, period (and the year, TAHUN, pooled) and kecamatan, the NRR
-- of each unsur over every respondent of the units located there (a heat map).
SELECT tahun, periode, kecamatan, unsur, kode, n_jawaban,
       CAST(skor AS DOUBLE) / NULLIF(n_jawaban, 0) AS nrr,
       FLOOR(CAST(skor AS DOUBLE) / NULLIF(n_jawaban, 0) * 1000 + 0.5 + 0.000000005) / 1000 AS nrr_bulat
FROM (
  SELECT j19.tahun, j19.periode, u19.kecamatan, j19.k, j19.unsur, j19.kode,
         SUM(j19.skor) AS skor, SUM(j19.n_jawaban) AS n_jawaban
  FROM jumlah j19 JOIN units u19 ON j19.unit_id = u19.unit_id
  WHERE j19.dimensi IS NULL AND u19.kecamatan IS NOT NULL
  GROUP BY j19.tahun, j19.periode, u19.kecamatan, j19.k, j19.unsur, j19.kode
  UNION ALL
  SELECT j19.tahun, 'TAHUN' AS periode, u19.kecamatan, j19.k, j19.unsur, j19.kode,
         SUM(j19.skor) AS skor, SUM(j19.n_jawaban) AS n_jawaban
  FROM jumlah j19 JOIN units u19 ON j19.unit_id = u19.unit_id
  WHERE j19.dimensi IS NULL AND u19.kecamatan IS NOT NULL
  GROUP BY j19.tahun, u19.kecamatan, j19.k, j19.unsur, j19.kode
) s19
