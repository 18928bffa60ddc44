"""Draw a spec's address space as SVG for a design review (pure: returns the SVG text).

Three panels: an address map (each top-level range on its own linear scale, with subnets, pod and
service CIDRs at their true position), range sizes on one log2 scale, and the node-count limits with
the share the cluster uses at its node count plus surge.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html import escape, unescape

from aksnet.checks.ipplan.model import IpPlan
from aksnet.checks.rules.cidr import IPv4Net, contains, parse_cidr
from aksnet.spec.types import Spec

WIDTH = 980
LEFT = 190  # label column
RIGHT = 30
BAR_W = WIDTH - LEFT - RIGHT
FONT = "font-family='Segoe UI, Helvetica, Arial, sans-serif'"
CHAR_W = 6.6  # approximate width of one 11px character

COLOURS = {
    "vnet": ("#e8eef7", "#5b7db1"),
    "node subnet": ("#2f6fd6", "#1d4f9e"),
    "subnet": ("#8fb3e8", "#4f7cc2"),
    "pod CIDR": ("#3aa76d", "#23784b"),
    "service CIDR": ("#f08c2e", "#b8620f"),
    "used": ("#d9534f", "#a83a36"),
}


@dataclass(frozen=True, slots=True)
class Block:
    label: str
    net: IPv4Net
    kind: str  # a key of COLOURS


def _text(x: float, y: float, body: str, size: int = 11, anchor: str = "start", weight: str = "normal",
          fill: str = "#222") -> str:
    return (f"<text x='{x:.1f}' y='{y:.1f}' {FONT} font-size='{size}' font-weight='{weight}' fill='{fill}' "
            f"text-anchor='{anchor}'>{escape(body)}</text>")


# Advance widths in em, rounded up from the widest face the font stack falls back to (DejaVu Sans, where
# Segoe UI, Helvetica and Arial are missing), so a label's width is known without a font: no text is wider
# than its estimate, and the picture grows to hold it.
_NARROW = set("iljtf.,:;|!'()[] ")
_WIDE = set("mwMW@%")


def text_width(body: str, size: float, weight: str = "normal") -> float:
    """An upper estimate of the rendered width of `body` at `size` px."""
    em = sum(0.45 if c in _NARROW else 1.0 if c in _WIDE else 0.8 if c.isupper() else 0.64 for c in body)
    return em * size * (1.12 if weight == "bold" else 1.0)


_TEXT = re.compile(r"<text x='(?P<x>[-\d.]+)' y='[-\d.]+' [^>]*font-size='(?P<size>[\d.]+)' "
                   r"font-weight='(?P<weight>\w+)' [^>]*text-anchor='(?P<anchor>\w+)'>(?P<body>.*?)</text>")


def text_extents(svg_parts: list[str]) -> list[tuple[float, float]]:
    """(left, right) of every label drawn by `_text`, from the estimate above."""
    extents = []
    for match in _TEXT.finditer("\n".join(svg_parts)):
        x, width = float(match["x"]), text_width(unescape(match["body"]), float(match["size"]), match["weight"])
        left = {"start": x, "middle": x - width / 2, "end": x - width}[match["anchor"]]
        extents.append((left, left + width))
    return extents


def _rect(x: float, y: float, w: float, h: float, kind: str, rx: int = 2, opacity: float = 1.0) -> str:
    fill, stroke = COLOURS[kind]
    return (f"<rect x='{x:.1f}' y='{y:.1f}' width='{max(w, 0):.1f}' height='{h:.1f}' rx='{rx}' fill='{fill}' "
            f"stroke='{stroke}' stroke-width='1' fill-opacity='{opacity}'/>")


def _blocks(spec: Spec, plan: IpPlan) -> tuple[list[Block], list[Block]]:
    """(top-level ranges, inner ranges)."""
    tops = [Block(f"VNet {spec.virtual_network.name}", net, "vnet")
            for net in (parse_cidr(t) for t in spec.virtual_network.address_space) if net is not None]
    inner: list[Block] = []
    for subnet in spec.virtual_network.subnets:
        net = parse_cidr(subnet.address_prefix)
        if net is not None:
            kind = "node subnet" if subnet.name == spec.cluster.subnet else "subnet"
            inner.append(Block(f"subnet {subnet.name}", net, kind))
    for use in (plan.pod_cidr, plan.service_cidr):
        net = parse_cidr(use.prefix) if use is not None else None
        if use is not None and net is not None:
            inner.append(Block(use.role, net, use.role))
    for block in list(inner):
        if not any(contains(top.net, block.net) for top in tops) and block.kind in ("pod CIDR", "service CIDR"):
            tops.append(Block(block.label, block.net, block.kind))
    return tops, inner


def _address_map(spec: Spec, plan: IpPlan, y: float) -> tuple[list[str], float]:
    out = [_text(20, y, "Address map", 14, weight="bold"),
           _text(20, y + 16, "each range on its own linear scale; blocks at their true position (min. 3 px wide)",
                 10, fill="#666")]
    y += 34
    tops, inner = _blocks(spec, plan)
    for top in tops:
        start, span = int(top.net.network_address), top.net.num_addresses
        out.append(_text(LEFT - 10, y + 16, top.label, 12, "end", "bold"))
        out.append(_text(LEFT - 10, y + 30, str(top.net), 11, "end", fill="#555"))
        out.append(_rect(LEFT, y, BAR_W, 26, top.kind, rx=4, opacity=0.35 if top.kind != "vnet" else 1.0))
        out.append(_text(LEFT, y + 40, str(top.net.network_address), 9, fill="#777"))
        out.append(_text(LEFT + BAR_W, y + 40, str(top.net.broadcast_address), 9, "end", fill="#777"))
        children = [b for b in inner if b.net != top.net and contains(top.net, b.net)]
        if top.kind == "pod CIDR" and plan.pod_cidr is not None:
            share = min(1.0, plan.pod_cidr.used / span)
            out.append(_rect(LEFT, y + 3, max(3.0, BAR_W * share), 20, "used", opacity=0.8))
            out.append(_text(LEFT + BAR_W / 2, y + 17,
                             f"{plan.pod_cidr.used // 256} of {span // 256} per-node /24s in use (nodes + surge)",
                             10, "middle"))
        lanes: list[float] = []
        label_y0 = y + 56
        for child in sorted(children, key=lambda b: int(b.net.network_address)):
            x = LEFT + BAR_W * (int(child.net.network_address) - start) / span
            w = max(3.0, BAR_W * child.net.num_addresses / span)
            out.append(_rect(x, y + 3, w, 20, child.kind))
            text = f"{child.label} {child.net}"
            tw = len(text) * CHAR_W
            tx = min(max(x + w / 2 - tw / 2, LEFT), LEFT + BAR_W - tw)
            lane = next((i for i, end in enumerate(lanes) if end < tx), len(lanes))
            if lane == len(lanes):
                lanes.append(0.0)
            lanes[lane] = tx + tw + 8
            ly = label_y0 + lane * 15
            out.append(f"<line x1='{x + w / 2:.1f}' y1='{y + 23:.1f}' x2='{x + w / 2:.1f}' y2='{ly - 10:.1f}' "
                       f"stroke='{COLOURS[child.kind][1]}' stroke-width='1'/>")
            out.append(_text(tx, ly, text, 11, fill=COLOURS[child.kind][1]))
        y += 60 + max(len(lanes), 0) * 15 + 10
    return out, y


def _sizes(spec: Spec, plan: IpPlan, y: float) -> tuple[list[str], float]:
    tops, inner = _blocks(spec, plan)
    seen: set[tuple[str, str]] = set()
    rows: list[Block] = []
    for block in tops + inner:
        key = (block.label, str(block.net))
        if key not in seen:
            seen.add(key)
            rows.append(block)
    out = [_text(20, y, "Range sizes", 14, weight="bold"),
           _text(20, y + 16, "log2 scale: one step per prefix bit (/32 = 1 address ... /0 = all of IPv4)", 10,
                 fill="#666")]
    y += 30
    unit = BAR_W / 32
    for tick in range(0, 33, 4):
        x = LEFT + tick * unit
        out.append(f"<line x1='{x:.1f}' y1='{y:.1f}' x2='{x:.1f}' y2='{y + 20 * len(rows) + 4:.1f}' stroke='#eee'/>")
        out.append(_text(x, y + 20 * len(rows) + 16, f"/{32 - tick}", 9, "middle", fill="#888"))
    for i, block in enumerate(rows):
        row_y = y + 4 + i * 20
        bits = 32 - block.net.prefixlen
        out.append(_text(LEFT - 10, row_y + 12, block.label, 11, "end"))
        out.append(_rect(LEFT, row_y, max(2.0, bits * unit), 14, block.kind))
        out.append(_text(LEFT + max(2.0, bits * unit) + 6, row_y + 11,
                         f"{block.net}  {block.net.num_addresses:,} addresses", 10, fill="#444"))
    return out, y + 20 * len(rows) + 34


def _limits(plan: IpPlan, y: float) -> tuple[list[str], float]:
    need = plan.node_count + plan.surge
    limiters = ", ".join(limit.name for limit in plan.limited_by)
    out = [_text(20, y, "Node-count limits", 14, weight="bold"),
           _text(20, y + 16, f"bar = the largest node count N for which N plus its upgrade surge fits; red = "
                             f"{plan.node_count} nodes + {plan.surge} surge", 10, fill="#666")]
    y += 30
    ordered = sorted(plan.limits, key=lambda lim: lim.max_nodes)
    for i, limit in enumerate(ordered):
        row_y = y + i * 24
        binding = limit in plan.limited_by
        out.append(_text(LEFT - 10, row_y + 13, limit.name, 11, "end", "bold" if binding else "normal"))
        out.append(_rect(LEFT, row_y, BAR_W * 0.5, 16, "subnet" if not binding else "node subnet", opacity=0.9))
        share = min(1.0, need / limit.max_nodes) if limit.max_nodes else 1.0
        out.append(_rect(LEFT, row_y, max(2.0, BAR_W * 0.5 * share), 16, "used"))
        out.append(_text(LEFT + BAR_W * 0.5 + 8, row_y + 12, f"{limit.max_nodes:,} nodes  ({limit.detail})", 10,
                         fill="#333"))
    y += len(ordered) * 24 + 8
    out.append(_text(20, y + 8, f"Max nodes {plan.max_nodes:,}, limited by {limiters}; headroom "
                                f"{plan.headroom_nodes:,} node(s).", 12, weight="bold"))
    return out, y + 20


def _legend(y: float) -> tuple[list[str], float]:
    out = []
    x = 20.0
    for kind, label in (("vnet", "VNet address space"), ("node subnet", "node subnet"), ("subnet", "other subnet"),
                        ("pod CIDR", "pod CIDR"), ("service CIDR", "service CIDR"), ("used", "used by nodes + surge")):
        out.append(_rect(x, y - 10, 14, 12, kind))
        out.append(_text(x + 19, y, label, 11))
        x += 24 + len(label) * CHAR_W + 14
    return out, y + 14


def render_svg(spec: Spec, plan: IpPlan) -> str:
    limiters = ", ".join(limit.name for limit in plan.limited_by)
    parts = [
        _text(20, 32, f"Address plan: {spec.name}", 20, weight="bold"),
        _text(20, 52, f"{plan.plugin_label} · {plan.node_count} nodes + {plan.surge} surge · maxPods {plan.max_pods} · "
                      f"max {plan.max_nodes:,} nodes (limited by {limiters}) · {spec.location}/{spec.resource_group}",
              12, fill="#444"),
    ]
    legend, y = _legend(78)
    parts += legend
    for panel in (_address_map(spec, plan, y + 22), ):
        parts += panel[0]
        y = panel[1]
    sizes, y = _sizes(spec, plan, y + 10)
    parts += sizes
    limits, y = _limits(plan, y + 4)
    parts += limits
    height = int(y + 20)
    # Never clip a label: a long subnet name, limit detail or title widens the picture instead.
    extents = text_extents(parts)
    left = math.floor(min([0.0] + [start - 8 for start, _ in extents]))
    right = max([float(WIDTH)] + [end + 8 for _, end in extents])
    width = math.ceil(right - left)
    head = (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
            f"viewBox='{left} 0 {width} {height}' role='img'>"
            f"<title>{escape(f'Address plan for {spec.name}')}</title>"
            f"<rect x='{left}' y='0' width='{width}' height='{height}' fill='white'/>")
    return head + "\n".join(parts) + "</svg>\n"
