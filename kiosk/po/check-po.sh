#!/usr/bin/env bash
# Fails when a UI string in the kiosk's sources (tr, tr_noop, trn) has no
# finished translation in LANG.po (missing, empty or marked fuzzy), or when
# the .po file does not compile; lists each one with its source line.
# Run by ctest (KioskTranslationTest); takes about a second.
#
#   kiosk/po/check-po.sh [LANG...]     (default: every kiosk/po/*.po)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
keywords=(--keyword --keyword=tr --keyword=tr_noop --keyword=trn:1,2)
sources=$(cd "$here/.." && find . -name '*.cpp' -o -name '*.h' | sort)
(cd "$here/.." && xgettext --language=C++ --from-code=UTF-8 "${keywords[@]}" -o "$tmp/now.pot" $sources)
langs=("$@")
if ((${#langs[@]} == 0)); then
  for po in "$here"/*.po; do langs+=("$(basename "$po" .po)"); done
fi
status=0
for lang in "${langs[@]}"; do
  po="$here/$lang.po"
  if ! msgfmt --check -o /dev/null "$po"; then
    echo "check-po: $lang.po does not compile" >&2
    status=1
    continue
  fi
  # Merge without guessing (no fuzzy matching), then list what is left
  # untranslated or marked fuzzy, with the source lines that use it.
  msgmerge --quiet --no-fuzzy-matching -o "$tmp/$lang.po" "$po" "$tmp/now.pot"
  { msgattrib --no-wrap --untranslated --no-obsolete "$tmp/$lang.po"
    msgattrib --no-wrap --only-fuzzy --no-obsolete "$tmp/$lang.po"; } >"$tmp/missing" 2>/dev/null || true
  n=$(grep -c '^msgid "[^"]' "$tmp/missing" || true)
  if ((n > 0)); then
    echo "check-po: $lang.po has no finished translation for $n UI string(s);" >&2
    echo "  run kiosk/po/update-po.sh, translate them and remove any fuzzy marks:" >&2
    grep -E '^(#:|msgid "[^"])' "$tmp/missing" | sed 's/^/    /' >&2
    status=1
  else
    echo "check-po: $lang.po translates every UI string ($(msgfmt --statistics -o /dev/null "$po" 2>&1))"
  fi
done
# A count must take its language's plural form (trn, ngettext): a singular
# picked by hand ("n == 1 ? tr(\"... 1 result\") : tr(...)") is right only in
# English, and Welsh has six forms.
hand=$(cd "$here/.." && find . -name '*.cpp' -o -name '*.h' | sort |
  xargs perl -0777 -ne 'while (/==\s*1\s*\?\s*tr\("[^"]*\b1\b[^"]*"/g) {
      my $line = 1 + (substr($_, 0, pos) =~ tr/\n//); print "$ARGV:$line\n"; }')
if [[ -n $hand ]]; then
  echo "check-po: a count chooses its words by hand instead of trn():" >&2
  echo "$hand" | sed 's/^\.\//    kiosk\//' >&2
  status=1
fi
exit "$status"
