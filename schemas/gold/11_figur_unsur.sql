-- figur_unsur: the NRR per unsur of every figure gold shows from respondents: each wave, and
-- the year (periode TAHUN) by the unit's rule.
SELECT unit_id, tahun, periode, k, unsur, kode, n_jawaban, nrr
FROM gelombang
UNION ALL
SELECT t11.unit_id, t11.tahun, 'TAHUN' AS periode, t11.k, t11.unsur, t11.kode, t11.n_jawaban, t11.nrr
FROM tahun_unsur t11
JOIN units u11 ON t11.unit_id = u11.unit_id AND t11.aturan = u11.aturan_tahun
