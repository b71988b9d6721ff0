package data

// rowPolicy applies a source's BadRowPolicy to the rows it reads, one at
// a time, and keeps the account: the bars given, the rows skipped with the
// first maxKeptErrors of their errors, and the error that ended the input.
// Reader and ParquetReader embed it, so that every source skips and
// counts bad rows by one rule.
type rowPolicy struct {
	policy  BadRowPolicy
	bars    int
	skipped int
	kept    []*Error
	err     error // sticky: io.EOF or a fatal error
}

// settle takes the outcome of reading one row: err, nil for a good bar,
// and fatal when the error ends the input rather than the row. It reports
// whether Next returns now, with the row's bar when err is nil and with
// p.err otherwise; a bad row under SkipBadRow is counted, its error kept,
// and reading goes on.
func (p *rowPolicy) settle(err error, fatal bool) (done bool) {
	if err == nil {
		p.bars++
		return true
	}
	if fatal || p.policy != SkipBadRow {
		p.err = err
		return true
	}
	p.skipped++
	if e, ok := err.(*Error); ok && len(p.kept) < maxKeptErrors {
		p.kept = append(p.kept, e)
	}
	return false
}
