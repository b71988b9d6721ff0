package indicator

import "testing"

// BenchmarkUpdateBar measures one bar's update of each indicator kind.
func BenchmarkUpdateBar(b *testing.B) {
	bars := randomBars(4096, 13)
	for _, k := range kinds {
		b.Run(k.Name, func(b *testing.B) {
			c, err := ParseSpec(k.Name)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				c.UpdateBar(bars[i&4095])
				_ = c.Value()
				i++
			}
		})
	}
}
