#!/usr/bin/env bash
# Refreshes the kiosk's translation template (signpost-kiosk.pot) from the
# sources and merges it into every language (cy.po), keeping what is already
# translated. New strings arrive untranslated (or fuzzy, when gettext guesses
# from a similar one): translate them, remove the "fuzzy" marks, then run
# kiosk/po/check-po.sh (a test does the same: a string without a Welsh entry
# fails it).
#
#   kiosk/po/update-po.sh
set -euo pipefail
cd "$(dirname "$0")"
# tr("..."), tr_noop("...") and trn("singular", "plural", n) mark UI text.
keywords=(--keyword --keyword=tr --keyword=tr_noop --keyword=trn:1,2)
sources=$(cd .. && find . -name '*.cpp' -o -name '*.h' | sort)
(cd .. && xgettext --language=C++ --from-code=UTF-8 "${keywords[@]}" --add-comments=TRANSLATORS: \
  --package-name=signpost-kiosk --sort-by-file -o po/signpost-kiosk.pot $sources)
for po in *.po; do
  msgmerge --quiet --update --backup=none --no-wrap "$po" signpost-kiosk.pot
  echo "$po: $(msgfmt --statistics -o /dev/null "$po" 2>&1)"
done
