"""The order in which R's quicksort leaves tied values, for exact migest parity.

matrixStats' ``weightedMedian`` (called by migest's ``index_distance``) sorts
with R's ``R_qsort_I``, which is not stable: where values tie, the order it
leaves them in follows from the input order through the partition steps,
and the interpolated weighted median depends on it. Reproducing migest's
median on a given row order therefore needs the same algorithm, step for
step: Singleton's quicksort (CACM algorithm 347, 1969) with the pivot
position of Peto's remark (CACM 13(10), 1970), as in R's src/main/qsort-body.c
(checked against that file compiled from source: see docs/flows.md).

References
----------
.. [1] Singleton, R. C. (1969). Algorithm 347: an efficient algorithm for
   sorting with minimal storage. Communications of the ACM 12(3), 185-187.
.. [2] Peto, R. (1970). Remark on algorithm 347. Communications of the ACM
   13(10), 624.
"""

from __future__ import annotations

# Segments of at most this many elements (beyond the first one) are finished
# by straight insertion, as in the published algorithm.
_SHORT = 10


def r_quicksort_order(values) -> list[int]:
    """Permutation that sorts ``values`` ascending the way R's ``R_qsort_I`` does.

    ``[values[k] for k in result]`` is sorted; among equal values the order
    is the one R leaves them in (not the input order: the sort is not stable).

    Examples
    --------
    The median of three moves the 2 to the end, and the two tied 1s come out
    in the reverse of their input order:

    >>> r_quicksort_order([2.0, 1.0, 1.0])
    [2, 1, 0]
    """
    v = [float(a) for a in values]
    order = list(range(len(v)))
    if len(v) < 2:
        return order

    def swap(a, b):
        v[a], v[b] = v[b], v[a]
        order[a], order[b] = order[b], order[a]

    pending: list[tuple[int, int]] = []
    lo, hi = 0, len(v) - 1
    fraction = 0.375  # pivot position within the segment, cycled as in Peto's remark
    step = "enter"
    while True:
        if step == "enter":  # a new leftmost segment
            if lo >= hi:
                step = "resume"
                continue
            fraction = fraction + 0.0390625 if fraction < 0.5898437 else fraction - 0.21875
            step = "split"
        if step == "split":
            mid = lo + int((hi - lo) * fraction)
            # median of three: v[lo] <= v[mid] <= v[hi]
            if v[lo] > v[mid]:
                swap(lo, mid)
            if v[hi] < v[mid]:
                swap(hi, mid)
                if v[lo] > v[mid]:
                    swap(lo, mid)
            pivot = v[mid]
            left, right = lo, hi
            while True:
                right -= 1
                while v[right] > pivot:
                    right -= 1
                left += 1
                while v[left] < pivot:
                    left += 1
                if left > right:
                    break
                swap(left, right)
            # keep the shorter part, set the longer aside
            if right - lo <= hi - left:
                pending.append((left, hi))
                hi = right
            else:
                pending.append((lo, right))
                lo = left
            step = "next"
        elif step == "resume":
            if not pending:
                return order
            lo, hi = pending.pop()
            step = "next"
        if step == "next":
            if hi - lo > _SHORT:
                step = "split"
            elif lo == 0:
                step = "enter"
            else:
                _insert_sorted(v, order, lo, hi)
                step = "resume"


def _insert_sorted(v, order, lo, hi):
    """Straight insertion on v[lo..hi]; v[lo - 1] is no larger than any of them (a sentinel)."""
    for i in range(lo, hi):
        value = v[i + 1]
        if v[i] <= value:
            continue
        item = order[i + 1]
        k = i
        while True:
            v[k + 1], order[k + 1] = v[k], order[k]
            k -= 1
            if not value < v[k]:
                break
        v[k + 1], order[k + 1] = value, item
