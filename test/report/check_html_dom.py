#!/usr/bin/env python3
"""Checks a report page as the browser rendered it (chromium --dump-dom)
against the JSON report of the same run: each chart has exactly one element
per layer / output / buffer / node, in report order, and the page loads
nothing and runs nothing.

Usage: check_html_dom.py KIND DOM JSON
  KIND: quantize | compile | bench-host | bench-qemu
Prints one line per problem and exits 1 when there is any.
"""
import json
import sys
from html.parser import HTMLParser


class Dom(HTMLParser):
    """Every element's tag, attributes and enclosing <svg> id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.svg = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == 'svg':
            self.svg = a.get('id')
        self.elements.append((tag, a, self.svg))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == 'svg':
            self.svg = None

    def handle_endtag(self, tag):
        if tag == 'svg':
            self.svg = None


def shapes(dom, svg_id, classes):
    """The data attributes of the rects in svg#svg_id having all `classes`."""
    want = set(classes.split())
    return [a for tag, a, svg in dom.elements
            if tag == 'rect' and svg == svg_id and want <= set(a.get('class', '').split())]


def main():
    kind, dom_path, json_path = sys.argv[1:4]
    with open(dom_path, encoding='utf-8') as f:
        dom = Dom()
        dom.feed(f.read())
    with open(json_path, encoding='utf-8') as f:
        rep = json.load(f)
    problems = []

    def expect(svg_id, classes, attr, names):
        got = [a.get('data-' + attr) for a in shapes(dom, svg_id, classes)]
        if got != names:
            problems.append(f'svg#{svg_id} rect.{".".join(classes.split())}: {len(got)} '
                            f'element(s), the report has {len(names)}'
                            + ('' if len(got) != len(names) else ' (names differ)'))

    if not any(tag == 'svg' for tag, _, _ in dom.elements):
        problems.append('no <svg> in the rendered page')
    for tag, a, _ in dom.elements:
        if tag in ('script', 'iframe', 'object', 'embed', 'img', 'link'):
            problems.append(f'<{tag}> in the page (it must be self-contained, without scripts)')
        for k, v in a.items():
            if k in ('src', 'href') and v and not v.startswith('#'):
                problems.append(f'<{tag} {k}="{v}"> loads something')
    if kind == 'quantize':
        layers = [l['node'] for l in rep['accuracy']['layers']]
        outputs = [o['name'] for o in rep['accuracy']['outputs']]
        expect('layer-snr', 'bar layer snr', 'layer', layers)
        expect('layer-cosine', 'bar layer cosine', 'layer', layers)
        expect('output-snr', 'bar output snr', 'output', outputs)
    elif kind == 'compile':
        expect('arena-timeline', 'buffer', 'buffer', [b['name'] for b in rep['arena']['buffers']])
        expect('placement', 'node', 'node', [n['node'] for n in rep['placement']['nodes']])
        targets = {n['target'] for n in rep['placement']['nodes']}
        colours = {c for a in shapes(dom, 'placement', 'node')
                   for c in a.get('class', '').split() if c != 'node'}
        if len(colours) != len(targets):
            problems.append(f'placement: {len(colours)} colour(s) for {len(targets)} target(s)')
    elif kind == 'bench-host':
        want = [m for k, m in (('median_ns', 'compiled code, median'),
                               ('min_ns', 'compiled code, minimum'),
                               ('interpreter_median_ns', 'reference interpreter, median'))
                if k in rep['host']]
        expect('time-host', 'bar time', 'measure', want)
    elif kind == 'bench-qemu':
        expect('layers-qemu', 'bar layer', 'layer', [l['layer'] for l in rep['qemu']['layers']])
    else:
        problems.append(f'unknown kind {kind}')
    for p in problems:
        print(f'{dom_path}: {p}')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
