package ubiops_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ubiops/ubiops-go/ubiops"
)

// TestAnswersDecodeEveryDateForm: a date-time field of an answer decodes whether the server writes
// a date alone (as the reference pages show project creation dates), no offset, a space separator
// or RFC 3339; a nullable one also decodes null.
func TestAnswersDecodeEveryDateForm(t *testing.T) {
	forms := map[string]time.Time{
		"2018-10-26":                       time.Date(2018, 10, 26, 0, 0, 0, 0, time.UTC),
		"2018-10-26T08:32:14":              time.Date(2018, 10, 26, 8, 32, 14, 0, time.UTC),
		"2018-10-26T08:32:14.876451":       time.Date(2018, 10, 26, 8, 32, 14, 876451000, time.UTC),
		"2018-10-26 08:32:14.876451":       time.Date(2018, 10, 26, 8, 32, 14, 876451000, time.UTC),
		"2018-10-26T08:32:14.876451+00:00": time.Date(2018, 10, 26, 8, 32, 14, 876451000, time.UTC),
		"2018-10-26T10:32:14+02:00":        time.Date(2018, 10, 26, 8, 32, 14, 0, time.UTC),
	}
	var form string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/v2.1/projects/p":
			fmt.Fprintf(w, `{"id":"7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5e","name":"p","creation_date":%q,"advanced_permissions":false,"organization_name":"o","credits":null,"suspended":false,"suspended_reason":null,"cors_origins":[]}`, form)
		case "/v2.1/projects/p/deployments/d/requests/7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5e":
			fmt.Fprintf(w, `{"id":"7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5e","deployment":"d","version":"v","status":"pending","time_created":%q,"time_started":null,"time_completed":%q}`, form, form)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c, err := ubiops.NewClient(ubiops.WithBaseURL(srv.URL), ubiops.WithToken("time-test"))
	require.NoError(t, err)
	ctx := context.Background()
	for f, want := range forms {
		form = f
		p, err := c.Projects.Get(ctx, "p")
		require.NoError(t, err, f)
		assert.True(t, want.Equal(p.CreationDate.Time), "%s: project creation_date %s", f, p.CreationDate)

		r, err := c.Requests.Get(ctx, "p", "d", "7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5e", nil)
		require.NoError(t, err, f)
		assert.True(t, want.Equal(r.TimeCreated.Time), "%s: time_created", f)
		assert.Nil(t, r.TimeStarted, "null stays null")
		require.NotNil(t, r.TimeCompleted)
		assert.True(t, want.Equal(r.TimeCompleted.Time), "%s: time_completed", f)
	}

	form = "last tuesday"
	_, err = c.Projects.Get(ctx, "p")
	var de *ubiops.DecodeError
	require.ErrorAs(t, err, &de, "a value that is no date is a decode error")
}
