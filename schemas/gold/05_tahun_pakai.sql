-- tahun_pakai: per unit, year and yearly rule, the waves the rule uses (p_*: 1 or 0) and
-- whether the year is complete (lengkap: 1 or 0). The rules (docs/DOMAIN.md, "Periods and
-- the yearly figure"; pipeline/domain/yearly.rs):
--   semester  the mean of the two halves, a half being its semester wave (S1, S2) or else the
--             mean of its quarters present; complete when both halves are, a half being
--             complete with its semester wave or both its quarters
--   pooled    every respondent of the year; complete when both halves have a wave
--   mean      the plain mean of every wave; always complete
--   last      the latest wave (TW1, TW2, S1, TW3, TW4, S2 in that order); always complete
-- (weights, the fifth rule, needs each unit's configured weights: not covered here.)
SELECT unit_id, tahun, 'semester' AS aturan,
       ada_tw1 * (1 - ada_s1) AS p_tw1, ada_tw2 * (1 - ada_s1) AS p_tw2, ada_s1 AS p_s1,
       ada_tw3 * (1 - ada_s2) AS p_tw3, ada_tw4 * (1 - ada_s2) AS p_tw4, ada_s2 AS p_s2,
       CASE WHEN (ada_s1 = 1 OR ada_tw1 + ada_tw2 = 2) AND (ada_s2 = 1 OR ada_tw3 + ada_tw4 = 2)
            THEN 1 ELSE 0 END AS lengkap
FROM gelombang_ada
UNION ALL
SELECT unit_id, tahun, 'pooled' AS aturan,
       ada_tw1 AS p_tw1, ada_tw2 AS p_tw2, ada_s1 AS p_s1,
       ada_tw3 AS p_tw3, ada_tw4 AS p_tw4, ada_s2 AS p_s2,
       CASE WHEN ada_tw1 + ada_tw2 + ada_s1 > 0 AND ada_tw3 + ada_tw4 + ada_s2 > 0
            THEN 1 ELSE 0 END AS lengkap
FROM gelombang_ada
UNION ALL
SELECT unit_id, tahun, 'mean' AS aturan,
       ada_tw1 AS p_tw1, ada_tw2 AS p_tw2, ada_s1 AS p_s1,
       ada_tw3 AS p_tw3, ada_tw4 AS p_tw4, ada_s2 AS p_s2,
       1 AS lengkap
FROM gelombang_ada
UNION ALL
SELECT unit_id, tahun, 'last' AS aturan,
       CASE WHEN urut_akhir = 1 THEN 1 ELSE 0 END AS p_tw1,
       CASE WHEN urut_akhir = 2 THEN 1 ELSE 0 END AS p_tw2,
       CASE WHEN urut_akhir = 3 THEN 1 ELSE 0 END AS p_s1,
       CASE WHEN urut_akhir = 4 THEN 1 ELSE 0 END AS p_tw3,
       CASE WHEN urut_akhir = 5 THEN 1 ELSE 0 END AS p_tw4,
       CASE WHEN urut_akhir = 6 THEN 1 ELSE 0 END AS p_s2,
       1 AS lengkap
FROM gelombang_ada
