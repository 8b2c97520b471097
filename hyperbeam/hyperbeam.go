// Package hyperbeam names what the devnet's HyperBEAM routes and the live
// adapter's HyperBEAM back end must agree on: the headers of a push, the
// devices a spawn names, and the paths of a process's routes.
package hyperbeam

import "net/url"

const (
	// ContentType and Codec are the headers a push carries: its body is
	// a signed ANS-104 data item.
	ContentType = "application/ans104"
	Codec       = "ans104@1.0"
	// CodecHeader names Codec's header.
	CodecHeader = "codec-device"
	// ProcessDevice and ExecutionDevice are the devices a spawn names,
	// in the headers DeviceHeader and ExecutionDeviceHeader.
	ProcessDevice         = "process@1.0"
	ExecutionDevice       = "genesis-wasm@1.0"
	DeviceHeader          = "device"
	ExecutionDeviceHeader = "execution-device"
	// ProcessHeader names the process a spawn made; SlotHeader the slot
	// a push was given.
	ProcessHeader = "process"
	SlotHeader    = "slot"
)

// Route suffixes: a process's device follows its id, then these.
const (
	// ProcessSuffix follows a process id in its device's routes.
	ProcessSuffix = "~" + ProcessDevice
	// Push is what follows ProcessSuffix on the push route.
	Push = "/push"
	// Results is the result route's prefix, before the slot.
	Results = "/compute/results="
	// Compute is the read-only evaluation's prefix, before &key=value.
	Compute = "/as=execution/compute"
	// CurrentSlot follows the bare process id on the current-slot route.
	CurrentSlot = "/slot/current"
)

// ProcessPath is the path of pid's process device, escaped.
func ProcessPath(pid string) string {
	return "/" + url.PathEscape(pid) + ProcessSuffix
}
