#!/usr/bin/env bash
# `vokter import wordpress` at scale: writes a WXR export of N comments (default 100,000) over
# 2,000 posts, with replies, every status and pingbacks, then imports it into a fresh database and
# prints the wall time, comments per second and the peak RSS (GNU time), and imports it again
# (nothing new: the idempotent pass). Issue target: 100,000 comments in under 60 s, RSS < 100 MB.
# Usage: bench/import_bench.sh [N]     (uses build/release/vokter; `make build` makes it)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-100000}
VOKTER=${VOKTER:-build/release/vokter}
[ -x "$VOKTER" ] || { echo "import_bench: $VOKTER is missing (make build)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "import_bench: GNU time is missing (apt-get install time)" >&2; exit 2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

python3 - "$N" > "$WORK/export.xml" <<'PY'
import sys
n = int(sys.argv[1])
posts = 2000
out = sys.stdout
out.write('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
          'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<title>Bench</title>\n'
          '<link>https://bench.example.no</link>\n<wp:wxr_version>1.2</wp:wxr_version>\n'
          '<wp:base_site_url>https://bench.example.no</wp:base_site_url>\n')
statuses = ['1'] * 6 + ['0', 'spam', 'spam', 'trash']
cid = 0
for p in range(posts):
    out.write('<item><title>Innlegg %d om blåbær</title><link>https://bench.example.no/%d/innlegg-%d/</link>\n' % (p, 2020 + p % 6, p))
    first = cid + 1
    for k in range(n // posts):
        cid += 1
        parent = first if k % 4 == 3 else 0
        kind = 'pingback' if k % 50 == 49 else 'comment'
        out.write('<wp:comment><wp:comment_id>%d</wp:comment_id>'
                  '<wp:comment_author><![CDATA[Leser %d Østby]]></wp:comment_author>'
                  '<wp:comment_author_email>leser%d@example.no</wp:comment_author_email>'
                  '<wp:comment_author_url></wp:comment_author_url>'
                  '<wp:comment_author_IP>192.0.2.%d</wp:comment_author_IP>'
                  '<wp:comment_date_gmt>2024-%02d-%02d %02d:%02d:00</wp:comment_date_gmt>'
                  '<wp:comment_content><![CDATA[Kommentar %d: takk for et godt innlegg om '
                  'blåbærsyltetøy, æøå og litt til. Jeg har prøvd oppskriften og den fungerte '
                  'fint 😀 Hilsen en fast leser fra Tromsø.]]></wp:comment_content>'
                  '<wp:comment_approved>%s</wp:comment_approved>'
                  '<wp:comment_type>%s</wp:comment_type>'
                  '<wp:comment_parent>%d</wp:comment_parent></wp:comment>\n'
                  % (cid, cid % 5000, cid % 5000, cid % 250, 1 + cid % 12, 1 + cid % 28,
                     cid % 24, cid % 60, cid, statuses[cid % len(statuses)], kind, parent))
    out.write('</item>\n')
out.write('</channel>\n</rss>\n')
PY
echo "export: $(du -m "$WORK/export.xml" | cut -f1) MB, $N records"
for pass in first again; do
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$VOKTER" import wordpress "$WORK/export.xml" \
        --db "$WORK/vokter.db" > "$WORK/summary" 2>&1
    read -r seconds kb < "$WORK/time"
    imported=$(sed -n 's/^imported \([0-9]*\) comments.*/\1/p' "$WORK/summary")
    echo "import ($pass): $seconds s, peak RSS $((kb / 1024)) MB, imported $imported" \
         "($(awk -v n="$N" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }') records/s)"
    sed 's/^/  /' "$WORK/summary"
done
