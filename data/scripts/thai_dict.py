#!/usr/bin/env python3
"""Builds data/thai-words.txt, the word list of Karuna's Thai segmenter (crates/thai/src/segment).

The list is the union of
- pythainlp's Thai word list `pythainlp/corpus/words_th.txt` from the pythainlp wheel
  (https://pypi.org/project/pythainlp/, https://github.com/PyThaiNLP/pythainlp). The package's
  `pythainlp/corpus/corpus_license.md` releases words_th.txt, a word list made by the PyThaiNLP
  project, under CC0-1.0 (https://creativecommons.org/publicdomain/zero/1.0/); the package's code
  is Apache-2.0 and none of it is used. See NOTICE.
- Karuna's social-work vocabulary, data/thai-words-socialwork.txt (roles, agencies, documents,
  programmes and problems a Thai case note names as one word).

Run from anywhere (Python 3.11+, standard library only):

    python3 data/scripts/thai_dict.py                      # pip-downloads pythainlp==5.4.0
    python3 data/scripts/thai_dict.py path/to/pythainlp-5.4.0-py3-none-any.whl
    python3 data/scripts/thai_dict.py path/to/site-packages/pythainlp
    python3 data/scripts/thai_dict.py --version 5.4.1 --output /tmp/thai-words.txt

Without a path it runs `python3 -m pip download pythainlp==VERSION --no-deps` into a temporary
directory and, for the pinned version, checks the wheel's SHA-256. A path may be the wheel, the
extracted `pythainlp` package directory, or a directory that contains it.

Output (UTF-8, LF line ends, no BOM, no comment lines): one word a line, deduplicated, sorted by
Unicode code point (Python's str order; the Rust loader does not depend on the order).

Changes from the pythainlp list, all deliberate:
- Entries containing white space ("ก้ม ๆ เงย ๆ", long royal titles; 611 in 5.4.0) are left out:
  the segmenter splits text at spaces first, so such an entry could never match.
- Surrounding white space is stripped and empty lines dropped; nothing else is edited.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

DEFAULT_VERSION = "5.4.0"
# SHA-256 of the wheels this script was checked against (as served by PyPI).
KNOWN_WHEELS = {
    "pythainlp-5.4.0-py3-none-any.whl": "9239753df877202da1a50dd2842d9569eff764034f31f20222b3df4def5df193",
}
WORDS_IN_PACKAGE = "pythainlp/corpus/words_th.txt"
REPO = Path(__file__).resolve().parents[2]
SOCIALWORK = REPO / "data" / "thai-words-socialwork.txt"
OUTPUT = REPO / "data" / "thai-words.txt"


def download_wheel(version: str, into: Path) -> Path:
    """pip-downloads the pythainlp wheel (no dependencies) and checks a known hash."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            f"pythainlp=={version}",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(into),
        ],
        check=True,
    )
    wheels = sorted(into.glob(f"pythainlp-{version}-*.whl"))
    if not wheels:
        sys.exit(f"pip did not leave a pythainlp {version} wheel in {into}")
    wheel = wheels[0]
    expected = KNOWN_WHEELS.get(wheel.name)
    if expected is not None:
        actual = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if actual != expected:
            sys.exit(f"{wheel.name}: SHA-256 {actual}, expected {expected}")
    return wheel


def read_package_words(source: Path) -> str:
    """The text of words_th.txt from a wheel, a package directory or a directory holding one."""
    if source.is_file():
        with zipfile.ZipFile(source) as wheel:
            return wheel.read(WORDS_IN_PACKAGE).decode("utf-8")
    for candidate in (
        source / "corpus" / "words_th.txt",
        source / WORDS_IN_PACKAGE,
    ):
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    sys.exit(f"{source}: no {WORDS_IN_PACKAGE} found")


def clean_package_words(text: str) -> tuple[set[str], int]:
    """The usable words of the package list, and how many entries with spaces were dropped."""
    words: set[str] = set()
    spaced = 0
    for line in text.splitlines():
        word = line.strip().lstrip("\ufeff")
        if not word:
            continue
        if any(ch.isspace() for ch in word):
            spaced += 1
            continue
        words.add(word)
    return words, spaced


def read_socialwork(path: Path) -> set[str]:
    """Karuna's vocabulary; a malformed entry stops the build rather than being skipped."""
    words: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        if any(ch.isspace() for ch in word):
            sys.exit(f"{path}:{number}: entry contains white space: {word!r}")
        words.add(word)
    return words


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, help="pythainlp wheel or package directory")
    parser.add_argument("--version", default=DEFAULT_VERSION, help="pythainlp version to download")
    parser.add_argument("--socialwork", type=Path, default=SOCIALWORK)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()

    if args.source is not None:
        text = read_package_words(args.source)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            text = read_package_words(download_wheel(args.version, Path(tmp)))

    package_words, spaced = clean_package_words(text)
    socialwork = read_socialwork(args.socialwork)
    words = sorted(package_words | socialwork)
    args.output.write_text("".join(f"{w}\n" for w in words), encoding="utf-8", newline="\n")
    print(
        f"{args.output}: {len(words)} words "
        f"(pythainlp {len(package_words)}, {spaced} entries with spaces left out; "
        f"social-work {len(socialwork)}, {len(socialwork - package_words)} of them new)",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
