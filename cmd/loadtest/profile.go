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
		fmt.Fprintf(w, "\nCPU profile of the bot (%s): top %d functions by %s CPU", file, n, c.title)
		if c.flag == "--children" {
			fmt.Fprint(w, " (goroutine and thread roots, syscall entry and unknown frames left out)")
		}
		fmt.Fprintln(w)
		shown := 0
		for _, r := range rows {
			if shown == n {
				break
			}
			if c.flag == "--children" && rootFrame(r[1]) {
				continue
			}
			fmt.Fprintf(w, "  %6s  %s\n", r[0], r[1])
			shown++
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

// rootFrame reports whether a symbol is a frame every stack of its kind
// passes through (a goroutine's start, a syscall's entry, a C frame perf
// could not name): at the top of a cumulative list, it says nothing.
func rootFrame(sym string) bool {
	for _, p := range []string{"runtime.goexit", "runtime.mstart", "runtime.main", "runtime.systemstack", "main.main",
		"entry_SYSCALL", "do_syscall_64", "[unknown]", "0x", "0000"} {
		if strings.HasPrefix(sym, p) {
			return true
		}
	}
	return false
}
