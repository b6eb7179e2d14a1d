-- lokasi: each kecamatan office (registry units of jenis_unit kecamatan) with the other
-- registry units located in its kecamatan (stated in the registry or inferred from a kelurahan
-- in their name: kecamatan_basis).
SELECT o17.unit_id AS kantor, u17.unit_id, u17.unit_nama, u17.kecamatan_basis, u17.urutan
FROM units o17
JOIN units u17 ON o17.kecamatan = u17.kecamatan
WHERE o17.jenis_unit = 'kecamatan' AND u17.unit_id <> o17.unit_id
