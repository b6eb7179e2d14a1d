-- berkas_identik: the input files not counted because a file with the same bytes counts, over
-- every shard (README.md in this folder, "Responses sent twice"). Reads `manifest`: every
-- shard's manifest.parquet as one table, with `shard` naming the shard's inbox folder.
--
-- skm's rule (pipeline/silver/duplicates.rs, `preference`): of the files with one BLAKE3, the
-- most recently modified counts, then the first path; a run over the shards' inboxes side by
-- side sees each file as `shard/source_file`, so that is the path compared here. Each shard
-- already counts one copy of its own; this finds the one copy of all of them. `diubah` is
-- compared as written (local RFC 3339 to the millisecond: the same offset in every shard).
SELECT m00.shard, m00.source_file, w00.jalur AS dihitung, 1 AS identik
FROM manifest m00
JOIN (
  SELECT m01.blake3, MIN(m01.shard || '/' || m01.source_file) AS jalur
  FROM manifest m01
  JOIN (
    SELECT blake3, MAX(diubah) AS diubah, COUNT(*) AS salinan
    FROM manifest
    GROUP BY blake3
  ) t00 ON m01.blake3 = t00.blake3 AND m01.diubah = t00.diubah
  WHERE t00.salinan > 1
  GROUP BY m01.blake3
) w00 ON m00.blake3 = w00.blake3
WHERE m00.shard || '/' || m00.source_file <> w00.jalur
