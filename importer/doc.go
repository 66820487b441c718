// Package importer reads the installment core system's customer export (JSON)
// and validates it completely: a bad file is rejected whole, with the JSON
// path of every fault, so an operator can fix it in one pass.
//
// A Decoder reads the file one customer at a time, in memory that does not
// grow with the file: it holds one customer, the faults, and nothing else of
// its own — the keys that must be unique across the file go to a Keys (the
// import's database table). Parse reads a document already in memory.
//
// It knows the file format, its limits and the domain rules a file must
// satisfy on its own; it knows nothing of the database (store.DB.ImportFrom
// writes what it reads).
package importer
