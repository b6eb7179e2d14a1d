-- galat_tahun: per unit, year, yearly rule and k (0: the IKM; 1..9: an NRR), the variance of the
-- yearly figure. pooled: that of the year's respondents together (galat_gelombang, 'TAHUN').
-- The others combine independent waves, so var = sum of c_w^2 var_w over the waves the rule
-- uses (tahun_pakai), c_w the wave's weight: semester 1 / (halves present x the half's waves
-- used), mean 1 / waves, last 1. Null when a wave used has none.
SELECT unit_id, tahun, 'pooled' AS aturan, k, var
FROM galat_gelombang
WHERE periode = 'TAHUN'
UNION ALL
SELECT unit_id, tahun, aturan, k,
       CASE WHEN COUNT(var) = COUNT(*) THEN SUM(c * c * var) END AS var
FROM (
  SELECT g09.unit_id, g09.tahun, p09.aturan, g09.k, g09.var,
         CASE p09.aturan
           WHEN 'semester' THEN 1.0 / (p09.halves * CASE WHEN g09.periode IN ('TW1', 'TW2', 'S1')
                                                         THEN p09.half1 ELSE p09.half2 END)
           WHEN 'mean' THEN 1.0 / (p09.half1 + p09.half2)
           ELSE 1.0 END AS c
  FROM galat_gelombang g09
  JOIN (
    SELECT unit_id, tahun, aturan, p_tw1, p_tw2, p_s1, p_tw3, p_tw4, p_s2,
           p_tw1 + p_tw2 + p_s1 AS half1, p_tw3 + p_tw4 + p_s2 AS half2,
           CASE WHEN p_tw1 + p_tw2 + p_s1 > 0 THEN 1 ELSE 0 END
             + CASE WHEN p_tw3 + p_tw4 + p_s2 > 0 THEN 1 ELSE 0 END AS halves
    FROM tahun_pakai
    WHERE aturan IN ('semester', 'mean', 'last')
  ) p09
    ON g09.unit_id = p09.unit_id AND g09.tahun = p09.tahun
  WHERE 1 = CASE g09.periode WHEN 'TW1' THEN p09.p_tw1 WHEN 'TW2' THEN p09.p_tw2
                             WHEN 'S1' THEN p09.p_s1 WHEN 'TW3' THEN p09.p_tw3
                             WHEN 'TW4' THEN p09.p_tw4 WHEN 'S2' THEN p09.p_s2 ELSE 0 END
) w09
GROUP BY unit_id, tahun, aturan, k
