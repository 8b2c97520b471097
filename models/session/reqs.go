package session

// The MIP-03 requirement IDs (spec/mip-03.md) each rule of the model
// implements.
const (
	ReqSize             = "MIP03-SIZE-1"
	ReqCheckOrder       = "MIP03-CHK-1"
	ReqOptionalNull     = "MIP03-OPT-1"
	ReqInitNotices      = "MIP03-INIT-2"
	ReqInitOrder        = "MIP03-INIT-3"
	ReqSendParticipants = "MIP03-SEND-1"
	ReqSendForm         = "MIP03-SEND-2"
	ReqSendNumbering    = "MIP03-SEND-3"
	ReqSendNotices      = "MIP03-SEND-4"
	ReqGet              = "MIP03-GET-1"
	ReqGetPaging        = "MIP03-GET-2"
	ReqGetForm          = "MIP03-GET-3"
	ReqDMFixed          = "MIP03-DM-1"
	ReqAdd              = "MIP03-GRP-1"
	ReqRemove           = "MIP03-GRP-2"
	ReqLeave            = "MIP03-GRP-3"
	ReqSetTitle         = "MIP03-GRP-4"
	ReqGroupLeft        = "MIP03-GRP-5"
	ReqGroupNotices     = "MIP03-GRP-6"
	ReqGroupOrder       = "MIP03-GRP-1"
	ReqInfo             = "MIP03-INFO-1"
	ReqReadsPublic      = "MIP03-READ-1"
)
