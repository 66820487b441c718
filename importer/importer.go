package importer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"supportbot"
)

// Fault is one thing wrong with an export file, at a JSON path such as
// customers[2].plans[0].bills[3].due_date; "" is the file as a whole.
type Fault struct {
	Path    string
	Message string
}

func (f Fault) String() string {
	if f.Path == "" {
		return f.Message
	}
	return f.Path + ": " + f.Message
}

// FaultsError is every fault of a rejected file, in file order: the first
// Limits.MaxFaults of them, and how many more there were.
type FaultsError struct {
	Faults []Fault
	More   int
}

// Error lists the faults one per line.
func (e *FaultsError) Error() string {
	lines := make([]string, len(e.Faults), len(e.Faults)+1)
	for i, f := range e.Faults {
		lines[i] = f.String()
	}
	if e.More > 0 {
		lines = append(lines, fmt.Sprintf("… and %d more faults", e.More))
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes a bad file an EINVALID error for supportbot.ErrorCode.
func (e *FaultsError) Unwrap() error {
	return supportbot.Errorf(supportbot.EINVALID, "the import file has %d faults", len(e.Faults)+e.More)
}

// Limits bound what the decoder reads. A zero field takes its default.
type Limits struct {
	// MaxFileBytes bounds the file; the default, 4 GiB, is twice the size
	// of an export of a million customers with a 12-period plan each.
	MaxFileBytes int64
	// MaxFaults bounds the faults listed; the rest are only counted.
	MaxFaults int
	// Today is the date the import runs on in SUPPORT_TIMEZONE, which the
	// file itself cannot say: a late fee on a bill due today or later is a
	// fault (a bill is overdue only once its due date is past). The zero
	// Date skips that check: Parse reads the demo data and tests' files,
	// which know no zone; `supportbot import` sets it.
	Today supportbot.Date
}

// DefaultLimits are the limits of a zero Limits.
var DefaultLimits = Limits{MaxFileBytes: 4 << 30, MaxFaults: 1000}

// The schema's own limits: a longer value is a fault of its field. The
// README's Import section lists them.
const (
	maxName      = 100 // characters: a customer's name
	maxBank      = 50  // a card's bank
	maxOrderNo   = 64  // a plan's order number
	maxProduct   = 200 // a plan's product
	maxPartner   = 50  // a plan's financing partner
	maxPhoneText = 32  // a phone number as written, separators included
	maxTimeText  = 40  // a date or an instant
	maxCards     = 20  // cards of one customer
	maxPlans     = 100 // plans of one customer
	maxScheduled = 500 // scheduled repayments of one customer
	maxRefunds   = 1000
	// maxPeriods bounds a plan's periods, so that a typo such as 1200000
	// is a fault rather than a loop over a million missing bills.
	maxPeriods = 360
)

// Keys remembers the keys that must be unique across a file (customer ids,
// phones, plan ids, scheduled repayment ids) and where each first appeared.
// Parse keeps them in memory; a streaming import of a large file keeps them
// in its database, so that memory does not grow with the file.
type Keys interface {
	// Add records that key, of kind ("customer id", "phone", "plan id",
	// "scheduled repayment id"), appears at path. When the key was added
	// before it records nothing and returns where it first appeared.
	Add(kind, key, path string) (first string, err error)
}

// memoryKeys is Keys in a map: for files that fit in memory anyway.
type memoryKeys map[string]string

func (m memoryKeys) Add(kind, key, path string) (string, error) {
	k := kind + "\x00" + key
	if first, ok := m[k]; ok {
		return first, nil
	}
	m[k] = path
	return "", nil
}

var (
	idCardLast4 = regexp.MustCompile(`^[0-9]{3}[0-9Xx]$`)
	cardLast4   = regexp.MustCompile(`^[0-9]{4}$`)
)

// Parse reads and validates an export file held in memory (demo data,
// tests). On any fault it returns no data and a *FaultsError listing every
// fault found. A large file is read with a Decoder instead.
func Parse(data []byte) ([]supportbot.CustomerData, error) {
	d := NewDecoder(bytes.NewReader(data), nil, Limits{})
	var out []supportbot.CustomerData
	for {
		c, ok := d.Next()
		if !ok {
			break
		}
		out = append(out, c)
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Decoder reads an export file one customer at a time, in bounded memory
// whatever the size of the file: it holds the customer being read, the
// faults (at most Limits.MaxFaults) and what Keys keeps.
type Decoder struct {
	s      *scanner
	keys   Keys
	limits Limits
	state  int
	read   int      // customers read, valid or not
	rootAt []string // the root's member names, for duplicates

	faults   []Fault
	more     int   // faults beyond limits.MaxFaults
	stopped  bool  // a fault after which the file cannot be read on
	err      error // a read error, or one of Keys
	finished bool

	// The customer being read and its budget (see spend).
	customerAt   *path
	values, text int
	over         bool
}

const (
	stateStart = iota
	stateRoot
	stateCustomers
	stateDone
)

var customersPath = &path{name: "customers"}

// NewDecoder returns a decoder of the export file r. keys nil keeps the keys
// in memory.
func NewDecoder(r io.Reader, keys Keys, limits Limits) *Decoder {
	if limits.MaxFileBytes <= 0 {
		limits.MaxFileBytes = DefaultLimits.MaxFileBytes
	}
	if limits.MaxFaults <= 0 {
		limits.MaxFaults = DefaultLimits.MaxFaults
	}
	if keys == nil {
		keys = memoryKeys{}
	}
	return &Decoder{s: newScanner(r, limits.MaxFileBytes), keys: keys, limits: limits}
}

// Customers is how many customers were read so far, valid or not.
func (d *Decoder) Customers() int { return d.read }

// Offset is how many bytes of the file were read so far.
func (d *Decoder) Offset() int64 { return d.s.off }

// Err is nil when the whole file was read and is valid; a *FaultsError when
// it is not valid; another error when it could not be read. Call it after
// Next has returned false.
func (d *Decoder) Err() error {
	if d.err != nil {
		return d.err
	}
	if len(d.faults) > 0 {
		return &FaultsError{Faults: d.faults, More: d.more}
	}
	return nil
}

func (d *Decoder) fault(at *path, format string, args ...any) {
	if len(d.faults) >= d.limits.MaxFaults {
		d.more++
		return
	}
	d.faults = append(d.faults, Fault{Path: at.String(), Message: fmt.Sprintf(format, args...)})
}

// fatal is a fault after which the file is not read on.
func (d *Decoder) fatal(at *path, format string, args ...any) {
	d.fault(at, format, args...)
	d.stopped = true
}

func (d *Decoder) broken() bool { return d.s.err != nil || d.stopped || d.err != nil }

// faultCount counts the faults so far, listed or not.
func (d *Decoder) faultCount() int { return len(d.faults) + d.more }

// Next returns the next customer that has no fault. It returns false at the
// end of the file or when the file cannot be read on; Err says which. A
// customer with a fault is not returned, but the file is read on to report
// every fault.
func (d *Decoder) Next() (supportbot.CustomerData, bool) {
	for !d.broken() {
		switch d.state {
		case stateStart:
			d.s.skipBOM()
			c, ok := d.s.space()
			if !ok {
				d.s.unexpected(c, ok, "looking for beginning of value")
				continue
			}
			if c != '{' {
				what := fmt.Sprintf("the file starts with %q", c) // not JSON ("not json"), or a number
				if c == '[' {
					what = "the file is a JSON array"
				}
				d.fatal(nil, "must be a JSON object ({\"customers\": […]}); %s", what)
				continue
			}
			d.s.read()
			d.state = stateRoot
			if c, ok := d.s.space(); ok && c == '}' {
				d.closeRoot()
			}
		case stateRoot:
			d.rootMember()
		case stateCustomers:
			if c, ok := d.customer(); ok {
				return c, true
			}
		case stateDone:
			d.finish()
			return supportbot.CustomerData{}, false
		}
	}
	d.finish()
	return supportbot.CustomerData{}, false
}

// finish turns a scanner error into the last fault, once.
func (d *Decoder) finish() {
	if d.finished {
		return
	}
	d.finished = true
	var se *syntaxError
	var tl *tooLargeError
	switch err := d.s.err; {
	case err == nil:
	case errors.As(err, &se), errors.As(err, &tl):
		d.fault(nil, "%v", err)
	case d.err == nil:
		d.err = fmt.Errorf("read: %w", err)
	}
}

// rootMember reads one member of the root object (its opening brace, or
// the comma before it, read already) and what follows it.
func (d *Decoder) rootMember() {
	s := d.s
	c, ok := s.space()
	if !ok || c != '"' {
		s.unexpected(c, ok, "looking for beginning of object key string")
		return
	}
	name := s.key()
	if !s.expect(':', "after object key") {
		return
	}
	at := &path{name: name}
	dup := false
	for _, n := range d.rootAt {
		dup = dup || n == name
	}
	if len(d.rootAt) < maxFields {
		d.rootAt = append(d.rootAt, name)
	}
	switch c, ok := s.space(); {
	case dup:
		d.fault(at, "duplicate key")
	case name != "customers":
		d.fault(at, "unknown field")
	case ok && c == '[':
		s.read()
		d.state = stateCustomers
		if c, ok := s.space(); ok && c == ']' {
			s.read()
			d.afterCustomers()
		}
		return
	case ok && c == 'n': // null: absent, and a fault when the root closes
		d.rootAt = d.rootAt[:len(d.rootAt)-1]
	default:
		d.fault(at, "must be an array")
	}
	d.value(nil, name, 0, 1, false)
	d.afterRootMember()
}

// afterRootMember reads the comma or the closing brace after a root member.
func (d *Decoder) afterRootMember() {
	s := d.s
	c, ok := s.space()
	switch {
	case d.broken():
	case ok && c == ',':
		s.read()
	case ok && c == '}':
		d.closeRoot()
	default:
		s.unexpected(c, ok, "after object key:value pair")
	}
}

func (d *Decoder) closeRoot() {
	d.s.read() // }
	found := false
	for _, n := range d.rootAt {
		found = found || n == "customers"
	}
	if !found {
		d.fault(customersPath, "required")
	}
	d.s.end()
	d.state = stateDone
}

// afterCustomers is the end of the customers array: back in the root.
func (d *Decoder) afterCustomers() {
	d.state = stateRoot
	d.afterRootMember()
}

// customer reads one element of the customers array and the comma or
// bracket after it. It returns the customer when it has no fault.
func (d *Decoder) customer() (supportbot.CustomerData, bool) {
	i := d.read
	d.read++
	d.customerAt = &path{parent: customersPath, index: i}
	d.values, d.text, d.over = maxCustomerValues, maxCustomerText, false
	before := d.faultCount()
	v := d.value(customersPath, "", i, 2, true)
	var data supportbot.CustomerData
	if v != nil && !d.over {
		if o := d.asObject(v); o != nil {
			data = d.customerData(o)
		}
	}
	s := d.s
	switch c, ok := s.space(); {
	case d.broken():
		return data, false
	case ok && c == ',':
		s.read()
	case ok && c == ']':
		s.read()
		d.afterCustomers()
	default:
		s.unexpected(c, ok, "after array element")
	}
	return data, v != nil && d.faultCount() == before && !d.broken()
}

// unique checks a key that must be unique across the file.
func (d *Decoder) unique(kind, key string, at *path) {
	if key == "" || d.err != nil {
		return
	}
	first, err := d.keys.Add(kind, key, at.String())
	switch {
	case err != nil:
		d.err = fmt.Errorf("check the %s at %s: %w", kind, at, err)
	case first != "":
		d.fault(at, "duplicate %s, also at %s", kind, first)
	}
}

func (d *Decoder) customerData(o *object) supportbot.CustomerData {
	c := supportbot.Customer{ID: o.ref("id"), Name: o.str("name", true, maxName)}
	d.unique("customer id", c.ID, o.path.field("id"))
	if phone := o.str("phone", true, maxPhoneText); phone != "" {
		// The number itself stays out of the message: faults end up in logs.
		if c.Phone = supportbot.ImportPhone(phone); c.Phone == "" {
			o.fault("phone", "not a phone number: a mainland mobile number (13800138000, +86 138 0013 8000) "+
				"or another country's with + and its country code (+852 9123 4567)")
		}
		d.unique("phone", c.Phone, o.path.field("phone"))
	}
	// Read up to a whole ID number's length: a value too long is told by
	// the rule, 4 characters, not "longer than 8" (an operator probe).
	if c.IDCardLast4 = o.str("id_card_last4", true, 32); c.IDCardLast4 != "" && !idCardLast4.MatchString(c.IDCardLast4) {
		o.fault("id_card_last4", "must be 4 characters: digits, the last may be X")
	}
	c.IDCardLast4 = strings.ToUpper(c.IDCardLast4)
	c.Language = supportbot.Lang(o.oneOf("language", string(supportbot.LangZH), string(supportbot.LangZH), string(supportbot.LangEN)))
	if refunds, ok := o.count("pending_refunds", true); ok && refunds > maxRefunds {
		o.fault("pending_refunds", "must be at most %d", maxRefunds)
	} else {
		c.PendingRefunds = int(refunds)
	}
	// A list left out keeps what is on file; null or [] is none.
	data := supportbot.CustomerData{Customer: c, KeepCards: !o.has("cards"), KeepScheduled: !o.has("scheduled_repayments")}

	cards := map[string]bool{}
	var defaultAt *path
	for _, co := range o.array("cards", false, maxCards, "cards") {
		if co == nil {
			continue
		}
		card := d.card(co)
		if card.ID != "" && cards[card.ID] {
			co.fault("id", "duplicate card id %q", card.ID)
		}
		if card.ID != "" {
			cards[card.ID] = true
		}
		if card.Default {
			if defaultAt != nil {
				co.fault("default", "a second default card, the first is %s", defaultAt)
			}
			defaultAt = co.path
		}
		data.Cards = append(data.Cards, card)
	}
	if defaultAt == nil && len(data.Cards) > 0 {
		data.Cards[0].Default = true // a customer always has a card to debit
	}

	plans := map[string]readPlan{}
	orders := map[string]bool{} // an order may be paid by several plans of its customer's
	for _, po := range o.array("plans", false, maxPlans, "plans") {
		if po != nil {
			plan, owed := d.plan(po, c.ID)
			plans[plan.ID] = readPlan{plan, owed}
			data.Plans = append(data.Plans, plan)
			if !orders[plan.OrderNo] {
				// never by another customer's: one order number of two
				// customers would have "pay off order N" pick one (a probe)
				orders[plan.OrderNo] = true
				d.unique("order number", plan.OrderNo, po.path.field("order_no"))
			}
		}
	}
	// booked is what a period's live bookings (scheduled or processing)
	// debit together, and the first of them: several may split a period,
	// but not debit more than it owes (two of the whole would debit it twice).
	type periodKey struct {
		plan   string
		period int
	}
	type bookedSum struct {
		amount supportbot.Money
		first  string
	}
	booked := map[periodKey]bookedSum{}
	for _, so := range o.array("scheduled_repayments", false, maxScheduled, "scheduled repayments") {
		if so == nil {
			continue
		}
		owned := cards
		if data.KeepCards {
			owned = nil // the cards on file, which the import checks
		}
		r := d.scheduled(so, c.ID, plans, owned)
		data.Scheduled = append(data.Scheduled, r)
		owed, ok := plans[r.PlanID].owed[r.Period]
		if !ok || r.Amount <= 0 || r.Amount > owed || !r.Live() {
			continue // told already, or debits nothing
		}
		k := periodKey{r.PlanID, r.Period}
		b := booked[k]
		if b.first == "" {
			b.first = r.ID
		}
		b.amount += r.Amount // each at most what the period owes, itself bounded: no wrap
		booked[k] = b
		if b.amount > owed && b.first != r.ID {
			so.fault("amount_fen", "with %s, the live scheduled repayments of period %d debit %d fen, more than it owes: %d fen",
				b.first, r.Period, b.amount, owed)
		}
	}
	o.done()
	return data
}

func (d *Decoder) card(o *object) supportbot.Card {
	c := supportbot.Card{ID: o.ref("id"), Bank: o.str("bank", true, maxBank), Last4: o.str("last4", true, 8)}
	if c.Last4 != "" && !cardLast4.MatchString(c.Last4) {
		o.fault("last4", "must be 4 digits")
	}
	c.Default = o.boolean("default")
	c.Frozen = o.oneOf("status", "active", "active", "frozen") == "frozen"
	o.done()
	return c
}

// readPlan is a plan as its scheduled repayments are checked against it.
type readPlan struct {
	supportbot.Plan
	// owed is what each period owes (principal, fee and late fee), for the
	// periods whose amounts were read: a fault of an amount is not told
	// again as a repayment more than the period owes.
	owed map[int]supportbot.Money
}

// plan reads a plan, and what each of its periods owes (see readPlan).
func (d *Decoder) plan(o *object, customerID string) (supportbot.Plan, map[int]supportbot.Money) {
	pl := supportbot.Plan{
		ID:         o.ref("id"),
		CustomerID: customerID,
		OrderNo:    o.str("order_no", true, maxOrderNo),
		Product:    o.str("product", true, maxProduct),
		Partner:    o.str("partner", true, maxPartner),
	}
	d.unique("plan id", pl.ID, o.path.field("id"))
	var principalOK bool
	pl.Principal, principalOK = o.money("principal_fen", true)
	if principalOK && pl.Principal == 0 {
		o.fault("principal_fen", "must be more than 0")
		principalOK = false
	}
	periods, periodsOK := o.count("periods", true)
	if periodsOK && (periods < 1 || periods > maxPeriods) {
		o.fault("periods", "must be between 1 and %d", maxPeriods)
		periodsOK = false
	}
	if periodsOK {
		pl.Periods = int(periods)
	}
	if rate, ok := o.count("prepay_fee_rate_bp", true); ok && rate > 10000 {
		o.fault("prepay_fee_rate_bp", "must be between 0 and 10000 (100%%)")
	} else {
		pl.PrepayFeeRateBP = rate
	}
	pl.AutoRepay = o.boolean("auto_repay")

	billsAt := o.path.field("bills")
	type bill struct {
		supportbot.Bill
		at *path
	}
	var bills []bill
	periodAt := map[int]*path{}
	owed := map[int]supportbot.Money{}
	// Every amount is within 0..MaxPlanMoney, so these sums cannot wrap;
	// SumMoney says so, should a file hold thousands of bills.
	var sum, charges supportbot.Money
	sumOK, chargesOK := principalOK, true
	items := o.array("bills", true, maxPeriods, "bills")
	for _, bo := range items {
		if bo == nil {
			sumOK = false
			continue
		}
		b, principalOK, feesOK := d.bill(bo, pl, periodAt)
		if principalOK && feesOK && b.Period > 0 {
			owed[b.Period] = b.Principal + b.Fee + b.LateFee // each within MaxPlanMoney: no wrap
		}
		b.PlanID = pl.ID
		var err error
		if sum, err = supportbot.SumMoney(sum, b.Principal); err != nil {
			sumOK = false
		}
		if charges, err = supportbot.SumMoney(charges, b.Fee, b.LateFee); err != nil {
			chargesOK = false
		}
		sumOK = sumOK && principalOK
		chargesOK = chargesOK && feesOK
		bills = append(bills, bill{b, bo.path})
	}
	if periodsOK && items != nil { // else there is a fault already
		var missing []string
		for n := 1; n <= pl.Periods; n++ {
			if periodAt[n] == nil {
				missing = append(missing, fmt.Sprint(n))
			}
		}
		if len(missing) > 0 {
			d.fault(billsAt, "missing periods %s", strings.Join(missing, ", "))
		}
	}
	// The plan keeps its bills in the file's order, so that in a file
	// without faults pl.Bills[i] is bills[i] of the file: the store tells a
	// conflict with the database at that path.
	for _, b := range bills {
		if b.DueDate != "" && b.Period != 0 {
			pl.Bills = append(pl.Bills, b.Bill)
		}
	}
	sort.SliceStable(bills, func(i, j int) bool { return bills[i].Period < bills[j].Period })
	var prev bill
	for _, b := range bills {
		if b.DueDate == "" || b.Period == 0 {
			continue
		}
		if prev.DueDate != "" && b.DueDate <= prev.DueDate {
			d.fault(b.at.field("due_date"), "must be after period %d's due date %s", prev.Period, prev.DueDate)
		}
		prev = b
	}
	if sumOK && unsettleable(pl.Bills, d.limits.Today) {
		// What is left is no principal and fees a payoff waives (or
		// nothing at all): the core quotes ¥0, which nothing can pay, and
		// the plan stays open for ever.
		d.fault(billsAt, "the unpaid periods repay no principal and owe nothing due: nothing could settle the plan")
	}
	if sumOK && len(items) > 0 && sum != pl.Principal { // no bills: a fault already
		d.fault(billsAt, "principal sums to %d, plan says %d", sum, pl.Principal)
	}
	// What the customer can owe on the plan is bounded as a whole, so that
	// no quote, payoff or charge computed from it can leave the bounds: its
	// principal, every fee and late fee, and the largest prepayment fee a
	// payoff could add (the rate on the whole principal; both are bounded,
	// so the product fits).
	if principalOK && chargesOK {
		prepay := supportbot.Money((int64(pl.Principal)*pl.PrepayFeeRateBP + 5000) / 10000)
		if whole, err := supportbot.SumMoney(pl.Principal, charges, prepay); err != nil || whole > supportbot.MaxPlanMoney {
			d.fault(o.path, "principal, fees, late fees and the largest prepayment fee come to more than the %d fen (%v) a plan may",
				int64(supportbot.MaxPlanMoney), supportbot.MaxPlanMoney)
		}
	}
	o.done()
	return pl, owed
}

// bill reads one period; periodAt records where each period appeared. It
// reports whether the principal, and the fees, were read, since only then do
// the plan's sums mean anything.
func (d *Decoder) bill(o *object, pl supportbot.Plan, periodAt map[int]*path) (supportbot.Bill, bool, bool) {
	var b supportbot.Bill
	if n, ok := o.count("period", true); ok {
		at := o.path.field("period")
		switch {
		case n < 1 || pl.Periods > 0 && n > int64(pl.Periods) || n > maxPeriods:
			d.fault(at, "must be between 1 and the plan's periods (%d)", pl.Periods)
		case periodAt[int(n)] != nil:
			d.fault(at, "duplicate period %d, also at %s", n, periodAt[int(n)])
		default:
			b.Period = int(n)
			periodAt[b.Period] = at
		}
	}
	if s := o.str("due_date", true, maxTimeText); s != "" {
		if _, err := supportbot.ParseDate(s); err != nil {
			o.fault("due_date", "not a date (YYYY-MM-DD): %s", quoteText(s))
		} else if !plausibleYear(s[:4]) {
			o.fault("due_date", "%s is not between %d and %d: a date left empty in the export (0001-01-01)?", s, minYear, maxYear)
		} else {
			b.DueDate = supportbot.Date(s)
		}
	}
	var principalOK, feeOK, lateOK bool
	b.Principal, principalOK = o.money("principal_fen", true)
	// The fees are required as the principal is: one left out or null is
	// not taken as 0, which would wipe a fee on file at a re-import.
	b.Fee, feeOK = o.money("fee_fen", true)
	b.LateFee, lateOK = o.money("late_fee_fen", true)
	if today := d.limits.Today; b.LateFee > 0 && b.DueDate != "" && today != "" && b.DueDate >= today {
		// A payoff would charge it as soon as the bill is due.
		o.fault("late_fee_fen", "a late fee on a bill not yet overdue: due %s, today is %s", b.DueDate, today)
	}
	b.Status = o.oneOf("status", "", supportbot.BillPaid, supportbot.BillUnpaid)
	o.done()
	return b, principalOK, feeOK && lateOK
}

// unsettleable reports a plan whose unpaid periods all repay no principal
// and owe nothing due by today ("" today: nothing at all).
func unsettleable(bills []supportbot.Bill, today supportbot.Date) bool {
	unpaid := 0
	for _, b := range bills {
		if b.Status != supportbot.BillUnpaid {
			continue
		}
		unpaid++
		due := b.Fee + b.LateFee
		if today != "" && b.DueDate > today {
			due = 0 // waived by a payoff
		}
		if b.Principal > 0 || due > 0 {
			return false
		}
	}
	return unpaid > 0
}

func (d *Decoder) scheduled(o *object, customerID string, plans map[string]readPlan, cards map[string]bool) supportbot.ScheduledRepayment {
	r := supportbot.ScheduledRepayment{
		ID:         o.ref("id"),
		CustomerID: customerID,
		PlanID:     o.ref("plan_id"),
		CardID:     o.ref("card_id"),
	}
	d.unique("scheduled repayment id", r.ID, o.path.field("id"))
	plan, planOK := plans[r.PlanID]
	if r.PlanID != "" && !planOK {
		o.fault("plan_id", "no plan %q of this customer", r.PlanID)
	}
	if r.CardID != "" && cards != nil && !cards[r.CardID] {
		o.fault("card_id", "no card %q of this customer", r.CardID)
	}
	if n, ok := o.count("period", true); ok {
		if n < 1 || plan.Periods > 0 && n > int64(plan.Periods) || n > maxPeriods {
			o.fault("period", "must be between 1 and the plan's periods (%d)", plan.Periods)
		} else {
			r.Period = int(n)
		}
	}
	var amountOK bool
	r.Amount, amountOK = o.money("amount_fen", true)
	switch owed, owedOK := plan.owed[r.Period]; {
	case amountOK && r.Amount == 0:
		o.fault("amount_fen", "must be more than 0")
	case amountOK && owedOK && r.Amount > owed:
		// The bot shows the customer this amount as the period's debit
		// (the cancel list); more than the period owes is no debit of it.
		o.fault("amount_fen", "%d fen is more than period %d owes: %d fen (its principal, fee and late fee)",
			r.Amount, r.Period, owed)
	}
	if v := o.str("run_at", true, maxTimeText); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			o.fault("run_at", "not an RFC 3339 time with offset (2026-12-15T09:00:00+08:00): %s", quoteText(v))
		} else if !plausibleYear(strconv.Itoa(t.Year())) {
			o.fault("run_at", "%s is not between %d and %d", v, minYear, maxYear)
		}
		r.RunAt = t
	}
	r.Status = o.oneOf("status", "", supportbot.ScheduledScheduled, supportbot.ScheduledProcessing,
		supportbot.ScheduledDone, supportbot.ScheduledCancelled)
	if r.Status == supportbot.ScheduledScheduled && r.Period > 0 {
		// The bot tells the customer a booked period needs nothing more;
		// booking a paid one would debit it again.
		for _, b := range plan.Bills {
			if b.Period == r.Period && b.Status == supportbot.BillPaid {
				o.fault("status", "scheduled for period %d, which the plan's bills say is paid", r.Period)
			}
		}
	}
	o.done()
	return r
}

// Dates of bills and bookings are within minYear and maxYear: a date
// outside is a value left empty in the export (0001-01-01, a zero time) or
// a stand-in for none (9999-12-31), which the bot would tell a customer as
// a bill "overdue 106751 days" (an operator probe).
const (
	minYear = 2000
	maxYear = 2099
)

// plausibleYear reports a year of four digits within minYear and maxYear.
func plausibleYear(year string) bool {
	y, err := strconv.Atoi(year)
	return err == nil && y >= minYear && y <= maxYear
}
