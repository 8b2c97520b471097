package profile

// The MIP-02 requirement IDs (spec/mip-02.md) each rule of the model
// implements.
const (
	ReqSize          = "MIP02-SIZE-1"
	ReqCheckOrder    = "MIP02-CHK-1"
	ReqOptionalNull  = "MIP02-OPT-1"
	ReqOwner         = "MIP02-OWN-1"
	ReqSessionModule = "MIP02-OWN-2"
	ReqNickname      = "MIP02-FLD-1"
	ReqFieldOther    = "MIP02-FLD-2"
	ReqFieldKnown    = "MIP02-FLD-3"
	ReqGet           = "MIP02-GET-1"
	ReqReadsPublic   = "MIP02-GET-2"
	ReqUpdateMerge   = "MIP02-UPD-1"
	ReqUpdateNull    = "MIP02-UPD-2"
	ReqUpdateReply   = "MIP02-UPD-3"
	ReqUpdateForm    = "MIP02-UPD-4"
	ReqAddContact    = "MIP02-CON-1"
	ReqContactAgain  = "MIP02-CON-2"
	ReqRemoveContact = "MIP02-CON-3"
	ReqGetContacts   = "MIP02-CON-4"
	ReqTrustNew      = "MIP02-TRUST-1"
	ReqTrustKnown    = "MIP02-TRUST-2"
	ReqNoticeSilent  = "MIP02-TRUST-3"
	ReqAddModule     = "MIP02-TRUST-4"
	ReqChatList      = "MIP02-CHAT-2"
	ReqMarkRead      = "MIP02-READ-1"
	ReqCreate        = "MIP02-SES-1"
	ReqSendChat      = "MIP02-MSG-1"
	ReqCommand       = "MIP02-MSG-2"
)
