#!/usr/bin/env python3
"""A small W5 in backtrader's optstrategy, for the side-by-side of `go run ./bench`.

    python3 bench/backtrader_sweep.py MAXCPUS FILE.txt...

W5's runs as far as backtrader can say them, over a 4 x 4 grid (fast 10,
20, 30, 40 and slow 80, 120, 160, 200: 16 configurations) instead of
W5's 20 x 20: every data file in one account of 100,000 cash without
commission; on each file, long a third of the account's value after the
fast simple average of the closes crosses above the slow one, flat after
it crosses below, each order at the next bar's open. cerebro.optstrategy
runs the grid with maxcpus processes (1 or 2), the data loaded once.

It prints the wall seconds of loading and running every configuration
("seconds: S"), the number of configurations ("configurations: N")
and the bars of the files ("bars: B"). bench times the whole process
(wall, and CPU with the workers) as it times quantloop's, and divides
N x B by them.
Without backtrader it prints why and exits 0, so that bench skips it
cleanly.
"""
import sys
import time

try:
    import backtrader as bt
except ImportError:
    print("skipped: backtrader is not installed (pip install backtrader)")
    sys.exit(0)

FAST = [10, 20, 30, 40]
SLOW = [80, 120, 160, 200]


class SMACross(bt.Strategy):
    """Long a third of the account on each data after a cross up, flat
    after a cross down."""

    params = dict(fast=10, slow=80, pct=1.0 / 3)

    def __init__(self):
        self.crosses = []
        for d in self.datas:
            fast = bt.ind.SMA(d.close, period=self.p.fast)
            slow = bt.ind.SMA(d.close, period=self.p.slow)
            self.crosses.append(bt.ind.CrossOver(fast, slow))

    def prenext(self):
        # The files start on different days: trade each one as soon as
        # its own averages are ready, as quantloop does.
        self.next()

    def next(self):
        for d, cross in zip(self.datas, self.crosses):
            if len(d) == 0 or len(cross) == 0:
                continue
            c = cross[0]
            if c > 0:
                self.order_target_percent(data=d, target=self.p.pct)
            elif c < 0 and self.getposition(d).size:
                self.order_target_percent(data=d, target=0)


def bars(path):
    """The data rows of path: its non-blank lines after the header."""
    with open(path) as f:
        return sum(1 for line in f if line.strip()) - 1


def main(maxcpus, paths):
    start = time.perf_counter()
    cerebro = bt.Cerebro(stdstats=False, maxcpus=maxcpus, optreturn=True)
    for p in paths:
        cerebro.adddata(bt.feeds.YahooFinanceCSVData(dataname=p, adjclose=False))
    cerebro.broker.setcash(100_000)
    cerebro.optstrategy(SMACross, fast=FAST, slow=SLOW)
    results = cerebro.run()
    seconds = time.perf_counter() - start
    print(f"seconds: {seconds:.3f}")
    print(f"configurations: {len(results)}")
    print(f"bars: {sum(bars(p) for p in paths)}")


if __name__ == "__main__":
    if len(sys.argv) < 3 or sys.argv[1] not in ("1", "2"):
        sys.exit("usage: backtrader_sweep.py MAXCPUS(1|2) FILE...")
    main(int(sys.argv[1]), sys.argv[2:])
