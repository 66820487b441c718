package importer

// The export schema as Go types, for programs that write an export (the demo
// data, the load test's generated customers). Parse does not use them: it
// walks the JSON itself to report every fault with its path.
type (
	File struct {
		Customers []Customer `json:"customers"`
	}
	Customer struct {
		ID             string      `json:"id"`
		Name           string      `json:"name"`
		Phone          string      `json:"phone"`
		IDCardLast4    string      `json:"id_card_last4"`
		Language       string      `json:"language"`
		PendingRefunds int         `json:"pending_refunds"`
		Cards          []Card      `json:"cards"`
		Plans          []Plan      `json:"plans"`
		Scheduled      []Scheduled `json:"scheduled_repayments"`
	}
	Card struct {
		ID      string `json:"id"`
		Bank    string `json:"bank"`
		Last4   string `json:"last4"`
		Default bool   `json:"default,omitempty"`
		Status  string `json:"status,omitempty"`
	}
	Plan struct {
		ID              string `json:"id"`
		OrderNo         string `json:"order_no"`
		Product         string `json:"product"`
		Partner         string `json:"partner"`
		PrincipalFen    int64  `json:"principal_fen"`
		Periods         int    `json:"periods"`
		PrepayFeeRateBP int64  `json:"prepay_fee_rate_bp"`
		AutoRepay       bool   `json:"auto_repay,omitempty"`
		Bills           []Bill `json:"bills"`
	}
	Bill struct {
		Period       int    `json:"period"`
		DueDate      string `json:"due_date"`
		PrincipalFen int64  `json:"principal_fen"`
		FeeFen       int64  `json:"fee_fen"`
		LateFeeFen   int64  `json:"late_fee_fen"`
		Status       string `json:"status"`
	}
	Scheduled struct {
		ID        string `json:"id"`
		PlanID    string `json:"plan_id"`
		Period    int    `json:"period"`
		AmountFen int64  `json:"amount_fen"`
		CardID    string `json:"card_id"`
		RunAt     string `json:"run_at"`
		Status    string `json:"status"`
	}
)
