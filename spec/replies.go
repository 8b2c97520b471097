package spec

// ReplyShape is what every success reply of a read holds whatever the
// process's state: the top-level fields of Data that the requirement
// defining the reply lists as always there. A reply that lacks one of them
// breaks that requirement, whichever scenario or property read it: a
// session that names its count "message_count" fails MIP03-INFO-1 once,
// not also every rule whose check reads the count.
type ReplyShape struct {
	// Action is the read's Action; its success reply is Action + "-Response".
	Action string
	// Requirement is the ID of the rule that defines the reply.
	Requirement string
	// Arguments says the read takes arguments in its Data (a page), which
	// may be invalid; the others ignore Data.
	Arguments bool
	// Fields are the fields every success reply holds. Fields present only
	// in some states (GetProfile's nickname, a session's title) are not
	// listed: their absence may be the state's.
	Fields []string
}

// readReplies mirror the reply definitions of the MIP texts
// (TestReplyShapesAreTheTexts checks each field is named in its rule).
// The domain's reads are not here: which rule defines their reply depends
// on the state (a registered name's QueryDomain is MIP01-QRY-1's, a free
// one's MIP01-QRY-2's; an owner's names MIP01-GET-1's, none MIP01-GET-3's),
// and StateShapeRequirement chooses it from the reply expected.
var readReplies = []ReplyShape{
	{Action: "GetProfile", Requirement: "MIP02-GET-1", Fields: []string{"pid", "owner", "updatedAt"}},
	{Action: "GetContacts", Requirement: "MIP02-CON-4", Fields: []string{"contacts"}},
	{Action: "GetChatList", Requirement: "MIP02-CHAT-2", Fields: []string{"sessions", "unread"}},
	{Action: "GetMessages", Requirement: "MIP03-GET-1", Arguments: true, Fields: []string{"messages", "hasMore", "nextCursor"}},
	{Action: "GetSessionInfo", Requirement: "MIP03-INFO-1", Fields: []string{"session", "type", "creator", "participants", "createdAt", "messageCount"}},
}

// ReplyShapes lists the reads whose success replies have a fixed shape.
func ReplyShapes() []ReplyShape {
	return append([]ReplyShape(nil), readReplies...)
}

// ShapeRequirement returns the requirement that defines field as always
// present in the success reply of the read action, or "" when no rule
// does (another action, or a field that depends on the state).
func ShapeRequirement(action, field string) string {
	for _, r := range readReplies {
		if r.Action != action {
			continue
		}
		for _, f := range r.Fields {
			if f == field {
				return r.Requirement
			}
		}
	}
	return ""
}

// ReadRequirement returns the rule that defines the success reply of the
// read action, or "" when action is not such a read. A read made with
// valid arguments (none, for the reads of a profile or a session) always
// succeeds: an error is that rule's defect.
func ReadRequirement(action string) string {
	if r, ok := ReadShape(action); ok {
		return r.Requirement
	}
	return ""
}

// ReadShape returns the reply shape of the read action.
func ReadShape(action string) (ReplyShape, bool) {
	for _, r := range readReplies {
		if r.Action == action {
			return r, true
		}
	}
	return ReplyShape{}, false
}

// StateShapeRequirement is ShapeRequirement for the reads whose defining
// rule the state chooses (the domain's): it returns the rule that defines
// field as always present in the success reply of action, in the state
// that want (the Data expected) shows, or else got (the Data received)
// claims; "" when no rule does, or neither tells the state. A QueryDomain
// reply holds name and registered in either state, under MIP01-QRY-1 for a
// registered name and MIP01-QRY-2 for a free one; a GetDomains reply holds
// owner (MIP01-GET-1) and domains (MIP01-GET-3 for an owner of no name,
// else MIP01-GET-1). Fields only some states have (a registered name's
// owner and pid) are not listed: their absence may be the state's.
func StateShapeRequirement(action, field string, want, got map[string]any) string {
	switch action {
	case "QueryDomain":
		if field != "name" && field != "registered" {
			return ""
		}
		registered, told := want["registered"].(bool)
		if !told {
			registered, told = got["registered"].(bool)
		}
		switch {
		case !told:
			return ""
		case registered:
			return "MIP01-QRY-1"
		}
		return "MIP01-QRY-2"
	case "GetDomains":
		switch field {
		case "owner":
			return "MIP01-GET-1"
		case "domains":
			list, told := want["domains"].([]any)
			if !told {
				return ""
			}
			if len(list) == 0 {
				return "MIP01-GET-3"
			}
			return "MIP01-GET-1"
		}
	}
	return ""
}
