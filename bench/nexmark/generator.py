"""A small Nexmark event generator (Nexmark's auction model, as Beam's and Flink's Nexmark generators
shape it): every 50 events are 1 person, 3 auctions and 46 bids; most bids go to a hot auction and
come from a hot bidder; prices are log-uniform. Deterministic for a seed, so every implementation of a
query sees the same events.

Events are tuples, the cheapest shape for every implementation alike:
    ("P", person_id, ts)                       a new person
    ("A", auction_id, seller, ts)              a new auction
    ("B", auction, bidder, price, ts)          a bid
with ``ts`` event time in epoch milliseconds, ascending.
"""
import random

PERSON, AUCTION, BID = "P", "A", "B"
PROPORTION = 50          # events per epoch: 1 person, 3 auctions, 46 bids
FIRST_PERSON_ID = 1000
FIRST_AUCTION_ID = 1000
HOT_AUCTION_RATIO = 2    # 1 - 1/2 of bids go to the hot auction
HOT_BIDDER_RATIO = 4     # 1 - 1/4 of bids come from the hot bidder
HOT_GROUP = 100          # the hot auction/bidder is the first of the last group of 100
IN_FLIGHT = 100          # a cold bid picks one of the last 100 auctions
ACTIVE_PEOPLE = 1000     # a cold bidder is one of the last 1000 people
BASE_TIME_MS = 1_700_000_000_000


def events(count: int, rate: int = 10_000, seed: int = 42) -> list:
    """``count`` events, ``rate`` of them per second of event time."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        ts = BASE_TIME_MS + i * 1000 // rate
        epoch, offset = divmod(i, PROPORTION)
        if offset == 0:
            out.append((PERSON, FIRST_PERSON_ID + epoch, ts))
            continue
        if offset <= 3:
            auction = epoch * 3 + offset - 1
            seller = rng.randrange(epoch + 1)
            out.append((AUCTION, FIRST_AUCTION_ID + auction, FIRST_PERSON_ID + seller, ts))
            continue
        last_auction, last_person = epoch * 3 + 2, epoch
        if rng.randrange(HOT_AUCTION_RATIO) > 0:
            auction = (last_auction // HOT_GROUP) * HOT_GROUP
        else:
            auction = max(0, last_auction - rng.randrange(IN_FLIGHT))
        if rng.randrange(HOT_BIDDER_RATIO) > 0:
            bidder = min(last_person, (last_person // HOT_GROUP) * HOT_GROUP + 1)
        else:
            bidder = max(0, last_person - rng.randrange(ACTIVE_PEOPLE))
        price = round(10.0 ** (rng.random() * 6.0) * 100.0)
        out.append((BID, FIRST_AUCTION_ID + auction, FIRST_PERSON_ID + bidder, price, ts))
    return out
