-- tahun_info: per unit, year and rule, what the yearly figure says about itself: its
-- respondents (those of the waves used), tahun_lengkap, periode_dipakai ('S1+TW3+TW4') and
-- catatan (a rule that combines waves notes an incomplete year; pooled does not).
SELECT unit_id, tahun, 'TAHUN' AS periode, aturan, n_responden,
       lengkap = 1 AS tahun_lengkap, periode_dipakai,
       CASE WHEN lengkap = 0 AND aturan <> 'pooled'
            THEN 'tahun tidak lengkap: dihitung dari ' || periode_dipakai || ' saja' END AS catatan
FROM (
  SELECT p06.unit_id, p06.tahun, p06.aturan, p06.lengkap,
         p06.p_tw1 * a06.n_tw1 + p06.p_tw2 * a06.n_tw2 + p06.p_s1 * a06.n_s1
           + p06.p_tw3 * a06.n_tw3 + p06.p_tw4 * a06.n_tw4 + p06.p_s2 * a06.n_s2 AS n_responden,
         SUBSTR(CASE WHEN p06.p_tw1 = 1 THEN '+TW1' ELSE '' END
                || CASE WHEN p06.p_tw2 = 1 THEN '+TW2' ELSE '' END
                || CASE WHEN p06.p_s1 = 1 THEN '+S1' ELSE '' END
                || CASE WHEN p06.p_tw3 = 1 THEN '+TW3' ELSE '' END
                || CASE WHEN p06.p_tw4 = 1 THEN '+TW4' ELSE '' END
                || CASE WHEN p06.p_s2 = 1 THEN '+S2' ELSE '' END, 2) AS periode_dipakai
  FROM tahun_pakai p06
  JOIN gelombang_ada a06 ON p06.unit_id = a06.unit_id AND p06.tahun = a06.tahun
) t06
