package report

import (
	"errors"
	"html/template"
	"strings"
	"testing"
)

// TestDrawing: the charts drawn on their own goroutines come back under
// their names, and the error is the first in the order they were added,
// a panic included, whichever ends first.
func TestDrawing(t *testing.T) {
	slow := make(chan struct{})
	var d drawing
	d.draw("a", func() (template.HTML, error) { <-slow; return "<a>", nil })
	d.drawn("b", "<b>", nil)
	d.draw("c", func() (template.HTML, error) { <-slow; return "", errors.New("c failed") })
	d.draw("d", func() (template.HTML, error) { panic("d panicked") })
	close(slow)
	got := map[string]template.HTML{}
	err := d.wait(got)
	if err == nil || err.Error() != "c failed" {
		t.Errorf("error %v, want c's", err)
	}
	if got["a"] != "<a>" || got["b"] != "<b>" || len(got) != 4 {
		t.Errorf("charts %v", got)
	}
	var p drawing
	p.draw("d", func() (template.HTML, error) { panic("d panicked") })
	if err := p.wait(map[string]template.HTML{}); err == nil || !strings.Contains(err.Error(), "chart d: d panicked") {
		t.Errorf("a panic gave %v", err)
	}
}
