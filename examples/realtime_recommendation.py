"""Real-time recommendations from click sessions.

    .venv/bin/python examples/realtime_recommendation.py             # built-in click stream
    .venv/bin/python examples/realtime_recommendation.py --users 50 --clicks 5000 --parallelism 2

1. Click events ``(user, item, timestamp_ms)``, keyed by user, form event-time session windows
   (a session ends after 30 s without a click).
2. Items seen together in a session update item co-occurrence counts, kept per item in keyed
   map state (``counts[item][other]`` = sessions that held both).
3. As each session closes, its user gets a live top 5: the items that co-occurred most with the
   session's items, summed over them, leaving out what the session already holds; ties go to the
   smaller item name.

The recommendations depend only on event time, never on processing order: a session is scored
against the counts of the sessions that closed strictly before it (sessions closing at the same
instant do not see each other), which event-time timers enforce at every parallelism.
"""
import argparse
import random
import sys

from pyflow.common import Duration, Time, Types, WatermarkStrategy
from pyflow.common.watermark_strategy import TimestampAssigner
from pyflow.datastream import KeyedProcessFunction, ProcessWindowFunction, StreamExecutionEnvironment
from pyflow.datastream.state import ListStateDescriptor, MapStateDescriptor
from pyflow.datastream.window import EventTimeSessionWindows

SESSION_GAP = Time.seconds(30)
TOP = 5


def clicks(users: int, count: int, seed: int = 42) -> list:
    """A click stream in event-time order: users browse one of six themes per session, mostly."""
    rng = random.Random(seed)
    themes = [[f"{t}-{n}" for n in range(8)] for t in ("book", "game", "tool", "song", "film", "toy")]
    now = {f"u{u}": rng.randrange(0, 60_000) for u in range(users)}
    theme = {u: rng.randrange(len(themes)) for u in now}
    out = []
    for _ in range(count):
        user = rng.choice(sorted(now))
        pause = rng.choice([2_000, 5_000, 10_000, 90_000])  # 90 s ends the session
        now[user] += pause + rng.randrange(1_000)
        if pause == 90_000:
            theme[user] = rng.randrange(len(themes))
        items = themes[theme[user]] if rng.random() < 0.85 else rng.choice(themes)
        out.append((user, rng.choice(items), now[user]))
    return sorted(out, key=lambda c: c[2])


class ClickTime(TimestampAssigner):
    def extract_timestamp(self, value, record_timestamp):
        return value[2]


class SessionItems(ProcessWindowFunction):
    """One record per closed session: ``(user, session_end, items)``."""

    def process(self, key, context, elements):
        yield key, context.window().end, tuple(sorted({item for _, item, _ in elements}))


class CoOccurrence(KeyedProcessFunction):
    """Keyed by item. At each session's close time (an event-time timer), first sends every session
    closing then this item's counts, then adds those sessions' other items to the counts."""

    def open(self, runtime_context):
        self.counts = runtime_context.get_map_state(MapStateDescriptor("counts", Types.STRING(), Types.LONG()))
        self.pending = runtime_context.get_list_state(ListStateDescriptor("pending", Types.PICKLED_BYTE_ARRAY()))

    def process_element(self, value, ctx):
        self.pending.add((ctx.timestamp(), value))
        ctx.timer_service().register_event_time_timer(ctx.timestamp())

    def on_timer(self, timestamp, ctx):
        pending = list(self.pending.get())
        due = [v for t, v in pending if t <= timestamp]
        self.pending.update([(t, v) for t, v in pending if t > timestamp])
        counts = dict(self.counts.items())
        for _item, user, end, items in due:
            yield user, end, items, counts
        me = ctx.get_current_key()
        for _item, _user, _end, items in due:
            for other in items:
                if other != me:
                    self.counts.put(other, (self.counts.get(other) or 0) + 1)


class TopItems(KeyedProcessFunction):
    """Keyed by user: sums the counts every item of a session sent, at the session's close time."""

    def open(self, runtime_context):
        self.scores = runtime_context.get_map_state(MapStateDescriptor("scores", Types.LONG(), Types.PICKLED_BYTE_ARRAY()))

    def process_element(self, value, ctx):
        _user, end, items, counts = value
        held, scores = self.scores.get(end) or (items, {})
        for item, n in counts.items():
            scores[item] = scores.get(item, 0) + n
        self.scores.put(end, (held, scores))
        ctx.timer_service().register_event_time_timer(ctx.timestamp())

    def on_timer(self, timestamp, ctx):
        for end in sorted(e for e in self.scores.keys() if e - 1 <= timestamp):
            held, scores = self.scores.get(end)
            self.scores.remove(end)
            ranked = sorted((item for item in scores if item not in held), key=lambda i: (-scores[i], i))
            yield ctx.get_current_key(), end, ranked[:TOP]


def recommendations(env, click_events: list):
    """The job: clicks -> sessions per user -> co-occurrence per item -> top 5 per user and session."""
    strategy = WatermarkStrategy.for_bounded_out_of_orderness(Duration.of_seconds(1)).with_timestamp_assigner(ClickTime())
    sessions = (
        env.from_collection(click_events)
        .assign_timestamps_and_watermarks(strategy)
        .key_by(lambda c: c[0], key_type=Types.STRING())
        .window(EventTimeSessionWindows.with_gap(SESSION_GAP))
        .process(SessionItems())
    )
    return (
        sessions
        .flat_map(lambda s: ((item, s[0], s[1], s[2]) for item in s[2]))
        .key_by(lambda x: x[0], key_type=Types.STRING())
        .process(CoOccurrence())
        .key_by(lambda x: x[0], key_type=Types.STRING())
        .process(TopItems())
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--clicks", type=int, default=2000)
    parser.add_argument("--parallelism", type=int, default=2)
    parser.add_argument("--show", type=int, default=10, help="print the last N recommendations (0: all)")
    args = parser.parse_args(argv)

    env = StreamExecutionEnvironment.get_execution_environment()
    env.set_parallelism(args.parallelism)
    with recommendations(env, clicks(args.users, args.clicks)).execute_and_collect("realtime_recommendation") as results:
        found = sorted(results, key=lambda r: (r[1], r[0]))
    for user, end, top in found[-args.show:] if args.show else found:
        print(f"{user} at {end / 1000:.0f}s: {', '.join(top) or '(nothing yet)'}")
    print(f"{len(found)} sessions scored for {len({r[0] for r in found})} users")
    return 0


if __name__ == "__main__":
    sys.exit(main())
