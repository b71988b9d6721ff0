package broker

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/spill"
	"github.com/quantloop/quantloop/internal/testkit"
)

// testDisk is a spill.Records that counts its writes, fails the write
// numbered failWrite (from 1; 0: none) and, with failRead, every read.
type testDisk struct {
	*spill.Records[endedRec]
	writes    int
	failWrite int
	failRead  bool
	closed    bool
}

func newTestDisk(t *testing.T) *testDisk {
	return &testDisk{Records: spill.NewRecords[endedRec](t.TempDir())}
}

func (d *testDisk) WriteAt(vs []endedRec, i int64) error {
	d.writes++
	if d.writes == d.failWrite {
		return errors.New("disk full")
	}
	return d.Records.WriteAt(vs, i)
}

func (d *testDisk) ReadAt(vs []endedRec, i int64) error {
	if d.failRead {
		return errors.New("bad sector")
	}
	return d.Records.ReadAt(vs, i)
}

func (d *testDisk) Close() error {
	d.closed = true
	return d.Records.Close()
}

// end is an order that ends: put into the store.
type end struct {
	id     uint64
	filled string // decimal text; "" for the zero decimal.Decimal{}
	label  string
	sym    int
	side   engine.Side
}

// ends makes ends of the IDs from..to (inclusive), each filled with its
// ID, on symbol 0, buys.
func ends(from, to uint64) []end {
	var out []end
	for id := from; id <= to; id++ {
		out = append(out, end{id: id, filled: fmt.Sprint(id), side: engine.Buy})
	}
	return out
}

// cat joins lists of ends.
func cat(lists ...[]end) []end {
	var out []end
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// filledOf parses an end's filled text: a decimal, or CeE for C × 10^E
// with any exponent.
func filledOf(s string) decimal.Decimal {
	if s == "" {
		return decimal.Decimal{}
	}
	if c, e, ok := strings.Cut(s, "e"); ok {
		ci, err1 := strconv.ParseInt(c, 10, 64)
		ei, err2 := strconv.ParseInt(e, 10, 32)
		if err1 != nil || err2 != nil {
			panic(s)
		}
		return decimal.New(ci, int32(ei))
	}
	return decimal.RequireFromString(s)
}

// sameDecimal reports whether a and b have the same coefficient and
// exponent: decimals that print and compute the same.
func sameDecimal(a, b decimal.Decimal) bool {
	return a.Exponent() == b.Exponent() && a.Coefficient().Cmp(b.Coefficient()) == 0
}

// onDisk reports whether id's record is in the file only: in the array,
// below the window, neither in the late buffer nor in the map.
func (s *endedStore) onDisk(id uint64) bool {
	if _, ok := s.far[id]; ok || !s.based {
		return false
	}
	i, ok := s.index(id)
	if !ok || i/s.blockLen >= s.lo {
		return false
	}
	_, late := s.lateRec(i)
	return !late
}

// checkStore compares every ID of model, and a few that never ended,
// with the store.
func checkStore(t *testing.T, s *endedStore, model map[uint64]end, step string) {
	t.Helper()
	for id, want := range model {
		got, ok, err := s.get(id)
		if err != nil || !ok {
			t.Fatalf("%s: order %d: found %v, error %v", step, id, ok, err)
		}
		wf := filledOf(want.filled)
		if got.sym != want.sym || got.side != want.side || got.label != want.label || !sameDecimal(got.filled, wf) {
			t.Fatalf("%s: order %d: %+v (filled %s exp %d), want %+v", step, id, got, got.filled, got.filled.Exponent(), want)
		}
	}
	for _, id := range []uint64{0, 2, 999, 1 << 33, math.MaxUint64} {
		if _, ok := model[id]; ok {
			continue
		}
		if got, ok, err := s.get(id); ok || err != nil {
			t.Fatalf("%s: order %d never ended but found: %+v %v", step, id, got, err)
		}
	}
}

// TestEndedStore puts ends into a store with a small window and checks
// every lookup against a map after each.
func TestEndedStore(t *testing.T) {
	tests := []struct {
		name                    string
		blockLen, blocks, lateN int
		ends                    []end
		onDisk                  []uint64 // IDs whose records are in the file only at the end
		inMemory                []uint64 // IDs held in memory at the end
		writes                  int      // writes to the file, when not 0
	}{
		{name: "in the window", blockLen: 4, blocks: 2, lateN: 4, ends: ends(1, 7), inMemory: []uint64{1, 7}},
		{name: "out of order", blockLen: 4, blocks: 2, lateN: 4,
			ends:     []end{{id: 5, filled: "5"}, {id: 3, filled: "3"}, {id: 7, filled: "7"}, {id: 1, filled: "1"}, {id: 6, filled: "6"}},
			inMemory: []uint64{1, 7}},
		// Blocks of 4 IDs from 0: 1-3, then 4-7, ... 36-39 and 40: the
		// window holds 36-43; nine blocks were written, one write each.
		{name: "the window moves", blockLen: 4, blocks: 2, lateN: 4, ends: ends(1, 40),
			onDisk: []uint64{1, 3, 4, 35}, inMemory: []uint64{36, 40}, writes: 9},
		// The odd IDs first: the even ones end after their blocks left the
		// window, through the late buffer (3 records a write at most).
		{name: "the window moves past orders that end later", blockLen: 4, blocks: 2, lateN: 3,
			ends: func() []end {
				var out []end
				for id := uint64(1); id <= 41; id += 2 {
					out = append(out, end{id: id, filled: fmt.Sprint(id), side: engine.Sell})
				}
				for id := uint64(2); id <= 28; id += 2 {
					out = append(out, end{id: id, filled: fmt.Sprint(id), side: engine.Buy, sym: 1})
				}
				return out
			}(),
			onDisk: []uint64{1, 2, 3, 24, 29}, inMemory: []uint64{26, 28, 41}},
		// The first ID sets the base a window below it (1000 - 4): 997 fits
		// below, 990 and 5 do not; IDs 2^32 and more above the base do not
		// either. They are kept by ID.
		{name: "IDs outside the array", blockLen: 2, blocks: 3, lateN: 2,
			ends: cat([]end{{id: 1000, filled: "1"}, {id: 997, filled: "2"}, {id: 990, filled: "3"}, {id: 5, filled: "4"},
				{id: 996 + 1<<32, filled: "5"}, {id: 995 + 1<<32, filled: "6"}, {id: math.MaxUint64, filled: "7"}, {id: 0, filled: "8"}},
				ends(1001, 1020)),
			onDisk: []uint64{997, 1000, 1001}, inMemory: []uint64{990, 5, 996 + 1<<32, 995 + 1<<32, math.MaxUint64, 0}},
		// Filled quantities of every kind, sent to the file by the ends
		// after them.
		{name: "filled quantities", blockLen: 4, blocks: 1, lateN: 4,
			ends: cat([]end{{id: 1, filled: "2.5"}, {id: 2, filled: "2.50"}, {id: 3, filled: "0"}, {id: 4, filled: ""},
				{id: 5, filled: "0.000001"}, {id: 6, filled: "123456789012345678901234567890.5"},
				{id: 7, filled: "1e-40000"}, {id: 8, filled: "12e30000"}, {id: 9, filled: "-9223372036854775808"},
				{id: 10, filled: "999999999999999999"}, {id: 11, filled: "1000000000000000000"}}, ends(12, 20)),
			onDisk: []uint64{1, 6, 7, 11}},
		{name: "labels", blockLen: 4, blocks: 1, lateN: 4,
			ends:   cat([]end{{id: 1, filled: "1", label: "entry"}, {id: 2, filled: "0", label: "dead"}, {id: 3, filled: "1", label: "entry"}}, ends(4, 12)),
			onDisk: []uint64{1, 2, 3}},
		// An order that ends twice keeps its last record, wherever the first
		// is: in the window, in the late buffer, in the file.
		{name: "IDs that end again", blockLen: 4, blocks: 1, lateN: 2,
			ends: cat([]end{{id: 1, filled: "1.5", label: "a"}, {id: 1, filled: "123456789012345678901234567890"}},
				ends(2, 9),
				[]end{{id: 1, filled: "2", label: "b", side: engine.Sell}, {id: 2, filled: "123456789012345678901234567890"}, {id: 1, filled: "3"}},
				ends(10, 13),
				[]end{{id: 2, filled: "2.25", label: "c", sym: 3}}),
			onDisk: []uint64{1, 3}},
		// A jump far up the array moves the window without writing the
		// blocks between: the file has holes there.
		{name: "a jump", blockLen: 4, blocks: 2, lateN: 4,
			ends:   []end{{id: 1, filled: "1"}, {id: 1 << 31, filled: "2"}, {id: 1<<31 + 9, filled: "3"}, {id: 77, filled: "4"}},
			onDisk: []uint64{1, 1 << 31}, writes: 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			disk := newTestDisk(t)
			s := newEndedStore(tc.blockLen, tc.blocks, tc.lateN, disk)
			model := map[uint64]end{}
			for n, e := range tc.ends {
				if err := s.put(e.id, e.sym, e.side, e.label, filledOf(e.filled)); err != nil {
					t.Fatal(err)
				}
				model[e.id] = e
				checkStore(t, s, model, fmt.Sprintf("after end %d (order %d)", n, e.id))
				if max := tc.blockLen*tc.blocks + tc.lateN + 8; s.held() > max {
					t.Fatalf("after end %d: %d records in memory, more than %d", n, s.held(), max)
				}
			}
			for _, id := range tc.onDisk {
				if !s.onDisk(id) {
					t.Errorf("order %d is not (only) on disk", id)
				}
			}
			for _, id := range tc.inMemory {
				if s.onDisk(id) {
					t.Errorf("order %d is on disk", id)
				}
			}
			if tc.writes != 0 && disk.writes != tc.writes {
				t.Errorf("%d writes, want %d", disk.writes, tc.writes)
			}
			if err := s.close(); err != nil || !disk.closed {
				t.Fatal(err)
			}
		})
	}
}

// TestEndedStoreRandom ends random IDs, mostly in order, some late, some
// again, some far outside, against a map.
func TestEndedStoreRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	s := newEndedStore(8, 3, 5, newTestDisk(t))
	model := map[uint64]end{}
	next := uint64(1)
	for n := range 3000 {
		var id uint64
		switch k := r.IntN(10); {
		case k < 6:
			id = next
			next += 1 + uint64(r.IntN(2))
		case k < 8 && next > 1:
			id = 1 + r.Uint64N(next-1) // late, or again
		case k < 9:
			id = r.Uint64()
		default:
			id = next + uint64(r.IntN(40))
		}
		e := end{id: id, filled: fmt.Sprintf("%d.%d", r.IntN(1000), r.IntN(100)), side: engine.Buy, sym: r.IntN(5)}
		switch r.IntN(8) {
		case 0:
			e.label = fmt.Sprint("L", n)
		case 1:
			e.filled = "1234567890123456789012.5"
		case 2:
			e.side = engine.Sell
		}
		if err := s.put(e.id, e.sym, e.side, e.label, filledOf(e.filled)); err != nil {
			t.Fatal(err)
		}
		model[id] = e
		if n%97 == 0 {
			checkStore(t, s, model, fmt.Sprint("end ", n))
		}
	}
	checkStore(t, s, model, "at the end")
	s.close()
}

// TestEndedStoreErrors: a failed write (of a window block, of the late
// buffer) is returned once, and every record stays found; a failed read
// is returned by the lookup.
func TestEndedStoreErrors(t *testing.T) {
	tests := []struct {
		name      string
		failWrite int
		ends      []end
	}{
		// 1-3 fill block 0, 4-7 block 1: ending 8 writes block 0.
		{"window block", 1, ends(1, 20)},
		{"second window block", 2, ends(1, 20)},
		// Blocks 0 and 1 written, then 4 late ends of block 0: the
		// buffer's write fails.
		{"late buffer", 3, cat(ends(3, 12), ends(1, 2), ends(13, 16), []end{{id: 1, filled: "7"}, {id: 2, filled: "8"}}, ends(17, 40))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			disk := newTestDisk(t)
			disk.failWrite = tc.failWrite
			s := newEndedStore(4, 1, 4, disk)
			model := map[uint64]end{}
			var errs []error
			for _, e := range tc.ends {
				if err := s.put(e.id, e.sym, e.side, e.label, filledOf(e.filled)); err != nil {
					errs = append(errs, err)
				}
				model[e.id] = e
				checkStore(t, s, model, fmt.Sprint("after ", e.id))
			}
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), "broker: ended orders: disk full") {
				t.Errorf("errors %v, want one disk full", errs)
			}
		})
	}

	disk := newTestDisk(t)
	s := newEndedStore(4, 1, 4, disk)
	for _, e := range ends(1, 10) {
		s.put(e.id, e.sym, e.side, e.label, filledOf(e.filled))
	}
	disk.failRead = true
	if _, ok, err := s.get(1); ok || err == nil || !strings.Contains(err.Error(), "bad sector") {
		t.Errorf("read of a record on disk: %v %v", ok, err)
	}
	if e, ok, err := s.get(9); !ok || err != nil || e.filled.String() != "9" {
		t.Errorf("read of a record in memory: %+v %v %v", e, ok, err)
	}
}

// TestEndedRecSize: records are 16 bytes, with no padding.
func TestEndedRecSize(t *testing.T) {
	if n := unsafe.Sizeof(endedRec{}); n != endedRecSize {
		t.Errorf("endedRec is %d bytes, want %d", n, endedRecSize)
	}
}

// smallStore replaces b's store by one with a window of 2 records and a
// late buffer of 1, writing to disk.
func smallStore(b *Broker, disk endedDisk) { b.ended = newEndedStore(2, 1, 1, disk) }

// TestChildOfEndedParentOnDisk: bracket children submitted after their
// entries ended, when the entries' records have gone to disk.
func TestChildOfEndedParentOnDisk(t *testing.T) {
	entry := with(buy(engine.Market), func(o *engine.Order) { o.Quantity = testkit.MustDec("2.5"); o.Label = "e1" })
	dead := with(buy(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("1"); o.TIF = engine.IOC; o.Label = "dead" })
	unnamed := with(buy(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("1"); o.TIF = engine.IOC })
	big := with(sell(engine.Market), func(o *engine.Order) { o.Quantity = testkit.MustDec("1234567890123456789012.5") })
	one := func(side engine.Side) engine.Order {
		return with(buy(engine.Market), func(o *engine.Order) { o.Side = side; o.Quantity = testkit.MustDec("1") })
	}
	child := func(parent uint64, side engine.Side) engine.Order {
		return engine.Order{Side: side, Type: engine.Limit, Limit: testkit.MustPrice("101"), Quantity: testkit.MustDec("25"), Parent: parent}
	}
	submit := map[int][]engine.Order{
		0: {entry, dead, unnamed, big},         // 1-4
		1: {one(engine.Buy), one(engine.Sell)}, // 5, 6
		2: {one(engine.Buy), one(engine.Sell)}, // 7, 8
		3: {one(engine.Buy), one(engine.Sell)}, // 9, 10
		4: {child(1, engine.Sell), child(2, engine.Sell), child(3, engine.Sell), // 11-13
			child(1, engine.Buy), child(4, engine.Buy), child(99, engine.Sell)}, // 14-16
	}
	var disk *testDisk
	var where []string
	setup := func(e *engine.Engine, b *Broker) {
		disk = newTestDisk(t)
		smallStore(b, disk)
		engine.Subscribe(e.Bus(), "check", func(m *engine.MarketEvent) error {
			if !m.Time.Equal(day0.AddDate(0, 0, 4)) {
				return nil
			}
			// Before the children are submitted, in the strategy phase.
			e.Defer(engine.PhaseSignal, "check", func() error {
				for id := uint64(1); id <= 4; id++ {
					where = append(where, fmt.Sprint(id, " ", b.ended.onDisk(id)))
				}
				return nil
			})
			return nil
		})
	}
	got, b, err := runBrokerSetup(t, Options{}, bars(flat, flat, flat, flat, flat, "100 102 99 101"), submit, setup)
	if err != nil {
		t.Fatal(err)
	}
	check(t, "on disk", where, []string{"1 true", "2 true", "3 true", "4 true"})
	check(t, "children", got, []string{
		"01-02 cancel 2: IOC: the unfilled rest is canceled",
		"01-02 cancel 3: IOC: the unfilled rest is canceled",
		"01-02 fill 1 buy 2.5 @ 100",
		"01-02 fill 4 sell 1234567890123456789012.5 @ 100",
		"01-03 fill 5 buy 1 @ 100", "01-03 fill 6 sell 1 @ 100",
		"01-04 fill 7 buy 1 @ 100", "01-04 fill 8 sell 1 @ 100",
		"01-05 fill 9 buy 1 @ 100", "01-05 fill 10 sell 1 @ 100",
		"01-05 reject 12: parent dead ended unfilled",
		"01-05 reject 13: parent order 3 ended unfilled",
		"01-05 reject 14: a bracket exit must trade the entry's symbol X on the other side",
		"01-05 reject 16: parent order 99 is not a known order",
		// Limited to what the entries filled: the buy limit at the open,
		// the sell limit on the way up.
		"01-06 fill 15 buy 25 @ 100",
		"01-06 fill 11 sell 2.5 @ 101",
	})
	if !disk.closed {
		t.Error("the store's file is not closed after the run")
	}
	if b.err != nil {
		t.Error(b.err)
	}
}

// TestEndedStoreErrorEndsRun: a failed write or read of the ended orders'
// file ends the run with its error, and the order being handled when a
// read failed is neither accepted nor rejected.
func TestEndedStoreErrorEndsRun(t *testing.T) {
	child := engine.Order{Side: engine.Sell, Type: engine.Limit, Limit: testkit.MustPrice("101"), Quantity: testkit.MustDec("1"), Parent: 1}
	submit := map[int][]engine.Order{0: {buy(engine.Market)}, 1: {sell(engine.Market)}, 2: {buy(engine.Market)}, 3: {child}}
	bs := bars(flat, flat, flat, flat, flat, flat)

	got, _, err := runBrokerSetup(t, Options{}, bs, submit, func(_ *engine.Engine, b *Broker) {
		smallStore(b, spill.NewRecords[endedRec]("/nonexistent/quantloop"))
	})
	if err == nil || !strings.Contains(err.Error(), "broker: ended orders: spill: ") {
		t.Errorf("run error %v, want the write's", err)
	}
	// Order 3 ends at 01-04's open, the write of order 1 fails.
	check(t, "write error", got, []string{"01-02 fill 1 buy 10 @ 100", "01-03 fill 2 sell 10 @ 100"})

	var disk *testDisk
	got, _, err = runBrokerSetup(t, Options{}, bs, submit, func(_ *engine.Engine, b *Broker) {
		disk = newTestDisk(t)
		disk.failRead = true
		smallStore(b, disk)
	})
	if err == nil || !strings.Contains(err.Error(), "broker: ended orders: bad sector") {
		t.Errorf("run error %v, want the read's", err)
	}
	check(t, "read error", got, []string{"01-02 fill 1 buy 10 @ 100", "01-03 fill 2 sell 10 @ 100", "01-04 fill 3 buy 10 @ 100"})
	if !disk.closed {
		t.Error("the store's file is not closed after the run")
	}
}

// TestEndedMemoryBounded: over a run of thousands of orders, the records
// the store holds in memory stay within its window and late buffer, while
// every order stays found.
func TestEndedMemoryBounded(t *testing.T) {
	const n = 3000
	bs := make([]engine.Bar, n)
	submit := map[int][]engine.Order{}
	for i := range bs {
		bs[i] = ohlc(i, flat)
		side := engine.Buy
		if i%2 == 1 {
			side = engine.Sell
		}
		submit[i] = []engine.Order{with(buy(engine.Market), func(o *engine.Order) { o.Side = side })}
		if i%50 == 49 {
			// A GTC limit that ends up to 1,000 bars later, and a child of
			// the first order, ended long ago.
			submit[i] = append(submit[i], with(buy(engine.Limit), func(o *engine.Order) { o.Limit = testkit.MustPrice("99.5") }),
				engine.Order{Side: engine.Sell, Type: engine.Market, Quantity: testkit.MustDec("3"), Parent: 1})
		}
	}
	for i := 0; i < n; i += 1000 {
		bs[i+999].Low = testkit.MustPrice("99") // the limits fill
	}
	const window, late = 64 * 4, 16
	most := 0
	got, _, err := runBrokerSetup(t, Options{}, bs, submit, func(e *engine.Engine, b *Broker) {
		b.ended = newEndedStore(64, 4, late, newTestDisk(t))
		engine.Subscribe(e.Bus(), "check", func(m *engine.MarketEvent) error {
			most = max(most, b.ended.held())
			if m.Last {
				if e, ok, err := b.ended.get(1); !ok || err != nil || !b.ended.onDisk(1) || e.filled.String() != "10" {
					t.Errorf("order 1: %+v %v %v", e, ok, err)
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	fills, rejects := 0, 0
	for _, l := range got {
		switch {
		case strings.Contains(l, " fill "):
			fills++
		case strings.Contains(l, " reject "):
			rejects++
			t.Error(l)
		}
	}
	if fills < n || most > window+late || most < window/2 {
		t.Errorf("%d fills; at most %d records in memory, want between %d and %d", fills, most, window/2, window+late)
	}
}
