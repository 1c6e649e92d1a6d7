#!/usr/bin/env python3
"""Builds data/gen/{given-female,given-male,surnames}.txt, the name lists `karuna gen` draws
synthetic persons from (crates/store/src/gen/names.rs).

Source: the Thai Male and Female Names Corpus by Korkeat Wannapat
(https://github.com/korkeatw/thai-names-corpus/), as shipped in the pythainlp wheel
(https://pypi.org/project/pythainlp/) as pythainlp/corpus/person_names_female_th.txt,
person_names_male_th.txt and family_names_th.txt, licensed CC BY-SA 4.0
(https://creativecommons.org/licenses/by-sa/4.0/; see the wheel's corpus_license.md and
NOTICE). The output files are an adapted subset under the same licence.

Selection: names of Thai letters only (no spaces, digits or Latin), 2 to 16 characters; then
every k-th name in the corpus's sorted order, so that the sample spreads over the alphabet
(FEMALE/MALE/SURNAMES names each). Run from anywhere (Python 3.11+, standard library only):

    python3 data/scripts/thai_names.py                 # pip-downloads pythainlp==5.4.0
    python3 data/scripts/thai_names.py path/to/pythainlp-5.4.0-py3-none-any.whl
"""
import io
import pathlib
import subprocess
import sys
import tempfile
import zipfile

VERSION = "5.4.0"
FEMALE, MALE, SURNAMES = 400, 400, 800
OUT = pathlib.Path(__file__).resolve().parent.parent / "gen"


def wheel_path() -> pathlib.Path:
    if len(sys.argv) > 1:
        return pathlib.Path(sys.argv[1])
    tmp = pathlib.Path(tempfile.mkdtemp())
    subprocess.run([sys.executable, "-m", "pip", "download", f"pythainlp=={VERSION}",
                    "--no-deps", "-q", "-d", str(tmp)], check=True)
    return next(tmp.glob("pythainlp-*.whl"))


def thai_only(name: str) -> bool:
    return 2 <= len(name) <= 16 and all("\u0e01" <= c <= "\u0e4e" for c in name)


def sample(lines: list[str], n: int) -> list[str]:
    names = sorted({l.strip() for l in lines if thai_only(l.strip())})
    step = max(1, len(names) // n)
    return names[::step][:n]


def main() -> None:
    with zipfile.ZipFile(wheel_path()) as z:
        def read(name: str) -> list[str]:
            return io.TextIOWrapper(z.open(f"pythainlp/corpus/{name}"), encoding="utf-8").read().splitlines()
        OUT.mkdir(parents=True, exist_ok=True)
        for out, src, n in [("given-female.txt", "person_names_female_th.txt", FEMALE),
                            ("given-male.txt", "person_names_male_th.txt", MALE),
                            ("surnames.txt", "family_names_th.txt", SURNAMES)]:
            names = sample(read(src), n)
            (OUT / out).write_text("\n".join(names) + "\n", encoding="utf-8")
            print(f"{out}: {len(names)} names")


if __name__ == "__main__":
    main()
