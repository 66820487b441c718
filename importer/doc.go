// Package importer reads the installment core system's customer export (JSON)
// and validates it completely before anything is written: a bad file is
// rejected whole, with the JSON path of every fault, so an operator can fix it
// in one pass.
//
// It knows the file format and the domain rules a file must satisfy on its
// own; it knows nothing of the database (store.DB.Import writes the result).
package importer
