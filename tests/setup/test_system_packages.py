"""scripts/system-packages: installs what is missing as root, else one line naming the fix."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "system-packages"


def _fake_bin(tmp_path: Path, *, installed: set[str], with_apt: bool, uid: int) -> Path:
    """A PATH holding stand-ins for dpkg-query, id and (optionally) apt-get."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("grep", "bash", "cat"):
        (bin_dir / tool).symlink_to(subprocess.check_output(["bash", "-c", f"command -v {tool}"], text=True).strip())
    (bin_dir / "dpkg-query").write_text(
        "#!/bin/bash\n"
        f'case " {" ".join(sorted(installed))} " in *" ${{@: -1}} "*) echo -n "install ok installed";; *) exit 1;; esac\n'
    )
    (bin_dir / "id").write_text(f"#!/bin/bash\necho {uid}\n")
    if with_apt:
        log = tmp_path / "apt.log"
        (bin_dir / "apt-get").write_text(f'#!/bin/bash\necho "$@" >> {log}\n')
    for f in bin_dir.iterdir():
        if not f.is_symlink():
            f.chmod(0o755)
    return bin_dir


def _run(bin_dir: Path, kind: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": str(bin_dir), "HOME": os.environ.get("HOME", "/root")}
    return subprocess.run(["bash", str(SCRIPT), kind], env=env, capture_output=True, text=True)


def test_without_apt_prints_one_line_naming_the_packages(tmp_path):
    result = _run(_fake_bin(tmp_path, installed={"pkg-config"}, with_apt=False, uid=0), "render")
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    named = lines[0].split("(")[1].split(")")[0].split()
    for pkg in ("libcairo2-dev", "libpango1.0-dev", "libegl1", "libgl1-mesa-dri", "fonts-noto-cjk"):
        assert pkg in named
    assert "pkg-config" not in named  # already installed: not asked for again


def test_non_root_with_apt_prints_the_exact_command(tmp_path):
    result = _run(_fake_bin(tmp_path, installed=set(), with_apt=True, uid=1000), "test")
    assert result.returncode != 0
    assert "sudo apt-get install -y --no-install-recommends" in result.stderr
    assert "chromium" in result.stderr
    assert not (tmp_path / "apt.log").exists()


def test_root_with_apt_installs_only_what_is_missing(tmp_path):
    have = {"libcairo2-dev", "libpango1.0-dev", "pkg-config", "libegl1", "libgl1", "libxrender1",
            "libosmesa6", "fonts-dejavu-core", "espeak-ng"}
    result = _run(_fake_bin(tmp_path, installed=have, with_apt=True, uid=0), "render")
    assert result.returncode == 0, result.stderr
    calls = (tmp_path / "apt.log").read_text().splitlines()
    assert calls[0].startswith("update")
    installed = calls[1].split()
    assert installed[0] == "install"
    assert sorted(p for p in installed if not p.startswith("-") and p != "install") == [
        "fonts-noto-cjk", "libgl1-mesa-dri"]


def test_nothing_missing_is_silent(tmp_path):
    everything = {"libcairo2-dev", "libpango1.0-dev", "pkg-config", "libegl1", "libgl1",
                  "libgl1-mesa-dri", "libxrender1", "libosmesa6", "fonts-noto-cjk",
                  "fonts-dejavu-core", "espeak-ng", "chromium", "chromium-driver"}
    result = _run(_fake_bin(tmp_path, installed=everything, with_apt=False, uid=1000), "test")
    assert result.returncode == 0
    assert result.stdout == result.stderr == ""


def test_a_machine_where_localhost_does_not_resolve_gets_it_for_the_browser_tests(tmp_path):
    everything = {"libcairo2-dev", "libpango1.0-dev", "pkg-config", "libegl1", "libgl1", "libgl1-mesa-dri",
                  "libxrender1", "libosmesa6", "fonts-noto-cjk", "fonts-dejavu-core", "espeak-ng",
                  "chromium", "chromium-driver"}
    hosts = tmp_path / "hosts"
    for uid, code in ((0, 0), (1000, 1)):
        (tmp_path / str(uid)).mkdir()
        bin_dir = _fake_bin(tmp_path / str(uid), installed=everything, with_apt=True, uid=uid)
        (bin_dir / "getent").write_text("#!/bin/bash\nexit 2\n")  # the name does not resolve
        (bin_dir / "getent").chmod(0o755)
        env = {"PATH": str(bin_dir), "HOME": os.environ.get("HOME", "/root"), "GDENGINE_HOSTS_FILE": str(hosts)}
        result = subprocess.run(["bash", str(SCRIPT), "test"], env=env, capture_output=True, text=True)
        assert result.returncode == code, result.stderr
        if uid == 0:
            assert hosts.read_text().startswith("127.0.0.1\tlocalhost\n")
        else:
            assert "add '127.0.0.1 localhost' to /etc/hosts" in result.stderr
