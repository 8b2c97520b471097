package domain

// The MIP-01 requirement IDs (spec/mip-01.md) each rule of the model
// implements, so that a divergence names the rule it broke.
const (
	ReqNameRule          = "MIP01-NAME-1"
	ReqPIDRule           = "MIP01-NAME-2"
	ReqCheckOrder        = "MIP01-CHK-1"
	ReqQuery             = "MIP01-QRY-1"
	ReqQueryFree         = "MIP01-QRY-2"
	ReqQueryInvalid      = "MIP01-QRY-3"
	ReqQueryForm         = "MIP01-QRY-4"
	ReqGetDomains        = "MIP01-GET-1"
	ReqGetDomainsInvalid = "MIP01-GET-2"
	ReqGetDomainsEmpty   = "MIP01-GET-3"
	ReqGetDomainsForm    = "MIP01-GET-4"
	ReqRegisterFree      = "MIP01-REG-1"
	ReqRegisterReassign  = "MIP01-REG-2"
	ReqRegisterTaken     = "MIP01-REG-3"
	ReqRegisterForm      = "MIP01-REG-4"
	ReqRenounce          = "MIP01-REN-1"
	ReqRenounceUnknown   = "MIP01-REN-2"
	ReqRenounceNotOwner  = "MIP01-REN-3"
	ReqRenounceForm      = "MIP01-REN-4"
	ReqFirstRegisterWins = "MIP01-ORD-1"
)
