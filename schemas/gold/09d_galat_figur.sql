-- galat_figur: the variance of every figure gold shows from respondents, per k (0: the IKM;
-- 1..9: an NRR): each wave's, and the year's by the unit's rule (units.aturan_tahun).
SELECT unit_id, tahun, periode, k, var
FROM galat_gelombang
WHERE periode <> 'TAHUN'
UNION ALL
SELECT t09.unit_id, t09.tahun, 'TAHUN' AS periode, t09.k, t09.var
FROM galat_tahun t09
JOIN units u09 ON t09.unit_id = u09.unit_id AND t09.aturan = u09.aturan_tahun
