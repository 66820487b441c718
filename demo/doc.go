// Package demo makes the demo data: six customers, in the core system's export
// format, whose due dates and repayment times are relative to today, so that
// every flow can be tried on any date. It goes through importer.Parse like any
// export. It knows the import format, not the database.
//
// Share a phone to be that customer (in the console: /contact +86 138 0013 8000;
// a shared contact's number is international, so 13800138000 alone is not
// it); any other phone is an unknown customer:
//
//	| customer | phone | ID last 4 | demonstrates |
//	| --- | --- | --- | --- |
//	| C1001 张伟 | +86 138 0013 8000 | 123X | bills and early repayment: Redmi K70 (小米分期, no prepayment fee, 6 of 12 paid) and a RedmiBook (招联金融, 1.5% prepayment fee); cancel a repayment 9 days away (S3001); refused for one running within the hour (S3002, bill due in 2 days) |
//	| C1002 李娜 | +86 139 0013 9000 | 4567 | overdue: period 4 is 12 days late with a ¥12.00 late fee; monthly fees on every bill (a payoff charges only those of due periods); a frozen card (工商银行 **** 8888) the bank declines |
//	| C1003 王芳 | +86 137 0013 7000 | 2468 | fully settled, nothing scheduled, no refund: account closure goes through |
//	| C1004 Emily Zhao (en) | +86 136 0013 6000 | 1357 | settled but a refund is pending: closure is refused, saying why |
//	| C1005 James Miller (en) | +86 135 0013 5000 | 9090 | English; an open plan; cancelling tomorrow's repayment (S3003) warns that its bill is due in 2 days |
//	| C1006 陈静 | +86 133 0013 3000 | 8024 | a repayment being processed (S3004) cannot be cancelled; auto-repayment on |
package demo
