package broker

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/quantloop/quantloop/engine"
	"github.com/quantloop/quantloop/internal/fixed"
	"github.com/quantloop/quantloop/internal/spill"
)

// endedStore keeps what the broker needs of every order that ended: what
// a bracket child submitted after its entry ended reads of that entry
// (its symbol, side and filled quantity, and its label for the message
// about an entry that ended unfilled). A child may name any order of the
// run, so the store answers for all of them, in memory that does not grow
// with their number: a run of ten million bars ends hundreds of thousands
// of orders, and an entry in a map by ID, with its decimal, takes about 160
// bytes an order. Measured on bench's W4 (10,000,000 bars, 359,442
// orders; its budget is 64 MiB), the run peaks at 55.6 MiB with this
// store, at 60.3 MiB with every record held in memory (16 bytes an order,
// growing with the run), and at 145 MiB with a map. Which ended orders a
// later child will name cannot be known (a strategy may name any ID it
// has seen), so none can be dropped without changing the rejections.
//
// Each order is an endedRec of 16 bytes, indexed by its ID less a base.
// IDs come from the engine's counter, dense and increasing from 1 in the
// order orders are made, so the records form an array; the base is put a
// window below the first ID that ends (so 0 for the engine's IDs), for
// the orders made before it that end after it.
//   - The records of the latest IDs are in memory: a window of blocks of
//     blockLen records (each made when first used), up to the block of
//     the highest ID ended so far.
//     When an ID above the window ends, the window moves up, and each
//     block that leaves it goes to a temporary file ([spill.Records], in
//     os.TempDir, as spilled series go) in one write, at offset
//     (ID - base) × 16.
//   - An order that ends after its block has left the window (a GTC order
//     that lived long) waits in a small buffer, written when full, sorted
//     by ID, a run of consecutive IDs a write.
//
// Ending an order therefore allocates nothing, once the window's blocks
// are made, and makes no system call but one write per block or per full
// buffer. Reading a record that is on disk costs a read: only a bracket
// child submitted after its entry's record left the window makes one,
// which is rare.
//
// What else is kept, in memory, by ID:
//   - the labels of the orders that have one: orders-file rows, whose
//     labels the file's size bounds, and library users' orders;
//   - a filled quantity that internal/fixed does not hold (a coefficient
//     beyond int64, an exponent beyond int16): its decimal;
//   - the records of IDs outside the array (below the base, or 2^32 or
//     more above it: a library user's own IDs), in a map;
//   - after a failed write, every record from then on: the broker aborts
//     the run on the error, and lookups until it ends stay right.
//
// Like a map, the store keeps the latest record of an ID that ends twice
// (a library user may reuse IDs). The broker closes its file when the
// engine stops its components (see endedCloser).
type endedStore struct {
	blockLen uint64 // records in a block
	blocks   uint64 // blocks in the window
	lateCap  int    // records the late buffer holds before it is written

	based bool   // base is set: some ID has ended
	base  uint64 // the ID at index 0
	lo    uint64 // the window's first block: blocks [lo, lo+blocks) are in ring

	ring   [][]endedRec // the window: block k at k % blocks, nil until used
	counts []int        // records present in each of ring's blocks
	late   []lateRec    // records of blocks below lo not yet written
	runBuf []endedRec   // a run of late records being written

	disk endedDisk
	err  error // the first write error: every record since goes to far

	far    map[uint64]endedRec        // records of IDs outside the array, or after err
	big    map[uint64]decimal.Decimal // filled quantities of records marked recBig
	labels map[uint64]string          // labels, of the orders that have one
}

// endedRec is what the store keeps of one ended order. Its 16 bytes go
// to the file as they are.
type endedRec struct {
	c     int64  // the filled quantity's coefficient
	e     int16  // and exponent
	side  int8   // engine.Side
	flags uint8  // recPresent, recBig
	sym   uint32 // the index of the order's book in Broker.seen
}

// The flags of an endedRec.
const (
	recPresent = 1 << iota // the record is an ended order's (the zero record is none)
	recBig                 // the filled quantity is in endedStore.big
)

// endedRecSize is the size of an endedRec, checked by a test.
const endedRecSize = 16

// lateRec is a record whose block had left the window when its order
// ended, with its index.
type lateRec struct {
	i uint64
	r endedRec
}

// endedDisk is where records that leave the window go: a
// spill.Records[endedRec], or a failing stand-in in tests.
type endedDisk interface {
	WriteAt(vs []endedRec, i int64) error
	ReadAt(vs []endedRec, i int64) error
	Close() error
}

// endedInfo is an ended order as the store gives it back.
type endedInfo struct {
	sym    int // the index of its book in Broker.seen
	side   engine.Side
	label  string
	filled decimal.Decimal
}

// The store's default sizes: a window of 64 Ki records (1 MiB) and a late
// buffer of 1,024 (24 KiB).
const (
	endedBlockLen = 4096
	endedBlocks   = 16
	endedLateCap  = 1024
)

// maxEndedIndex bounds the array: an ID 2^32 or more above the base goes
// to the map, so that the file, sparse, stays below 64 GiB.
const maxEndedIndex = 1 << 32

// newEndedStore returns an empty store with a window of blocks blocks of
// blockLen records and a late buffer of lateCap records, writing to disk.
func newEndedStore(blockLen, blocks, lateCap int, disk endedDisk) *endedStore {
	return &endedStore{
		blockLen: uint64(blockLen),
		blocks:   uint64(blocks),
		lateCap:  lateCap,
		ring:     make([][]endedRec, blocks),
		counts:   make([]int, blocks),
		disk:     disk,
	}
}

// newDefaultEndedStore returns the store a Broker starts with, its file
// in dir (os.TempDir when "").
func newDefaultEndedStore(dir string) *endedStore {
	return newEndedStore(endedBlockLen, endedBlocks, endedLateCap, spill.NewRecords[endedRec](dir))
}

// put records that the order id ended, on the book with index sym in
// Broker.seen. It returns the error of a write that failed; the store
// keeps working in memory after it, and returns nil from then on.
func (s *endedStore) put(id uint64, sym int, side engine.Side, label string, filled decimal.Decimal) error {
	r := endedRec{side: int8(side), flags: recPresent, sym: uint32(sym)}
	if d, ok := fixed.Of(filled); ok && d.E >= math.MinInt16 && d.E <= math.MaxInt16 {
		r.c, r.e = d.C, int16(d.E)
		if len(s.big) > 0 {
			delete(s.big, id)
		}
	} else {
		r.flags |= recBig
		if s.big == nil {
			s.big = make(map[uint64]decimal.Decimal)
		}
		s.big[id] = filled
	}
	if label != "" {
		if s.labels == nil {
			s.labels = make(map[uint64]string)
		}
		s.labels[id] = label
	} else if len(s.labels) > 0 {
		delete(s.labels, id)
	}
	return s.putRec(id, r)
}

// index returns id's index in the array, and false when it is outside.
// The first ID ever asked for sets the base.
func (s *endedStore) index(id uint64) (uint64, bool) {
	if !s.based {
		s.based = true
		s.base = id - min(id, (s.blocks-1)*s.blockLen)
	}
	if id < s.base || id-s.base >= maxEndedIndex {
		return 0, false
	}
	return id - s.base, true
}

// putRec stores r as id's record.
func (s *endedStore) putRec(id uint64, r endedRec) error {
	i, ok := s.index(id)
	if !ok || s.err != nil {
		s.putFar(id, r)
		return nil
	}
	k := i / s.blockLen
	if k < s.lo {
		return s.putLate(i, r)
	}
	if k >= s.lo+s.blocks {
		if err := s.advance(k - s.blocks + 1); err != nil {
			s.putFar(id, r)
			return err
		}
	}
	j := k % s.blocks
	if s.ring[j] == nil {
		s.ring[j] = make([]endedRec, s.blockLen)
	}
	slot := &s.ring[j][i%s.blockLen]
	if slot.flags&recPresent == 0 {
		s.counts[j]++
	}
	*slot = r
	return nil
}

// putFar stores r in the map of records by ID.
func (s *endedStore) putFar(id uint64, r endedRec) {
	if s.far == nil {
		s.far = make(map[uint64]endedRec)
	}
	s.far[id] = r
}

// advance moves the window up to start at block to, writing the blocks
// that leave it. Blocks between the window and to that never had a record
// are not written: the file has holes there, which read as no record.
func (s *endedStore) advance(to uint64) error {
	for n := min(to-s.lo, s.blocks); n > 0; n-- {
		if err := s.writeBlock(s.lo); err != nil {
			return s.fail(err)
		}
		s.lo++
	}
	s.lo = to
	return nil
}

// writeBlock writes window block k, from its first record to its last,
// and empties it.
func (s *endedStore) writeBlock(k uint64) error {
	j := k % s.blocks
	if s.counts[j] == 0 {
		return nil
	}
	block := s.ring[j]
	first, last := 0, len(block)-1
	for block[first].flags&recPresent == 0 {
		first++
	}
	for block[last].flags&recPresent == 0 {
		last--
	}
	if err := s.disk.WriteAt(block[first:last+1], int64(k*s.blockLen)+int64(first)); err != nil {
		return err
	}
	clear(block)
	s.counts[j] = 0
	return nil
}

// putLate stores the record of index i, whose block has left the window.
func (s *endedStore) putLate(i uint64, r endedRec) error {
	if s.late == nil {
		s.late = make([]lateRec, 0, s.lateCap)
	}
	s.late = append(s.late, lateRec{i, r})
	if len(s.late) < s.lateCap {
		return nil
	}
	err := s.writeLate()
	if err != nil {
		// Keep them in memory, the newest last.
		for _, l := range s.late {
			s.putFar(s.base+l.i, l.r)
		}
		err = s.fail(err)
	}
	s.late = s.late[:0]
	return err
}

// writeLate writes the late records, sorted by index, the latest of an
// index only, a run of consecutive indices a write.
func (s *endedStore) writeLate() error {
	late := s.late
	slices.SortStableFunc(late, func(a, b lateRec) int { return cmp.Compare(a.i, b.i) })
	run := s.runBuf[:0]
	var start uint64
	for n, l := range late {
		if n+1 < len(late) && late[n+1].i == l.i {
			continue // a later record of the same order follows
		}
		if len(run) > 0 && l.i != start+uint64(len(run)) {
			if err := s.disk.WriteAt(run, int64(start)); err != nil {
				return err
			}
			run = run[:0]
		}
		if len(run) == 0 {
			start = l.i
		}
		run = append(run, l.r)
	}
	s.runBuf = run[:0]
	return s.disk.WriteAt(run, int64(start))
}

// fail records err as the store's first write error, from which on it
// keeps every record in memory, and returns it wrapped.
func (s *endedStore) fail(err error) error {
	err = fmt.Errorf("broker: ended orders: %w", err)
	if s.err == nil {
		s.err = err
	}
	return err
}

// get returns what the store has of the order id, and false when it has
// nothing: the order has not ended, or is unknown. The error is that of
// reading the file.
func (s *endedStore) get(id uint64) (endedInfo, bool, error) {
	r, ok, err := s.rec(id)
	if err != nil || !ok {
		return endedInfo{}, false, err
	}
	e := endedInfo{sym: int(r.sym), side: engine.Side(r.side), label: s.labels[id]}
	if r.flags&recBig != 0 {
		e.filled = s.big[id]
	} else {
		e.filled = fixed.Dec{C: r.c, E: int32(r.e)}.Decimal()
	}
	return e, true, nil
}

// rec returns id's record, wherever it is.
func (s *endedStore) rec(id uint64) (endedRec, bool, error) {
	if r, ok := s.far[id]; ok {
		// IDs outside the array, and the newest records after a failed
		// write, are only here.
		return r, true, nil
	}
	if !s.based {
		return endedRec{}, false, nil
	}
	i, ok := s.index(id)
	if !ok {
		return endedRec{}, false, nil
	}
	var r endedRec
	switch k := i / s.blockLen; {
	case k >= s.lo+s.blocks:
		return endedRec{}, false, nil
	case k >= s.lo:
		if block := s.ring[k%s.blocks]; block != nil {
			r = block[i%s.blockLen]
		}
	default:
		r, ok = s.lateRec(i)
		if ok {
			break
		}
		buf := [1]endedRec{}
		if err := s.disk.ReadAt(buf[:], int64(i)); err != nil {
			return endedRec{}, false, fmt.Errorf("broker: ended orders: %w", err)
		}
		r = buf[0]
	}
	return r, r.flags&recPresent != 0, nil
}

// lateRec returns the latest record of index i in the late buffer.
func (s *endedStore) lateRec(i uint64) (endedRec, bool) {
	for n := len(s.late) - 1; n >= 0; n-- {
		if s.late[n].i == i {
			return s.late[n].r, true
		}
	}
	return endedRec{}, false
}

// held returns how many records the store holds in memory: those in the
// window, in the late buffer and in the map. The array's records on disk
// and the labels and decimals kept beside them are not counted.
func (s *endedStore) held() int {
	n := len(s.late) + len(s.far)
	for _, c := range s.counts {
		n += c
	}
	return n
}

// close releases the file.
func (s *endedStore) close() error {
	if err := s.disk.Close(); err != nil {
		return fmt.Errorf("broker: ended orders: %w", err)
	}
	return nil
}

// endedCloser is the engine component that closes a broker's store of
// ended orders when the engine stops its components, after a run's last
// event.
type endedCloser struct{ b *Broker }

// Name returns "broker".
func (endedCloser) Name() string { return "broker" }

// Start does nothing.
func (endedCloser) Start(context.Context) error { return nil }

// Stop closes the store's file.
func (c endedCloser) Stop(context.Context) error { return c.b.ended.close() }
