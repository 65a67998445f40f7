package ubiopstest

import "github.com/ubiops/ubiops-go/ubiops"

// The service status (service_status), which the official clients call first to check the
// connection and the token. Like every route, it needs the token.

// serveServiceStatus serves service_status.
func serveServiceStatus(*call) answer { return ok(ubiops.Status{Status: "ok"}) }
