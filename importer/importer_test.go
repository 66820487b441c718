package importer_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/importer"
	"supportbot/importer/importertest"
)

func readValid(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/valid.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestParseSkipsAByteOrderMark: an export saved by a Windows tool starts
// with a UTF-8 BOM; it was refused as "must be an object".
func TestParseSkipsAByteOrderMark(t *testing.T) {
	want, err := importer.Parse([]byte(readValid(t)))
	if err != nil {
		t.Fatal(err)
	}
	got, err := importer.Parse([]byte("\xef\xbb\xbf" + readValid(t)))
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(BOM + valid) = %d customers, %v; want the same as without", len(got), err)
	}
	// Only at the start: inside the document it is still malformed.
	if _, err := importer.Parse([]byte("{\xef\xbb\xbf}")); err == nil {
		t.Error("a BOM inside the document was accepted")
	}
}

func TestParseValid(t *testing.T) {
	got, err := importer.Parse([]byte(readValid(t)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	runAt := time.Date(2026, 8, 14, 1, 0, 0, 0, time.UTC)
	want := []supportbot.CustomerData{{
		Customer: supportbot.Customer{ID: "C1001", Name: "张伟", Phone: "+8613800138000", IDCardLast4: "123X", Language: "zh"},
		Cards: []supportbot.Card{
			{ID: "K1", Bank: "招商银行", Last4: "6789", Default: true},
			{ID: "K2", Bank: "工商银行", Last4: "1234", Frozen: true},
		},
		Plans: []supportbot.Plan{{
			ID: "P2001", CustomerID: "C1001", OrderNo: "5241015123456", Product: "Redmi K70 12GB+256GB",
			Partner: "小米分期", Principal: 100000, Periods: 3, PrepayFeeRateBP: 150, AutoRepay: true,
			Bills: []supportbot.Bill{ // in the file's order, so that a conflict is told at bills[i]
				{PlanID: "P2001", Period: 1, DueDate: "2026-06-15", Principal: 33333, Fee: 500, Status: "paid"},
				{PlanID: "P2001", Period: 3, DueDate: "2026-08-15", Principal: 33334, Fee: 500, Status: "unpaid"},
				{PlanID: "P2001", Period: 2, DueDate: "2026-07-15", Principal: 33333, Fee: 500, LateFee: 1200, Status: "unpaid"},
			},
		}},
		Scheduled: []supportbot.ScheduledRepayment{{
			ID: "S3001", CustomerID: "C1001", PlanID: "P2001", Period: 3, Amount: 33834, CardID: "K1",
			RunAt: runAt, Status: "scheduled",
		}},
	}, {
		Customer: supportbot.Customer{ID: "C1002", Name: "Emily Zhao", Phone: "+8613900139000", IDCardLast4: "4567", Language: "en"},
		Cards:    []supportbot.Card{{ID: "K1", Bank: "China Construction Bank", Last4: "0001", Default: true}}, // the only card becomes default
		Plans: []supportbot.Plan{{
			ID: "P2002", CustomerID: "C1002", OrderNo: "5241015000002", Product: "Xiaomi Pad 6",
			Partner: "招联金融", Principal: 100, Periods: 1,
			Bills: []supportbot.Bill{{PlanID: "P2002", Period: 1, DueDate: "2026-01-01", Principal: 100, Status: "paid"}},
		}},
		KeepScheduled: true, // left out: the bookings on file stay
	}}
	if !got[0].Scheduled[0].RunAt.Equal(runAt) {
		t.Errorf("run_at = %v, want %v", got[0].Scheduled[0].RunAt, runAt)
	}
	got[0].Scheduled[0].RunAt = runAt // Equal instants, different zones
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse:\n got %+v\nwant %+v", got, want)
	}
}

// TestParseAnOrderOfSeveralPlans: an order paid by several plans of its
// customer's imports — the flows ask which of them is meant.
func TestParseAnOrderOfSeveralPlans(t *testing.T) {
	second := `{"id": "P2003", "order_no": "5241015123456", "product": "Redmi Buds 5",
      "partner": "小米分期", "principal_fen": 100, "periods": 1, "prepay_fee_rate_bp": 0,
      "bills": [{"period": 1, "due_date": "2026-01-01", "principal_fen": 100, "fee_fen": 0, "late_fee_fen": 0, "status": "paid"}]},
     {"id": "P2001"`
	got, err := importer.Parse([]byte(strings.Replace(readValid(t), `{"id": "P2001"`, second, 1)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if plans := got[0].Plans; len(plans) != 2 || plans[0].OrderNo != plans[1].OrderNo {
		t.Fatalf("plans = %+v, want two of order 5241015123456", plans)
	}
}

func TestParseDefaultsAndEmpty(t *testing.T) {
	got, err := importer.Parse([]byte(strings.Replace(readValid(t), `"language": "zh", `, "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if got[0].Customer.Language != supportbot.LangZH {
		t.Errorf("language without a field = %q, want zh", got[0].Customer.Language)
	}
	got, err = importer.Parse([]byte(`{"customers": []}`))
	if err != nil || len(got) != 0 {
		t.Errorf("empty file: got %v, %v; want no customers, no error", got, err)
	}
}

// TestParseFaults changes the valid file in one place per case and expects
// exactly the faults at the listed paths (msg is a part of the first one).
func TestParseFaults(t *testing.T) {
	valid := readValid(t)
	const otherScheduled = `"cards": [{"id": "K1", "bank": "China Construction Bank", "last4": "0001"}],`
	tests := []struct {
		name     string
		data     string // the whole file, instead of a change to the valid one
		old, new string
		paths    []string
		msg      string
	}{
		{name: "malformed", old: `"customers": [`, new: `"customers": [,`, paths: []string{""}, msg: "malformed JSON at line 1, column 16"},
		{name: "root not object", data: `[]`, paths: []string{""}, msg: "must be a JSON object ({\"customers\": […]}); the file is a JSON array"},
		{name: "root not JSON", data: `not json`, paths: []string{""}, msg: "the file starts with 'n'"},
		{name: "no customers", data: `{}`, paths: []string{"customers"}, msg: "required"},
		{name: "customers not array", data: `{"customers": {}}`, paths: []string{"customers"}, msg: "must be an array"},
		{name: "unknown root field", data: `{"customers": [], "version": 2}`, paths: []string{"version"}, msg: "unknown field"},
		{name: "unknown customer field", old: `"language": "en",`, new: `"language": "en", "vip": true,`, paths: []string{"customers[1].vip"}, msg: "unknown field"},
		{name: "unknown card field", old: `"last4": "0001"}`, new: `"last4": "0001", "colour": "red"}`, paths: []string{"customers[1].cards[0].colour"}, msg: "unknown field"},
		{name: "unknown plan field", old: `"periods": 1,`, new: `"periods": 1, "rate": 3,`, paths: []string{"customers[1].plans[0].rate"}, msg: "unknown field"},
		{name: "unknown bill field", old: `"principal_fen": 100, "fee_fen": 0, "late_fee_fen": 0, "status"`, new: `"principal_fen": 100, "fee_fen": 0, "late_fee_fen": 0, "memo": "", "status"`, paths: []string{"customers[1].plans[0].bills[0].memo"}, msg: "unknown field"},
		{name: "unknown scheduled field", old: `"status": "scheduled"`, new: `"status": "scheduled", "note": null`, paths: []string{"customers[0].scheduled_repayments[0].note"}, msg: "unknown field"},
		{name: "customer not object", old: `{"customers": [`, new: `{"customers": [7, `, paths: []string{"customers[0]"}, msg: "must be an object"},
		{name: "missing id", old: `"id": "C1002", `, new: ``, paths: []string{"customers[1].id"}, msg: "required"},
		{name: "empty name", old: `"name": "张伟"`, new: `"name": " "`, paths: []string{"customers[0].name"}, msg: "must not be empty"},
		{name: "name not string", old: `"name": "Emily Zhao"`, new: `"name": 5`, paths: []string{"customers[1].name"}, msg: "must be a string"},
		{name: "missing order_no", old: `"order_no": "5241015000002", `, new: ``, paths: []string{"customers[1].plans[0].order_no"}, msg: "required"},
		{name: "null bank", old: `"bank": "招商银行"`, new: `"bank": null`, paths: []string{"customers[0].cards[0].bank"}, msg: "required"},
		{name: "bad phone", old: `"phone": "13900139000"`, new: `"phone": "23900139000"`, paths: []string{"customers[1].phone"}, msg: "not a phone number"},
		{name: "id card letter", old: `"id_card_last4": "4567"`, new: `"id_card_last4": "45A7"`, paths: []string{"customers[1].id_card_last4"}, msg: "must be 4 characters"},
		{name: "id card length", old: `"id_card_last4": "4567"`, new: `"id_card_last4": "34567"`, paths: []string{"customers[1].id_card_last4"}, msg: "must be 4 characters"},
		{name: "whole id number", old: `"id_card_last4": "4567"`, new: `"id_card_last4": "11010119900307123X"`, paths: []string{"customers[1].id_card_last4"}, msg: "must be 4 characters"},
		{name: "language", old: `"language": "en"`, new: `"language": "fr"`, paths: []string{"customers[1].language"}, msg: `must be one of zh, en, not "fr"`},
		// A number left out or null is not 0: a re-import would wipe what is
		// on file (a probe: a pending refund, a prepayment fee, a bill's fee).
		{name: "refunds left out", old: `"language": "en", "pending_refunds": 0,`, new: `"language": "en",`, paths: []string{"customers[1].pending_refunds"}, msg: "required"},
		{name: "refunds null", old: `"pending_refunds": 0`, new: `"pending_refunds": null`, paths: []string{"customers[0].pending_refunds"}, msg: "required"},
		{name: "prepayment rate left out", old: `"periods": 1, "prepay_fee_rate_bp": 0,`, new: `"periods": 1,`, paths: []string{"customers[1].plans[0].prepay_fee_rate_bp"}, msg: "required"},
		{name: "fee null", old: `"principal_fen": 100, "fee_fen": 0,`, new: `"principal_fen": 100, "fee_fen": null,`, paths: []string{"customers[1].plans[0].bills[0].fee_fen"}, msg: "required"},
		{name: "late fee left out", old: `"fee_fen": 0, "late_fee_fen": 0, "status": "paid"}]}`, new: `"fee_fen": 0, "status": "paid"}]}`, paths: []string{"customers[1].plans[0].bills[0].late_fee_fen"}, msg: "required"},
		{name: "negative refunds", old: `"pending_refunds": 0`, new: `"pending_refunds": -1`, paths: []string{"customers[0].pending_refunds"}, msg: "must not be negative"},
		{name: "card last4", old: `"last4": "0001"`, new: `"last4": "001"`, paths: []string{"customers[1].cards[0].last4"}, msg: "must be 4 digits"},
		{name: "card status", old: `"status": "frozen"`, new: `"status": "blocked"`, paths: []string{"customers[0].cards[1].status"}, msg: "must be one of active, frozen"},
		{name: "default not bool", old: `"default": true`, new: `"default": "yes"`, paths: []string{"customers[0].cards[0].default"}, msg: "must be true or false"},
		{name: "two defaults", old: `"status": "frozen"`, new: `"status": "frozen", "default": true`, paths: []string{"customers[0].cards[1].default"}, msg: "a second default card, the first is customers[0].cards[0]"},
		{name: "duplicate card id", old: `{"id": "K2"`, new: `{"id": "K1"`, paths: []string{"customers[0].cards[1].id"}, msg: `duplicate card id "K1"`},
		{name: "float money", old: `"principal_fen": 33334,`, new: `"principal_fen": 333.34,`, paths: []string{"customers[0].plans[0].bills[1].principal_fen"}, msg: "must be an integer, not 333.34"},
		{name: "string money", old: `"principal_fen": 100, "periods"`, new: `"principal_fen": "100", "periods"`, paths: []string{"customers[1].plans[0].principal_fen"}, msg: "must be an integer"},
		{name: "negative fee", old: `"fee_fen": 500, "late_fee_fen": 1200`, new: `"fee_fen": -500, "late_fee_fen": 1200`, paths: []string{"customers[0].plans[0].bills[2].fee_fen"}, msg: "must not be negative"},
		{name: "huge amount", old: `"amount_fen": 33834`, new: `"amount_fen": 99999999999999999999`, paths: []string{"customers[0].scheduled_repayments[0].amount_fen"}, msg: "out of range"},
		{name: "zero periods", old: `"periods": 1`, new: `"periods": 0`, paths: []string{"customers[1].plans[0].periods"}, msg: "must be between 1 and 360"},
		{name: "fee rate", old: `"prepay_fee_rate_bp": 150`, new: `"prepay_fee_rate_bp": 10001`, paths: []string{"customers[0].plans[0].prepay_fee_rate_bp"}, msg: "between 0 and 10000"},
		{name: "auto_repay not bool", old: `"auto_repay": true`, new: `"auto_repay": 1`, paths: []string{"customers[0].plans[0].auto_repay"}, msg: "must be true or false"},
		{name: "bills missing", old: `,
      "bills": [{"period": 1, "due_date": "2026-01-01", "principal_fen": 100, "fee_fen": 0, "late_fee_fen": 0, "status": "paid"}]`, new: ``, paths: []string{"customers[1].plans[0].bills"}, msg: "required"},
		{name: "bills empty", old: `"bills": [{"period": 1, "due_date": "2026-01-01", "principal_fen": 100, "fee_fen": 0, "late_fee_fen": 0, "status": "paid"}]`, new: `"bills": []`, paths: []string{"customers[1].plans[0].bills"}, msg: "missing periods 1"},
		{name: "bill not object", old: `"bills": [{"period": 1, "due_date": "2026-01-01", "principal_fen": 100, "fee_fen": 0, "late_fee_fen": 0, "status": "paid"}]`, new: `"bills": [7]`, paths: []string{"customers[1].plans[0].bills[0]", "customers[1].plans[0].bills"}, msg: "must be an object"},
		{name: "period out of range", old: `{"period": 3,`, new: `{"period": 4,`, paths: []string{"customers[0].plans[0].bills[1].period", "customers[0].plans[0].bills"}, msg: "must be between 1 and the plan's periods (3)"},
		{name: "duplicate period", old: `{"period": 3,`, new: `{"period": 2,`, paths: []string{"customers[0].plans[0].bills[2].period", "customers[0].plans[0].bills"}, msg: "duplicate period 2, also at customers[0].plans[0].bills[1].period"},
		{name: "missing period", old: `"periods": 1,`, new: `"periods": 2,`, paths: []string{"customers[1].plans[0].bills"}, msg: "missing periods 2"},
		{name: "bad due date", old: `"2026-07-15"`, new: `"2026-07-32"`, paths: []string{"customers[0].plans[0].bills[2].due_date"}, msg: "not a date"},
		{name: "due dates out of order", old: `"2026-08-15"`, new: `"2026-07-01"`, paths: []string{"customers[0].plans[0].bills[1].due_date"}, msg: "must be after period 2's due date 2026-07-15"},
		{name: "bill status", old: `"late_fee_fen": 1200, "status": "unpaid"`, new: `"late_fee_fen": 1200, "status": "late"`, paths: []string{"customers[0].plans[0].bills[2].status"}, msg: "must be one of paid, unpaid"},
		{name: "principal sum", old: `"principal_fen": 100000`, new: `"principal_fen": 100001`, paths: []string{"customers[0].plans[0].bills"}, msg: "principal sums to 100000, plan says 100001"},
		{name: "dangling plan", old: `"plan_id": "P2001"`, new: `"plan_id": "P2002"`, paths: []string{"customers[0].scheduled_repayments[0].plan_id"}, msg: `no plan "P2002" of this customer`},
		{name: "dangling card", old: `"card_id": "K1"`, new: `"card_id": "K9"`, paths: []string{"customers[0].scheduled_repayments[0].card_id"}, msg: `no card "K9" of this customer`},
		{name: "scheduled period", old: `"period": 3, "amount_fen"`, new: `"period": 4, "amount_fen"`, paths: []string{"customers[0].scheduled_repayments[0].period"}, msg: "must be between 1 and the plan's periods (3)"},
		{name: "run_at without offset", old: `"2026-08-14T09:00:00+08:00"`, new: `"2026-08-14T09:00:00"`, paths: []string{"customers[0].scheduled_repayments[0].run_at"}, msg: "not an RFC 3339 time"},
		{name: "scheduled status", old: `"status": "scheduled"`, new: `"status": "pending"`, paths: []string{"customers[0].scheduled_repayments[0].status"}, msg: "must be one of scheduled, processing, done, cancelled"},
		{name: "duplicate customer id", old: `"C1002"`, new: `"C1001"`, paths: []string{"customers[1].id"}, msg: "duplicate customer id, also at customers[0].id"},
		{name: "duplicate phone", old: `"13900139000"`, new: `"8613800138000"`, paths: []string{"customers[1].phone"}, msg: "duplicate phone, also at customers[0].phone"},
		{name: "duplicate plan id", old: `{"id": "P2002"`, new: `{"id": "P2001"`, paths: []string{"customers[1].plans[0].id"}, msg: "duplicate plan id, also at customers[0].plans[0].id"},
		// one order is one customer's (a probe: "pay off order N" picked one of two customers' plans)
		{name: "another customer's order number", old: `"order_no": "5241015000002"`, new: `"order_no": "5241015123456"`, paths: []string{"customers[1].plans[0].order_no"}, msg: "duplicate order number, also at customers[0].plans[0].order_no"},
		// Text garbled on the way is refused, not kept as "�" (a probe:
		// a GBK export imported with every Chinese name garbled).
		{name: "not UTF-8", old: `"name": "张伟"`, new: "\"name\": \"\xd5\xc5\xce\xb0\"", paths: []string{"customers[0].name"}, msg: "is not UTF-8 text"},
		{name: "lone surrogate", old: `"product": "Xiaomi Pad 6"`, new: `"product": "Xiaomi \ud800Pad"`, paths: []string{"customers[1].plans[0].product"}, msg: "is not UTF-8 text"},
		// A phone or ID number in the wrong field is not repeated in the fault.
		{name: "number in an enumerated field", old: `"language": "en"`, new: `"language": "13800138000"`, paths: []string{"customers[1].language"},
			msg: `must be one of zh, en, not "****8000"`},
		// …nor when it is grouped, an amount, or a key (a probe).
		{name: "grouped phone in an enumerated field", old: `"language": "en"`, new: `"language": "+86 138-0013 8000"`, paths: []string{"customers[1].language"},
			msg: `must be one of zh, en, not "+****8000"`},
		{name: "card number as a status", old: `"last4": "0001"`, new: `"last4": "0001", "status": "6222.0212.3456.7890"`, paths: []string{"customers[1].cards[0].status"},
			msg: `must be one of active, frozen, not "****7890"`},
		{name: "phone as an amount", old: `"principal_fen": 100, "fee_fen": 0,`, new: `"principal_fen": 13800138000, "fee_fen": 0,`,
			paths: []string{"customers[1].plans[0].bills[0].principal_fen"}, msg: "out of range: an 11-digit number (****8000); an amount is at most"},
		{name: "phone as a key", old: `"language": "en",`, new: `"language": "en", "13800138000": 1,`, paths: []string{"customers[1].****8000"}, msg: "unknown field"},
		{name: "date and time kept", old: `"run_at": "2026-08-14T09:00:00+08:00"`, new: `"run_at": "2026-08-14 09:00"`, paths: []string{"customers[0].scheduled_repayments[0].run_at"}, msg: `"2026-08-14 09:00"`},
		{name: "a fraction's point kept", old: `"principal_fen": 33334,`, new: `"principal_fen": 1234567.5,`, paths: []string{"customers[0].plans[0].bills[1].principal_fen"}, msg: "must be an integer, not ****4567.5"},
		{name: "date kept", old: `"due_date": "2026-01-01"`, new: `"due_date": "2026.13.01"`, paths: []string{"customers[1].plans[0].bills[0].due_date"}, msg: `not a date (YYYY-MM-DD): "2026.13.01"`},
		// A date left empty in the export, or a stand-in for none (an
		// operator probe: "overdue 106751 days").
		{name: "zero date", old: `"due_date": "2026-01-01"`, new: `"due_date": "0001-01-01"`, paths: []string{"customers[1].plans[0].bills[0].due_date"}, msg: "0001-01-01 is not between 2000 and 2099"},
		{name: "far date", old: `"due_date": "2026-01-01"`, new: `"due_date": "9999-12-31"`, paths: []string{"customers[1].plans[0].bills[0].due_date"}, msg: "9999-12-31 is not between 2000 and 2099"},
		{name: "zero run_at", old: `"run_at": "2026-08-14T09:00:00+08:00"`, new: `"run_at": "0001-01-01T00:00:00Z"`, paths: []string{"customers[0].scheduled_repayments[0].run_at"}, msg: "is not between 2000 and 2099"},
		{name: "duplicate scheduled id", old: otherScheduled,
			new:   otherScheduled + `"scheduled_repayments": [{"id": "S3001", "plan_id": "P2002", "period": 1, "amount_fen": 100, "card_id": "K1", "run_at": "2026-01-01T09:00:00Z", "status": "done"}],`,
			paths: []string{"customers[1].scheduled_repayments[0].id"}, msg: "duplicate scheduled repayment id, also at customers[0].scheduled_repayments[0].id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data
			if data == "" {
				if !strings.Contains(valid, tt.old) {
					t.Fatalf("the valid file has no %s", tt.old)
				}
				data = strings.Replace(valid, tt.old, tt.new, 1)
			}
			got, err := importer.Parse([]byte(data))
			var fe *importer.FaultsError
			if !errors.As(err, &fe) {
				t.Fatalf("Parse error = %v, want a *FaultsError", err)
			}
			if got != nil {
				t.Errorf("Parse returned data with faults: %v", got)
			}
			var paths []string
			for _, f := range fe.Faults {
				paths = append(paths, f.Path)
			}
			if !reflect.DeepEqual(paths, tt.paths) {
				t.Fatalf("fault paths = %q, want %q\n%v", paths, tt.paths, err)
			}
			if !strings.Contains(fe.Faults[0].Message, tt.msg) {
				t.Errorf("fault %q does not say %q", fe.Faults[0], tt.msg)
			}
			if supportbot.ErrorCode(err) != supportbot.EINVALID {
				t.Errorf("ErrorCode = %q, want %q", supportbot.ErrorCode(err), supportbot.EINVALID)
			}
		})
	}
}

// TestParseEveryFault checks that faults do not stop the walk, and the
// message format an operator reads.
func TestParseEveryFault(t *testing.T) {
	data := strings.NewReplacer(
		`"name": "张伟"`, `"name": ""`,
		`"2026-07-15"`, `"15/07/2026"`,
		`"last4": "0001"`, `"last4": "0001", "colour": "red"`,
		`"run_at": "2026-08-14T09:00:00+08:00"`, `"run_at": "tomorrow"`,
	).Replace(readValid(t))
	_, err := importer.Parse([]byte(data))
	want := strings.Join([]string{
		`customers[0].name: must not be empty`,
		`customers[0].plans[0].bills[2].due_date: not a date (YYYY-MM-DD): "15/07/2026"`,
		`customers[0].scheduled_repayments[0].run_at: not an RFC 3339 time with offset (2026-12-15T09:00:00+08:00): "tomorrow"`,
		`customers[1].cards[0].colour: unknown field`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("Parse error:\n%v\nwant:\n%s", err, want)
	}
}

func TestIDsMustFitInAButton(t *testing.T) {
	data := []byte(`{"customers":[{"id":"C 1","name":"x","phone":"13800138000","id_card_last4":"1234",
		"cards":[],"plans":[{"id":"` + strings.Repeat("P", 40) + `","order_no":"1","product":"p","partner":"q",
		"principal_fen":100,"periods":1,"prepay_fee_rate_bp":0,
		"bills":[{"period":1,"due_date":"2026-01-01","principal_fen":100,"fee_fen":0,"late_fee_fen":0,"status":"paid"}]}],
		"scheduled_repayments":[]}]}`)
	_, err := importer.Parse(data)
	for _, path := range []string{"customers[0].id:", "customers[0].plans[0].id:"} {
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("error %v lacks %s", err, path)
		}
	}
}

// doc is an export of one customer with one plan: plan is the plan's JSON
// without its braces, scheduled the scheduled repayments' array.
func doc(plan, scheduled string) string {
	if !strings.Contains(plan, `"prepay_fee_rate_bp"`) {
		plan += `, "prepay_fee_rate_bp": 0`
	}
	return `{"customers": [{"id": "C1", "name": "张伟", "phone": "+8613800138000", "id_card_last4": "1234", "pending_refunds": 0,
		"cards": [{"id": "K1", "bank": "招商银行", "last4": "6789"}],
		"plans": [{"id": "P1", "order_no": "1", "product": "Redmi K70", "partner": "小米分期", ` + plan + `}],
		"scheduled_repayments": ` + scheduled + `}]}`
}

// bills is a plan's periods and bills, each bill with the given parts (a
// fee not given is 0).
func bills(principal string, bills ...string) string {
	var b []string
	for i, parts := range bills {
		for _, fee := range []string{"fee_fen", "late_fee_fen"} {
			if !strings.Contains(parts, `"`+fee+`"`) {
				parts += `, "` + fee + `": 0`
			}
		}
		b = append(b, fmt.Sprintf(`{"period": %d, "due_date": "2026-%02d-15", %s, "status": "unpaid"}`, i+1, i+1, parts))
	}
	return fmt.Sprintf(`"principal_fen": %s, "periods": %d, "bills": [%s]`, principal, len(bills), strings.Join(b, ", "))
}

type faultCase struct {
	name  string
	data  string
	paths []string // every fault's path, in order; nil: only want
	want  string   // the first fault (path: message) contains it
}

func checkFaults(t *testing.T, tests []faultCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := importer.Parse([]byte(tt.data))
			var fe *importer.FaultsError
			if !errors.As(err, &fe) {
				t.Fatalf("Parse error = %v, want a *FaultsError", err)
			}
			if got != nil {
				t.Errorf("Parse returned data with faults: %v", got)
			}
			var paths []string
			for _, f := range fe.Faults {
				paths = append(paths, f.Path)
			}
			if tt.paths != nil && !reflect.DeepEqual(paths, tt.paths) {
				t.Errorf("fault paths = %q, want %q\n%v", paths, tt.paths, err)
			}
			if !strings.Contains(fe.Faults[0].String(), tt.want) {
				t.Errorf("first fault %q does not say %q\n%v", fe.Faults[0], tt.want, err)
			}
		})
	}
}

// TestParseMoneyBounds: every amount within 0..MaxPlanMoney and a plan's
// whole amount too, so that no sum wraps (issue 15.2). Each case was
// accepted before.
func TestParseMoneyBounds(t *testing.T) {
	const p = "customers[0].plans[0]"
	const huge = "4611686018427387904" // 2^62: four of them wrap to 0
	const hugePlus100 = "4611686018427388004"
	const nearMax = "9223372036854775000"
	sched := func(amount string) string {
		return `[{"id": "S1", "plan_id": "P1", "period": 1, "amount_fen": ` + amount +
			`, "card_id": "K1", "run_at": "2026-01-15T09:00:00+08:00", "status": "scheduled"}]`
	}
	checkFaults(t, []faultCase{
		{name: "bills that wrap to the principal",
			data:  doc(bills("100", `"principal_fen": `+huge, `"principal_fen": `+huge, `"principal_fen": `+huge, `"principal_fen": `+hugePlus100), "[]"),
			paths: []string{p + ".bills[0].principal_fen", p + ".bills[1].principal_fen", p + ".bills[2].principal_fen", p + ".bills[3].principal_fen"},
			want:  p + ".bills[0].principal_fen: out of range: a 19-digit number (****7904); an amount is at most 1000000000 fen (¥10,000,000.00)"},
		{name: "fee near the int64 maximum",
			data:  doc(bills("100", `"principal_fen": 100, "fee_fen": `+nearMax), "[]"),
			paths: []string{p + ".bills[0].fee_fen"}, want: "out of range"},
		{name: "fee beyond int64",
			data:  doc(bills("100", `"principal_fen": 100, "fee_fen": 9223372036854775808`), "[]"),
			paths: []string{p + ".bills[0].fee_fen"}, want: "out of range: a 19-digit number (****5808); an amount is at most"},
		{name: "late fee over the bound",
			data:  doc(bills("100", `"principal_fen": 100, "late_fee_fen": 1000000001`), "[]"),
			paths: []string{p + ".bills[0].late_fee_fen"}, want: "out of range: a 10-digit number (****0001); an amount is at most"},
		{name: "principal over the bound",
			data:  doc(bills("1000000001", `"principal_fen": 1000000001`), "[]"),
			paths: []string{p + ".principal_fen", p + ".bills[0].principal_fen"}, want: "out of range"},
		{name: "scheduled amount over the bound",
			data:  doc(bills("100", `"principal_fen": 100`), sched("20000000000")),
			paths: []string{"customers[0].scheduled_repayments[0].amount_fen"}, want: "out of range"},
		{name: "negative beyond int64",
			data:  doc(bills("100", `"principal_fen": 100, "fee_fen": -9223372036854775809`), "[]"),
			paths: []string{p + ".bills[0].fee_fen"}, want: "must not be negative"},
		{name: "whole plan over the bound",
			data:  doc(bills("1000000000", `"principal_fen": 500000000, "fee_fen": 1`, `"principal_fen": 500000000`), "[]"),
			paths: []string{p}, want: p + ": principal, fees, late fees and the largest prepayment fee come to more than the 1000000000 fen (¥10,000,000.00) a plan may"},
		{name: "late fees over the bound together",
			data:  doc(bills("2", `"principal_fen": 1, "late_fee_fen": 600000000`, `"principal_fen": 1, "late_fee_fen": 600000000`), "[]"),
			paths: []string{p}, want: "principal, fees, late fees and the largest prepayment fee come to more than"},
		// 999,000,000 fen at 1.5 %: a payoff could ask ¥10,139,850.00, which
		// no quote may; the customer was told there was nothing to pay.
		{name: "payoff with its prepayment fee over the bound",
			data:  doc(`"prepay_fee_rate_bp": 150, `+bills("999000000", `"principal_fen": 499500000, "fee_fen": 0`, `"principal_fen": 499500000, "fee_fen": 0`), "[]"),
			paths: []string{p}, want: "and the largest prepayment fee come to more than"},
	})

	// The bounds themselves are allowed (a repayment no more than its
	// period owes).
	data := doc(bills("1000000000", `"principal_fen": 999999999, "fee_fen": 1`, `"principal_fen": 1`), sched("999999999"))
	if _, err := importer.Parse([]byte(strings.Replace(data, `"fee_fen": 1`, `"fee_fen": 0`, 1))); err != nil {
		t.Errorf("a plan of exactly MaxPlanMoney: %v", err)
	}
	if _, err := importer.Parse([]byte(doc(bills("1000000000", `"principal_fen": 1000000000`), sched("1000000000")))); err != nil {
		t.Errorf("a repayment of exactly MaxPlanMoney: %v", err)
	}
}

// TestParseRefusesWhatTheCoreCannotMean: a plan lending nothing, an unpaid
// period repaying none of it, a debit of nothing, and a booking of a period
// already paid (the bot would tell
// the customer it is taken care of, and the core would debit it again)
// were accepted.
func TestParseRefusesWhatTheCoreCannotMean(t *testing.T) {
	const p = "customers[0].plans[0]"
	sched := func(amount, status string) string {
		return `[{"id": "S1", "plan_id": "P1", "period": 1, "amount_fen": ` + amount +
			`, "card_id": "K1", "run_at": "2026-01-15T09:00:00+08:00", "status": "` + status + `"}]`
	}
	paid := `"principal_fen": 100, "periods": 1, "bills": [{"period": 1, "due_date": "2026-01-15", "principal_fen": 100, "fee_fen": 0, "late_fee_fen": 0, "status": "paid"}]`
	checkFaults(t, []faultCase{
		{name: "plan of no principal", data: doc(bills("0", `"principal_fen": 0`), "[]"),
			paths: []string{p + ".principal_fen"}, want: p + ".principal_fen: must be more than 0"},
		// Unpaid periods left that repay no principal and owe nothing due:
		// the core quotes ¥0, nothing could settle the plan, and the
		// customer was sent round in circles.
		{name: "unpaid periods of no principal", data: doc(strings.Replace(bills("100", `"principal_fen": 100`, `"principal_fen": 0`),
			`"status": "unpaid"`, `"status": "paid"`, 1), "[]"),
			paths: []string{p + ".bills"}, want: p + ".bills: the unpaid periods repay no principal and owe nothing due"},
		{name: "scheduled repayment of nothing", data: doc(bills("100", `"principal_fen": 100`), sched("0", "scheduled")),
			paths: []string{"customers[0].scheduled_repayments[0].amount_fen"}, want: "amount_fen: must be more than 0"},
		{name: "booking of a paid period", data: doc(paid, sched("100", "scheduled")),
			paths: []string{"customers[0].scheduled_repayments[0].status"},
			want:  "customers[0].scheduled_repayments[0].status: scheduled for period 1, which the plan's bills say is paid"},
		// The operator probe: 999999 fen booked on a 500-fen period, and the
		// customer's cancel list showed "第 2 期 · ¥9,999.99".
		{name: "repayment of more than its period owes", data: doc(bills("1000", `"principal_fen": 500`, `"principal_fen": 500`),
			strings.Replace(sched("999999", "scheduled"), `"period": 1`, `"period": 2`, 1)),
			paths: []string{"customers[0].scheduled_repayments[0].amount_fen"},
			want:  "customers[0].scheduled_repayments[0].amount_fen: 999999 fen is more than period 2 owes: 500 fen (its principal, fee and late fee)"},
		{name: "repayment one fen over principal, fee and late fee",
			data:  doc(bills("100", `"principal_fen": 100, "fee_fen": 20, "late_fee_fen": 3`), sched("124", "scheduled")),
			paths: []string{"customers[0].scheduled_repayments[0].amount_fen"}, want: "124 fen is more than period 1 owes: 123 fen"},
		{name: "done repayment of more than its period owes", data: doc(paid, sched("101", "done")),
			paths: []string{"customers[0].scheduled_repayments[0].amount_fen"}, want: "101 fen is more than period 1 owes: 100 fen"},
		// Two live bookings of a whole period would debit it twice.
		{name: "two live repayments of one period", data: doc(bills("100", `"principal_fen": 100, "fee_fen": 20, "late_fee_fen": 3`),
			twoBookings("100", "scheduled", "100", "processing")),
			paths: []string{"customers[0].scheduled_repayments[1].amount_fen"},
			want:  "customers[0].scheduled_repayments[1].amount_fen: with S1, the live scheduled repayments of period 1 debit 200 fen, more than it owes: 123 fen"},
		// A bill's amount in fault is told once, not again as the repayment's.
		{name: "period of an unreadable amount", data: doc(bills("100", `"principal_fen": 100, "fee_fen": 1.5`), sched("500", "scheduled")),
			paths: []string{p + ".bills[0].fee_fen"}, want: "must be an integer"},
	})
	// What the period owes, to the fen, late fee included, may be booked.
	if _, err := importer.Parse([]byte(doc(bills("100", `"principal_fen": 100, "fee_fen": 20, "late_fee_fen": 3`), sched("123", "scheduled")))); err != nil {
		t.Errorf("a repayment of what its period owes: %v", err)
	}
	// A period split between bookings, or booked again beside a booking
	// cancelled or done, is one debit of what it owes.
	for _, split := range [][4]string{{"60", "scheduled", "63", "scheduled"}, {"123", "cancelled", "123", "scheduled"}, {"123", "scheduled", "123", "done"}} {
		if _, err := importer.Parse([]byte(doc(bills("100", `"principal_fen": 100, "fee_fen": 20, "late_fee_fen": 3`),
			twoBookings(split[0], split[1], split[2], split[3])))); err != nil {
			t.Errorf("bookings %v of one period: %v", split, err)
		}
	}
	// A booking done or cancelled for a paid period is history, not a debit to come.
	for _, status := range []string{"done", "cancelled"} {
		if _, err := importer.Parse([]byte(doc(paid, sched("100", status)))); err != nil {
			t.Errorf("a %s booking of a paid period: %v", status, err)
		}
	}
}

// TestDecoderRefusesALateFeeNotYetDue: a late fee on a bill due today or
// later (today in SUPPORT_TIMEZONE, which the caller says) was accepted, and
// a payoff charged it once the bill fell due.
func TestDecoderRefusesALateFeeNotYetDue(t *testing.T) {
	data := doc(bills("300", `"principal_fen": 100, "late_fee_fen": 50`, `"principal_fen": 100, "late_fee_fen": 50`,
		`"principal_fen": 100, "late_fee_fen": 50`), "[]") // due 2026-01-15, 02-15, 03-15
	read := func(today supportbot.Date) error {
		d := importer.NewDecoder(strings.NewReader(data), nil, importer.Limits{Today: today})
		for _, ok := d.Next(); ok; _, ok = d.Next() {
		}
		return d.Err()
	}
	want := strings.Join([]string{
		"customers[0].plans[0].bills[1].late_fee_fen: a late fee on a bill not yet overdue: due 2026-02-15, today is 2026-02-15",
		"customers[0].plans[0].bills[2].late_fee_fen: a late fee on a bill not yet overdue: due 2026-03-15, today is 2026-02-15",
	}, "\n")
	if err := read("2026-02-15"); err == nil || err.Error() != want {
		t.Errorf("late fees on bills due today and later: %v\nwant:\n%s", err, want)
	}
	if err := read("2026-03-16"); err != nil {
		t.Errorf("late fees on bills all past due: %v", err)
	}
	if _, err := importer.Parse([]byte(data)); err != nil {
		t.Errorf("Parse, which knows no today: %v", err)
	}
}

// TestParseLimits: string lengths, duplicate keys, nesting and array sizes
// are bounded, each fault naming the field (issue 15.3). Each case was
// accepted before, or cost memory without bound.
func TestParseLimits(t *testing.T) {
	valid := readValid(t)
	change := func(old, new string) string {
		t.Helper()
		if !strings.Contains(valid, old) {
			t.Fatalf("the valid file has no %s", old)
		}
		return strings.Replace(valid, old, new, 1)
	}
	long := func(n int) string { return strings.Repeat("长", n) }
	deep := strings.Repeat("[", 20) + strings.Repeat("]", 20)
	var manyCards, manyFields, manyValues []string
	for i := range 21 {
		manyCards = append(manyCards, fmt.Sprintf(`{"id": "K%d", "bank": "b", "last4": "0001"}`, i))
	}
	for i := range 65 {
		manyFields = append(manyFields, fmt.Sprintf(`"f%d": 1`, i))
	}
	for range 100_001 {
		manyValues = append(manyValues, "1")
	}
	checkFaults(t, []faultCase{
		{name: "product of 201 characters", data: change(`"product": "Xiaomi Pad 6"`, `"product": "`+long(201)+`"`),
			paths: []string{"customers[1].plans[0].product"}, want: "customers[1].plans[0].product: longer than 200 characters"},
		{name: "product of 10 MB", data: change(`"product": "Xiaomi Pad 6"`, `"product": "`+strings.Repeat("x", 10<<20)+`"`),
			paths: []string{"customers[1].plans[0].product"}, want: "longer than 200 characters"},
		{name: "name", data: change(`"name": "Emily Zhao"`, `"name": "`+long(101)+`"`),
			paths: []string{"customers[1].name"}, want: "longer than 100 characters"},
		{name: "bank", data: change(`"bank": "招商银行"`, `"bank": "`+long(51)+`"`),
			paths: []string{"customers[0].cards[0].bank"}, want: "longer than 50 characters"},
		{name: "partner", data: change(`"partner": "招联金融"`, `"partner": "`+long(51)+`"`),
			paths: []string{"customers[1].plans[0].partner"}, want: "longer than 50 characters"},
		{name: "order number", data: change(`"order_no": "5241015000002"`, `"order_no": "`+strings.Repeat("5", 65)+`"`),
			paths: []string{"customers[1].plans[0].order_no"}, want: "longer than 64 characters"},
		{name: "id", data: change(`"C1002"`, `"`+strings.Repeat("C", 33)+`"`),
			paths: []string{"customers[1].id"}, want: "must be 1-32 characters"},
		{name: "phone", data: change(`"13900139000"`, `"`+strings.Repeat("1", 33)+`"`),
			paths: []string{"customers[1].phone"}, want: "longer than 32 characters"},
		{name: "control character", data: change(`"name": "Emily Zhao"`, `"name": "Emily\nZhao"`),
			paths: []string{"customers[1].name"}, want: "must not contain control characters"},
		{name: "direction override", data: change(`"name": "Emily Zhao"`, `"name": "Emily \u202eoahZ"`),
			paths: []string{"customers[1].name"}, want: "must not contain direction controls"},
		{name: "duplicate key", data: change(`"principal_fen": 100000`, `"principal_fen": 100, "principal_fen": 150`),
			paths: []string{"customers[0].plans[0].principal_fen", "customers[0].plans[0].bills"},
			want:  "customers[0].plans[0].principal_fen: duplicate key"},
		{name: "duplicate key in a bill", data: change(`"status": "paid"}`, `"status": "paid", "status": "unpaid"}`),
			paths: []string{"customers[0].plans[0].bills[0].status"}, want: "duplicate key"},
		{name: "duplicate key in a customer", data: change(`"language": "en"`, `"language": "en", "language": "zh"`),
			paths: []string{"customers[1].language"}, want: "duplicate key"},
		{name: "duplicate key at the root", data: `{"customers": [], "customers": []}`,
			paths: []string{"customers"}, want: "customers: duplicate key"},
		{name: "duplicate unknown key", data: change(`"language": "en"`, `"language": "en", "x": 1, "x": 2`),
			paths: []string{"customers[1].x", "customers[1].x"}, want: "duplicate key"},
		{name: "nesting", data: change(`"language": "en"`, `"language": "en", "x": `+deep),
			paths: []string{"customers[1].x" + strings.Repeat("[0]", 14)}, want: "nested deeper than 16 levels"},
		{name: "cards", data: change(`"cards": [{"id": "K1", "bank": "China Construction Bank", "last4": "0001"}]`, `"cards": [`+strings.Join(manyCards, ", ")+`]`),
			paths: []string{"customers[1].cards"}, want: "customers[1].cards: more than 20 cards"},
		{name: "fields", data: change(`"language": "en"`, `"language": "en", `+strings.Join(manyFields, ", ")),
			want: "customers[1]: more than 64 fields"},
		// The fields past the 64th are not kept, and not "required" either
		// (a probe: id, name, phone… said missing though in the file).
		{name: "fields before the required ones", data: change(`{"id": "C1002"`, `{`+strings.Join(manyFields, ", ")+`, "id": "C1002"`),
			paths: fieldPaths("customers[1]", 64), want: "customers[1]: more than 64 fields"},
		{name: "values", data: change(`"language": "en"`, `"language": "en", "x": [`+strings.Join(manyValues, ",")+`]`),
			paths: []string{"customers[1]"}, want: "customers[1]: more than 100000 values or 1 MiB of text"},
	})
}

// fieldPaths are the faults' paths, in order, of an object with more fields
// than it may have, f0…f(n-1) unknown: the object's, then the fields'.
func fieldPaths(object string, n int) []string {
	paths := []string{object}
	for i := range n {
		paths = append(paths, fmt.Sprintf("%s.f%d", object, i))
	}
	slices.Sort(paths)
	return paths
}

func TestDecoderFileSizeAndFaultLimits(t *testing.T) {
	d := importer.NewDecoder(strings.NewReader(readValid(t)), nil, importer.Limits{MaxFileBytes: 1000})
	for _, ok := d.Next(); ok; _, ok = d.Next() {
	}
	var fe *importer.FaultsError
	if err := d.Err(); !errors.As(err, &fe) || fe.Faults[len(fe.Faults)-1].String() !=
		"the file is larger than 1000 bytes, the limit of an import (importer.Limits.MaxFileBytes)" {
		t.Errorf("a file over the size limit: %v", err)
	}

	data := strings.NewReplacer(`"name": "张伟"`, `"name": ""`, `"name": "Emily Zhao"`, `"name": ""`,
		`"last4": "6789"`, `"last4": "x"`, `"last4": "0001"`, `"last4": "y"`).Replace(readValid(t))
	d = importer.NewDecoder(strings.NewReader(data), nil, importer.Limits{MaxFaults: 2})
	for _, ok := d.Next(); ok; _, ok = d.Next() {
	}
	err := d.Err()
	if !errors.As(err, &fe) || len(fe.Faults) != 2 || fe.More != 2 || !strings.HasSuffix(err.Error(), "\n… and 2 more faults") {
		t.Errorf("faults over the limit: %#v\n%v", fe, err)
	}
}

// TestParseSyntax: malformed JSON is one fault, with where it is, after the
// faults found before it.
func TestParseSyntax(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"", "malformed JSON at line 1, column 1 (byte 1): unexpected end of JSON input"},
		{`{"customers": []}{}`, "malformed JSON at line 1, column 18 (byte 18): invalid character '{' after top-level value"},
		{"{\"customers\": [\n  {\"id\": \"C1\",}\n]}", "malformed JSON at line 2, column 15 (byte 31): invalid character '}' looking for beginning of object key string"},
		{"{\"customers\": [{\"name\": \"a\tb\"}]}", `malformed JSON at line 1, column 27 (byte 27): invalid character '\t' in string literal`},
		{`{"customers": [{"name": "\x"}]}`, `invalid character 'x' in string escape code`},
		{`{"customers": [{"period": 01}]}`, `invalid character '1' after object key:value pair`},
		{`{"customers": [{"period": -}]}`, `invalid character '}' in numeric literal`},
		{`{"customers": [tru]}`, `invalid character ']' in literal true (expecting 'e')`},
		{`{"customers": [{"id": "C1"`, "unexpected end of JSON input"},
	} {
		_, err := importer.Parse([]byte(c.data))
		var fe *importer.FaultsError
		if !errors.As(err, &fe) || !strings.Contains(fe.Faults[len(fe.Faults)-1].Message, c.want) {
			t.Errorf("Parse(%.40q) = %v, want the last fault to say %q", c.data, err, c.want)
		}
	}

	// Faults before the malformed part are kept; nothing after it is read.
	_, err := importer.Parse([]byte(`{"customers": [{"id": "C 1"}, {"id": ]}`))
	var fe *importer.FaultsError
	if !errors.As(err, &fe) || len(fe.Faults) < 2 || fe.Faults[0].Path != "customers[0].id" ||
		!strings.HasPrefix(fe.Faults[len(fe.Faults)-1].Message, "malformed JSON at line 1, column 38") {
		t.Errorf("faults then malformed JSON:\n%v", err)
	}
}

func TestParseStrings(t *testing.T) {
	data := strings.Replace(readValid(t), `"name": "Emily Zhao"`, `"name": "\u5f20\u4f1f \ud83d\ude00 \"E\" \\ \/"`, 1)
	got, err := importer.Parse([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if want := `张伟 😀 "E" \ /`; got[1].Customer.Name != want {
		t.Errorf("name = %q, want %q", got[1].Customer.Name, want)
	}
}

// TestParsePhones: an export's phone may be domestic (mainland) or
// international; it is kept in E.164.
func TestParsePhones(t *testing.T) {
	valid := readValid(t)
	for in, want := range map[string]string{
		"13900139000": "+8613900139000", "+86 139-0013-9000": "+8613900139000", "0086 139 0013 9000": "+8613900139000",
		"+1 385 234 5678": "+13852345678", "+852 9123 4567": "+85291234567", "0044 7911 123456": "+447911123456",
		"13852345678": "+8613852345678", // no "+": an export's 11 digits are a mainland number
	} {
		got, err := importer.Parse([]byte(strings.Replace(valid, `"13900139000"`, `"`+in+`"`, 1)))
		if err != nil || got[1].Customer.Phone != want {
			t.Errorf("phone %q: %v; want %s", in, err, want)
			continue
		}
	}
	for _, in := range []string{"447911123456", "+86 23900139000", "phone", "+999 1234 5678"} {
		if _, err := importer.Parse([]byte(strings.Replace(valid, `"13900139000"`, `"`+in+`"`, 1))); err == nil ||
			!strings.Contains(err.Error(), "customers[1].phone: not a phone number") {
			t.Errorf("phone %q: %v; want a fault", in, err)
		}
	}
}

// discardKeys remembers nothing: the memory test measures the decoder alone
// (a streaming import keeps the keys in its database).
type discardKeys struct{}

func (discardKeys) Add(kind, key, path string) (string, error) { return "", nil }

// TestDecoderMemoryIsBounded reads a generated export of tens of megabytes
// and checks that the heap does not grow with it (issue 20).
func TestDecoderMemoryIsBounded(t *testing.T) {
	n := 40_000
	if testing.Short() {
		n = 5_000
	}
	var peak uint64
	var ms runtime.MemStats
	runtime.GC() // what earlier tests left is not this test's
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	d := importer.NewDecoder(importertest.Reader(n), discardKeys{}, importer.Limits{})
	read := 0
	for c, ok := d.Next(); ok; c, ok = d.Next() {
		if read%2000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc-min(base, ms.HeapAlloc))
		}
		if want := importertest.Customer(read).ID; c.Customer.ID != want {
			t.Fatalf("customer %d is %s, want %s", read, c.Customer.ID, want)
		}
		read++
	}
	if err := d.Err(); err != nil || read != n || d.Customers() != n {
		t.Fatalf("read %d customers of %d (%d), %v", read, n, d.Customers(), err)
	}
	t.Logf("%d customers, %d MB of JSON: peak heap %.1f MB", n, d.Offset()>>20, float64(peak)/(1<<20))
	if peak > 32<<20 {
		t.Errorf("peak heap %d MB reading %d MB of JSON: memory grows with the file", peak>>20, d.Offset()>>20)
	}
}

// FuzzParse: whatever the input, Parse neither panics nor accepts
// malformed JSON.
func FuzzParse(f *testing.F) {
	b, err := os.ReadFile("testdata/valid.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{string(b), `{"customers": []}`, `[]`, `{"customers": [{}]}`, `"\ud83d"`, `{"a":{"a":[1e5,-0.5,true,null]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := importer.Parse(data)
		if !json.Valid(data) && err == nil {
			t.Errorf("Parse accepted malformed JSON %q: %v", data, got)
		}
	})
}

// twoBookings is a customer's scheduled repayments S1 and S2 of plan P1's
// period 1, of these amounts and statuses.
func twoBookings(amount1, status1, amount2, status2 string) string {
	one := func(id, amount, status string) string {
		return `{"id": "` + id + `", "plan_id": "P1", "period": 1, "amount_fen": ` + amount +
			`, "card_id": "K1", "run_at": "2026-01-15T09:00:00+08:00", "status": "` + status + `"}`
	}
	return "[" + one("S1", amount1, status1) + ", " + one("S2", amount2, status2) + "]"
}
