"""Build steps pyproject.toml cannot express: compile the Rust library with cargo and ship
libwireframe.so inside the package, and tag the wheel as platform-specific (it carries a
shared library, though the package itself is pure Python over ctypes).

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
    """build_py, then `cargo build --release --lib --features capi` and a copy of libwireframe.so into the
    built package."""

    def run(self) -> None:
        super().run()
        if not (CRATE / "Cargo.toml").is_file():
            raise SystemExit(
                f"wireframe: no Cargo.toml in {CRATE}; build this package from a wireframe "
                "checkout: pip install ./bindings/python"
            )
        cargo = os.environ.get("CARGO", "cargo")
        subprocess.run(
            [
                cargo,
                "build",
                "--release",
                "--lib",
                "--features",
                "capi",
                "--manifest-path",
                str(CRATE / "Cargo.toml"),
            ],
            check=True,
        )
        target = Path(os.environ.get("CARGO_TARGET_DIR", CRATE / "target"))
        built = target / "release" / "libwireframe.so"
        dest = Path(self.build_lib) / "wireframe" / "libwireframe.so"
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built, dest)
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
