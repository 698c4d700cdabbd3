package bench

import (
	"encoding/json"
	"fmt"
	"os"
)

// DecodeEnv makes the halobench binary the decode floor's process: it
// reads the file named by its first argument and decodes it into any, the
// least work any tool that judges a snapshot must do, and exits.
const DecodeEnv = "HALOBENCH_DECODE_FLOOR"

// RunDecodeFloor is that process's work: 0 when the file decoded.
func RunDecodeFloor(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "decode floor: want FILE")
		return 2
	}
	data, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "decode floor:", err)
		return 2
	}
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		fmt.Fprintln(os.Stderr, "decode floor:", err)
		return 2
	}
	return 0
}
