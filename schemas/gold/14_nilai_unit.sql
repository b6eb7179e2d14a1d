-- nilai_unit: the figure each unit counts with in the city figure, the kecamatan comparison
-- and the priorities: here its IKM from respondents (skm falls back to a recap's figure for a
-- unit without raw data: compute::unit_values; recaps are read by skm, not by this SQL). The
-- pemda entry never counts, nor a figure without an IKM. urutan: the unit's place in the
-- registry (ties of highest and lowest go to the first). var: the figure's variance (ikm_se
-- squared; null for a recap's figure, which states no error).
SELECT i14.unit_id, COALESCE(u14.unit_nama, i14.unit_id) AS unit_nama,
       COALESCE(u14.urutan, 1000000000) AS urutan,
       i14.tahun, i14.periode, i14.ikm, i14.n_responden, i14.sumber,
       i14.ikm_se * i14.ikm_se AS var
FROM ikm_unit_dasar i14
LEFT JOIN units u14 ON i14.unit_id = u14.unit_id
WHERE i14.ikm IS NOT NULL AND COALESCE(i14.jenis_unit, '') <> 'pemda'
