#!/usr/bin/env python3
"""W1 in backtrader, for the side-by-side of `go run ./bench`.

    python3 bench/backtrader_w1.py bench/out/in-w1-1/W1.csv

The same run as bench's W1 as far as backtrader can say it: a moving
average crossover of 10 and 30 closes, long 100 after a cross up, short 100
after a cross down (orders at the next bar's open), 0.02 % commission,
1,000,000 cash, over the same CSV file. It prints the wall seconds of
loading and running ("seconds: S"), the final value and the number of
orders; bench divides the seconds by quantloop's. It prints the CPU
seconds of the process too ("cpu seconds: S"), which the load of a
shared machine disturbs less than the wall time. Without backtrader it
prints why and exits 0, so that bench and CI skip it cleanly.
"""
import sys
import time

try:
    import backtrader as bt
except ImportError:
    print("skipped: backtrader is not installed (pip install backtrader)")
    sys.exit(0)


class SMACross(bt.Strategy):
    """Long or short a fixed size on crossovers of two simple averages."""

    params = dict(fast=10, slow=30, size=100)

    def __init__(self):
        fast = bt.ind.SMA(self.data.close, period=self.p.fast)
        slow = bt.ind.SMA(self.data.close, period=self.p.slow)
        self.cross = bt.ind.CrossOver(fast, slow)
        self.orders = 0

    def next(self):
        if self.cross[0] > 0:
            self.order_target_size(target=self.p.size)
            self.orders += 1
        elif self.cross[0] < 0:
            self.order_target_size(target=-self.p.size)
            self.orders += 1


def main(path):
    start, cpu = time.perf_counter(), time.process_time()
    cerebro = bt.Cerebro(stdstats=False)
    data = bt.feeds.GenericCSVData(
        dataname=path,
        dtformat="%Y-%m-%d %H:%M:%S",
        timeframe=bt.TimeFrame.Minutes,
        datetime=0, open=1, high=2, low=3, close=4, volume=5, openinterest=-1,
        headers=True,
    )
    cerebro.adddata(data)
    cerebro.addstrategy(SMACross)
    cerebro.broker.setcash(1_000_000)
    cerebro.broker.setcommission(commission=0.0002)
    strat = cerebro.run()[0]
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"seconds: {seconds:.3f}")
    print(f"cpu seconds: {cpu:.3f}")
    print(f"final value: {cerebro.broker.getvalue():.2f}")
    print(f"orders: {strat.orders}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: backtrader_w1.py FILE.csv")
    main(sys.argv[1])
