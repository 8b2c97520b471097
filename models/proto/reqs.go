package proto

// The MIP-00 requirement IDs the models check on every request, whatever the
// MIP (spec/requirements.json).
const (
	// ReqOneReply: exactly one reply per request.
	ReqOneReply = "MIP00-REP-1"
	// ReqReplyTarget: the reply goes to Reply-To or From, with X-Reference.
	ReqReplyTarget = "MIP00-REP-2"
	// ReqSuccessShape: a success is "<Op>-Response" with a JSON object Data.
	ReqSuccessShape = "MIP00-REP-3"
	// ReqErrorShape: an error is "<Op>-Error", tag Error, Data {code, message}.
	ReqErrorShape = "MIP00-ERR-1"
	// ReqMalformed: malformed Data gets InvalidInput.
	ReqMalformed = "MIP00-INP-1"
	// ReqNoCrash: a request never crashes the process or goes unanswered.
	ReqNoCrash = "MIP00-INP-2"
	// ReqDataLimit: Data past the size limit is refused.
	ReqDataLimit = "MIP00-INP-3"
	// ReqUnknownAction: what an unknown Action gets.
	ReqUnknownAction = "MIP00-ACT-1"
	// ReqIdentity: identity is msg.From; a wallet cannot claim another.
	ReqIdentity = "MIP00-ID-1"
	// ReqDryRun: reads answer the same through dryrun and send, and a
	// dryrun changes nothing.
	ReqDryRun = "MIP00-RD-1"
)
