package importer

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
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

// FaultsError is every fault of a rejected file, in file order.
type FaultsError struct {
	Faults []Fault
}

// Error lists the faults one per line.
func (e *FaultsError) Error() string {
	lines := make([]string, len(e.Faults))
	for i, f := range e.Faults {
		lines[i] = f.String()
	}
	return strings.Join(lines, "\n")
}

// Unwrap makes a bad file an EINVALID error for supportbot.ErrorCode.
func (e *FaultsError) Unwrap() error {
	return supportbot.Errorf(supportbot.EINVALID, "the import file has %d faults", len(e.Faults))
}

// maxPeriods bounds a plan's periods, so that a typo such as 1200000 is a
// fault rather than a loop over a million missing bills.
const maxPeriods = 360

var (
	idCardLast4 = regexp.MustCompile(`^[0-9]{3}[0-9Xx]$`)
	cardLast4   = regexp.MustCompile(`^[0-9]{4}$`)
)

// Parse reads and validates an export file. On any fault it returns no data
// and a *FaultsError listing every fault found.
func Parse(data []byte) ([]supportbot.CustomerData, error) {
	p := &parser{}
	out := p.file(data)
	if len(p.faults) > 0 {
		return nil, &FaultsError{Faults: p.faults}
	}
	return out, nil
}

// seen maps the ids that must be unique across the file to where they first
// appeared, so a duplicate can point at its twin.
type seen struct {
	customers, phones, plans, scheduled map[string]string
}

func (p *parser) unique(in map[string]string, key, path, what string) {
	if key == "" {
		return
	}
	if first, dup := in[key]; dup {
		p.fault(path, "duplicate %s, also at %s", what, first)
		return
	}
	in[key] = path
}

func (p *parser) file(data []byte) []supportbot.CustomerData {
	if !json.Valid(data) {
		p.syntax(data)
		return nil
	}
	root := p.object("", data)
	if root == nil {
		return nil
	}
	items := root.array("customers", true)
	root.done()
	s := &seen{map[string]string{}, map[string]string{}, map[string]string{}, map[string]string{}}
	out := make([]supportbot.CustomerData, 0, len(items))
	for i, raw := range items {
		if o := p.object(index("customers", i), raw); o != nil {
			out = append(out, p.customer(o, s))
		}
	}
	return out
}

func (p *parser) customer(o *object, s *seen) supportbot.CustomerData {
	c := supportbot.Customer{ID: o.id(), Name: o.str("name", true)}
	p.unique(s.customers, c.ID, field(o.path, "id"), "customer id")
	if phone := o.str("phone", true); phone != "" {
		path := field(o.path, "phone")
		// The number itself stays out of the message: faults end up in logs.
		if c.Phone = supportbot.NormalizePhone(phone); c.Phone == "" {
			p.fault(path, "not a mainland China mobile number")
		}
		p.unique(s.phones, c.Phone, path, "phone")
	}
	if c.IDCardLast4 = o.str("id_card_last4", true); c.IDCardLast4 != "" && !idCardLast4.MatchString(c.IDCardLast4) {
		p.fault(field(o.path, "id_card_last4"), "must be 4 characters: digits, the last may be X")
	}
	c.IDCardLast4 = strings.ToUpper(c.IDCardLast4)
	c.Language = supportbot.Lang(o.oneOf("language", string(supportbot.LangZH), string(supportbot.LangZH), string(supportbot.LangEN)))
	refunds, _ := o.count("pending_refunds", false)
	c.PendingRefunds = int(refunds)
	d := supportbot.CustomerData{Customer: c}

	cards := map[string]bool{}
	defaultAt := ""
	for i, raw := range o.array("cards", false) {
		co := p.object(index(field(o.path, "cards"), i), raw)
		if co == nil {
			continue
		}
		card := p.card(co)
		if card.ID != "" && cards[card.ID] {
			p.fault(field(co.path, "id"), "duplicate card id %q", card.ID)
		}
		if card.ID != "" {
			cards[card.ID] = true
		}
		if card.Default {
			if defaultAt != "" {
				p.fault(field(co.path, "default"), "a second default card, the first is %s", defaultAt)
			}
			defaultAt = co.path
		}
		d.Cards = append(d.Cards, card)
	}
	if defaultAt == "" && len(d.Cards) > 0 {
		d.Cards[0].Default = true // a customer always has a card to debit
	}

	plans := map[string]supportbot.Plan{}
	for i, raw := range o.array("plans", false) {
		if po := p.object(index(field(o.path, "plans"), i), raw); po != nil {
			plan := p.plan(po, c.ID, s)
			plans[plan.ID] = plan
			d.Plans = append(d.Plans, plan)
		}
	}
	for i, raw := range o.array("scheduled_repayments", false) {
		if so := p.object(index(field(o.path, "scheduled_repayments"), i), raw); so != nil {
			d.Scheduled = append(d.Scheduled, p.scheduled(so, c.ID, plans, cards, s))
		}
	}
	o.done()
	return d
}

func (p *parser) card(o *object) supportbot.Card {
	c := supportbot.Card{ID: o.id(), Bank: o.str("bank", true), Last4: o.str("last4", true)}
	if c.Last4 != "" && !cardLast4.MatchString(c.Last4) {
		p.fault(field(o.path, "last4"), "must be 4 digits")
	}
	c.Default = o.boolean("default")
	c.Frozen = o.oneOf("status", "active", "active", "frozen") == "frozen"
	o.done()
	return c
}

func (p *parser) plan(o *object, customerID string, s *seen) supportbot.Plan {
	pl := supportbot.Plan{
		ID:         o.id(),
		CustomerID: customerID,
		OrderNo:    o.str("order_no", true),
		Product:    o.str("product", true),
		Partner:    o.str("partner", true),
	}
	p.unique(s.plans, pl.ID, field(o.path, "id"), "plan id")
	principal, principalOK := o.count("principal_fen", true)
	pl.Principal = supportbot.Money(principal)
	periods, periodsOK := o.count("periods", true)
	if periodsOK && (periods < 1 || periods > maxPeriods) {
		p.fault(field(o.path, "periods"), "must be between 1 and %d", maxPeriods)
		periodsOK = false
	}
	if periodsOK {
		pl.Periods = int(periods)
	}
	if pl.PrepayFeeRateBP, _ = o.count("prepay_fee_rate_bp", false); pl.PrepayFeeRateBP > 10000 {
		p.fault(field(o.path, "prepay_fee_rate_bp"), "must be between 0 and 10000 (100%%)")
	}
	pl.AutoRepay = o.boolean("auto_repay")

	billsPath := field(o.path, "bills")
	type bill struct {
		supportbot.Bill
		path string
	}
	var bills []bill
	periodAt := map[int]string{}
	var sum supportbot.Money
	sumOK := principalOK
	items := o.array("bills", true)
	for i, raw := range items {
		bo := p.object(index(billsPath, i), raw)
		if bo == nil {
			sumOK = false
			continue
		}
		b, principalOK := p.bill(bo, pl, periodAt)
		b.PlanID = pl.ID
		sum += b.Principal
		sumOK = sumOK && principalOK
		bills = append(bills, bill{b, bo.path})
	}
	if periodsOK && items != nil { // else there is a fault already
		var missing []string
		for n := 1; n <= pl.Periods; n++ {
			if periodAt[n] == "" {
				missing = append(missing, fmt.Sprint(n))
			}
		}
		if len(missing) > 0 {
			p.fault(billsPath, "missing periods %s", strings.Join(missing, ", "))
		}
	}
	sort.SliceStable(bills, func(i, j int) bool { return bills[i].Period < bills[j].Period })
	var prev bill
	for _, b := range bills {
		if b.DueDate == "" || b.Period == 0 {
			continue
		}
		if prev.DueDate != "" && b.DueDate <= prev.DueDate {
			p.fault(field(b.path, "due_date"), "must be after period %d's due date %s", prev.Period, prev.DueDate)
		}
		prev = b
		pl.Bills = append(pl.Bills, b.Bill)
	}
	if sumOK && sum != pl.Principal {
		p.fault(billsPath, "principal sums to %d, plan says %d", sum, pl.Principal)
	}
	o.done()
	return pl
}

// bill reads one period; periodAt records where each period appeared. It
// reports whether the principal was read, since only then does the plan's
// sum mean anything.
func (p *parser) bill(o *object, pl supportbot.Plan, periodAt map[int]string) (supportbot.Bill, bool) {
	var b supportbot.Bill
	if n, ok := o.count("period", true); ok {
		path := field(o.path, "period")
		switch {
		case n < 1 || pl.Periods > 0 && n > int64(pl.Periods) || n > maxPeriods:
			p.fault(path, "must be between 1 and the plan's periods (%d)", pl.Periods)
		case periodAt[int(n)] != "":
			p.fault(path, "duplicate period %d, also at %s", n, periodAt[int(n)])
		default:
			b.Period = int(n)
			periodAt[b.Period] = path
		}
	}
	if s := o.str("due_date", true); s != "" {
		if _, err := supportbot.ParseDate(s); err != nil {
			p.fault(field(o.path, "due_date"), "not a date (YYYY-MM-DD): %q", s)
		} else {
			b.DueDate = supportbot.Date(s)
		}
	}
	principal, ok := o.count("principal_fen", true)
	b.Principal = supportbot.Money(principal)
	fee, _ := o.count("fee_fen", false)
	late, _ := o.count("late_fee_fen", false)
	b.Fee, b.LateFee = supportbot.Money(fee), supportbot.Money(late)
	b.Status = o.oneOf("status", "", supportbot.BillPaid, supportbot.BillUnpaid)
	o.done()
	return b, ok
}

func (p *parser) scheduled(o *object, customerID string, plans map[string]supportbot.Plan, cards map[string]bool, s *seen) supportbot.ScheduledRepayment {
	r := supportbot.ScheduledRepayment{
		ID:         o.id(),
		CustomerID: customerID,
		PlanID:     o.str("plan_id", true),
		CardID:     o.str("card_id", true),
	}
	p.unique(s.scheduled, r.ID, field(o.path, "id"), "scheduled repayment id")
	plan, planOK := plans[r.PlanID]
	if r.PlanID != "" && !planOK {
		p.fault(field(o.path, "plan_id"), "no plan %q of this customer", r.PlanID)
	}
	if r.CardID != "" && !cards[r.CardID] {
		p.fault(field(o.path, "card_id"), "no card %q of this customer", r.CardID)
	}
	if n, ok := o.count("period", true); ok {
		if n < 1 || plan.Periods > 0 && n > int64(plan.Periods) || n > maxPeriods {
			p.fault(field(o.path, "period"), "must be between 1 and the plan's periods (%d)", plan.Periods)
		} else {
			r.Period = int(n)
		}
	}
	amount, _ := o.count("amount_fen", true)
	r.Amount = supportbot.Money(amount)
	if v := o.str("run_at", true); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			p.fault(field(o.path, "run_at"), "not an RFC 3339 time with offset (2026-12-15T09:00:00+08:00): %q", v)
		}
		r.RunAt = t
	}
	r.Status = o.oneOf("status", "", supportbot.ScheduledScheduled, supportbot.ScheduledProcessing,
		supportbot.ScheduledDone, supportbot.ScheduledCancelled)
	o.done()
	return r
}
