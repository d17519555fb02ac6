package main

import (
	"runtime/debug"
	"testing"
)

func TestVersionOf(t *testing.T) {
	vcs := func(revision, time, modified string) []debug.BuildSetting {
		settings := []debug.BuildSetting{{Key: "vcs", Value: "git"}}
		for key, value := range map[string]string{"vcs.revision": revision, "vcs.time": time, "vcs.modified": modified} {
			if value != "" {
				settings = append(settings, debug.BuildSetting{Key: key, Value: value})
			}
		}
		return settings
	}
	const revision = "4d8a5f9abcdef0123456789abcdef0123456789a"
	for _, tc := range []struct {
		name   string
		linked string
		info   *debug.BuildInfo
		want   string
	}{
		{"ldflags wins", "v1.2.3", &debug.BuildInfo{Main: debug.Module{Version: "v1.0.0"}}, "v1.2.3"},
		{"ldflags without build info", "v1.2.3", nil, "v1.2.3"},
		{"go install module@version", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}}, "v1.4.0"},
		{"go install module@commit", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201230000-4d8a5f9abcde"}},
			"v0.0.0-20261201230000-4d8a5f9abcde"},
		{"module version beats vcs", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"},
			Settings: vcs(revision, "2026-12-01T23:00:00Z", "true")}, "v1.4.0"},
		{"clean checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: vcs(revision, "2026-12-01T23:00:00Z", "false")}, "v0.0.0-20261201230000-4d8a5f9abcde"},
		{"modified checkout", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: vcs(revision, "2026-12-01T23:00:00Z", "true")}, "v0.0.0-20261201230000-4d8a5f9abcde+dirty"},
		{"commit time in another zone", "", &debug.BuildInfo{Main: debug.Module{Version: ""},
			Settings: vcs(revision, "2026-12-02T01:00:00+02:00", "")}, "v0.0.0-20261201230000-4d8a5f9abcde"},
		{"no commit time", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: vcs(revision, "", "")}, "v0.0.0-unknown-4d8a5f9abcde"},
		{"short revision", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: vcs("4d8a5f9", "2026-12-01T23:00:00Z", "")}, "v0.0.0-20261201230000-4d8a5f9"},
		{"nothing recorded", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, unversioned},
		{"no build info", "", nil, unversioned},
	} {
		if got := versionOf(tc.linked, tc.info); got != tc.want {
			t.Errorf("%s: versionOf = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// The binary under test was built by go test, which records no version:
// `pipelint version` still says it is unversioned rather than "dev".
func TestVersionCommandNeverSaysDev(t *testing.T) {
	_, stdout, _ := pipelint(t, "", "version")
	if stdout == "pipelint dev\n" || stdout != "pipelint "+pipelintVersion()+"\n" {
		t.Errorf("version output %q, want %q", stdout, "pipelint "+pipelintVersion()+"\n")
	}
}
