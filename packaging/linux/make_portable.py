#!/usr/bin/env python3
"""Makes the portable Linux build: a folder (and a .tar.gz of it) that runs Ponder from wherever it
is unpacked, on a Linux with glibc as new as the build machine's and nothing else installed.

    make_portable.py INSTALL_DIR OUT_DIR QML_SOURCE_DIR

INSTALL_DIR is a `cmake --install` tree (bin/, share/). The folder gets:
  ponder, ponder-cli        links to bin/ (start from any folder, by any path, through symlinks)
  bin/ponder, bin/qt.conf   qt.conf points Qt at plugins/ and qml/ beside it
  lib/                      every shared library the programs, plugins and QML modules need, except
                            glibc's own (libc, libm, libdl, librt, libpthread, ld-linux...)
  plugins/                  the Qt platform (xcb, offscreen, minimal, wayland where installed),
                            image format, icon engine, input context and xcb GL plugins
  qml/                      the QML modules the UI imports (qmlimportscanner, to a fixed point)
  share/                    desktop entry, icons, MIME XML, metainfo, licences
The executables get DT_RPATH $ORIGIN/../lib and every carried library and plugin a RUNPATH to lib/
relative to itself (patchelf), so no LD_LIBRARY_PATH or wrapper script is needed. Data goes
where the installed app keeps it (QStandardPaths: ~/.local/share/Ponder/Ponder, ~/.config/Ponder/Ponder).
"""
import json
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

# glibc's libraries: they must come from the system (they are tied to its ld.so and kernel ABI).
GLIBC = {"libc.so.6", "libm.so.6", "libdl.so.2", "librt.so.1", "libpthread.so.0", "libresolv.so.2",
         "libutil.so.1", "libanl.so.1", "libnsl.so.1", "libmvec.so.1", "libBrokenLocale.so.1",
         "libcrypt.so.1"}
PLUGIN_DIRS = ["platforms", "xcbglintegrations", "imageformats", "iconengines", "platforminputcontexts",
               "wayland-shell-integration", "wayland-decoration-client", "wayland-graphics-integration-client"]
# Platform plugins worth carrying: the others (eglfs, linuxfb, vnc, vkkhrdisplay) are for embedded screens.
PLATFORMS = {"libqxcb.so", "libqoffscreen.so", "libqminimal.so", "libqwayland-generic.so",
             "libqwayland-egl.so"}


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def qmake_query(var):
    for qmake in ("qmake6", "/usr/lib/qt6/bin/qmake"):
        if shutil.which(qmake) or os.path.exists(qmake):
            return run([qmake, "-query", var]).strip()
    sys.exit("make_portable: qmake6 not found (qt6-base-dev-tools)")


def needed_libraries(elf):
    """Resolved paths of the shared libraries `elf` needs, by ldd (the system's dynamic linker)."""
    out = subprocess.run(["ldd", str(elf)], capture_output=True, text=True).stdout
    libs = {}
    for line in out.splitlines():
        parts = line.split()
        if "=>" in parts:
            name, target = parts[0], parts[parts.index("=>") + 1]
            if target == "not":
                sys.exit(f"make_portable: {elf} needs {name}, which is not installed")
            libs[name] = target
    return libs


def main():
    install, out, qml_src = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    version = run([str(install / "bin/ponder-cli"), "--version"]).split()[1]
    arch = os.uname().machine
    name = f"ponder-{version}-linux-{arch}"
    root = out / name
    if root.exists():
        shutil.rmtree(root)
    (root / "bin").mkdir(parents=True)
    for exe in ("ponder", "ponder-cli"):
        shutil.copy2(install / "bin" / exe, root / "bin" / exe)
        os.symlink(f"bin/{exe}", root / exe)
    shutil.copytree(install / "share", root / "share")

    qt_plugins = Path(qmake_query("QT_INSTALL_PLUGINS"))
    qt_qml = Path(qmake_query("QT_INSTALL_QML"))
    scanner = Path(qmake_query("QT_INSTALL_LIBEXECS")) / "qmlimportscanner"

    # Plugins.
    elves = [root / "bin/ponder", root / "bin/ponder-cli"]
    for d in PLUGIN_DIRS:
        src = qt_plugins / d
        if not src.is_dir():
            continue
        for so in sorted(src.glob("*.so")):
            if d == "platforms" and so.name not in PLATFORMS:
                continue
            dst = root / "plugins" / d / so.name
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(so, dst)
            elves.append(dst)

    # QML modules: what the app imports, then what those modules' own QML imports, until nothing new.
    modules = {}
    roots = [qml_src]
    while True:
        cmd = [str(scanner)]
        for r in roots:
            cmd += ["-rootPath", str(r)]
        cmd += ["-importPath", str(qt_qml)]
        found = {m["name"]: Path(m["path"]) for m in json.loads(run(cmd))
                 if m.get("type") == "module" and m.get("path") and str(m["path"]).startswith(str(qt_qml))}
        new = {k: v for k, v in found.items() if k not in modules}
        if not new:
            break
        modules.update(new)
        roots = [qml_src] + sorted(set(modules.values()))
    for path in sorted(set(modules.values())):
        dst = root / "qml" / path.relative_to(qt_qml)
        dst.mkdir(parents=True, exist_ok=True)
        for f in path.iterdir():   # the module's own files; its submodules are modules of their own
            if f.is_file():
                shutil.copy2(f, dst / f.name)
                if f.suffix == ".so":
                    elves.append(dst / f.name)

    # Libraries: the closure over everything above, resolved on this machine, minus glibc.
    (root / "lib").mkdir()
    bundled = {}
    for elf in elves:
        for lib, path in needed_libraries(elf).items():
            if lib in GLIBC or lib.startswith("ld-linux") or lib in bundled:
                continue
            bundled[lib] = path
    for lib, path in sorted(bundled.items()):
        shutil.copy2(os.path.realpath(path), root / "lib" / lib)

    for exe in ("ponder", "ponder-cli"):
        run(["patchelf", "--force-rpath", "--set-rpath", "$ORIGIN/../lib", str(root / "bin" / exe)])
    # Debian's plugins carry their own RUNPATH (into /usr/lib/...), which hides the executable's
    # RPATH for their dependencies: point every carried library and plugin at lib/ instead.
    for so in sorted(list((root / "lib").iterdir()) + [e for e in elves if e.suffix == ".so"]):
        rel = os.path.relpath(root / "lib", so.parent)
        run(["patchelf", "--set-rpath", "$ORIGIN" if rel == "." else f"$ORIGIN/{rel}", str(so)])
    (root / "bin/qt.conf").write_text("[Paths]\nPrefix = ..\nPlugins = plugins\nQmlImports = qml\n"
                                      "Qml2Imports = qml\nTranslations = translations\n")

    # Licences of what is carried: Ponder's own, and each bundled library's Debian copyright file.
    lic = root / "share/licenses"
    lic.mkdir(parents=True, exist_ok=True)
    owners = set()
    for lib, path in bundled.items():
        res = subprocess.run(["dpkg", "-S", os.path.realpath(path)], capture_output=True, text=True)
        if res.returncode != 0:
            res = subprocess.run(["dpkg", "-S", path], capture_output=True, text=True)
        if res.returncode == 0:
            owners.add(res.stdout.split(":")[0])
    for pkg in ["libqt6core6", "libqt6gui6", "libqt6qml6", "libqt6quick6"] + sorted(owners):
        cr = Path(f"/usr/share/doc/{pkg}/copyright")
        if cr.is_file():
            shutil.copy2(cr, lic / f"{pkg}.copyright")
    (root / "README.txt").write_text(
        f"Ponder {version}, portable build for Linux ({arch}).\n\n"
        "Unpack anywhere and run ./ponder (the desktop app) or ./ponder-cli (the command line).\n"
        "Needs only glibc (the version of Debian 12 or newer) and, for the window, an X11 or Wayland\n"
        "session with OpenGL drivers; everything else, Qt included, is in this folder.\n"
        "Chats and settings are kept in ~/.local/share/Ponder/Ponder and ~/.config/Ponder/Ponder, as with the\n"
        "installed package. Licences of the carried libraries: share/licenses/.\n")
    shutil.copy2(install / "share/doc/ponder/copyright", lic / "ponder.copyright")

    tarball = out / f"{name}.tar.gz"
    with tarfile.open(tarball, "w:gz", compresslevel=6) as tar:
        tar.add(root, arcname=name)
    print(tarball)


if __name__ == "__main__":
    main()
