package domain

// The requirement IDs (spec/requirements.json) each rule of the model
// implements, so that a divergence names the rule it broke.
const (
	ReqNameRule          = "MIP01-NAME-1"
	ReqPIDRule           = "MIP01-NAME-2"
	ReqQuery             = "MIP01-QRY-1"
	ReqQueryFree         = "MIP01-QRY-2"
	ReqQueryInvalid      = "MIP01-QRY-3"
	ReqGetDomains        = "MIP01-GET-1"
	ReqGetDomainsInvalid = "MIP01-GET-2"
	ReqRegisterFree      = "MIP01-REG-1"
	ReqRegisterReassign  = "MIP01-REG-2"
	ReqRegisterTaken     = "MIP01-REG-3"
	ReqRenounce          = "MIP01-REN-1"
	ReqRenounceUnknown   = "MIP01-REN-2"
	ReqRenounceNotOwner  = "MIP01-REN-3"
)
