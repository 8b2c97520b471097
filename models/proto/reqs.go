package proto

// The MIP-00 requirement IDs (spec/mip-00.md) the models check on every
// request, whatever the MIP.
const (
	// ReqUnknownAction: an unknown Action gets no reply and changes nothing.
	ReqUnknownAction = "MIP00-ACT-1"
	// ReqActionExact: Action values are compared byte for byte.
	ReqActionExact = "MIP00-ACT-2"
	// ReqContentType: Content-Type is not required; JSON-tagged Data is the same request.
	ReqContentType = "MIP00-ACT-3"
	// ReqOneReply: exactly one reply per request.
	ReqOneReply = "MIP00-REP-1"
	// ReqReplyTarget: the reply goes to Reply-To or the sender, with X-Reference.
	ReqReplyTarget = "MIP00-REP-2"
	// ReqSuccessShape: a success is "<Op>-Response" with a JSON object Data.
	ReqSuccessShape = "MIP00-REP-3"
	// ReqErrorShape: an error is "<Op>-Error", tag Error, Data {code, message}.
	ReqErrorShape = "MIP00-ERR-1"
	// ReqMalformed: malformed Data gets InvalidInput.
	ReqMalformed = "MIP00-INP-1"
	// ReqNoCrash: no input makes a handler raise an error.
	ReqNoCrash = "MIP00-INP-2"
	// ReqDataLimit: Data past 4096 bytes is LimitExceeded, before any other check.
	ReqDataLimit = "MIP00-INP-3"
	// ReqClosed: request objects are closed; an unknown field is InvalidInput.
	ReqClosed = "MIP00-INP-4"
	// ReqAtomic: a request that fails changes nothing.
	ReqAtomic = "MIP00-ATOM-1"
	// ReqIdentity: the sender is msg.From; a wallet cannot act as another.
	ReqIdentity = "MIP00-ID-1"
	// ReqIDExact: ids are compared byte for byte, never case-folded.
	ReqIDExact = "MIP00-ID-2"
	// ReqDryRun: a read answers the same through dryrun and send.
	ReqDryRun = "MIP00-RD-1"
	// ReqDryRunNoChange: a dryrun changes nothing, whatever it claims.
	ReqDryRunNoChange = "MIP00-RD-2"
	// ReqReadsPublic: reads answer any sender the same.
	ReqReadsPublic = "MIP00-RD-3"
	// ReqListOrder: lists have a defined order with a tie-break.
	ReqListOrder = "MIP00-ORD-1"
	// ReqWholeNumbers: a whole quantity in a reply is a JSON integer.
	ReqWholeNumbers = "MIP00-NUM-1"
)
