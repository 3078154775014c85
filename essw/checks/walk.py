"""Every scalar value of a loaded source, with where it sits, for the checks that read all the text."""

from __future__ import annotations

from typing import Any, Iterator


def leaves(data: Any) -> Iterator[tuple[tuple, Any]]:
    """(loc, value) for every value that is not a mapping or a list, in document order.

    A loop, not recursion: nested generators would cost the depth of each value, and these checks
    run over every value of every source.
    """
    stack: list[tuple[Any, tuple]] = [(data, ())]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, dict):
            stack.extend((child, loc + (key,)) for key, child in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((child, loc + (index,)) for index, child in reversed(list(enumerate(value))))
        else:
            yield loc, value
