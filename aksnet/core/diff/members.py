"""Set-valued fields: authorized IP ranges, address prefixes. Pure.

Azure returns such a list in its own order (and the spec may repeat a member), so two lists are equal when
they hold the same members once each member is normalised (`10.0.0.1` is `10.0.0.1/32`). DeepDiff with
`ignore_order` makes that comparison; it also pairs members that are objects (`{"id": ...}` references),
which a frozenset cannot hold (https://zepworks.com/deepdiff/current/ignore_order.html).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any


def _same(value: Any) -> Any:
    return value


def member_differences(want: Iterable[Any], have: Iterable[Any], member: Callable[[Any], Any] = _same
                       ) -> dict[str, Any]:
    """DeepDiff's report from `have` to `want` over the normalised members, order and repeats ignored:
    empty when the two hold the same members."""
    # Imported here: ~80 ms, paid only by a plan that compares a resource that exists.
    from deepdiff import DeepDiff

    report: dict[str, Any] = DeepDiff([member(v) for v in have], [member(v) for v in want], ignore_order=True,
                                      report_repetition=False).to_dict()
    return report


def members_differ(want: Iterable[Any], have: Iterable[Any], member: Callable[[Any], Any] = _same) -> bool:
    return bool(member_differences(want, have, member))
