// Command supportbot runs the installment support bot: on Telegram when
// TELEGRAM_BOT_TOKEN is set, otherwise as a console chat on the demo data.
// Subcommands: import, audit, ask, faq misses, closure, tickets, notice, backup.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	_ "time/tzdata" // SUPPORT_TIMEZONE works on machines without a zoneinfo database

	"github.com/joho/godotenv"
)

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	getenv, dotenv, err := environ()
	if err == nil {
		warnUnread(os.Stderr, getenv, dotenv)
		err = Run(ctx, os.Args[1:], getenv, os.Stdin, os.Stdout, os.Stderr)
	}
	var usage usageError
	switch {
	case err == nil:
	case errors.As(err, &usage):
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "supportbot:", err)
		os.Exit(1)
	}
}

// tuneGC sets the garbage collector for the bot's heap, unless GOGC or
// GOMEMLIMIT set it. What is live is small (tens of MB) and a step
// allocates a lot that dies with it: at Go's default (a collection each
// time the heap doubles) the collector ran ten times a second at a
// customer's pace in the load test (6 MB live, 14 MB goal), and its pauses
// and assists were felt in the p99. The heap may grow to five times what
// is live (GOGC=400), under a soft limit of 256 MiB that makes it collect
// sooner should the live heap ever grow.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(400)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(256 << 20)
	}
}

// environ is the process environment over the values of ./.env, if present:
// a variable set in the environment wins. A .env that cannot be read is an
// error: ignoring it would start with none of its settings (another
// database, no token).
func environ() (func(string) string, map[string]string, error) {
	dotenv, err := readDotenv(".env")
	if err != nil {
		return nil, nil, err
	}
	return func(key string) string {
		if v, ok := os.LookupEnv(key); ok {
			return v
		}
		return dotenv[key]
	}, dotenv, nil
}

// warnUnread says which names .env sets that no setting reads: a typo
// (TELEGRAM_TOKEN for TELEGRAM_BOT_TOKEN) is otherwise a setting silently
// missing — without the token, the console chat on the demo data (an
// operator probe). A configuration with an error says nothing here: Run
// says what is wrong with it.
func warnUnread(w io.Writer, getenv func(string) string, dotenv map[string]string) {
	read := map[string]bool{}
	if _, err := LoadConfig(func(k string) string { read[k] = true; return getenv(k) }); err != nil {
		return
	}
	var names []string
	for name := range dotenv {
		if !read[name] {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Fprintf(w, "supportbot: .env sets %s, which is not a setting of supportbot (see the README): ignored\n", name)
	}
}

// readDotenv reads the variables of an env file; none when there is no
// such file. Its errors never quote a value: the parser quotes the one it
// stopped at, and a token or a password must not reach the log. A line
// that is not NAME=value (a token pasted alone, "TOKEN 123:…", a name with
// spaces) is an error naming the line, not a variable of a strange name
// and the setting silently missing.
func readDotenv(path string) (map[string]string, error) {
	src, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	src = bytes.TrimPrefix(src, []byte("\uFEFF")) // saved with a byte-order mark
	vars, err := godotenv.UnmarshalBytes(src)
	if err != nil {
		why, _, _ := strings.Cut(err.Error(), `"`)
		why, _, _ = strings.Cut(why, "'")
		why, _, _ = strings.Cut(why, "`")
		if n := badLine(src); n > 0 {
			return nil, fmt.Errorf("%s: line %d cannot be parsed: %s", path, n, strings.TrimSpace(why))
		}
		return nil, fmt.Errorf("%s: cannot be parsed: %s", path, strings.TrimSpace(why))
	}
	for name := range vars {
		if !envName.MatchString(name) {
			return nil, fmt.Errorf("%s: line %d is not NAME=value (a name is letters, digits and _)", path, lineOf(src, name))
		}
	}
	return vars, nil
}

// envName is a variable's name.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// badLine is the first line of an env file the parser cannot take: one
// that is not NAME=value, or the first of a quoted value never closed; 0 if
// none is found (a probe: "foo bar" was "cannot be parsed", no line named).
func badLine(src []byte) int {
	open, from := byte(0), 0 // a quote a value opened and has not closed, on line from
	for i, l := range strings.Split(string(src), "\n") {
		if open != 0 {
			if strings.IndexByte(l, open) >= 0 {
				open = 0
			}
			continue
		}
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		m := dotenvLine.FindStringSubmatch(t)
		if m == nil {
			return i + 1
		}
		if v := m[1]; v != "" && (v[0] == '"' || v[0] == '\'') && strings.IndexByte(v[1:], v[0]) < 0 {
			open, from = v[0], i+1
		}
	}
	if open != 0 {
		return from
	}
	return 0
}

// dotenvLine is NAME=value, the value in m[1].
var dotenvLine = regexp.MustCompile(`^(?:export\s+)?[A-Za-z_][A-Za-z0-9_.]*\s*[=:]\s*(.*)$`)

// lineOf is the number of the first line of src that begins with name
// (after spaces and "export "), 0 when none does.
func lineOf(src []byte, name string) int {
	for i, l := range strings.Split(string(src), "\n") {
		l = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(l), "export "))
		if strings.HasPrefix(l, name) {
			return i + 1
		}
	}
	return 0
}

type usageError string

func (e usageError) Error() string { return string(e) }

// argsError is the usage error of command given the wrong arguments: one
// line saying what it wants and what it got, then its usage.
func argsError(command, want string, got []string) usageError {
	what := "missing " + want
	if len(got) > 0 {
		what = fmt.Sprintf("want %s, got %q", want, got)
	}
	return usageError(command + ": " + what + "\n" + commandUsage[command])
}

const usage = `usage:
  supportbot                         run the bot (console chat on the demo data without TELEGRAM_BOT_TOKEN)
  supportbot import FILE.json        upsert customers, cards, plans, bills and scheduled repayments
  supportbot audit [--customer ID] [--json]
                                     print the audit log
  supportbot ask [--explain] "text"  classify one question: {"kind":…,"id":…,"score":…}
  supportbot tickets [--open]        hand-off tickets with wait time, agent and rating
  supportbot actions [--state S]     money actions (repayments, cancellations, closure requests) and where they stand
  supportbot backup FILE             write a consistent copy of the database (safe while the bot runs)
  supportbot faq misses [--limit N]  the most frequent questions the bot could not answer (masked)
  supportbot closure set REF completed|rejected [REASON]
                                     decide a closure request (a rejection needs a reason)
  supportbot notice set --until TIME "text zh" "text en" [--broadcast]
                                     show a service notice until TIME (RFC 3339 or "YYYY-MM-DD HH:MM" local)
                                     at /start, in bill replies and quotes; --broadcast also sends it once to every linked chat
  supportbot notice clear            end the service notice

supportbot COMMAND --help prints what COMMAND does. Configuration comes from the
environment and ./.env (DATABASE_PATH, default data/supportbot.db; see the README).`

// commandUsage is each subcommand's own usage, printed to stdout by
// "supportbot COMMAND --help" (or -h, or "supportbot help COMMAND"), and in
// a usage error of that command.
var commandUsage = map[string]string{
	"import": `usage: supportbot import FILE.json   (- for standard input)

Upserts the installment core system's export into DATABASE_PATH: customers, cards,
plans, bills and scheduled repayments (the format is in the README, "Import"). The
file is read one customer at a time, in bounded memory, into one transaction: a file
with any fault is rejected whole, each fault with its JSON path, and nothing is
written. Importing the same file again changes nothing. A progress line goes to
stderr every few seconds; the counts of what changed go to stdout.`,
	"audit": `usage: supportbot audit [--customer ID] [--json]

Prints the append-only audit log of DATABASE_PATH, oldest first, times in
SUPPORT_TIMEZONE.
  --customer ID   only this customer's entries
  --json          one JSON object per line`,
	"ask": `usage: supportbot ask [--explain] "text"

Prints how the bot reads one customer question, as one JSON line:
{"kind":"flow"|"faq"|"none","id":…,"score":…}; a question the bot does not
handle here (an order, a device, another bank…) is kind "none". With
--explain: the normalised text, the clause read, the top candidates and why.
Put -- before a text that starts with "-".`,
	"tickets": `usage: supportbot tickets [--open]

Lists hand-off tickets of DATABASE_PATH with their wait time, agent and rating.
  --open   only open tickets`,
	"actions": `usage: supportbot actions [--state S]
       supportbot actions release KEY REASON

Lists the money actions of DATABASE_PATH (early repayments, bill payments,
cancellations of scheduled repayments, closure requests): state, age, attempts
and idempotency key.
  --state S   only actions in state S (pending, unknown, processing, succeeded,
              declined, failed, refused)

release settles an unknown action (sent, never answered) as failed, once the
core's people have confirmed that the core did nothing under KEY: the customer
is told nothing was taken and may pay again; REASON is kept in the audit. Not
while the action is being tried (run it again a minute later).`,
	"backup": `usage: supportbot backup FILE

Writes a consistent copy of DATABASE_PATH to FILE with SQLite's online backup API,
safe while the bot runs. FILE must not exist; DATABASE_PATH must.`,
	"faq": `usage: supportbot faq misses [--limit N]

Lists the questions the bot could not answer, most frequent first, numbers masked.
  --limit N   how many (default 20)`,
	"closure": `usage: supportbot closure set REF completed|rejected [REASON]

Records an agent's decision on a closure request (CR-20261121-0001); a rejection
needs a reason: at most 500 characters, no control characters (no newline), as a
notice's text; a completion takes none. The running bot tells the customer's chats.`,
	"notice": noticeUsage,
}

// helpArg reports whether args ask for help: -h or --help before any "--".
func helpArg(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// parseFlags parses the flags of subcommand command: a bad one (unknown, or
// a value that does not parse) is a usage error with one line naming it,
// then the command's usage — not the flag package's own listing.
func parseFlags(fs *flag.FlagSet, command string, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return usageError(fmt.Sprintf("%s: %v\n%s", fs.Name(), err, commandUsage[command]))
	}
	return nil
}

// plainArgs parses the arguments of a subcommand that has no flags: an
// argument that looks like one is a usage error, unless "--" came before it
// (a file or a question that starts with "-").
func plainArgs(name string, args []string) ([]string, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	if err := parseFlags(fs, name, args); err != nil {
		return nil, err
	}
	return fs.Args(), nil
}

// withoutEndOfFlags is args without a "--" among its first upto+1 (up to
// where the free text starts): for a command whose last words are free text
// (a reason), where "--" ends the flags as it does for notice set, not a
// word of the text (an operator probe: "closure set … rejected -- 请先处理退款"
// told the customer "-- 请先…"). A "--" further on is the text's.
func withoutEndOfFlags(args []string, upto int) []string {
	if i := slices.Index(args[:min(upto+1, len(args))], "--"); i >= 0 {
		return slices.Delete(slices.Clone(args), i, i+1)
	}
	return args
}

// Run is the whole program with its inputs made explicit, so tests can run it.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	// Help needs no configuration, and must never be taken for a file name
	// or a question.
	if len(args) > 0 {
		switch text, ok := commandUsage[args[0]]; {
		case args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help":
			switch {
			case len(args) > 1 && commandUsage[args[1]] != "":
				fmt.Fprintln(stdout, commandUsage[args[1]])
			case len(args) > 1: // "help bogus": no such command to help with
				return usageError("unknown command " + args[1] + "\n" + usage)
			default:
				fmt.Fprintln(stdout, usage)
			}
			return nil
		case ok && helpArg(args[1:]):
			fmt.Fprintln(stdout, text)
			return nil
		}
	}
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		m := &Main{Config: cfg, Stdin: stdin, Stdout: stdout, Stderr: stderr}
		defer m.Close()
		return m.Run(ctx)
	}
	switch args[0] {
	case "import":
		rest, err := plainArgs("import", args[1:])
		if err != nil {
			return err
		} else if len(rest) != 1 {
			return argsError("import", "one FILE", rest)
		}
		return runImport(ctx, cfg, rest[0], stdin, stdout, stderr)
	case "audit":
		fs := flag.NewFlagSet("audit", flag.ContinueOnError)
		customer := fs.String("customer", "", "only this customer's entries")
		asJSON := fs.Bool("json", false, "one JSON object per line")
		if err := parseFlags(fs, "audit", args[1:]); err != nil {
			return err
		} else if fs.NArg() != 0 {
			return argsError("audit", "no arguments", fs.Args())
		}
		customerSet := false
		fs.Visit(func(f *flag.Flag) { customerSet = customerSet || f.Name == "customer" })
		if customerSet && strings.TrimSpace(*customer) == "" {
			// --customer "" (an unset shell variable) is not "everyone's".
			return usageError("audit: --customer needs a customer id\n" + commandUsage["audit"])
		}
		return runAudit(ctx, cfg, *customer, *asJSON, stdout)
	case "ask":
		fs := flag.NewFlagSet("ask", flag.ContinueOnError)
		explain := fs.Bool("explain", false, "explain how the question was read")
		if err := parseFlags(fs, "ask", args[1:]); err != nil {
			return err
		} else if fs.NArg() != 1 {
			return argsError("ask", "one question, quoted", fs.Args())
		}
		return runAsk(fs.Arg(0), *explain, stdout)
	case "closure":
		return runClosure(ctx, cfg, withoutEndOfFlags(args[1:], 3), stdout)
	case "notice":
		return runNotice(ctx, cfg, args[1:], stdout)
	case "faq":
		fs := flag.NewFlagSet("faq misses", flag.ContinueOnError)
		limit := fs.Int("limit", 20, "how many")
		if len(args) < 2 || args[1] != "misses" {
			return argsError("faq", "the subcommand misses", args[1:])
		} else if err := parseFlags(fs, "faq", args[2:]); err != nil {
			return err
		} else if fs.NArg() != 0 {
			return argsError("faq", "no arguments after misses", fs.Args())
		}
		if *limit < 1 {
			return usageError(fmt.Sprintf("faq misses: --limit %d: want at least 1\n%s", *limit, commandUsage["faq"]))
		}
		return runMisses(ctx, cfg, *limit, stdout)
	case "tickets":
		fs := flag.NewFlagSet("tickets", flag.ContinueOnError)
		open := fs.Bool("open", false, "only open tickets")
		if err := parseFlags(fs, "tickets", args[1:]); err != nil {
			return err
		} else if fs.NArg() != 0 {
			return argsError("tickets", "no arguments", fs.Args())
		}
		return runTickets(ctx, cfg, *open, stdout)
	case "actions":
		if len(args) > 1 && args[1] == "release" {
			rest, err := plainArgs("actions", args[2:])
			if err != nil {
				return err
			} else if rest = withoutEndOfFlags(rest, 1); len(rest) < 2 {
				return argsError("actions", "release KEY REASON", rest)
			}
			return runRelease(ctx, cfg, rest[0], strings.Join(rest[1:], " "), stdout)
		}
		fs := flag.NewFlagSet("actions", flag.ContinueOnError)
		state := fs.String("state", "", "only actions in this state (pending, unknown, processing, succeeded, declined, failed, refused)")
		if err := parseFlags(fs, "actions", args[1:]); err != nil {
			return err
		} else if fs.NArg() != 0 {
			return argsError("actions", "no arguments", fs.Args())
		}
		return runActions(ctx, cfg, *state, stdout)
	case "backup":
		rest, err := plainArgs("backup", args[1:])
		if err != nil {
			return err
		} else if len(rest) != 1 || strings.TrimSpace(rest[0]) == "" {
			return argsError("backup", "one FILE", rest)
		}
		return runBackup(ctx, cfg, rest[0], stdout)
	}
	return usageError("unknown command " + args[0] + "\n" + usage)
}
