package importer_test

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"supportbot"
	"supportbot/importer"
)

func readValid(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("testdata/valid.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseValid(t *testing.T) {
	got, err := importer.Parse([]byte(readValid(t)))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	runAt := time.Date(2026, 8, 14, 1, 0, 0, 0, time.UTC)
	want := []supportbot.CustomerData{{
		Customer: supportbot.Customer{ID: "C1001", Name: "张伟", Phone: "13800138000", IDCardLast4: "123X", Language: "zh"},
		Cards: []supportbot.Card{
			{ID: "K1", Bank: "招商银行", Last4: "6789", Default: true},
			{ID: "K2", Bank: "工商银行", Last4: "1234", Frozen: true},
		},
		Plans: []supportbot.Plan{{
			ID: "P2001", CustomerID: "C1001", OrderNo: "5241015123456", Product: "Redmi K70 12GB+256GB",
			Partner: "小米分期", Principal: 100000, Periods: 3, PrepayFeeRateBP: 150, AutoRepay: true,
			Bills: []supportbot.Bill{ // sorted by period
				{PlanID: "P2001", Period: 1, DueDate: "2026-06-15", Principal: 33333, Fee: 500, Status: "paid"},
				{PlanID: "P2001", Period: 2, DueDate: "2026-07-15", Principal: 33333, Fee: 500, LateFee: 1200, Status: "unpaid"},
				{PlanID: "P2001", Period: 3, DueDate: "2026-08-15", Principal: 33334, Fee: 500, Status: "unpaid"},
			},
		}},
		Scheduled: []supportbot.ScheduledRepayment{{
			ID: "S3001", CustomerID: "C1001", PlanID: "P2001", Period: 3, Amount: 33834, CardID: "K1",
			RunAt: runAt, Status: "scheduled",
		}},
	}, {
		Customer: supportbot.Customer{ID: "C1002", Name: "Emily Zhao", Phone: "13900139000", IDCardLast4: "4567", Language: "en"},
		Cards:    []supportbot.Card{{ID: "K1", Bank: "China Construction Bank", Last4: "0001", Default: true}}, // the only card becomes default
		Plans: []supportbot.Plan{{
			ID: "P2002", CustomerID: "C1002", OrderNo: "5241015000002", Product: "Xiaomi Pad 6",
			Partner: "招联金融", Principal: 0, Periods: 1,
			Bills: []supportbot.Bill{{PlanID: "P2002", Period: 1, DueDate: "2026-01-01", Status: "paid"}},
		}},
	}}
	if !got[0].Scheduled[0].RunAt.Equal(runAt) {
		t.Errorf("run_at = %v, want %v", got[0].Scheduled[0].RunAt, runAt)
	}
	got[0].Scheduled[0].RunAt = runAt // Equal instants, different zones
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse:\n got %+v\nwant %+v", got, want)
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
		{name: "root not object", data: `[]`, paths: []string{""}, msg: "must be an object"},
		{name: "no customers", data: `{}`, paths: []string{"customers"}, msg: "required"},
		{name: "customers not array", data: `{"customers": {}}`, paths: []string{"customers"}, msg: "must be an array"},
		{name: "unknown root field", data: `{"customers": [], "version": 2}`, paths: []string{"version"}, msg: "unknown field"},
		{name: "unknown customer field", old: `"language": "en",`, new: `"language": "en", "vip": true,`, paths: []string{"customers[1].vip"}, msg: "unknown field"},
		{name: "unknown card field", old: `"last4": "0001"}`, new: `"last4": "0001", "colour": "red"}`, paths: []string{"customers[1].cards[0].colour"}, msg: "unknown field"},
		{name: "unknown plan field", old: `"periods": 1,`, new: `"periods": 1, "rate": 3,`, paths: []string{"customers[1].plans[0].rate"}, msg: "unknown field"},
		{name: "unknown bill field", old: `"principal_fen": 0, "status"`, new: `"principal_fen": 0, "memo": "", "status"`, paths: []string{"customers[1].plans[0].bills[0].memo"}, msg: "unknown field"},
		{name: "unknown scheduled field", old: `"status": "scheduled"`, new: `"status": "scheduled", "note": null`, paths: []string{"customers[0].scheduled_repayments[0].note"}, msg: "unknown field"},
		{name: "customer not object", old: `{"customers": [`, new: `{"customers": [7, `, paths: []string{"customers[0]"}, msg: "must be an object"},
		{name: "missing id", old: `"id": "C1002", `, new: ``, paths: []string{"customers[1].id"}, msg: "required"},
		{name: "empty name", old: `"name": "张伟"`, new: `"name": " "`, paths: []string{"customers[0].name"}, msg: "must not be empty"},
		{name: "name not string", old: `"name": "Emily Zhao"`, new: `"name": 5`, paths: []string{"customers[1].name"}, msg: "must be a string"},
		{name: "missing order_no", old: `"order_no": "5241015000002", `, new: ``, paths: []string{"customers[1].plans[0].order_no"}, msg: "required"},
		{name: "null bank", old: `"bank": "招商银行"`, new: `"bank": null`, paths: []string{"customers[0].cards[0].bank"}, msg: "required"},
		{name: "bad phone", old: `"phone": "13900139000"`, new: `"phone": "23900139000"`, paths: []string{"customers[1].phone"}, msg: "not a mainland China mobile number"},
		{name: "id card letter", old: `"id_card_last4": "4567"`, new: `"id_card_last4": "45A7"`, paths: []string{"customers[1].id_card_last4"}, msg: "must be 4 characters"},
		{name: "id card length", old: `"id_card_last4": "4567"`, new: `"id_card_last4": "34567"`, paths: []string{"customers[1].id_card_last4"}, msg: "must be 4 characters"},
		{name: "language", old: `"language": "en"`, new: `"language": "fr"`, paths: []string{"customers[1].language"}, msg: `must be one of zh, en, not "fr"`},
		{name: "negative refunds", old: `"pending_refunds": 0`, new: `"pending_refunds": -1`, paths: []string{"customers[0].pending_refunds"}, msg: "must not be negative"},
		{name: "card last4", old: `"last4": "0001"`, new: `"last4": "001"`, paths: []string{"customers[1].cards[0].last4"}, msg: "must be 4 digits"},
		{name: "card status", old: `"status": "frozen"`, new: `"status": "blocked"`, paths: []string{"customers[0].cards[1].status"}, msg: "must be one of active, frozen"},
		{name: "default not bool", old: `"default": true`, new: `"default": "yes"`, paths: []string{"customers[0].cards[0].default"}, msg: "must be true or false"},
		{name: "two defaults", old: `"status": "frozen"`, new: `"status": "frozen", "default": true`, paths: []string{"customers[0].cards[1].default"}, msg: "a second default card, the first is customers[0].cards[0]"},
		{name: "duplicate card id", old: `{"id": "K2"`, new: `{"id": "K1"`, paths: []string{"customers[0].cards[1].id"}, msg: `duplicate card id "K1"`},
		{name: "float money", old: `"principal_fen": 33334,`, new: `"principal_fen": 333.34,`, paths: []string{"customers[0].plans[0].bills[1].principal_fen"}, msg: "must be an integer, not 333.34"},
		{name: "string money", old: `"principal_fen": 0, "periods"`, new: `"principal_fen": "0", "periods"`, paths: []string{"customers[1].plans[0].principal_fen"}, msg: "must be an integer"},
		{name: "negative fee", old: `"fee_fen": 500, "late_fee_fen": 1200`, new: `"fee_fen": -500, "late_fee_fen": 1200`, paths: []string{"customers[0].plans[0].bills[2].fee_fen"}, msg: "must not be negative"},
		{name: "huge amount", old: `"amount_fen": 33834`, new: `"amount_fen": 99999999999999999999`, paths: []string{"customers[0].scheduled_repayments[0].amount_fen"}, msg: "out of range"},
		{name: "zero periods", old: `"periods": 1`, new: `"periods": 0`, paths: []string{"customers[1].plans[0].periods"}, msg: "must be between 1 and 360"},
		{name: "fee rate", old: `"prepay_fee_rate_bp": 150`, new: `"prepay_fee_rate_bp": 10001`, paths: []string{"customers[0].plans[0].prepay_fee_rate_bp"}, msg: "between 0 and 10000"},
		{name: "auto_repay not bool", old: `"auto_repay": true`, new: `"auto_repay": 1`, paths: []string{"customers[0].plans[0].auto_repay"}, msg: "must be true or false"},
		{name: "bills missing", old: `,
      "bills": [{"period": 1, "due_date": "2026-01-01", "principal_fen": 0, "status": "paid"}]`, new: ``, paths: []string{"customers[1].plans[0].bills"}, msg: "required"},
		{name: "bills empty", old: `"bills": [{"period": 1, "due_date": "2026-01-01", "principal_fen": 0, "status": "paid"}]`, new: `"bills": []`, paths: []string{"customers[1].plans[0].bills"}, msg: "missing periods 1"},
		{name: "bill not object", old: `"bills": [{"period": 1, "due_date": "2026-01-01", "principal_fen": 0, "status": "paid"}]`, new: `"bills": [7]`, paths: []string{"customers[1].plans[0].bills[0]", "customers[1].plans[0].bills"}, msg: "must be an object"},
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
		{name: "duplicate scheduled id", old: otherScheduled,
			new:   otherScheduled + `"scheduled_repayments": [{"id": "S3001", "plan_id": "P2002", "period": 1, "amount_fen": 0, "card_id": "K1", "run_at": "2026-01-01T09:00:00Z", "status": "done"}],`,
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
