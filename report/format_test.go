package report

import (
	"math"
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name, got, want string
	}{
		{"num group", fmtNum(1234567.891, 2), "1,234,567.89"},
		{"num small", fmtNum(999.5, 0), "1,000"},
		{"num negative", fmtNum(-1234.5, 1), "-1,234.5"},
		{"num negative zero", fmtNum(-0.001, 2), "0.00"},
		{"num three digits", fmtNum(123, 0), "123"},
		{"num NaN", fmtNum(nan, 2), "-"},
		{"num Inf", fmtNum(math.Inf(1), 2), "-"},
		{"group", groupDigits("1000000"), "1,000,000"},
		{"group short", groupDigits("-250.5"), "-250.5"},
		{"money", fmtMoney(100000), "100,000.00"},
		{"money cents", fmtMoney(-2345.678), "-2,345.68"},
		{"money tiny", fmtMoney(0.00351), "0.0035"},
		{"money zero", fmtMoney(0), "0.00"},
		{"price", fmtPrice(1234.5), "1,234.50"},
		{"price cents", fmtPrice(0.1234), "0.1234"},
		{"price tiny", fmtPrice(0.001234), "0.001234"},
		{"qty int", fmtQty(15000), "15,000"},
		{"qty fraction", fmtQty(0.125), "0.125"},
		{"pct gain", fmtPct(0.1234), "+12.34 %"},
		{"pct loss", fmtPct(-0.05), "-5.00 %"},
		{"pct zero", fmtPct(0), "0.00 %"},
		{"pct rounds to zero", fmtPct(-0.00001), "0.00 %"},
		{"pct large", fmtPct(19.63), "+1,963.00 %"},
		{"pct NaN", fmtPct(nan), "-"},
		{"pct plain", fmtPctPlain(0.2), "20.00 %"},
		{"ratio", fmtRatio(0.8356), "0.84"},
		{"days", fmtDuration(3240*time.Hour + 50*time.Minute), "135 days"},
		{"one day is hours", fmtDuration(24 * time.Hour), "24 hours"},
		{"hours", fmtDuration(6 * time.Hour), "6 hours"},
		{"minutes", fmtDuration(5 * time.Minute), "5 minutes"},
		{"one second", fmtDuration(time.Second), "1 second"},
		{"go duration", fmtGoDuration("3240h50m49.41s"), "135 days"},
		{"go duration bad", fmtGoDuration("soon"), "-"},
		{"daily time", timeFormatter{daily: true}.format("2021-03-01T00:00:00Z"), "2021-03-01"},
		{"intraday time", timeFormatter{}.format("2021-03-01T09:31:00-05:00"), "2021-03-01 09:31"},
		{"intraday seconds", timeFormatter{}.format("2021-03-01T09:31:07Z"), "2021-03-01 09:31:07"},
		{"empty time", timeFormatter{daily: true}.format(""), ""},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}
