package ubiopstest

import "github.com/ubiops/ubiops-go/ubiops"

// The service status (service_status), which the official clients call first to check the
// connection and the token. Like every route, it needs the token.

func init() {
	handle("service_status", func(*call) answer {
		return ok(ubiops.Status{Status: "ok"})
	})
}
