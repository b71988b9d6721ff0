#!/usr/bin/env python3
"""Indicators of a bar file computed by backtrader, for indicator's cross-check.

    PYTHONPATH=/path/to/backtrader python3 scripts/backtrader-indicators.py \
        testdata/daily/AAA.csv > indicator/testdata/backtrader-AAA.csv

Writes one row per bar: the bar's date, then each indicator's value under
the column name that `quantloop indicators` gives it, empty while
backtrader has no value. Values have 12 significant digits, well within
the test's tolerance of 1e-9 relative. indicator's TestMatchesBacktrader
reads the file; run this again only to regenerate it.
"""
import math
import sys

import backtrader as bt

COLUMNS = [
    "sma", "ema", "wma", "dema", "tema", "rsi",
    "macd_line", "macd_signal", "macd_hist",
    "bbands_upper", "bbands_middle", "bbands_lower", "bbands_percent_b",
    "tr", "atr", "adx", "adx_plus_di", "adx_minus_di",
    "stoch_k", "stoch_d", "willr", "roc", "mom", "stddev", "highest", "lowest",
]


class Record(bt.Strategy):
    """Records every column's value at every bar."""

    def __init__(self):
        d = self.data
        bb = bt.ind.BollingerBands(d.close, period=20, devfactor=2.0)
        macd = bt.ind.MACD(d.close, period_me1=12, period_me2=26, period_signal=9)
        adx = bt.ind.DirectionalMovementIndex(d, period=14)
        st = bt.ind.Stochastic(d, period=14, period_dfast=3, period_dslow=3)
        self.lines_of = {
            "sma": bt.ind.SMA(d.close, period=20),
            "ema": bt.ind.EMA(d.close, period=20),
            "wma": bt.ind.WMA(d.close, period=20),
            "dema": bt.ind.DEMA(d.close, period=20),
            "tema": bt.ind.TEMA(d.close, period=20),
            "rsi": bt.ind.RSI(d.close, period=14),
            "macd_line": macd.macd,
            "macd_signal": macd.signal,
            "macd_hist": macd.macd - macd.signal,
            "bbands_upper": bb.top,
            "bbands_middle": bb.mid,
            "bbands_lower": bb.bot,
            "bbands_percent_b": (d.close - bb.bot) / (bb.top - bb.bot),
            "tr": bt.ind.TrueRange(d),
            "atr": bt.ind.ATR(d, period=14),
            "adx": adx.adx,
            "adx_plus_di": adx.plusDI,
            "adx_minus_di": adx.minusDI,
            "stoch_k": st.percK,
            "stoch_d": st.percD,
            "willr": bt.ind.WilliamsR(d, period=14),
            "roc": bt.ind.ROC100(d.close, period=10),
            "mom": bt.ind.Momentum(d.close, period=10),
            "stddev": bt.ind.StdDev(d.close, period=20),
            "highest": bt.ind.Highest(d.high, period=20),
            "lowest": bt.ind.Lowest(d.low, period=20),
        }
        self.rows = []

    def prenext(self):
        self.next()

    def next(self):
        row = [self.data.datetime.date(0).isoformat()]
        for name in COLUMNS:
            line = self.lines_of[name]
            v = line[0] if len(line) else float("nan")
            row.append("" if math.isnan(v) else "%.12g" % v)
        self.rows.append(",".join(row))


def main(path):
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(bt.feeds.GenericCSVData(
        dataname=path, dtformat="%Y-%m-%d", datetime=0, open=1, high=2, low=3, close=4,
        volume=5, openinterest=-1, headers=True))
    cerebro.addstrategy(Record)
    rec = cerebro.run(runonce=False)[0]
    print(",".join(["time"] + COLUMNS))
    for row in rec.rows:
        print(row)


if __name__ == "__main__":
    main(sys.argv[1])
