package ubiops

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// patchRecorder answers every request with {} and keeps the JSON body of the last one.
type patchRecorder struct {
	mu   sync.Mutex
	body map[string]json.RawMessage
	path string
}

func (p *patchRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	p.body, p.path = nil, r.Method+" "+r.URL.Path
	_ = json.Unmarshal(b, &p.body)
	p.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, "{}")
}

func (p *patchRecorder) keys() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for k := range p.body {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// setOnly returns a body of type T with only field i set: a pointer to its type's zero value (so a
// set 0, false or "" is sent), or a Nullable holding the zero value.
func setOnly[T any](i int) (T, string) {
	var body T
	v := reflect.ValueOf(&body).Elem()
	f := v.Field(i)
	switch f.Kind() {
	case reflect.Pointer:
		f.Set(reflect.New(f.Type().Elem()))
	case reflect.Map: // nullable.Nullable[T] is map[bool]T; key true holds a value
		m := reflect.MakeMap(f.Type())
		m.SetMapIndex(reflect.ValueOf(true), reflect.Zero(f.Type().Elem()))
		f.Set(m)
	default:
		f.Set(reflect.Zero(f.Type()))
	}
	return body, strings.Split(v.Type().Field(i).Tag.Get("json"), ",")[0]
}

// TestPatchSendsOnlyWhatIsSet: for every PATCH operation whose body fields are all optional, and
// for every field of its body, an update that sets that one field sends exactly that field.
func TestPatchSendsOnlyWhatIsSet(t *testing.T) {
	rec := &patchRecorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithToken("patch-test"), WithMaxRetries(0))
	require.NoError(t, err)
	ctx := context.Background()

	ops := []struct {
		op     string
		typ    reflect.Type
		update func(i int) (string, error)
	}{
		{"projects_update", reflect.TypeFor[ProjectUpdate](), func(i int) (string, error) {
			b, f := setOnly[ProjectUpdate](i)
			_, err := c.Projects.Update(ctx, "p", b)
			return f, err
		}},
		{"deployments_update", reflect.TypeFor[DeploymentUpdate](), func(i int) (string, error) {
			b, f := setOnly[DeploymentUpdate](i)
			_, err := c.Deployments.Update(ctx, "p", "d", b)
			return f, err
		}},
		{"deployment_versions_update", reflect.TypeFor[DeploymentVersionUpdate](), func(i int) (string, error) {
			b, f := setOnly[DeploymentVersionUpdate](i)
			_, err := c.Versions.Update(ctx, "p", "d", "v", b)
			return f, err
		}},
		{"environments_update", reflect.TypeFor[EnvironmentUpdate](), func(i int) (string, error) {
			b, f := setOnly[EnvironmentUpdate](i)
			_, err := c.Environments.Update(ctx, "p", "e", b)
			return f, err
		}},
		{"instance_type_groups_update", reflect.TypeFor[InstanceTypeGroupUpdate](), func(i int) (string, error) {
			b, f := setOnly[InstanceTypeGroupUpdate](i)
			_, err := c.InstanceTypeGroups.Update(ctx, "p", "7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5e", b)
			return f, err
		}},
	}
	for _, op := range ops {
		t.Run(op.op, func(t *testing.T) {
			require.Positive(t, op.typ.NumField())
			for i := range op.typ.NumField() {
				field, err := op.update(i)
				require.NoError(t, err)
				assert.Equal(t, []string{field}, rec.keys(), "%s with only %s set", op.op, op.typ.Field(i).Name)
			}
		})
	}
}

// TestPatchOneFieldRename: the bug that made this test: renaming an instance type group must not
// send instance_types (null or [] would empty the group).
func TestPatchOneFieldRename(t *testing.T) {
	rec := &patchRecorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL), WithToken("patch-test"), WithMaxRetries(0))
	require.NoError(t, err)
	_, err = c.InstanceTypeGroups.Update(context.Background(), "p", "7d1e5c3a-2b4f-4e6a-9c8d-0f1a2b3c4d5e", InstanceTypeGroupUpdate{Name: Ptr("renamed")})
	require.NoError(t, err)
	assert.Equal(t, map[string]json.RawMessage{"name": json.RawMessage(`"renamed"`)}, rec.body)

	// A Nullable field set to null sends an explicit null, and only that.
	_, err = c.Versions.Update(context.Background(), "p", "d", "v", DeploymentVersionUpdate{DefaultNotificationGroup: Null[string]()})
	require.NoError(t, err)
	assert.Equal(t, map[string]json.RawMessage{"default_notification_group": json.RawMessage(`null`)}, rec.body)
}
