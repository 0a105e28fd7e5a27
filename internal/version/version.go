// Package version tells which creatorbase this is.
package version

import (
	"runtime"
	"runtime/debug"
)

// Version is set at build time: -ldflags "-X .../internal/version.Version=v1.2.3".
var Version = "dev"

// Commit is the VCS revision, set at build time or read from build info.
var Commit = ""

// String is "creatorbase <version> (<commit>, <go version>)".
func String() string {
	c := Commit
	if c == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" && len(s.Value) >= 12 {
					c = s.Value[:12]
				}
			}
		}
	}
	if c == "" {
		c = "unknown commit"
	}
	return "creatorbase " + Version + " (" + c + ", " + runtime.Version() + ")"
}
