-- gelombang_ada: per unit and year, which waves exist (ada_*: 1 or 0), their respondents
-- (n_*), and the latest wave's place (urut_akhir).
SELECT unit_id, tahun,
       MAX(CASE WHEN periode = 'TW1' THEN 1 ELSE 0 END) AS ada_tw1,
       MAX(CASE WHEN periode = 'TW2' THEN 1 ELSE 0 END) AS ada_tw2,
       MAX(CASE WHEN periode = 'S1' THEN 1 ELSE 0 END) AS ada_s1,
       MAX(CASE WHEN periode = 'TW3' THEN 1 ELSE 0 END) AS ada_tw3,
       MAX(CASE WHEN periode = 'TW4' THEN 1 ELSE 0 END) AS ada_tw4,
       MAX(CASE WHEN periode = 'S2' THEN 1 ELSE 0 END) AS ada_s2,
       SUM(CASE WHEN periode = 'TW1' THEN n_responden ELSE 0 END) AS n_tw1,
       SUM(CASE WHEN periode = 'TW2' THEN n_responden ELSE 0 END) AS n_tw2,
       SUM(CASE WHEN periode = 'S1' THEN n_responden ELSE 0 END) AS n_s1,
       SUM(CASE WHEN periode = 'TW3' THEN n_responden ELSE 0 END) AS n_tw3,
       SUM(CASE WHEN periode = 'TW4' THEN n_responden ELSE 0 END) AS n_tw4,
       SUM(CASE WHEN periode = 'S2' THEN n_responden ELSE 0 END) AS n_s2,
       MAX(urut) AS urut_akhir
FROM gelombang
WHERE k = 1
GROUP BY unit_id, tahun
