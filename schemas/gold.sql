-- Gold's core in plain SQL over silver's sums: the per-unsur NRR per unit, year and period, the
-- IKM per period, the yearly IKM by the Bagian Organisasi's semester rule, and the city mean.
--
-- This is what a distributed engine (Trino, Spark SQL, or DuckDB on one machine) runs over the
-- same partitioned Parquet skm writes, when one machine is no longer enough: register
--   sums = <out>/silver/sums   (tahun=YYYY/sums.parquet, partitioned the Hive way)
-- as a table with `tahun` as its partition column (the files do not store it: it is the folder
-- name, so a query on one year reads that year's folder only), then run this.
-- Only SQL every such engine has: CTEs, GROUP BY, CASE, COALESCE, NULLIF, CAST. A period whose
-- unsur lacks an answer has a null IKM, and so has a year built from it, as in skm.
--
-- bench/bench.py runs it with DuckDB on skm's own output and checks it against
-- gold/ikm_kota.parquet (ARCHITECTURE.md, "Scale").

WITH totals AS (            -- silver's sums added up: one row per unit, year and period
  SELECT unit_id, tahun, periode,
         SUM(n_responden) AS n_responden,
         SUM(persyaratan__sum) AS persyaratan__sum, SUM(persyaratan__n) AS persyaratan__n,
         SUM(prosedur__sum) AS prosedur__sum, SUM(prosedur__n) AS prosedur__n,
         SUM(waktu__sum) AS waktu__sum, SUM(waktu__n) AS waktu__n,
         SUM(biaya__sum) AS biaya__sum, SUM(biaya__n) AS biaya__n,
         SUM(produk__sum) AS produk__sum, SUM(produk__n) AS produk__n,
         SUM(kompetensi__sum) AS kompetensi__sum, SUM(kompetensi__n) AS kompetensi__n,
         SUM(perilaku__sum) AS perilaku__sum, SUM(perilaku__n) AS perilaku__n,
         SUM(sarpras__sum) AS sarpras__sum, SUM(sarpras__n) AS sarpras__n,
         SUM(pengaduan__sum) AS pengaduan__sum, SUM(pengaduan__n) AS pengaduan__n
  FROM sums
  WHERE dimensi IS NULL
  GROUP BY unit_id, tahun, periode
),
nrr AS (                    -- NRR per unsur = sum of scores / answers (a blank is not a zero)
  SELECT unit_id, tahun, periode, n_responden,
         CAST(persyaratan__sum AS DOUBLE) / NULLIF(persyaratan__n, 0) AS nrr_persyaratan,
         CAST(prosedur__sum AS DOUBLE) / NULLIF(prosedur__n, 0) AS nrr_prosedur,
         CAST(waktu__sum AS DOUBLE) / NULLIF(waktu__n, 0) AS nrr_waktu,
         CAST(biaya__sum AS DOUBLE) / NULLIF(biaya__n, 0) AS nrr_biaya,
         CAST(produk__sum AS DOUBLE) / NULLIF(produk__n, 0) AS nrr_produk,
         CAST(kompetensi__sum AS DOUBLE) / NULLIF(kompetensi__n, 0) AS nrr_kompetensi,
         CAST(perilaku__sum AS DOUBLE) / NULLIF(perilaku__n, 0) AS nrr_perilaku,
         CAST(sarpras__sum AS DOUBLE) / NULLIF(sarpras__n, 0) AS nrr_sarpras,
         CAST(pengaduan__sum AS DOUBLE) / NULLIF(pengaduan__n, 0) AS nrr_pengaduan
  FROM totals
),
ikm_periode AS (            -- IKM = mean of the nine NRR x 25
  SELECT unit_id, tahun, periode, n_responden,
         (nrr_persyaratan + nrr_prosedur + nrr_waktu + nrr_biaya + nrr_produk + nrr_kompetensi + nrr_perilaku + nrr_sarpras + nrr_pengaduan) / 9 * 25 AS ikm
  FROM nrr
),
halves AS (                -- per half-year: its semester wave and its quarters
  SELECT unit_id, tahun,
         CASE WHEN periode IN ('S1', 'TW1', 'TW2') THEN 1 ELSE 2 END AS paruh,
         COUNT(CASE WHEN periode IN ('S1', 'S2') THEN 1 END) AS n_semester,
         MAX(CASE WHEN periode IN ('S1', 'S2') THEN ikm END) AS ikm_semester,
         COUNT(CASE WHEN periode NOT IN ('S1', 'S2') THEN 1 END) AS n_triwulan,
         COUNT(CASE WHEN periode NOT IN ('S1', 'S2') THEN ikm END) AS n_triwulan_ikm,
         AVG(CASE WHEN periode NOT IN ('S1', 'S2') THEN ikm END) AS ikm_triwulan
  FROM ikm_periode
  GROUP BY unit_id, tahun, CASE WHEN periode IN ('S1', 'TW1', 'TW2') THEN 1 ELSE 2 END
),
semester AS (              -- a semester: its own wave, else the mean of its quarters present
  SELECT unit_id, tahun, paruh,
         CASE WHEN n_semester > 0 THEN ikm_semester
              WHEN n_triwulan = n_triwulan_ikm THEN ikm_triwulan END AS ikm
  FROM halves
),
tahunan AS (               -- the year: the mean of the halves present (null if one is null)
  SELECT unit_id, tahun,
         CASE WHEN COUNT(*) = COUNT(ikm) THEN AVG(ikm) END AS ikm
  FROM semester
  GROUP BY unit_id, tahun
)
SELECT tahun,                -- the city figure: the plain mean of the units' yearly IKM
       COUNT(ikm) AS n_unit,
       AVG(ikm) AS ikm_kota
FROM tahunan
GROUP BY tahun
ORDER BY tahun
