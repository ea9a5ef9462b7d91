#!/usr/bin/env python3
"""The library order of edgec, checked.

docs/architecture.md holds the allowed order: a fenced block with the info
string `layers`, one library per line, the top one first:

    ```layers
    tools     tools         the CLI
    ...
    support   lib/support   errors, JSON, file bytes
    ```

A library may include its own headers and those of the libraries below it.
This script reports, as `file:line: message`, every

- #include "dir/..." in lib/, passes/, targets/, tools/ naming a library
  above the including file's, or a directory that is no library;
- file in those trees outside every library's directory;
- #include in runtime/ that is not a runtime file (the runtime is copied
  into generated packages and must not see the compiler);
- edgec_* CMake target linking a target of a library above its own;
- file in lib/, passes/ or targets/ longer than MAX_LINES lines.

Usage: check_layering.py [ROOT]       (default: the checkout holding it)
       check_layering.py --self-test  (a violating tree must be reported)
Exit status 0 when clean, 1 with the list of problems.
"""
import os
import re
import sys
import tempfile

MAX_LINES = 1200
# Files allowed above MAX_LINES (none: split a file that grows past it).
LONG_FILES_ALLOWED = set()

SOURCE_TREES = ('lib', 'passes', 'targets', 'tools')
LENGTH_TREES = ('lib', 'passes', 'targets')
SOURCE_EXTS = ('.h', '.hpp', '.c', '.cc', '.cpp', '.def', '.inc')
INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


class Layers:
    """The order parsed from docs/architecture.md: name, directory, rank
    (0 = bottom)."""

    def __init__(self, root):
        path = os.path.join(root, 'docs', 'architecture.md')
        with open(path, encoding='utf-8') as f:
            text = f.read()
        m = re.search(r'^```layers\s*\n(.*?)^```', text, re.M | re.S)
        if not m:
            raise SystemExit(f'{path}: no ```layers block with the library order')
        rows = []
        for line in m.group(1).splitlines():
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            tok = line.split()
            if len(tok) < 2:
                raise SystemExit(f'{path}: layer line needs a name and a directory: {line}')
            rows.append((tok[0], tok[1].rstrip('/')))
        rows.reverse()  # written top first
        self.rank = {name: i for i, (name, _) in enumerate(rows)}
        self.dirs = [(d, name) for name, d in rows]
        # First path component of an #include -> library.
        self.component = {}
        for d, name in self.dirs:
            comp = d.split('/', 1)[1] if d.startswith('lib/') else d
            self.component[comp.split('/')[0]] = name

    def of_file(self, rel):
        """The library holding file rel (longest directory match) or None."""
        best = None
        for d, name in self.dirs:
            if rel == d or rel.startswith(d + '/'):
                if best is None or len(d) > len(best[0]):
                    best = (d, name)
        return best[1] if best else None


def source_files(root, trees, exts=SOURCE_EXTS):
    for tree in trees:
        top = os.path.join(root, tree)
        for dp, dn, fn in os.walk(top):
            dn.sort()
            for f in sorted(fn):
                if f.endswith(exts):
                    full = os.path.join(dp, f)
                    yield full, os.path.relpath(full, root).replace(os.sep, '/')


def includes(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        for no, line in enumerate(f, 1):
            m = INCLUDE_RE.match(line)
            if m:
                yield no, m.group(1)


def check_includes(root, layers, problems):
    for full, rel in source_files(root, SOURCE_TREES):
        lib = layers.of_file(rel)
        if lib is None:
            problems.append(f'{rel}:1: not in any library directory of the '
                            'docs/architecture.md order')
            continue
        for no, inc in includes(full):
            if '/' not in inc:
                if os.path.exists(os.path.join(os.path.dirname(full), inc)):
                    continue  # a header beside the file
                problems.append(f'{rel}:{no}: #include "{inc}" is neither '
                                'beside the file nor under a library directory')
                continue
            target = layers.component.get(inc.split('/')[0])
            if target is None:
                problems.append(f'{rel}:{no}: #include "{inc}" names no library '
                                'of the docs/architecture.md order')
            elif layers.rank[target] > layers.rank[lib]:
                problems.append(f'{rel}:{no}: library {lib} includes "{inc}" of '
                                f'library {target}, which is above it')


def check_runtime(root, layers, problems):
    rt = os.path.join(root, 'runtime')
    if not os.path.isdir(rt):
        return
    names = set()
    for dp, dn, fn in os.walk(rt):
        for f in fn:
            names.add(os.path.relpath(os.path.join(dp, f), rt).replace(os.sep, '/'))
    for full, rel in source_files(root, ('runtime',), ('.c', '.h')):
        here = os.path.relpath(os.path.dirname(full), rt).replace(os.sep, '/')
        for no, inc in includes(full):
            first = inc.split('/')[0]
            candidates = [os.path.normpath(os.path.join(here, inc)).replace(os.sep, '/'),
                          'include/' + inc, inc]
            if first in layers.component or not any(c in names for c in candidates):
                problems.append(f'{rel}:{no}: runtime includes "{inc}", which is '
                                'not a runtime file (the runtime must not see the compiler)')


def check_lengths(root, problems):
    for full, rel in source_files(root, LENGTH_TREES):
        with open(full, encoding='utf-8', errors='replace') as f:
            n = sum(1 for _ in f)
        if n > MAX_LINES and rel not in LONG_FILES_ALLOWED:
            problems.append(f'{rel}:{n}: {n} lines, more than {MAX_LINES}: '
                            'split it into files named for what they hold')


CMAKE_CALL_RE = re.compile(r'\b(add_library|add_executable|target_link_libraries)\s*\(([^)]*)\)', re.S)


def check_cmake(root, layers, problems):
    """edgec_* targets may only link targets of their own or lower libraries.
    A target's library is that of its listed sources (or, when they are all
    variables, of its CMakeLists.txt directory)."""
    target_lib, links = {}, []
    for tree in SOURCE_TREES:
        for dp, dn, fn in os.walk(os.path.join(root, tree)):
            dn.sort()
            if 'CMakeLists.txt' not in fn:
                continue
            path = os.path.join(dp, 'CMakeLists.txt')
            rel = os.path.relpath(path, root).replace(os.sep, '/')
            here = os.path.dirname(rel)
            with open(path, encoding='utf-8') as f:
                text = re.sub(r'#[^\n]*', '', f.read())
            for m in CMAKE_CALL_RE.finditer(text):
                line = text.count('\n', 0, m.start()) + 1
                args = m.group(2).split()
                if not args or not args[0].startswith('edgec'):
                    continue
                if m.group(1) == 'target_link_libraries':
                    links.append((rel, line, args[0], args[1:]))
                    continue
                libs = set()
                for a in args[1:]:
                    if a.startswith('$') or a.isupper():
                        continue
                    lib = layers.of_file(os.path.normpath(os.path.join(here, a)).replace(os.sep, '/'))
                    if lib:
                        libs.add(lib)
                if not libs:
                    lib = layers.of_file(here + '/CMakeLists.txt')
                    if lib:
                        libs.add(lib)
                if len(libs) != 1:
                    problems.append(f'{rel}:{line}: target {args[0]} has sources in '
                                    f'{len(libs)} libraries ({", ".join(sorted(libs))})')
                    continue
                target_lib[args[0]] = libs.pop()
    for rel, line, tgt, deps in links:
        lib = target_lib.get(tgt)
        if lib is None:
            continue
        for d in deps:
            dl = target_lib.get(d)
            if dl is not None and layers.rank[dl] > layers.rank[lib]:
                problems.append(f'{rel}:{line}: target {tgt} ({lib}) links {d} '
                                f'of library {dl}, which is above it')


def check(root):
    layers = Layers(root)
    problems = []
    check_includes(root, layers, problems)
    check_runtime(root, layers, problems)
    check_lengths(root, problems)
    check_cmake(root, layers, problems)
    return problems


def write(root, rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def write_cmake(root, target, linked):
    write(root, 'lib/CMakeLists.txt',
          'add_library(edgec_lower STATIC lower/Low.cpp)\n'
          'add_library(edgec_upper STATIC upper/Up.cpp)\n'
          f'target_link_libraries({target} PUBLIC {linked})\n')


def self_test():
    """A small tree with one violation of each kind must report exactly
    those; the same tree without them must be clean."""
    with tempfile.TemporaryDirectory() as root:
        write(root, 'docs/architecture.md',
              '# Order\n\n```layers\n# top first\ntools  tools  the CLI\n'
              'upper  lib/upper  above\nlower  lib/lower  below\n```\n')
        write(root, 'lib/lower/Low.h', '#pragma once\n')
        write(root, 'lib/upper/Up.h', '#pragma once\n#include "lower/Low.h"\n')
        write(root, 'tools/Main.cpp', '#include "Local.h"\n#include "upper/Up.h"\n')
        write(root, 'tools/Local.h', '#pragma once\n')
        write(root, 'runtime/kernels/k.h', '#pragma once\n')
        write(root, 'runtime/kernels/k.c', '#include "k.h"\n')
        write_cmake(root, 'edgec_upper', 'edgec_lower')
        clean = check(root)
        if clean:
            print('self-test: the clean tree reports problems:\n  ' + '\n  '.join(clean))
            return 1
        write(root, 'lib/lower/Bad.cpp', '#include "lower/Low.h"\n\n#include "upper/Up.h"\n')
        write(root, 'lib/lower/Odd.cpp', '#include "nowhere/X.h"\n')
        write(root, 'lib/stray/S.cpp', '\n')
        write(root, 'lib/lower/Long.cpp', '\n' * (MAX_LINES + 1))
        write(root, 'runtime/kernels/bad.c', '#include "lower/Low.h"\n')
        write_cmake(root, 'edgec_lower', 'edgec_upper')
        found = check(root)
        expected = [
            'lib/lower/Bad.cpp:3: library lower includes "upper/Up.h" of library upper',
            'lib/lower/Odd.cpp:1: #include "nowhere/X.h" names no library',
            'lib/stray/S.cpp:1: not in any library directory',
            f'lib/lower/Long.cpp:{MAX_LINES + 1}: {MAX_LINES + 1} lines',
            'runtime/kernels/bad.c:1: runtime includes "lower/Low.h"',
            'lib/CMakeLists.txt:3: target edgec_lower (lower) links edgec_upper',
        ]
        missing = [e for e in expected if not any(p.startswith(e) for p in found)]
        extra = [p for p in found if not any(p.startswith(e) for e in expected)]
        if missing or extra:
            print('self-test failed')
            for e in missing:
                print('  not reported: ' + e)
            for p in extra:
                print('  unexpected: ' + p)
            return 1
        print(f'self-test: {len(expected)} violations reported as expected')
        return 0


def main(argv):
    if argv[1:] == ['--self-test']:
        return self_test()
    root = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
    problems = check(os.path.abspath(root))
    for p in problems:
        print(p)
    if problems:
        print(f'{len(problems)} layering problem(s); the order is the ```layers '
              'block of docs/architecture.md')
        return 1
    print('layering: every include, link and file length follows docs/architecture.md')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
