#!/usr/bin/env python3
"""Lists the files of a crate that sit in a module import cycle, and fails if there are any.

Usage: module_cycles.py CRATE/src

A file depends on another when it names it by path: `crate::a::b`, `super::…`, a `use crate::{…}` or
`use super::{…}` group, or a child module declared with `mod x;` and used as `x::`. Test modules
(`#[cfg(test)] mod tests`) and comments are left out. Cycles are the strongly connected
components with more than one file.
"""
import os
import re
import sys


def files_of(root):
    out = []
    for d, _, fs in os.walk(root):
        out += [os.path.relpath(os.path.join(d, f), root) for f in fs if f.endswith(".rs")]
    return sorted(out)


def module_path(f):
    parts = f[:-3].split("/")
    return parts[:-1] if parts[-1] in ("mod", "lib", "main") else parts


def edges_of(root, files):
    by_mod = {tuple(module_path(f)): f for f in files}

    def resolve(parts):
        for n in range(len(parts), 0, -1):
            if tuple(parts[:n]) in by_mod:
                return by_mod[tuple(parts[:n])]
        return None

    edges = {f: set() for f in files}
    for f in files:
        with open(os.path.join(root, f), encoding="utf-8") as fh:
            src = fh.read()
        cut = src.find("#[cfg(test)]\nmod tests")
        if cut >= 0:
            src = src[:cut]
        src = re.sub(r"//[^\n]*", "", src)
        me = module_path(f)
        targets = []
        for m in re.finditer(r"\bcrate((?:::[a-z_][a-z0-9_]*)+)", src):
            targets.append(m.group(1).split("::")[1:])
        for m in re.finditer(r"\bsuper((?:::[a-z_][a-z0-9_]*)+)", src):
            targets.append(me[:-1] + m.group(1).split("::")[1:])
        for m in re.finditer(r"\b(crate|super)::((?:[a-z_][a-z0-9_]*::)*)\{([^}]*)\}", src):
            base = (me[:-1] if m.group(1) == "super" else []) + [x for x in m.group(2).split("::") if x]
            for item in m.group(3).split(","):
                item = item.strip().split("::")[0].split(" ")[0]
                # An item named in a group may be a module (lower case) or an item of `base`
                # itself (a type, or a function the module defines); either way `base` is used.
                if item and item[0].islower():
                    targets.append(base + [item])
                elif item:
                    targets.append(base)
        for child in re.findall(r"^\s*(?:pub(?:\([a-z]+\))? )?mod ([a-z_0-9]+);", src, re.M):
            if re.search(r"(?<![:\w])" + child + r"::", src):
                targets.append(me + [child])
        for t in targets:
            target = resolve(t)
            if target and target != f:
                edges[f].add(target)
    return edges


def cycles(edges):
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def main():
    root = sys.argv[1]
    files = files_of(root)
    found = cycles(edges_of(root, files))
    in_cycles = sum(len(c) for c in found)
    print(f"{root}: {len(files)} files, {in_cycles} in import cycles")
    for c in found:
        print("  cycle:", " ".join(c))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
