"""How complete each catalogue in translations/ is (run by `make i18n`).

    python -m tools.i18n_status

Lists, per language, the messages still untranslated or marked fuzzy (a fuzzy entry
is not compiled, so the page shows English there). Exit status 0 either way: a gap
right after extraction is normal; the tests refuse to let one reach main.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def gaps(po_path: Path) -> tuple[int, list[str]]:
    """(number of messages, the msgids still lacking a usable translation)."""
    with po_path.open("rb") as handle:
        catalogue = read_po(handle)
    missing = []
    total = 0
    for message in catalogue:
        if not message.id:
            continue  # the header
        total += 1
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return total, missing


def main() -> int:
    for po_path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        locale = po_path.parent.parent.name
        total, missing = gaps(po_path)
        print(f"{locale}: {total - len(missing)} of {total} messages translated")
        for msgid in missing[:20]:
            print(f"    missing: {msgid[:90]!r}")
        if len(missing) > 20:
            print(f"    … and {len(missing) - 20} more")
    return 0


if __name__ == "__main__":
    sys.exit(main())
