package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os/exec"
	"strings"
)

// perfTop prints the n functions of the recorded profile with the most CPU:
// flat (the function itself) and cumulative (with what it calls).
func perfTop(w io.Writer, file string, n int) error {
	for _, c := range []struct{ title, flag string }{{"flat", "--no-children"}, {"cumulative", "--children"}} {
		out, err := exec.Command("perf", "report", "-i", file, c.flag, "--sort", "symbol", "--stdio", "-g", "none",
			"--percent-limit", "0.5").Output()
		if err != nil {
			return err
		}
		rows := perfRows(out)
		fmt.Fprintf(w, "\nCPU profile of the bot (%s): top %d functions by %s CPU\n", file, n, c.title)
		for i, r := range rows {
			if i == n {
				break
			}
			fmt.Fprintf(w, "  %6s  %s\n", r[0], r[1])
		}
	}
	return nil
}

// perfRows reads `perf report --stdio` lines: "  12.34%  0.56%  [.] sym  -  -"
// (with children: cumulative first) or "  12.34%  [k] sym": the first
// percentage and the symbol, kernel ones marked.
func perfRows(out []byte) [][2]string {
	var rows [][2]string
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 3 || !strings.HasSuffix(f[0], "%") {
			continue
		}
		i := strings.Index(line, "[")
		if i < 0 || !strings.HasPrefix(line[i:], "[.] ") && !strings.HasPrefix(line[i:], "[k] ") {
			continue
		}
		sym := strings.TrimSpace(line[i+4:])
		if j := strings.Index(sym, "  "); j >= 0 { // IPC columns follow
			sym = sym[:j]
		}
		if line[i+1] == 'k' {
			sym += " [kernel]"
		}
		rows = append(rows, [2]string{f[0], sym})
	}
	return rows
}
