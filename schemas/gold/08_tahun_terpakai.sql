-- tahun_terpakai: tahun_info of the rule each unit uses (units.aturan_tahun).
SELECT t08.unit_id, t08.tahun, t08.periode, t08.aturan, t08.n_responden, t08.tahun_lengkap,
       t08.periode_dipakai, t08.catatan
FROM tahun_info t08
JOIN units u08 ON t08.unit_id = u08.unit_id AND t08.aturan = u08.aturan_tahun
