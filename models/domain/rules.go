package domain

// MaxNameLen is the longest valid name (MIP-01).
const MaxNameLen = 32

// AddressLen is the length of a process id or wallet address.
const AddressLen = 43

// MaxDataBytes is the largest request Data a process judges on its content
// (MIP00-INP-3); longer Data is LimitExceeded before any other check.
const MaxDataBytes = 4096

// ValidName reports whether s is a valid name: 1 to 32 characters of a-z,
// 0-9, '-' and '_', the first and the last a letter or a digit.
func ValidName(s string) bool {
	if len(s) < 1 || len(s) > MaxNameLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		alnum := (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
		if alnum {
			continue
		}
		if (c == '-' || c == '_') && i != 0 && i != len(s)-1 {
			continue
		}
		return false
	}
	return true
}

// ValidAddress reports whether s has the shape of an AO process id or an
// Arweave address: 43 characters of base64url.
func ValidAddress(s string) bool {
	if len(s) != AddressLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
