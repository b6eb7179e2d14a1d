-- gold/ikm_tahun_aturan: every unit's yearly IKM under each rule side by side, the rule in use
-- (units.aturan_tahun, the configuration's [tahun]) marked terpakai. IKM = the mean of the
-- nine NRR x 25, null unless all nine are there. *_bulat: half-up (README.md here, "Rounding").
-- ikm_se: the square root of galat_tahun's variance of the rule's IKM.
SELECT i10.unit_id, i10.tahun, i10.aturan, i10.aturan = u10.aturan_tahun AS terpakai,
       n10.ikm, FLOOR(n10.ikm * 100 + 0.5 + 0.000000005) / 100 AS ikm_bulat,
       CASE WHEN n10.ikm IS NOT NULL THEN SQRT(g10.var) END AS ikm_se,
       i10.tahun_lengkap, i10.periode_dipakai, i10.n_responden, i10.catatan
FROM tahun_info i10
JOIN (
  SELECT unit_id, tahun, aturan,
         CASE WHEN COUNT(nrr) = 9 THEN SUM(nrr) / 9 * 25 END AS ikm
  FROM tahun_unsur
  GROUP BY unit_id, tahun, aturan
) n10 ON i10.unit_id = n10.unit_id AND i10.tahun = n10.tahun AND i10.aturan = n10.aturan
JOIN units u10 ON i10.unit_id = u10.unit_id
LEFT JOIN (SELECT unit_id, tahun, aturan, var FROM galat_tahun WHERE k = 0) g10
  ON i10.unit_id = g10.unit_id AND i10.tahun = g10.tahun AND i10.aturan = g10.aturan
