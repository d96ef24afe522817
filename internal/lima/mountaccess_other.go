//go:build !unix

package lima

// canRead and canWrite allow every folder where access(2) does not exist;
// Lima runs only on unix hosts, so this keeps other builds compiling.
func canRead(string) error  { return nil }
func canWrite(string) error { return nil }
