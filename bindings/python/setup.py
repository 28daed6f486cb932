"""Build steps pyproject.toml cannot express: compile the Rust library and the native
dispatcher (bindings/python/dispatch) with cargo and ship libwireframe.so and
libwireframe_dispatch.so inside the package, and tag the wheel as platform-specific (it
carries shared libraries, though the package itself is Python over ctypes: the dispatcher
uses CPython's stable ABI only, so one build serves every CPython from 3.9 on).

The crate is found two directories up (this package lives in bindings/python of a wireframe
checkout). ``CARGO`` names the cargo binary if it is not on PATH.
"""

import os
import shutil
import subprocess
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # setuptools < 70.1
    from wheel.bdist_wheel import bdist_wheel  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
CRATE = HERE.parent.parent


class BuildWithLibrary(build_py):
    """build_py, then `cargo build --release` of the library (with its C ABI, the `capi`
    feature) and of the dispatcher (the crate's Rust API), and a copy of both into the built
    package."""

    def run(self) -> None:
        super().run()
        if not (CRATE / "Cargo.toml").is_file():
            raise SystemExit(
                f"wireframe: no Cargo.toml in {CRATE}; build this package from a wireframe "
                "checkout: pip install ./bindings/python"
            )
        cargo = os.environ.get("CARGO", "cargo")
        target = Path(os.environ.get("CARGO_TARGET_DIR", CRATE / "target"))
        # Both in the crate's target directory, so the dispatcher shares its dependencies'
        # builds with the library.
        builds = [
            (CRATE / "Cargo.toml", ["--lib", "--features", "capi"], "libwireframe.so"),
            (HERE / "dispatch" / "Cargo.toml", [], "libwireframe_dispatch.so"),
        ]
        for manifest, extra, name in builds:
            subprocess.run(
                [cargo, "build", "--release", *extra, "--manifest-path", str(manifest),
                 "--target-dir", str(target)],
                check=True,
            )
            dest = Path(self.build_lib) / "wireframe" / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target / "release" / name, dest)
            os.chmod(dest, 0o755)


class PlatformWheel(bdist_wheel):
    """A wheel for any Python 3 on this platform: py3-none-<platform>."""

    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self) -> tuple:
        _, _, platform = super().get_tag()
        return "py3", "none", platform


class BinaryDistribution(Distribution):
    """Says the distribution is not pure, so it installs into platlib."""

    def has_ext_modules(self) -> bool:
        return True


setup(
    cmdclass={"build_py": BuildWithLibrary, "bdist_wheel": PlatformWheel},
    distclass=BinaryDistribution,
)
