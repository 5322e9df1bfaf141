#!/usr/bin/env bash
# The packaging check of the Python binding (run by `make test-python`): what `pip install neon_api_keys` gets.
#   1. `maturin sdist`: the sdist holds the crates it builds from, the README and both license texts;
#   2. pip builds a wheel FROM that sdist (PEP 517 through maturin, no index) for manylinux2014: zig links against
#      glibc 2.17 (`--zig --compatibility manylinux2014`, zig from the pinned `ziglang` package). Profile
#      `wheel-check` (root Cargo.toml) is dev codegen without debug info: the release profile's fat LTO takes minutes
#      and changes nothing the platform tag depends on. The release workflow builds the real wheels with --release;
#   3. `auditwheel show` must find it consistent with manylinux_2_17_x86_64 (= manylinux2014), and it must be abi3;
#   4. its metadata: the README as long description, project URLs, classifiers, both license texts;
#   5. installed (no index, no dependencies) into a fresh venv, it imports from that venv, carries no test hooks
#      (the `test-hooks` feature is off), and makes calls, sync and async, against its own in-process emulator.
# Only x86_64 here (the one Rust target of this machine); aarch64 wheels come from .github/workflows/release.yml.
# Usage: bindings-python/scripts/check-wheel.sh        (work files in target/wheel-check/)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
work="$root/target/wheel-check"
venv="$here/.venv"

"$here/scripts/venv.sh"
export PATH="$venv/bin:$PATH" # maturin, auditwheel, and zig through the ziglang package
unset VIRTUAL_ENV CONDA_PREFIX || true

rm -rf "$work/sdist" "$work/src" "$work/wheels" "$work/venv"
mkdir -p "$work/sdist" "$work/src" "$work/wheels"

echo "== check-wheel: sdist"
(cd "$here" && maturin sdist --out "$work/sdist" 2>&1 | grep -v '^🍹\|^🔗' || true)
sdists=("$work"/sdist/neon_api_keys-*.tar.gz)
[ -f "${sdists[0]}" ] || { echo "check-wheel: maturin sdist made no sdist" >&2; exit 1; }
sdist="${sdists[0]}"
python - "$sdist" "$root" <<'PY'
import sys, tarfile
from pathlib import Path
sdist, root = sys.argv[1], Path(sys.argv[2])
with tarfile.open(sdist) as tar:
    names = {m.name.split("/", 1)[1] for m in tar.getmembers() if "/" in m.name}
    texts = {n: tar.extractfile(f"{Path(sdist).name[:-7]}/{n}").read() for n in ("LICENSE-MIT", "LICENSE-APACHE")}
need = ["PKG-INFO", "pyproject.toml", "Cargo.toml", "Cargo.lock", "LICENSE-MIT", "LICENSE-APACHE",
        "bindings-python/Cargo.toml", "bindings-python/README.md", "bindings-python/src/lib.rs",
        "core/Cargo.toml", "core/src/lib.rs", "emulator/Cargo.toml", "python/neon_api_keys/__init__.py",
        "python/neon_api_keys/py.typed"]
missing = [n for n in need if n not in names]
assert not missing, f"the sdist lacks {missing}"
for name, text in texts.items():
    assert text == (root / name).read_bytes(), f"the sdist's {name} is not the repository's"
print(f"sdist {Path(sdist).name}: {len(names)} files, {Path(sdist).stat().st_size:,} bytes")
PY

echo "== check-wheel: wheel built from the sdist by pip (manylinux2014 through zig, profile wheel-check)"
tar xzf "$sdist" -C "$work/src"
srcdirs=("$work"/src/neon_api_keys-*)
CARGO_TARGET_DIR="$work/cargo" \
MATURIN_PEP517_ARGS="--zig --compatibility manylinux2014 --profile wheel-check" \
    python -m pip wheel --quiet --no-deps --no-build-isolation --no-index --no-cache-dir \
    --wheel-dir "$work/wheels" "${srcdirs[0]}"
wheels=("$work"/wheels/neon_api_keys-*.whl)
[ -f "${wheels[0]}" ] || { echo "check-wheel: pip built no wheel from the sdist" >&2; exit 1; }
wheel="${wheels[0]}"

echo "== check-wheel: auditwheel show"
report="$(auditwheel show "$wheel")"
echo "$report"
flat="$(tr -s ' \n' ' ' <<<"$report")"
if [[ "$flat" != *'is consistent with the following platform tag: "manylinux_2_17_x86_64"'* ]]; then
    echo "check-wheel: auditwheel does not find $(basename "$wheel") consistent with manylinux_2_17_x86_64 (manylinux2014)" >&2
    exit 1
fi

echo "== check-wheel: wheel name, contents and metadata"
python - "$wheel" "$root" "$here" <<'PY'
import email.parser, re, sys, zipfile
from pathlib import Path
wheel, root, here = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
assert re.fullmatch(r"neon_api_keys-[^-]+-cp39-abi3-(.+\.)?manylinux_2_17_x86_64(\..+)?\.whl", wheel.name), \
    f"not an abi3 manylinux_2_17_x86_64 wheel name: {wheel.name}"
with zipfile.ZipFile(wheel) as z:
    names = set(z.namelist())
    dist_info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
    meta = email.parser.Parser().parsestr(z.read(f"{dist_info}/METADATA").decode())
    licenses = {n: z.read(f"{dist_info}/licenses/{n}") for n in ("LICENSE-MIT", "LICENSE-APACHE")
                if f"{dist_info}/licenses/{n}" in names}
for name in ("neon_api_keys/__init__.py", "neon_api_keys/__init__.pyi", "neon_api_keys/_native.pyi",
             "neon_api_keys/py.typed", "neon_api_keys/_native.abi3.so", "neon_api_keys/testing.py"):
    assert name in names, f"the wheel lacks {name}"
assert sorted(licenses) == ["LICENSE-APACHE", "LICENSE-MIT"], f"license texts in the wheel: {sorted(licenses)}"
for name, text in licenses.items():
    assert text == (root / name).read_bytes(), f"the wheel's {name} is not the repository's"
assert meta["License-Expression"] == "MIT OR Apache-2.0", meta["License-Expression"]
assert sorted(meta.get_all("License-File")) == ["LICENSE-APACHE", "LICENSE-MIT"], meta.get_all("License-File")
assert meta["Description-Content-Type"].startswith("text/markdown"), meta["Description-Content-Type"]
readme = (here / "README.md").read_text()
assert meta.get_payload().strip() == readme.strip(), "the long description is not bindings-python/README.md"
urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
assert {"Homepage", "Repository", "Documentation", "Issues"} <= set(urls), f"project URLs: {sorted(urls)}"
classifiers = meta.get_all("Classifier") or []
for c in ("Programming Language :: Rust", "Typing :: Typed", "Programming Language :: Python :: 3 :: Only"):
    assert c in classifiers, f"classifier {c!r} missing"
assert meta["Requires-Python"] == ">=3.9", meta["Requires-Python"]
so = next(i for i in zipfile.ZipFile(wheel).infolist() if i.filename.endswith(".so"))
print(f"wheel {wheel.name}: {wheel.stat().st_size:,} bytes ({so.file_size:,} unpacked .so); "
      f"{len(classifiers)} classifiers, {len(urls)} project URLs, licenses {sorted(licenses)}")
PY

echo "== check-wheel: install into a fresh venv and use it"
"${PYTHON:-python3}" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index --no-deps "$wheel"
# -I: isolated (no current directory, no user site, no PYTHON* variables), from outside the checkout.
(cd "$work" && "$work/venv/bin/python" -I - "$work/venv" <<'PY'
import asyncio, sys
from pathlib import Path
import neon_api_keys as nak
from neon_api_keys.testing import Emulator

venv = Path(sys.argv[1]).resolve()
native = Path(nak._native.__file__).resolve()
assert native.is_relative_to(venv), f"imported {native}, not the wheel installed in {venv}"
hooks = [n for n in ("_panic_for_test", "_error_for_test", "_in_flight") if hasattr(nak._native, n)]
assert not hooks, f"the wheel carries test hooks (the test-hooks feature must stay off): {hooks}"

with Emulator() as emu, emu.client() as client:
    created = client.create_api_key("wheel-check")
    assert created.name == "wheel-check" and "[REDACTED]" in repr(created.key)
    assert created.id in [k.id for k in client.list_api_keys()]
    client.revoke_api_key(created.id)
    try:
        client.revoke_api_key(created.id)
        raise AssertionError("revoking twice must fail")
    except nak.NotFoundError:
        pass

    async def main() -> int:
        async with emu.async_client() as aclient:
            return len(await aclient.list_api_keys())

    assert asyncio.run(main()) >= 1
print(f"fresh venv: neon_api_keys {nak.__version__} imported from {native.relative_to(venv)}; "
      "create/list/revoke (Client) and list (AsyncClient) against its emulator: ok")
PY
)
echo "check-wheel: ok"
