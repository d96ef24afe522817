package lima

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkDecodeList200 decodes a list of 200 instances shaped like limactl
// 2.2.0's real output (a running instance's record, about 2 KB a line).
// Target: under 5 ms per list.
func BenchmarkDecodeList200(b *testing.B) {
	line := bytes.SplitN(readRecord(b, "list-one-running.stdout"), []byte("\n"), 2)[0]
	var data bytes.Buffer
	for i := range 200 {
		data.Write(bytes.Replace(line, []byte(`"name":"fx1"`), fmt.Appendf(nil, `"name":"vm%03d"`, i), 1))
		data.WriteByte('\n')
	}
	b.SetBytes(int64(data.Len()))
	b.ReportAllocs()
	for b.Loop() {
		list, err := DecodeList(data.Bytes())
		if err != nil || len(list) != 200 {
			b.Fatalf("decoded %d instances: %v", len(list), err)
		}
	}
}
