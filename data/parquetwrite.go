package data

import (
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress/snappy"

	"github.com/quantloop/quantloop/engine"
)

// parquetRow is one bar as WriteParquet stores it. Prices are DECIMAL(18,
// 8) over INT64: the engine's fixed-point units, exact. The time is the
// instant in nanoseconds since the Unix epoch; utc_offset is null for a
// time in the file's zone (MetaTimezone), else the offset east of UTC, in
// seconds, of the fixed zone the time was written with.
type parquetRow struct {
	Time      int64   `parquet:"time,timestamp(nanosecond),delta"`
	Open      int64   `parquet:"open,decimal(8:18),delta"`
	High      int64   `parquet:"high,decimal(8:18),delta"`
	Low       int64   `parquet:"low,decimal(8:18),delta"`
	Close     int64   `parquet:"close,decimal(8:18),delta"`
	Volume    float64 `parquet:"volume"`
	UTCOffset *int32  `parquet:"utc_offset,optional"`
}

// parquetRowGroup is the number of rows in each row group WriteParquet
// writes.
const parquetRowGroup = 1 << 17

// minParquetTime and maxParquetTime bound the times a nanosecond
// timestamp holds.
var (
	minParquetTime = time.Unix(0, -1<<63)
	maxParquetTime = time.Unix(0, 1<<63-1)
)

// WriteParquet writes every bar of src to w as a Parquet file and returns
// the number of bars. The columns are time (TIMESTAMP in nanoseconds,
// adjusted to UTC), open, high, low and close (DECIMAL(18, 8) over INT64,
// exact at engine.PriceScale), volume (DOUBLE) and utc_offset (INT32,
// null for a time in loc, else the offset east of UTC in seconds of the
// fixed zone of a time written with one). The key-value
// metadata holds MetaPriceScale, MetaSymbol, MetaTimezone (the name of
// loc, the zone of times without one) and, when src was opened from a
// file (by Open or OpenParquet), MetaSourceName (its base name),
// MetaSourceSHA256 and MetaSourceBytes of the bytes it read. The same bars, zone and source
// give the same bytes.
//
// A ParquetReader of the file returns bars equal to src's, with times in
// loc or in an unnamed fixed zone of their offset (UTC for offset zero), as
// a Reader makes a time written with one.
// An error from src is returned as it is.
func WriteParquet(w io.Writer, src Source, loc *time.Location) (int, error) {
	if loc == nil {
		loc = time.UTC
	}
	pw := parquet.NewGenericWriter[parquetRow](w,
		parquet.CreatedBy("quantloop", "", ""),
		parquet.Compression(&snappy.Codec{}),
		parquet.MaxRowsPerRowGroup(parquetRowGroup),
	)
	buf := make([]parquetRow, 0, 4096)
	offsets := map[int]*int32{}
	n := 0
	flush := func() error {
		if _, err := pw.Write(buf); err != nil {
			return fmt.Errorf("write Parquet: %w", err)
		}
		buf = buf[:0]
		return nil
	}
	for {
		b, err := src.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return n, err
		}
		if b.Time.Before(minParquetTime) || b.Time.After(maxParquetTime) {
			return n, fmt.Errorf("%s: bar %d: time %s is outside the years 1678 to 2262 that a nanosecond timestamp holds",
				src.Symbol(), n+1, b.Time.Format(timeText))
		}
		row := parquetRow{Time: b.Time.UnixNano(), Open: int64(b.Open), High: int64(b.High), Low: int64(b.Low),
			Close: int64(b.Close), Volume: b.Volume}
		if b.Time.Location() != loc {
			_, off := b.Time.Zone()
			if offsets[off] == nil {
				offsets[off] = new(int32(off))
			}
			row.UTCOffset = offsets[off]
		}
		buf = append(buf, row)
		n++
		if len(buf) == cap(buf) {
			if err := flush(); err != nil {
				return n, err
			}
		}
	}
	if err := flush(); err != nil {
		return n, err
	}
	pw.SetKeyValueMetadata(MetaPriceScale, strconv.Itoa(engine.PriceScale))
	pw.SetKeyValueMetadata(MetaSymbol, src.Symbol())
	pw.SetKeyValueMetadata(MetaTimezone, loc.String())
	if r, ok := src.(interface{ Digest() (Digest, error) }); ok {
		d, err := r.Digest()
		if err != nil && !errors.Is(err, errNoDigest) {
			return n, err
		}
		if err == nil {
			pw.SetKeyValueMetadata(MetaSourceName, filepath.Base(d.Path))
			pw.SetKeyValueMetadata(MetaSourceSHA256, hex.EncodeToString(d.SHA256[:]))
			pw.SetKeyValueMetadata(MetaSourceBytes, strconv.FormatInt(d.Bytes, 10))
		}
	}
	if err := pw.Close(); err != nil {
		return n, fmt.Errorf("write Parquet: %w", err)
	}
	return n, nil
}
