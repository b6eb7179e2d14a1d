#!/usr/bin/env bash
# A one-page dashboard drawn from skm's PostgreSQL views (README, "Dashboards"), as an office
# would see it the morning after a run: the city trend, the latest figure per unit with its
# change, the kecamatan comparison, the unsur heat map, the priorities and the data quality.
# Every number on the page comes from a view; nothing is computed here but widths and colours.
#
#   scripts/dashboard-page.sh "host=/var/run/postgresql dbname=dasbor" page.html [page.png]
#
# The password from PGPASSWORD or ~/.pgpass. With a PNG name, headless Chromium
# (scripts/install-chromium.sh) takes a screenshot of the page (docs/dashboard.png).
set -euo pipefail
URL="$1"
HTML="$2"
PNG="${3:-}"
SCHEMA="${SKM_SCHEMA:-skm}"
PSQL="$(command -v psql || ls /usr/lib/postgresql/*/bin/psql | tail -1)"
q() { "$PSQL" "$URL" -X -At -v ON_ERROR_STOP=1 -c "SET search_path TO $SCHEMA; $1" | sed '/^SET$/d'; }
num="replace(to_char(%s, 'FM990.00'), '.', ',')"
n2() { printf "$num" "$1"; }

{
cat <<'EOF'
<!doctype html><html lang="id"><meta charset="utf-8"><title>Dasbor SKM</title>
<style>
body{font:14px/1.4 "DejaVu Sans",sans-serif;margin:18px;color:#222;background:#f4f6f8}
h1{font-size:20px;margin:0 0 4px} h2{font-size:15px;margin:0 0 8px}
.grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:14px}
.card{background:#fff;border-radius:6px;padding:12px 14px;box-shadow:0 1px 2px #0002}
.big{font-size:34px;font-weight:bold} .muted{color:#667;font-size:12px}
.row{display:flex;align-items:center;gap:6px;margin:2px 0;white-space:nowrap} .lbl{flex:none;width:140px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bar{height:14px;background:#2f6db5;border-radius:2px} table{border-collapse:collapse;font-size:12px}
td,th{padding:2px 5px;text-align:right} td:first-child,th:first-child{text-align:left}
.up{color:#1a7f37} .down{color:#c62828} .hm td{color:#000;min-width:30px;padding:2px 3px} .hm td:first-child{max-width:130px}
</style>
EOF
echo "<h1>Survei Kepuasan Masyarakat — dasbor</h1>"
q "SELECT format('<p class=muted>Dimuat %s · run %s · %s baris dibaca, %s diterima, %s ditolak · status %s</p>',
      to_char(dimuat, 'YYYY-MM-DD HH24:MI'), run_id, baris_dibaca, diterima, ditolak, status)
   FROM skm_run ORDER BY dimuat DESC LIMIT 1"
echo '<div class="grid">'

echo '<div class="card"><h2>IKM kota per tahun (tren_kota)</h2>'
q "SELECT format('<div class=row><span class=lbl>%s</span><div class=bar style=\"width:%spx\"></div><b>%s</b>&nbsp;mutu %s%s</div>',
      tahun, round((ikm - 60) * 7), $(n2 ikm_bulat), mutu,
      CASE WHEN selisih_tahun_lalu IS NULL THEN '' ELSE format(' <span class=%s>(%s%s)</span>',
        CASE WHEN selisih_tahun_lalu >= 0 THEN 'up' ELSE 'down' END,
        CASE WHEN selisih_tahun_lalu >= 0 THEN '+' ELSE '' END, $(n2 selisih_tahun_lalu)) END)
   FROM tren_kota ORDER BY tahun"
q "SELECT format('<p class=muted>%s unit dengan nilai, %s tanpa nilai tahun %s</p>', n_unit, coalesce(n_unit_tidak_lapor, 0), tahun)
   FROM tren_kota ORDER BY tahun DESC LIMIT 1"
echo '</div>'

echo '<div class="card"><h2>Nilai terakhir per unit (unit_terkini)</h2><table><tr><th>unit</th><th>periode</th><th>IKM</th><th>mutu</th><th>perubahan</th></tr>'
q "SELECT format('<tr><td>%s</td><td>%s %s</td><td>%s</td><td>%s</td><td>%s</td></tr>',
      unit_nama, periode, tahun, $(n2 ikm_bulat), mutu,
      CASE WHEN selisih IS NULL THEN '–' ELSE format('<span class=%s>%s%s dari %s</span>',
        CASE WHEN selisih >= 0 THEN 'up' ELSE 'down' END, CASE WHEN selisih >= 0 THEN '+' ELSE '' END,
        $(n2 selisih), periode_sebelumnya) END)
   FROM unit_terkini ORDER BY tahun DESC, ikm LIMIT 8"
echo '</table></div>'

echo '<div class="card"><h2>Perbandingan kecamatan (perbandingan_kecamatan)</h2>'
q "SELECT format('<div class=row><span class=lbl>%s. %s</span><div class=bar style=\"width:%spx\"></div><b>%s</b>&nbsp;%s</div>',
      peringkat, kecamatan, round((ikm - 60) * 7), $(n2 ikm_bulat), mutu)
   FROM perbandingan_kecamatan WHERE tahun = (SELECT max(tahun) FROM perbandingan_kecamatan WHERE ikm IS NOT NULL)
     AND ikm IS NOT NULL ORDER BY peringkat LIMIT 12"
echo '</div>'

echo '<div class="card"><h2>Peta unsur: NRR per unit (peta_unsur, tahun terakhir)</h2><table class="hm"><tr><th>unit</th>'
for i in 1 2 3 4 5 6 7 8 9; do echo "<th>U$i</th>"; done
echo '</tr>'
cell() { echo "format('<td style=\"background:hsl(%s,70%%,70%%)\">%s</td>', round(greatest(0, least(120, (u$1 - 2.6) * 100))), replace(to_char(u$1, 'FM0.00'), '.', ','))"; }
q "SELECT format('<tr><td>%s</td>', coalesce(unit_nama, unit_id)) || $(cell 1) || $(cell 2) || $(cell 3) || $(cell 4) || $(cell 5) || $(cell 6) || $(cell 7) || $(cell 8) || $(cell 9) || '</tr>'
   FROM peta_unsur WHERE periode = 'TAHUN' AND sumber = 'responden' AND tahun = (SELECT max(tahun) FROM peta_unsur WHERE sumber = 'responden')
   ORDER BY unit_id"
echo '</table></div>'

echo '<div class="card"><h2>Prioritas perbaikan kota (prioritas_perbaikan)</h2>'
q "SELECT format('<div class=row><span class=lbl>%s. %s %s</span><b>NRR %s</b>%s</div>', peringkat, kode, unsur,
      replace(to_char(nrr_bulat, 'FM0.000'), '.', ','), CASE WHEN seri THEN '&nbsp;(seri)' ELSE '' END)
   FROM prioritas_perbaikan WHERE tingkat = 'kota' AND periode = 'TAHUN'
     AND tahun = (SELECT max(tahun) FROM prioritas_perbaikan WHERE tingkat = 'kota') ORDER BY urutan"
echo '</div>'

echo '<div class="card"><h2>Kualitas data (kualitas_data)</h2><table><tr><th>unit</th><th>tahun</th><th>berkas</th><th>responden</th><th>baris ditolak</th><th>temuan audit</th></tr>'
q "SELECT format('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>',
      coalesce(unit_id, '(berkas tanpa unit)'), coalesce(tahun::text, ''), n_berkas, n_responden, n_ditolak, n_temuan_audit)
   FROM kualitas_data WHERE n_ditolak > 0 OR n_temuan_audit > 0 ORDER BY n_ditolak DESC, n_temuan_audit DESC LIMIT 8"
echo '</table>'
q "SELECT format('<p class=muted>%s unit layanan tanpa nilai tahunan (tidak_lapor)</p>', count(*)) FROM kualitas_data WHERE tidak_lapor"
echo '</div>'

echo '</div></html>'
} > "$HTML"

if [ -n "$PNG" ]; then
  profile="$(mktemp -d)"
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --user-data-dir="$profile" --hide-scrollbars --window-size=1200,920 \
    --screenshot="$PNG" "file://$(realpath "$HTML")" 2>/dev/null
  rm -rf "$profile"
fi
