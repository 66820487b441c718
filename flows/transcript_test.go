package flows_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"supportbot/faq"
)

// randomID is a repayment's reference, random in every run.
var randomID = regexp.MustCompile(`\bR[A-Z2-7]{20}\b`)

var update = flag.Bool("update", false, "rewrite the transcripts in testdata/transcripts from what the bot says now")

// TestTranscripts replays the conversations in testdata/transcripts and
// compares what the customer sees with the file. A transcript is readable
// on its own: lines starting with "> " are the customer's (a text or
// /command, "[label]" for a tapped button, "📱 phone" for a shared contact);
// "#N" is a new message, "#N ✏️" the edit of message N in place, "(#N:
// buttons removed)" a keyboard taken off. `go test ./flows -run Transcripts
// -update` rewrites the bot's side after a deliberate change; only the "> "
// lines (and comments, "# …" at the top) need writing by hand.
//
// Every conversation runs on the pay fixture (see payFixture) on 2026-11-21
// at 10:00 Shanghai time, with the real FAQ, in the language its file name
// ends with.
func TestTranscripts(t *testing.T) {
	files, err := filepath.Glob("testdata/transcripts/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no transcripts: %v", err)
	}
	index, err := loadFAQ()
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			lang := name[strings.LastIndex(name, ".")+1:]
			got := replay(t, string(raw), lang, faq.Knowledge{Index: index})
			if *update {
				if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != string(raw) {
				t.Errorf("%s differs from what the bot says now (go test ./flows -run Transcripts -update rewrites it):\n%s",
					file, diffLines(string(raw), got))
			}
		})
	}
}

// replay runs the customer's lines of a transcript and writes it anew.
func replay(t *testing.T, transcript, lang string, kb faq.Knowledge) string {
	h := newHarness(t, payFixture())
	h.kb = kb
	h.open()
	c := h.chat(100, lang)
	var out strings.Builder
	started := false
	for _, line := range strings.Split(transcript, "\n") {
		if !started && strings.HasPrefix(line, "# ") { // the comments at the top
			out.WriteString(line + "\n")
		}
		in, ok := strings.CutPrefix(line, "> ")
		if !ok {
			continue
		}
		started = true
		out.WriteString("\n" + line + "\n")
		before := len(c.seen)
		switch {
		case strings.HasPrefix(in, "[") && strings.HasSuffix(in, "]"):
			c.press(strings.TrimSuffix(strings.TrimPrefix(in, "["), "]"))
		case strings.HasPrefix(in, "📱 "):
			c.share(strings.TrimPrefix(in, "📱 "), c.id)
		default:
			c.send(in)
		}
		for _, s := range c.seen[before:] {
			out.WriteString(randomID.ReplaceAllString(s, "R…") + "\n")
		}
	}
	return out.String()
}

// diffLines shows the first lines where two texts part.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  file: " + wl + "\n  now:  " + gl
		}
	}
	return ""
}
