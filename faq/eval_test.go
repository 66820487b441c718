package faq

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"unicode"
)

// The acceptance bar, on the held-out part of testdata/eval.tsv.
const (
	minInScope    = 0.95 // top-1 kind+id in the answer band
	minOutOfScope = 0.90 // not answered (band none or suggest)
)

var calibrate = flag.Bool("calibrate", false, "fit the confidence calibration on the tuning rows and print it")

type evalRow struct {
	held     bool
	kind     Kind
	id, text string
}

func loadEval(t testing.TB) []evalRow {
	t.Helper()
	f, err := os.Open("testdata/eval.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var rows []evalRow
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "split\t") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 4 || (c[0] != "held" && c[0] != "tune") || (c[1] == string(KindNone)) != (c[2] == "") {
			t.Fatalf("eval.tsv:%d: want split, kind, id, question: %q", n, line)
		}
		rows = append(rows, evalRow{held: c[0] == "held", kind: Kind(c[1]), id: c[2], text: c[3]})
	}
	return rows
}

type score struct{ in, inOK, out, outOK int }

func (s score) inRate() float64  { return float64(s.inOK) / float64(s.in) }
func (s score) outRate() float64 { return float64(s.outOK) / float64(s.out) }

func evaluate(ix *Index, rows []evalRow, held bool, miss func(evalRow, Result)) score {
	var s score
	for _, r := range rows {
		if r.held != held {
			continue
		}
		res := ix.Classify(r.text)
		if r.kind == KindNone {
			s.out++
			if res.Band != BandAnswer {
				s.outOK++
				continue
			}
		} else {
			s.in++
			if res.Band == BandAnswer && res.Kind == r.kind && res.ID == r.id {
				s.inOK++
				continue
			}
		}
		miss(r, res)
	}
	return s
}

// TestEval is the acceptance test. Misses are listed for the tuning part only:
// the held-out part reports its figures and nothing else, so that nobody tunes
// against it.
func TestEval(t *testing.T) {
	ix := mustLoad(t)
	rows := loadEval(t)
	tune := evaluate(ix, rows, false, func(r evalRow, res Result) {
		t.Logf("tuning miss: %q want %s/%s got %s/%s %.2f %s %v", r.text, r.kind, r.id, res.Kind, res.ID, res.Score, res.Band, res.Suggestions)
	})
	held := evaluate(ix, rows, true, func(evalRow, Result) {})
	for _, p := range []struct {
		name string
		s    score
	}{{"tuning", tune}, {"held-out", held}} {
		line := fmt.Sprintf("faq eval %s: in-scope top-1 %.1f%% (%d/%d), out-of-scope rejection %.1f%% (%d/%d)",
			p.name, 100*p.s.inRate(), p.s.inOK, p.s.in, 100*p.s.outRate(), p.s.outOK, p.s.out)
		t.Log(line)
		fmt.Println(line)
	}
	if held.inRate() < minInScope {
		t.Errorf("held-out in-scope accuracy %.3f < %.2f", held.inRate(), minInScope)
	}
	if held.outRate() < minOutOfScope {
		t.Errorf("held-out out-of-scope rejection %.3f < %.2f", held.outRate(), minOutOfScope)
	}
}

// TestEvalSet keeps the evaluation set honest: big enough, covering every
// entry in both languages, and not copied into the knowledge base.
func TestEvalSet(t *testing.T) {
	ix := mustLoad(t)
	rows := loadEval(t)
	type key struct {
		kind Kind
		id   string
	}
	zh, en := map[key]int{}, map[key]int{}
	var held, oos int
	for _, r := range rows {
		if r.held {
			held++
		}
		if r.kind == KindNone {
			oos++
			continue
		}
		k := key{r.kind, r.id}
		if _, ok := ix.Lookup(r.kind, r.id); !ok {
			t.Errorf("eval row %q: no %s %q", r.text, r.kind, r.id)
		}
		if hasHan(r.text) {
			zh[k]++
		} else {
			en[k]++
		}
	}
	for _, e := range ix.entries {
		k := key{e.Kind, e.ID}
		if zh[k] < 4 || en[k] < 1 {
			t.Errorf("%s %s: %d Chinese and %d English eval questions, want ≥ 4 and ≥ 1", e.Kind, e.ID, zh[k], en[k])
		}
	}
	if len(rows) < 150 || oos < 40 {
		t.Errorf("%d eval questions, %d out of scope; want ≥ 150 and ≥ 40", len(rows), oos)
	}
	if f := float64(held) / float64(len(rows)); f < 0.28 || f > 0.4 {
		t.Errorf("held-out share %.2f, want about a third", f)
	}
	kb := map[string]string{}
	for _, e := range ix.entries {
		for _, qs := range e.Questions {
			for _, q := range qs {
				kb[squash(q)] = e.ID
			}
		}
	}
	for _, r := range rows {
		if id, ok := kb[squash(r.text)]; ok {
			t.Errorf("eval question %q is in the knowledge base (%s)", r.text, id)
		}
	}
}

// squash is a question without case, spaces and punctuation: what "verbatim"
// means for a copy.
func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return fold(r)
		}
		return -1
	}, s)
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// TestCalibrate fits the logistic calibration (the cal* constants but
// calForeign, which is a rule) on the tuning rows only, label 1 when the top
// match is right, and shows how the answer threshold trades in-scope accuracy
// for out-of-scope rejection. Paste its figures into match.go.
// Run: go test ./faq/ -run TestCalibrate -v -args -calibrate
func TestCalibrate(t *testing.T) {
	if !*calibrate {
		t.Skip("run with -args -calibrate")
	}
	ix := mustLoad(t)
	type sample struct {
		f       features
		in, top bool // in scope; top match right
	}
	var ss []sample
	for _, r := range loadEval(t) {
		if r.held {
			continue
		}
		f, ok := ix.features(r.text)
		top := ok && ix.entries[f.top].Kind == r.kind && ix.entries[f.top].ID == r.id
		ss = append(ss, sample{f, r.kind != KindNone, top})
	}
	x := func(f features) [6]float64 {
		return [6]float64{1, f.coverage, f.docCover, f.margin, f.unknown, f.domain}
	}
	var w [6]float64
	prob := func(f features) float64 {
		z := calForeign * f.foreign
		for k, v := range x(f) {
			z += w[k] * v
		}
		return 1 / (1 + math.Exp(-z))
	}
	// Plain gradient descent with a little L2 (not on the bias): six
	// parameters, a few hundred rows.
	for it := 0; it < 100000; it++ {
		var g [6]float64
		for _, s := range ss {
			y := 0.0
			if s.top {
				y = 1
			}
			p := prob(s.f)
			for k, v := range x(s.f) {
				g[k] += (p - y) * v
			}
		}
		for k := range w {
			reg := 0.001 * w[k]
			if k == 0 {
				reg = 0
			}
			w[k] -= 0.5 * (g[k]/float64(len(ss)) + reg)
		}
	}
	for cut := 0.3; cut < 0.91; cut += 0.05 {
		var in, inOK, out, outOK float64
		for _, s := range ss {
			answered := prob(s.f) >= cut
			switch {
			case !s.in:
				out++
				if !answered {
					outOK++
				}
			case answered && s.top:
				in, inOK = in+1, inOK+1
			default:
				in++
			}
		}
		t.Logf("answer at %.2f: in-scope %.1f%%, out-of-scope rejected %.1f%%", cut, 100*inOK/in, 100*outOK/out)
	}
	t.Logf("calBias = %.2f, calCoverage = %.2f, calDocCover = %.2f, calMargin = %.2f, calUnknown = %.2f, calDomain = %.2f (n=%d)",
		w[0], w[1], w[2], w[3], w[4], w[5], len(ss))
}
