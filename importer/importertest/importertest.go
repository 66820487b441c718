// Package importertest writes generated export files of any size, for tests
// and benchmarks of the import. Memory does not grow with the size.
package importertest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"supportbot/importer"
)

// Customer is generated customer i: id G0000042, phone +86 139 0000 0042,
// one card, and one 12-period plan (period i%12+1 due 2026-11-21 and the
// periods before it paid) with a fee and a prepayment fee.
func Customer(i int) importer.Customer {
	each := int64(10_000 + (i*7919)%80_000) // fen per period
	first := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC).AddDate(0, -(i % 12), 0)
	p := importer.Plan{ID: fmt.Sprintf("GP%07d", i), OrderNo: fmt.Sprintf("52410%08d", i), Product: "Redmi K70 12GB+256GB",
		Partner: "小米分期", PrincipalFen: each * 12, Periods: 12, PrepayFeeRateBP: int64(50 + i%251)}
	for k := 1; k <= 12; k++ {
		b := importer.Bill{Period: k, DueDate: first.AddDate(0, k-1, 0).Format("2006-01-02"),
			PrincipalFen: each, FeeFen: int64(i%5) * 100, Status: "unpaid"}
		if k <= i%12 {
			b.Status = "paid"
		}
		p.Bills = append(p.Bills, b)
	}
	return importer.Customer{
		ID: fmt.Sprintf("G%07d", i), Name: fmt.Sprintf("客户%d", i), Phone: fmt.Sprintf("+86139%08d", i),
		IDCardLast4: fmt.Sprintf("%04d", i%10000), Language: "zh",
		Cards: []importer.Card{{ID: "K1", Bank: "招商银行", Last4: fmt.Sprintf("%04d", (i*31)%10000), Default: true}},
		Plans: []importer.Plan{p},
	}
}

// Write writes an export of customers 0 to n-1 to w.
func Write(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString("{\"customers\": [\n")
	enc := json.NewEncoder(bw)
	for i := range n {
		if i > 0 {
			bw.WriteString(",")
		}
		if err := enc.Encode(Customer(i)); err != nil {
			return err
		}
	}
	bw.WriteString("]}\n")
	return bw.Flush()
}

// Reader is the export of customers 0 to n-1, written as it is read.
func Reader(n int) io.Reader {
	r, w := io.Pipe()
	go func() { w.CloseWithError(Write(w, n)) }()
	return r
}
