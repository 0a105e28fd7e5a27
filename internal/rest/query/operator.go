package query

// Operator is a filter operator, spelled as in the query string.
type Operator string

// The operators of PostgREST v14 (supabase-wire.md §2.3).
const (
	OpEq          Operator = "eq"
	OpNeq         Operator = "neq"
	OpGt          Operator = "gt"
	OpGte         Operator = "gte"
	OpLt          Operator = "lt"
	OpLte         Operator = "lte"
	OpLike        Operator = "like"
	OpILike       Operator = "ilike"
	OpMatch       Operator = "match"
	OpIMatch      Operator = "imatch"
	OpIn          Operator = "in"
	OpIs          Operator = "is"
	OpIsDistinct  Operator = "isdistinct"
	OpFTS         Operator = "fts"
	OpPlainFTS    Operator = "plfts"
	OpPhraseFTS   Operator = "phfts"
	OpWebFTS      Operator = "wfts"
	OpContains    Operator = "cs"
	OpContained   Operator = "cd"
	OpOverlap     Operator = "ov"
	OpStrictLeft  Operator = "sl"
	OpStrictRight Operator = "sr"
	OpNotRight    Operator = "nxr"
	OpNotLeft     Operator = "nxl"
	OpAdjacent    Operator = "adj"
)

// operatorClass groups operators by the syntax that follows them.
type operatorClass uint8

const (
	classNone     operatorClass = iota
	classSimple                 // op.value
	classQuant                  // op[(any)|(all)].value
	classFTS                    // op[(lang)].value
	classIn                     // in.(list)
	classIs                     // is.keyword
	classDistinct               // isdistinct.value
)

var operatorClasses = map[Operator]operatorClass{
	OpEq: classQuant, OpGt: classQuant, OpGte: classQuant, OpLt: classQuant, OpLte: classQuant,
	OpLike: classQuant, OpILike: classQuant, OpMatch: classQuant, OpIMatch: classQuant,
	OpNeq: classSimple, OpContains: classSimple, OpContained: classSimple, OpOverlap: classSimple,
	OpStrictLeft: classSimple, OpStrictRight: classSimple, OpNotRight: classSimple,
	OpNotLeft: classSimple, OpAdjacent: classSimple,
	OpFTS: classFTS, OpPlainFTS: classFTS, OpPhraseFTS: classFTS, OpWebFTS: classFTS,
	OpIn: classIn, OpIs: classIs, OpIsDistinct: classDistinct,
}

// IsFTS reports whether op is one of the full-text search operators.
func (op Operator) IsFTS() bool { return operatorClasses[op] == classFTS }

// Quantifiable reports whether op accepts (any) and (all).
func (op Operator) Quantifiable() bool { return operatorClasses[op] == classQuant }

// Quantifier is the (any) or (all) after a quantifiable operator. The value is
// then a Postgres array literal such as {a,b}.
type Quantifier string

const (
	QuantNone Quantifier = ""
	QuantAny  Quantifier = "any"
	QuantAll  Quantifier = "all"
)

// IsValue is the keyword after is. (matched case-insensitively, stored lower-case).
type IsValue string

const (
	IsNull    IsValue = "null"
	IsNotNull IsValue = "not_null"
	IsTrue    IsValue = "true"
	IsFalse   IsValue = "false"
	IsUnknown IsValue = "unknown"
)

var isValues = []IsValue{IsNull, IsNotNull, IsTrue, IsFalse, IsUnknown}
