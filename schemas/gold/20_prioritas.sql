-- gold/prioritas: per unit figure that counts (nilai_unit) and city-wide (tingkat kota: the
-- mean NRR of those units), the unsur ranked from the lowest NRR. NRR are compared at 3
-- decimals, as the reports print them (nrr_bulat): equal ones are ties (seri), share their
-- rank (peringkat 1, 2, 2, 4) and are ordered by code within the tie (urutan); the unsur
-- ranked 1-3 are the priorities, so a tie at third place flags every unsur in it.
SELECT tingkat, unit_id, tahun, periode, unsur, kode, nrr, nrr_bulat,
       ROW_NUMBER() OVER (PARTITION BY tingkat, unit_id, tahun, periode ORDER BY kunci, k) AS urutan,
       RANK() OVER (PARTITION BY tingkat, unit_id, tahun, periode ORDER BY kunci) AS peringkat,
       COUNT(*) OVER (PARTITION BY tingkat, unit_id, tahun, periode, kunci) > 1 AS seri,
       RANK() OVER (PARTITION BY tingkat, unit_id, tahun, periode ORDER BY kunci) <= 3 AS prioritas
FROM (
  SELECT tingkat, unit_id, tahun, periode, k, unsur, kode, nrr,
         FLOOR(nrr * 1000 + 0.5 + 0.000000005) AS kunci,
         FLOOR(nrr * 1000 + 0.5 + 0.000000005) / 1000 AS nrr_bulat
  FROM (
    SELECT 'unit' AS tingkat, f20.unit_id, f20.tahun, f20.periode, f20.k, f20.unsur, f20.kode, f20.nrr
    FROM figur_unsur f20
    JOIN nilai_unit v20 ON f20.unit_id = v20.unit_id AND f20.tahun = v20.tahun AND f20.periode = v20.periode
    UNION ALL
    SELECT 'kota' AS tingkat, CASE WHEN 1 = 0 THEN '' END AS unit_id,
           f20.tahun, f20.periode, f20.k, f20.unsur, f20.kode, AVG(f20.nrr) AS nrr
    FROM figur_unsur f20
    JOIN nilai_unit v20 ON f20.unit_id = v20.unit_id AND f20.tahun = v20.tahun AND f20.periode = v20.periode
    GROUP BY f20.tahun, f20.periode, f20.k, f20.unsur, f20.kode
  ) a20
) r20
