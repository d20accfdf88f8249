"""Nexmark q5, q7 and q11 in plain single-threaded Python: the baseline the PyFlow versions are measured
against, and the reference their results must equal. Window rules are Flink's (FLINK_SEMANTICS.md):
windows are [start, end), sessions merge when they touch."""
from collections import defaultdict

Q5_SIZE_MS, Q5_SLIDE_MS = 10_000, 2_000
Q7_SIZE_MS = 10_000
Q11_GAP_MS = 10_000


def q5(events):
    """Hot items: per sliding window (10 s every 2 s), the auctions with the most bids.
    Result: sorted (window_end, auction, count)."""
    counts = defaultdict(lambda: defaultdict(int))  # window end -> auction -> bids
    for e in events:
        if e[0] != "B":
            continue
        ts, auction = e[4], e[1]
        last_start = ts - (ts % Q5_SLIDE_MS)
        start = last_start
        while start > ts - Q5_SIZE_MS:
            counts[start + Q5_SIZE_MS][auction] += 1
            start -= Q5_SLIDE_MS
    out = []
    for end, per_auction in counts.items():
        top = max(per_auction.values())
        out.extend((end, a, n) for a, n in per_auction.items() if n == top)
    return sorted(out)


def q7(events):
    """Highest bid: per tumbling 10 s window, the bids at the window's highest price.
    Result: sorted (window_end, auction, bidder, price, ts)."""
    best = {}  # window end -> (price, [bids])
    for e in events:
        if e[0] != "B":
            continue
        _, auction, bidder, price, ts = e
        end = ts - (ts % Q7_SIZE_MS) + Q7_SIZE_MS
        top = best.get(end)
        if top is None or price > top[0]:
            best[end] = (price, [(auction, bidder, price, ts)])
        elif price == top[0]:
            top[1].append((auction, bidder, price, ts))
    return sorted((end, *b) for end, (_, bids) in best.items() for b in bids)


def q11(events):
    """User sessions: bids per bidder per session (gap 10 s).
    Result: sorted (bidder, count, session_start, session_end)."""
    open_sessions = {}  # bidder -> [start, last_ts, count]
    out = []
    for e in events:
        if e[0] != "B":
            continue
        bidder, ts = e[2], e[4]
        s = open_sessions.get(bidder)
        if s is not None and ts <= s[1] + Q11_GAP_MS:
            s[1] = ts
            s[2] += 1
        else:
            if s is not None:
                out.append((bidder, s[2], s[0], s[1] + Q11_GAP_MS))
            open_sessions[bidder] = [ts, ts, 1]
    out.extend((b, s[2], s[0], s[1] + Q11_GAP_MS) for b, s in open_sessions.items())
    return sorted(out)
