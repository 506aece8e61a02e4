#!/usr/bin/env python3
"""Renders collapsed stacks ("frame;frame;frame count" per line, as async-profiler's
`collapsed` output writes them) into a static SVG flame graph: the root at the bottom, each
frame as wide as its share of the samples. Frames narrower than --min-percent are dropped so
the image stays small. Colours: Java frames green, C++/JVM frames yellow, kernel frames orange,
other native frames red.

It exists so the profiles in docs/benchmarks.md can be committed as images without any tool
beyond Python; async-profiler's own HTML flame graph is the interactive alternative.

    flamegraph.py profile.collapsed docs/images/server-binary-load.svg --title "..."
"""
import argparse
import html
import sys

WIDTH = 1400
ROW = 17
FONT = 11
CHAR = 6.2  # approximate width of one character of an 11px monospace font


def parse(path, only_thread=None):
    root = {"name": "all", "count": 0, "children": {}}
    with open(path, encoding="utf-8", errors="replace") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if not line:
                continue
            stack, _, count = line.rpartition(" ")
            if not count.isdigit():
                continue
            frames = stack.split(";")
            if only_thread and not any(only_thread in f for f in frames[:1]):
                continue
            samples = int(count)
            node = root
            node["count"] += samples
            for frame in frames:
                node = node["children"].setdefault(frame, {"name": frame, "count": 0, "children": {}})
                node["count"] += samples
    return root


def colour(name):
    if name.endswith("_[k]"):
        return "#f0a050"
    if name.endswith(("_[j]", "_[i]", "_[0]", "_[1]")) or "/" in name:
        hue = sum(map(ord, name)) % 40
        return "#%02x%02x%02x" % (80 + hue, 190 + hue // 2, 80)
    if "::" in name:
        return "#e0d060"
    return "#e06050"


def label(name):
    for suffix in ("_[j]", "_[i]", "_[k]", "_[0]", "_[1]"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name


def render(root, out, title, min_percent):
    total = root["count"] or 1
    depth = [0]
    rects = []

    def walk(node, x, level):
        width = node["count"] / total * WIDTH
        if node["count"] / total * 100 < min_percent:
            return
        depth[0] = max(depth[0], level)
        rects.append((x, level, width, node))
        child_x = x
        for child in sorted(node["children"].values(), key=lambda c: c["name"]):
            walk(child, child_x, level + 1)
            child_x += child["count"] / total * WIDTH

    walk(root, 0, 0)
    height = (depth[0] + 1) * ROW + 60
    parts = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="monospace" font-size="%d">'
        % (WIDTH, height, FONT),
        '<rect width="100%" height="100%" fill="#fdfdf6"/>',
        '<text x="%d" y="22" font-size="15" text-anchor="middle">%s</text>' % (WIDTH / 2, html.escape(title)),
        '<text x="%d" y="40" font-size="11" text-anchor="middle" fill="#555">%d samples; frames under %.2f%% omitted; hover a frame for its share</text>'
        % (WIDTH / 2, total, min_percent),
    ]
    for x, level, width, node in rects:
        y = height - (level + 1) * ROW - 4
        name = label(node["name"])
        share = node["count"] / total * 100
        parts.append('<g><title>%s (%d samples, %.2f%%)</title>' % (html.escape(name), node["count"], share))
        parts.append('<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s" stroke="#fdfdf6" stroke-width="0.5"/>'
                     % (x, y, max(width, 0.5), ROW - 1, colour(node["name"])))
        fits = int((width - 4) / CHAR)
        if fits >= 3:
            text = name if len(name) <= fits else name[: fits - 2] + ".."
            parts.append('<text x="%.1f" y="%d">%s</text>' % (x + 2, y + ROW - 5, html.escape(text)))
        parts.append("</g>")
    parts.append("</svg>")
    with open(out, "w", encoding="utf-8") as svg:
        svg.write("\n".join(parts))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("collapsed")
    parser.add_argument("svg")
    parser.add_argument("--title", default="CPU flame graph")
    parser.add_argument("--min-percent", type=float, default=0.1)
    parser.add_argument("--thread", help="keep only stacks whose first frame contains this (with threads=true)")
    args = parser.parse_args()
    root = parse(args.collapsed, args.thread)
    if root["count"] == 0:
        sys.exit("no samples in " + args.collapsed)
    render(root, args.svg, args.title, args.min_percent)


if __name__ == "__main__":
    main()
